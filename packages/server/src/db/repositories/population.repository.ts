import { sql } from "kysely";
import type { Store } from "../database.ts";
import type { AreaScope } from "./area.repository.ts";
import { inAreaLsoas } from "./area-scope.repository.ts";

export interface PopulationFigure {
  year: number;
  persons: number;
  source: string;
}

/** Population rows stored for an area code (LAD, CSP, PFA, LSOA), by year ascending. */
export async function populationOfArea(store: Store, areaCode: string): Promise<PopulationFigure[]> {
  const rows = await store.db.selectFrom("population").select(["year", "persons", "source"]).where("area_code", "=", areaCode).orderBy("year").execute();
  return rows.map((r) => ({ year: Number(r.year), persons: Number(r.persons), source: r.source }));
}

/** Populations of several areas for one year: code -> persons (absent when not stored). */
export async function populationOfAreas(store: Store, areaCodes: readonly string[], year: number): Promise<Map<string, number>> {
  if (areaCodes.length === 0) return new Map();
  const rows = await store.db
    .selectFrom("population")
    .select(["area_code", "persons"])
    .where("area_code", "in", [...areaCodes])
    .where("year", "=", year)
    .execute();
  return new Map(rows.map((r) => [r.area_code, Number(r.persons)]));
}

/** Every year stored for several areas: code -> year -> persons. */
export async function populationYearsOfAreas(store: Store, areaCodes: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (areaCodes.length === 0) return out;
  const rows = await store.db
    .selectFrom("population")
    .select(["area_code", "year", "persons"])
    .where("area_code", "in", [...areaCodes])
    .orderBy("area_code")
    .orderBy("year")
    .execute();
  for (const r of rows) {
    const m = out.get(r.area_code) ?? {};
    m[String(r.year)] = Number(r.persons);
    out.set(r.area_code, m);
  }
  return out;
}

/** Population of each LSOA of an area for one year (Census 2021 LSOA 2021 rows are year 2021). */
export async function lsoaPopulations(store: Store, scope: AreaScope, year: number): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom("population")
    .select(["area_code", "persons"])
    .where("year", "=", year)
    .where(inAreaLsoas("area_code", scope))
    .execute();
  return new Map(rows.map((r) => [r.area_code, Number(r.persons)]));
}

/** Sum of the populations of an area's LSOAs for one year, and how many LSOAs had one. */
export async function sumLsoaPopulation(store: Store, scope: AreaScope, year: number): Promise<{ persons: number; lsoas: number }> {
  const row = await store.db
    .selectFrom("population")
    .select([sql<number>`coalesce(sum(persons), 0)`.as("persons"), sql<number>`count(*)`.as("n")])
    .where("year", "=", year)
    .where(inAreaLsoas("area_code", scope))
    .executeTakeFirstOrThrow();
  return { persons: Number(row.persons), lsoas: Number(row.n) };
}
