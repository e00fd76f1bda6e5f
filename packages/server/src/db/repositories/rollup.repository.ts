import { type SelectQueryBuilder, sql } from "kysely";
import type { Store } from "../database.ts";
import type { Database } from "../schema.ts";
import type { AreaScope } from "./area.repository.ts";

export interface MonthTypeCount {
  month: string;
  crimeTypeId: number;
  n: number;
}

export interface RollupFilter {
  from?: string;
  to?: string;
  crimeTypeIds?: readonly number[];
  /** Leave out rows from these forces' files ("" = files with no force): the cross-force rule (decision 0022). */
  excludeForces?: readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: the builder's selection type varies by caller
type RollupQuery = SelectQueryBuilder<Database & { r: Database["rollup"]; g: Database["lsoa_geo"] }, "r" | "g", any>;

function scoped(store: Store, scope: AreaScope, filter: RollupFilter): RollupQuery {
  let q = store.db.selectFrom("rollup as r").innerJoin("lsoa_geo as g", "g.lsoa_code", "r.lsoa_code") as unknown as RollupQuery;
  if ("lsoaCodes" in scope) q = q.where("r.lsoa_code", "in", scope.lsoaCodes.length ? [...scope.lsoaCodes] : [""]);
  else q = q.where(`g.${scope.column}`, "=", scope.value);
  if (filter.from) q = q.where("r.month", ">=", filter.from);
  if (filter.to) q = q.where("r.month", "<=", filter.to);
  if (filter.crimeTypeIds) q = q.where("r.crime_type_id", "in", filter.crimeTypeIds.length ? [...filter.crimeTypeIds] : [-1]);
  if (filter.excludeForces?.length) {
    const excluded = [...filter.excludeForces];
    q = q.where("r.import_id", "not in", (eb) => eb.selectFrom("import_file").select("id").where(sql<string>`coalesce(force_slug, '')`, "in", excluded));
  }
  return q;
}

/** Counts by month and crime type for an area, straight from the roll-up (never from incidents). */
export async function countsByMonthAndType(store: Store, scope: AreaScope, filter: RollupFilter = {}): Promise<MonthTypeCount[]> {
  const rows = await scoped(store, scope, filter)
    .select(["r.month as month", "r.crime_type_id as crime_type_id", sql<number>`sum(r.n)`.as("n")])
    .groupBy(["r.month", "r.crime_type_id"])
    .orderBy("r.month")
    .orderBy("r.crime_type_id")
    .execute();
  return rows.map((r) => ({ month: r.month as string, crimeTypeId: Number(r.crime_type_id), n: Number(r.n) }));
}

/** Counts by LSOA (and crime type) for an area over a period: for maps, concentration and priority areas. */
export async function countsByLsoa(store: Store, scope: AreaScope, filter: RollupFilter = {}): Promise<{ lsoaCode: string; crimeTypeId: number; n: number }[]> {
  const rows = await scoped(store, scope, filter)
    .select(["r.lsoa_code as lsoa_code", "r.crime_type_id as crime_type_id", sql<number>`sum(r.n)`.as("n")])
    .groupBy(["r.lsoa_code", "r.crime_type_id"])
    .orderBy("r.lsoa_code")
    .orderBy("r.crime_type_id")
    .execute();
  return rows.map((r) => ({ lsoaCode: r.lsoa_code as string, crimeTypeId: Number(r.crime_type_id), n: Number(r.n) }));
}

/** Rows in the area (all time, or in the months of `filter`) by the force whose file they came from ("" = no force), largest first. */
export async function rowsByForce(store: Store, scope: AreaScope, filter: Pick<RollupFilter, "from" | "to"> = {}): Promise<{ force: string; n: number }[]> {
  const rows = await scoped(store, scope, filter)
    .innerJoin("import_file as i", "i.id", "r.import_id")
    .select(["i.force_slug as force", sql<number>`sum(r.n)`.as("n")])
    .groupBy("i.force_slug")
    .execute();
  return rows.map((r) => ({ force: (r.force as string | null) ?? "", n: Number(r.n) })).sort((a, b) => b.n - a.n || a.force.localeCompare(b.force));
}

/** The latest month of any imported street file, or null before the first import. */
export async function latestImportedMonth(store: Store): Promise<string | null> {
  const row = await store.db
    .selectFrom("import_file")
    .select((eb) => eb.fn.max("month").as("latest"))
    .where("status", "=", "imported")
    .where("month", "is not", null)
    .executeTakeFirst();
  return (row?.latest as string | null | undefined) ?? null;
}

/** Months for which a force has an imported street file. */
export async function importedMonths(store: Store, force: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom("import_file")
    .select("month")
    .distinct()
    .where("force_slug", "=", force)
    .where("status", "=", "imported")
    .where("month", "is not", null)
    .orderBy("month")
    .execute();
  return rows.map((r) => r.month!);
}

/** Names of the police force areas (reference data) the area's LSOAs lie in; empty without reference data. */
export async function policeForceAreasOf(store: Store, scope: AreaScope): Promise<string[]> {
  let q = store.db
    .selectFrom("lsoa_geo as g")
    .innerJoin("area as a", "a.code", "g.pfa_code")
    .select("a.name")
    .distinct()
    .where("g.pfa_code", "is not", null);
  if ("lsoaCodes" in scope) q = q.where("g.lsoa_code", "in", scope.lsoaCodes.length ? [...scope.lsoaCodes] : [""]);
  else q = q.where(sql.ref(`g.${scope.column}`), "=", scope.value);
  const rows = await q.orderBy("a.name").execute();
  return rows.map((r) => r.name);
}
