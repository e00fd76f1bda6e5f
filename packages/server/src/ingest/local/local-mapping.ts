import fs from "node:fs";
import path from "node:path";
import { AppError, CRIME_TYPES, type CrimeType, LOCAL_FLAGS, type LocalFlag } from "@safecity/core";
import { z } from "zod";

/**
 * The column mapping of a partner extract (`safecity incidents import <file> --mapping <json>`):
 * which column holds what, how dates are written, and how the extract's offence codes or local
 * categories map to police.uk crime types. Columns not named here are never read, let alone stored.
 *
 * ```json
 * {
 *   "date": { "column": "Occurred", "format": "DD/MM/YYYY" },
 *   "time": { "column": "Time" },
 *   "offence": { "column": "HO code", "map": { "8/1": "Violence and sexual offences", "28/3": "Burglary" } },
 *   "location": { "easting": "Easting", "northing": "Northing", "lsoa": "LSOA" },
 *   "victim": { "column": "Victim ref" },
 *   "place": { "column": "Address ref" },
 *   "flags": { "domestic": { "column": "DA" }, "alcohol": { "column": "Alcohol", "yes": ["Y"], "no": ["N", ""] } }
 * }
 * ```
 */

const DATE_FORMATS = ["YYYY-MM-DD", "DD/MM/YYYY", "YYYY-MM-DD HH:MM", "DD/MM/YYYY HH:MM"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const column = z.string().trim().min(1, "a column name");
const flagSpec = z.strictObject({
  column,
  /** Values meaning yes (case-insensitive); default Y, YES, 1, TRUE. */
  yes: z.array(z.string()).min(1).optional(),
  /** Values meaning no; default N, NO, 0, FALSE and empty. Anything else is a bad row. */
  no: z.array(z.string()).optional(),
});

const crimeTypeName = z.string().transform((v, ctx) => {
  const found = CRIME_TYPES.find((t) => t.toLowerCase() === v.trim().toLowerCase());
  if (!found) {
    ctx.addIssue({ code: "custom", message: `\`${v}\` is not a police.uk crime type (one of: ${CRIME_TYPES.join(", ")})` });
    return z.NEVER;
  }
  return found;
});

export const localMappingSchema = z.strictObject({
  date: z.strictObject({ column, format: z.enum(DATE_FORMATS) }),
  time: z.strictObject({ column }).optional(),
  offence: z.strictObject({
    column,
    /** Extract value (Home Office code such as 8/1, or a local category) -> police.uk crime type. */
    map: z.record(z.string(), crimeTypeName).refine((m) => Object.keys(m).length > 0, "at least one offence code or category"),
  }),
  location: z
    .strictObject({ latitude: column.optional(), longitude: column.optional(), easting: column.optional(), northing: column.optional(), lsoa: column.optional() })
    .refine((l) => (l.latitude === undefined) === (l.longitude === undefined), "latitude and longitude go together")
    .refine((l) => (l.easting === undefined) === (l.northing === undefined), "easting and northing go together")
    .refine((l) => !(l.latitude && l.easting), "give latitude/longitude or easting/northing, not both")
    .refine((l) => l.latitude || l.easting || l.lsoa, "at least one of latitude/longitude, easting/northing or lsoa"),
  victim: z.strictObject({ column }).optional(),
  place: z.strictObject({ column }).optional(),
  flags: z.strictObject(Object.fromEntries(LOCAL_FLAGS.map((f) => [f, flagSpec.optional()])) as Record<LocalFlag, z.ZodOptional<typeof flagSpec>>).optional(),
});

export type LocalMapping = z.infer<typeof localMappingSchema>;

/** Bit of each flag in `local_incident.flags`. */
export const FLAG_BITS: Readonly<Record<LocalFlag, number>> = { domestic: 1, alcohol: 2, "night-time-economy": 4, hate: 8, vulnerable: 16 };

export function flagsOfBits(bits: number): LocalFlag[] {
  return LOCAL_FLAGS.filter((f) => (bits & FLAG_BITS[f]) !== 0);
}

/** The offence map with case-insensitive, trimmed keys. */
export function offenceLookup(mapping: LocalMapping): Map<string, CrimeType> {
  const m = new Map<string, CrimeType>();
  for (const [k, v] of Object.entries(mapping.offence.map)) m.set(k.trim().toLowerCase(), v as CrimeType);
  return m;
}

/** Reads and checks a mapping file: every problem as `file (field): message`, input.invalid. */
export async function readLocalMapping(file: string): Promise<LocalMapping> {
  const label = path.basename(file);
  let text: string;
  try {
    text = await fs.promises.readFile(file, "utf8");
  } catch (e) {
    throw new AppError("input.invalid", `cannot read the mapping file ${label} (${(e as NodeJS.ErrnoException).code ?? "error"})`, { hint: "check the --mapping path" });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError("input.invalid", `the mapping file ${label} is not JSON: ${(e as Error).message}`, { hint: "see docs/decisions/0018-local-incidents-and-pseudonymisation.md for its form" });
  }
  const parsed = localMappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("input.invalid", `the mapping file ${label} is not a valid column mapping`, {
      problems: parsed.error.issues.map((i) => ({ file: label, field: i.path.join(".") || undefined, message: i.message })),
      hint: "fix the listed fields (docs/decisions/0018-local-incidents-and-pseudonymisation.md shows a mapping)",
    });
  }
  return parsed.data;
}
