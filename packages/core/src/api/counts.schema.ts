import { z } from "zod";
import { AREA_REF_LEVELS } from "../domain/area.ts";
import { OTHER_FORCES_RULES } from "../domain/forces.ts";
import { AREA_QUERY_MAX_LENGTH, MonthSchema, TEXT_QUERY_MAX_LENGTH } from "./common.schema.ts";

export const CountsQuerySchema = z.object({
  area: z.string().min(1).max(AREA_QUERY_MAX_LENGTH).describe("area code (E06000045), name (Southampton) or level-qualified name (ward:Bevois)"),
  from: MonthSchema.optional().describe("first month (default: the first month imported for the area's force)"),
  to: MonthSchema.optional().describe("last month (default: the last month imported)"),
  type: z.string().max(TEXT_QUERY_MAX_LENGTH).optional().describe("one police.uk crime type (default: all)"),
  otherForces: z
    .enum(OTHER_FORCES_RULES)
    .optional()
    .describe("rows from other forces' files in the area (decision 0022): complete (default: counted only when that force's files cover every month of the period), all (counted in the months imported), none"),
});

/** Which other forces' rows were counted or left out, and why (decision 0022). */
export const OtherForcesSchema = z
  .object({
    rule: z.enum(OTHER_FORCES_RULES),
    home: z.array(z.string()).describe("the area's own police.uk force(s): always counted"),
    counted: z.array(z.object({ force: z.string(), rows: z.number().int() })),
    leftOut: z.array(z.object({ force: z.string(), rows: z.number().int(), monthsCovered: z.number().int(), months: z.number().int() })),
  })
  .meta({ id: "OtherForces" });

export const AreaRefSchema = z.object({ code: z.string().nullable(), name: z.string(), level: z.enum(AREA_REF_LEVELS) }).meta({ id: "AreaRef" });

/** `GET /api/v1/counts`: recorded incidents for an area from the roll-up. */
export const CountsSchema = z
  .object({
    area: AreaRefSchema,
    from: z.string().nullable(),
    to: z.string().nullable(),
    total: z.number().int(),
    byType: z.record(z.string(), z.number().int()),
    byMonth: z.record(z.string(), z.number().int()),
    missingMonths: z.array(z.string()).describe("months with no file from the principal force: unknown, not zero"),
    principalForce: z.string().nullable(),
    otherForces: OtherForcesSchema,
    notes: z.array(z.string()),
  })
  .meta({ id: "Counts" });
