import { sql } from "kysely";
import type { AreaLevel } from "@safecity/core";
import type { Store } from "../database.ts";

export interface AreaRecord {
  code: string | null;
  name: string;
  level: AreaLevel;
  parentName: string | null;
  /** Known only from police.uk LSOA names (no reference data installed): no code, no wards. */
  derived?: boolean;
}

/**
 * Whether reference geography is installed (any lsoa_geo row from the ONS lookups). Once it is,
 * the only areas are the reference's: LSOA rows that uploads derived from police.uk names (and the
 * local authorities named after them) are kept out of every lookup, so an upload cannot create an
 * area everyone sees (issue 16).
 */
export async function referenceGeographyInstalled(store: Store): Promise<boolean> {
  const row = await store.db.selectFrom("lsoa_geo").select("lsoa_code").where("source", "=", "reference").limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The lsoa_geo column that selects an area's LSOAs, per level (lad by name when no code is known). */
export type AreaScope =
  | { column: "lsoa_code" | "ward_code" | "lad_code" | "lad_name" | "csp_code" | "pfa_code"; value: string }
  | { lsoaCodes: readonly string[] };

export async function findAreaByCode(store: Store, code: string): Promise<AreaRecord | null> {
  const row = await store.db
    .selectFrom("area as a")
    .leftJoin("area as p", "p.code", "a.parent_code")
    .select(["a.code", "a.name", "a.level", "p.name as parent_name"])
    .where("a.code", "=", code)
    .executeTakeFirst();
  if (row) return { code: row.code, name: row.name, level: row.level as AreaLevel, parentName: row.parent_name };
  let q = store.db.selectFrom("lsoa_geo").select(["lsoa_code", "lsoa_name", "lad_name"]).where("lsoa_code", "=", code);
  if (await referenceGeographyInstalled(store)) q = q.where("source", "=", "reference");
  const lsoa = await q.executeTakeFirst();
  return lsoa ? { code: lsoa.lsoa_code, name: lsoa.lsoa_name, level: "lsoa", parentName: lsoa.lad_name } : null;
}

/** Areas whose name matches exactly (ignoring case), at one level or all. */
export async function findAreasByName(store: Store, name: string, level?: AreaLevel): Promise<AreaRecord[]> {
  let q = store.db
    .selectFrom("area as a")
    .leftJoin("area as p", "p.code", "a.parent_code")
    .select(["a.code", "a.name", "a.level", "p.name as parent_name"])
    .where(sql`lower(a.name)`, "=", name.toLowerCase());
  if (level) q = q.where("a.level", "=", level);
  const rows = await q.orderBy("a.level").orderBy("a.code").execute();
  const found: AreaRecord[] = rows.map((r) => ({ code: r.code, name: r.name, level: r.level as AreaLevel, parentName: r.parent_name }));
  const reference = await referenceGeographyInstalled(store);
  if (!reference && (!level || level === "lad")) {
    // Local authorities known only from police LSOA names (no reference data for them).
    const derived = await store.db
      .selectFrom("lsoa_geo")
      .select("lad_name")
      .distinct()
      .where(sql`lower(lad_name)`, "=", name.toLowerCase())
      .where("lad_code", "is", null)
      .execute();
    for (const d of derived) {
      if (!found.some((f) => f.level === "lad" && f.name.toLowerCase() === d.lad_name.toLowerCase())) {
        found.push({ code: null, name: d.lad_name, level: "lad", parentName: null, derived: true });
      }
    }
  }
  if (!level || level === "lsoa") {
    let lq = store.db
      .selectFrom("lsoa_geo")
      .select(["lsoa_code", "lsoa_name", "lad_name"])
      .where(sql`lower(lsoa_name)`, "=", name.toLowerCase());
    if (reference) lq = lq.where("source", "=", "reference");
    const lsoas = await lq.execute();
    for (const l of lsoas) {
      if (!found.some((f) => f.code === l.lsoa_code)) found.push({ code: l.lsoa_code, name: l.lsoa_name, level: "lsoa", parentName: l.lad_name });
    }
  }
  return found;
}

/**
 * Every area name above LSOA level, for "did you mean" and the area picker; local authority names
 * derived from police.uk LSOA names (marked `derived`) only while no reference data is installed.
 */
export async function listAreaNames(store: Store, level?: AreaLevel): Promise<{ name: string; level: AreaLevel; derived?: boolean }[]> {
  let q = store.db.selectFrom("area").select(["name", "level"]).distinct();
  q = level ? q.where("level", "=", level) : q.where("level", "<>", "lsoa");
  const named: { name: string; level: AreaLevel; derived?: boolean }[] = (await q.execute()).map((r) => ({ name: r.name, level: r.level as AreaLevel }));
  if ((!level || level === "lad") && !(await referenceGeographyInstalled(store))) {
    const derived = await store.db.selectFrom("lsoa_geo").select("lad_name").distinct().where("lad_code", "is", null).execute();
    for (const d of derived) named.push({ name: d.lad_name, level: "lad", derived: true });
  }
  return named;
}

/** Which of these LSOA codes have a row in lsoa_geo. */
export async function findKnownLsoaCodes(store: Store, codes: readonly string[]): Promise<string[]> {
  if (!codes.length) return [];
  let q = store.db.selectFrom("lsoa_geo").select("lsoa_code").where("lsoa_code", "in", [...codes]);
  if (await referenceGeographyInstalled(store)) q = q.where("source", "=", "reference");
  const rows = await q.execute();
  return rows.map((r) => r.lsoa_code);
}
