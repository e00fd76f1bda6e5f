import { sql } from "kysely";
import type { Store } from "../database.ts";

/** lsoa_geo columns that group LSOAs into peer areas. */
export type PeerColumn = "lad_code" | "csp_code";

export interface AreaTypeCount {
  code: string;
  crimeTypeId: number;
  n: number;
}

/** Roll-up counts by area (LAD or CSP) and crime type over some months, for several areas at once. */
export async function countsByAreaAndType(store: Store, column: PeerColumn, codes: readonly string[], months: readonly string[]): Promise<AreaTypeCount[]> {
  if (codes.length === 0 || months.length === 0) return [];
  const rows = await store.db
    .selectFrom("rollup as r")
    .innerJoin("lsoa_geo as g", "g.lsoa_code", "r.lsoa_code")
    .select([sql.ref<string>(`g.${column}`).as("code"), "r.crime_type_id", sql<number>`sum(r.n)`.as("n")])
    .where(sql.ref(`g.${column}`), "in", [...codes])
    .where("r.month", "in", [...months])
    .groupBy([sql.ref(`g.${column}`), "r.crime_type_id"])
    .execute();
  return rows
    .map((r) => ({ code: r.code, crimeTypeId: Number(r.crime_type_id), n: Number(r.n) }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.crimeTypeId - b.crimeTypeId));
}

/** Roll-up rows by area and the force whose files they came from (all time), to find each area's principal force. */
export async function forceRowsByArea(store: Store, column: PeerColumn, codes: readonly string[]): Promise<{ code: string; force: string; n: number }[]> {
  if (codes.length === 0) return [];
  const rows = await store.db
    .selectFrom("rollup as r")
    .innerJoin("lsoa_geo as g", "g.lsoa_code", "r.lsoa_code")
    .innerJoin("import_file as i", "i.id", "r.import_id")
    .select([sql.ref<string>(`g.${column}`).as("code"), "i.force_slug", sql<number>`sum(r.n)`.as("n")])
    .where(sql.ref(`g.${column}`), "in", [...codes])
    .groupBy([sql.ref(`g.${column}`), "i.force_slug"])
    .execute();
  return rows
    .map((r) => ({ code: r.code, force: r.force_slug ?? "", n: Number(r.n) }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : b.n - a.n || a.force.localeCompare(b.force)));
}

/** Months with an imported street file, per force. */
export async function importedMonthsByForce(store: Store, forces: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (forces.length === 0) return out;
  const rows = await store.db
    .selectFrom("import_file")
    .select(["force_slug", "month"])
    .distinct()
    .where("force_slug", "in", [...forces])
    .where("status", "=", "imported")
    .where("month", "is not", null)
    .orderBy("force_slug")
    .orderBy("month")
    .execute();
  for (const r of rows) out.set(r.force_slug!, [...(out.get(r.force_slug!) ?? []), r.month!]);
  return out;
}

/** Roll-up counts by area, the force whose files they came from ("" = no force) and crime type, over some months: each peer's own cross-force rule (decision 0022). */
export async function countsByAreaForceAndType(store: Store, column: PeerColumn, codes: readonly string[], months: readonly string[]): Promise<(AreaTypeCount & { force: string })[]> {
  if (codes.length === 0 || months.length === 0) return [];
  const rows = await store.db
    .selectFrom("rollup as r")
    .innerJoin("lsoa_geo as g", "g.lsoa_code", "r.lsoa_code")
    .innerJoin("import_file as i", "i.id", "r.import_id")
    .select([sql.ref<string>(`g.${column}`).as("code"), "i.force_slug", "r.crime_type_id", sql<number>`sum(r.n)`.as("n")])
    .where(sql.ref(`g.${column}`), "in", [...codes])
    .where("r.month", "in", [...months])
    .groupBy([sql.ref(`g.${column}`), "i.force_slug", "r.crime_type_id"])
    .execute();
  return rows
    .map((r) => ({ code: r.code, force: r.force_slug ?? "", crimeTypeId: Number(r.crime_type_id), n: Number(r.n) }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.force.localeCompare(b.force) || a.crimeTypeId - b.crimeTypeId));
}

/** Names of the police force areas (reference data) each area's LSOAs lie in. */
export async function policeForceAreasByArea(store: Store, column: PeerColumn, codes: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (codes.length === 0) return out;
  const rows = await store.db
    .selectFrom("lsoa_geo as g")
    .innerJoin("area as a", "a.code", "g.pfa_code")
    .select([sql.ref<string>(`g.${column}`).as("code"), "a.name"])
    .distinct()
    .where(sql.ref(`g.${column}`), "in", [...codes])
    .execute();
  for (const r of rows.sort((x, y) => x.name.localeCompare(y.name))) out.set(r.code, [...(out.get(r.code) ?? []), r.name]);
  return out;
}
