import { z } from "zod";

/** Every `/api/v1` error: `{ "error": { code, message, hint?, problems? } }` (codes from AppErrorCode). */
export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe("stable error code, e.g. `auth.required`, `input.invalid`, `area.not_found`"),
      message: z.string(),
      hint: z.string().optional(),
      problems: z
        .array(z.object({ file: z.string(), line: z.number().int().optional(), field: z.string().optional(), message: z.string() }))
        .optional(),
    }),
  })
  .meta({ id: "ApiError" });

/** `YYYY-MM`. */
/**
 * Longest accepted `area` query (a code, a name or `level:name`; the longest area name in England
 * and Wales is under 90 characters). Every free-text query parameter has a cap, so no request can
 * make the server work on a 15,000-character string.
 */
export const AREA_QUERY_MAX_LENGTH = 200;
/** Longest accepted short text query parameter (a crime group or type, a grid). */
export const TEXT_QUERY_MAX_LENGTH = 100;

export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM");

/** A positive integer id in a path (`/imports/12`). */
export const IdParamSchema = z.object({ id: z.coerce.number().int().positive().describe("register id") });
