import { AREA_LEVEL_NAMES, AppError, type AreaRef, closeMatches, levelFromCode, parseAreaQuery } from "@safecity/core";
import type { Store } from "../db/database.ts";
import {
  type AreaRecord,
  type AreaScope,
  findAreaByCode,
  findAreasByName,
  findKnownLsoaCodes,
  listAreaNames,
} from "../db/repositories/area.repository.ts";

export interface ResolvedArea {
  ref: AreaRef;
  scope: AreaScope;
  /** Said when something was chosen for the user, e.g. the local authority among same-named areas. */
  note: string | null;
}

/**
 * Turns `--area` input into an area and the LSOAs it covers: a code (`E06000045`), a name
 * (`Southampton`), or a name qualified by level (`lad:Southampton`, `csp:North Hampshire`,
 * `ward:Bevois`, `pfa:Hampshire`), or a custom area: LSOA codes separated by commas. A name may hold commas
 * (`Bournemouth, Christchurch and Poole`): the text is a list of codes only when one of its comma-separated
 * parts looks like a GSS code (E/W/K and 8 digits). An unqualified name found at several levels means the local
 * authority when one matches; anything else ambiguous or unknown is an error listing close matches.
 */
export async function resolveArea(store: Store, input: string): Promise<ResolvedArea> {
  const { level, text } = parseAreaQuery(input);
  if (!text) throw new AppError("input.invalid", "`--area` is empty", { hint: "give a code (E06000045) or a name (Southampton, csp:North Hampshire)" });
  if (isCodeList(text)) return resolveCustomArea(store, text);
  const codeLevel = /^[EWK]\d{8}$/i.test(text) ? levelFromCode(text.toUpperCase()) : undefined;
  if (codeLevel) {
    const found = await findAreaByCode(store, text.toUpperCase());
    if (!found) {
      throw new AppError("area.not_found", `no area with code ${text.toUpperCase()} is known`, {
        hint: "install reference data (`safecity reference install --from <dir>`) or import police data covering it",
      });
    }
    return { ref: toRef(found), scope: scopeOf(found), note: null };
  }
  const matches = await findAreasByName(store, text, level);
  if (matches.length === 1) return { ref: toRef(matches[0]!), scope: scopeOf(matches[0]!), note: null };
  if (matches.length > 1) {
    const lads = matches.filter((m) => m.level === "lad");
    const levels = new Set(matches.map((m) => m.level));
    if (!level && lads.length === 1 && levels.size > 1) {
      const others = matches.filter((m) => m.level !== "lad").map((m) => `${m.level}:${m.name}`);
      return { ref: toRef(lads[0]!), scope: scopeOf(lads[0]!), note: `"${text}" is also a ${others.join(", ")}; using the local authority` };
    }
    throw new AppError("area.ambiguous", `"${text}" matches ${matches.length} areas: ${matches.map(describe).join("; ")}`, {
      hint: "give the code, or qualify the name with its level (lad:, csp:, ward:, pfa:)",
    });
  }
  const suggestions = closeMatches(text, await listAreaNames(store, level));
  throw new AppError("area.not_found", `no ${level ? `${AREA_LEVEL_NAMES[level]} ` : "area "}called "${text}"`, {
    hint: suggestions.length
      ? `did you mean ${suggestions.map((s) => `${s.level}:${s.name}`).join(", ")}?`
      : "import police data or install reference data first (`safecity reference install`)",
  });
}

/** A list of codes rather than a name with commas: some comma-separated part looks like a GSS code. */
export function isCodeList(text: string): boolean {
  return text.includes(",") && text.split(",").some((part) => /^[EWK]\d{8}$/i.test(part.trim()));
}

/** A custom area: LSOA codes separated by commas (`E01017144,E01017145`), each of them known. */
async function resolveCustomArea(store: Store, text: string): Promise<ResolvedArea> {
  const codes = [...new Set(text.split(",").map((c) => c.trim().toUpperCase()).filter(Boolean))].sort();
  const malformed = codes.filter((c) => levelFromCode(c) !== "lsoa");
  if (malformed.length) {
    throw new AppError("input.invalid", `a custom area is a list of LSOA codes; not LSOA codes: ${malformed.join(", ")}`, {
      hint: "give LSOA codes separated by commas, e.g. E01017144,E01017145",
    });
  }
  const known = new Set(await findKnownLsoaCodes(store, codes));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) {
    throw new AppError("area.not_found", `unknown LSOA code${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, {
      hint: "import police data or install reference data covering them",
    });
  }
  return {
    ref: { code: null, name: `custom area of ${codes.length} LSOA${codes.length > 1 ? "s" : ""}`, level: "custom" },
    scope: { lsoaCodes: codes },
    note: `custom area: ${codes.join(", ")}`,
  };
}

function toRef(a: AreaRecord): AreaRef {
  return { code: a.code, name: a.name, level: a.level };
}

function describe(a: AreaRecord): string {
  return `${a.level}:${a.name}${a.code ? ` (${a.code})` : ""}${a.parentName ? ` in ${a.parentName}` : ""}`;
}

function scopeOf(a: AreaRecord): AreaScope {
  if (a.level === "lad") return a.code ? { column: "lad_code", value: a.code } : { column: "lad_name", value: a.name };
  const column = ({ lsoa: "lsoa_code", ward: "ward_code", csp: "csp_code", pfa: "pfa_code" } as const)[a.level];
  return { column, value: a.code! };
}
