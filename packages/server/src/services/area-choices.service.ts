import type { AreaLevel } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { listAreaNames } from "../db/repositories/area.repository.ts";

export interface AreaChoice {
  /** What the area field takes: `csp:Southampton`. */
  value: string;
  name: string;
  level: AreaLevel;
  /** A local authority known only from police.uk LSOA names (no reference data installed). */
  derived: boolean;
}

/**
 * Areas offered by the area picker: every CSP and local authority (reference data and police LSOA
 * names), sorted by name, level-qualified so each resolves to one area. Wards are typed
 * (`ward:Bevois`): there are thousands.
 */
export async function areaChoices(store: Store): Promise<AreaChoice[]> {
  const seen = new Set<string>();
  const out: AreaChoice[] = [];
  for (const level of ["csp", "lad"] as const) {
    for (const a of await listAreaNames(store, level)) {
      const value = `${level}:${a.name}`;
      if (seen.has(value.toLowerCase())) continue;
      seen.add(value.toLowerCase());
      out.push({ value, name: a.name, level, derived: a.derived === true });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, "en-GB") || a.level.localeCompare(b.level));
}
