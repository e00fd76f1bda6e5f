import { z } from "zod";
import { ORGANISATION_KINDS, ROLES } from "../domain/account.ts";

/** `GET /api/v1/status`: what is loaded (cheap queries only). */
export const StatusSchema = z
  .object({
    areasByLevel: z.array(z.object({ level: z.string(), count: z.number().int() })),
    incidentRows: z.number().int().describe("rows stored by files whose import finished"),
    months: z.object({ first: z.string().nullable(), last: z.string().nullable(), count: z.number().int() }),
    forces: z.array(z.object({ slug: z.string(), name: z.string().nullable() })),
    recentImports: z.array(
      z.object({
        fileName: z.string(),
        forceSlug: z.string().nullable(),
        month: z.string().nullable(),
        status: z.string(),
        rows: z.number().int(),
        rejectedRows: z.number().int(),
        finishedAt: z.string().nullable(),
        importedBy: z.string(),
      }),
    ),
    referenceDatasets: z.array(z.object({ name: z.string(), fileName: z.string(), rows: z.number().int(), installedAt: z.string() })),
  })
  .meta({ id: "Status" });

/** `GET /api/v1/me`: the signed-in user (or the API token's owner). */
export const MeSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    organisation: z.object({ id: z.number().int(), name: z.string(), kind: z.enum(ORGANISATION_KINDS) }).nullable(),
    createdAt: z.string(),
    disabled: z.boolean(),
  })
  .meta({ id: "Me" });
