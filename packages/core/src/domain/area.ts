/** The area hierarchy: LSOA -> ward -> local authority -> Community Safety Partnership -> police force area. */
export const AREA_LEVELS = ["lsoa", "ward", "lad", "csp", "pfa"] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export const AREA_LEVEL_NAMES: Readonly<Record<AreaLevel, string>> = {
  lsoa: "Lower layer Super Output Area",
  ward: "electoral ward",
  lad: "local authority",
  csp: "Community Safety Partnership",
  pfa: "police force area",
};

/** What an area reference can be: a named area at one level, or `custom`, a list of LSOAs given by the user. */
export const AREA_REF_LEVELS = [...AREA_LEVELS, "custom"] as const;

export interface AreaRef {
  code: string | null;
  name: string;
  level: (typeof AREA_REF_LEVELS)[number];
}

export function isAreaLevel(s: string): s is AreaLevel {
  return (AREA_LEVELS as readonly string[]).includes(s);
}

const LSOA_NAME_RE = /^(.+) (\d{3}[A-Z])$/;

/**
 * police.uk LSOA names are "<local authority name> <3 digits><letter>" ("Southampton 001A"):
 * the local authority name is the prefix. Returns undefined when the name has another shape.
 */
export function localAuthorityFromLsoaName(lsoaName: string): string | undefined {
  const m = LSOA_NAME_RE.exec(lsoaName.trim());
  return m ? m[1] : undefined;
}

/** ONS codes: E01/W01 LSOAs, E05/W05 wards, E06-E09/W06 local authorities, E22/W22 CSPs, E23/W15 PFAs. */
export function levelFromCode(code: string): AreaLevel | undefined {
  const prefix = code.slice(0, 3);
  if (prefix === "E01" || prefix === "W01") return "lsoa";
  if (prefix === "E05" || prefix === "W05") return "ward";
  if (["E06", "E07", "E08", "E09", "W06"].includes(prefix)) return "lad";
  if (prefix === "E22" || prefix === "W22") return "csp";
  if (prefix === "E23" || prefix === "W15") return "pfa";
  return undefined;
}

/** Parses `--area` input: `E06000045`, `Southampton`, `lad:Southampton`, `csp:North Hampshire`. */
export function parseAreaQuery(input: string): { level?: AreaLevel; text: string } {
  const m = /^([a-z0-9]+):(.+)$/i.exec(input.trim());
  if (m && isAreaLevel(m[1]!.toLowerCase())) return { level: m[1]!.toLowerCase() as AreaLevel, text: m[2]!.trim() };
  return { text: input.trim() };
}
