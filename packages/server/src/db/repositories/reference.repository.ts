import { type Kysely, type Transaction, sql } from "kysely";
import type { Store } from "../database.ts";
import type { IodDomain } from "@safecity/core";
import type { Database } from "../schema.ts";

/*
 * All SQL of `safecity reference install`. The service hands over plain objects; this file maps
 * them to rows and writes everything in ONE transaction: the old reference data is removed and
 * the new inserted, so a failure leaves the store as it was and a re-run replaces the data.
 */

export interface ReferenceArea {
  code: string;
  name: string;
  level: string;
  vintage: string | null;
  parentCode: string | null;
}

export interface ReferenceLsoaGeo {
  lsoaCode: string;
  lsoaName: string;
  vintage: string;
  wardCode: string | null;
  ladCode: string | null;
  ladName: string;
  cspCode: string | null;
  pfaCode: string | null;
}

export interface ReferencePayload {
  areas: ReferenceArea[];
  lsoaGeo: ReferenceLsoaGeo[];
  lsoaMap: { lsoa11: string; lsoa21: string; change: string }[];
  population: { areaCode: string; year: number; persons: number; source: string }[];
  imd: {
    lsoaCode: string;
    edition: string;
    decile: number | null;
    rank: number | null;
    score: number | null;
    crimeDecile: number | null;
    /** Published domain ranks and the IMD without its crime domain (migration 0014); absent = null. */
    domainRanks?: Record<IodDomain, number | null>;
    scoreExCrime?: number | null;
    rankExCrime?: number | null;
    decileExCrime?: number | null;
  }[];
  boundaries: { areaCode: string; level: string; geometry: string }[];
  onsCrime: { tableName: string; yearEnding: string; areaCode: string; areaName: string; offence: string; value: number | null; marker: string | null }[];
  indicators: { areaCode: string; indicator: string; value: number; source: string }[];
  /** `demo`: the synthetic city of `safecity demo` (default false). */
  datasets: { name: string; fileName: string; sha256: string; rows: number; demo?: boolean }[];
}

export interface ReferenceWriteResult {
  /** lsoa_geo rows derived from police data (source='police') that reference rows replaced. */
  policeGeoReplaced: number;
}

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters and SQLite's 32,766. */
const CHUNK = 500;

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

export async function writeReferenceData(store: Store, p: ReferencePayload, installedAt: string): Promise<ReferenceWriteResult> {
  return store.db.transaction().execute(async (trx) => {
    // Remove the previous install. Areas of reference levels go; LSOA areas only when the
    // reference supplied them (police-derived LSOA areas, if any, are upserted over below).
    await trx
      .deleteFrom("area")
      .where((eb) => eb.or([eb("level", "in", ["ward", "lad", "csp", "pfa"]), eb("code", "in", eb.selectFrom("lsoa_geo").select("lsoa_code").where("source", "=", "reference"))]))
      .execute();
    await trx.deleteFrom("lsoa_geo").where("source", "=", "reference").execute();
    for (const t of ["lsoa_map_11_21", "population", "imd", "boundary", "ons_crime", "area_indicator", "reference_dataset"] as const) {
      await trx.deleteFrom(t).execute();
    }

    await insertChunks(p.areas, (c) =>
      trx
        .insertInto("area")
        .values(c.map((a) => ({ code: a.code, name: a.name, level: a.level, vintage: a.vintage, parent_code: a.parentCode })))
        .onConflict((oc) => oc.column("code").doUpdateSet((eb) => ({ name: eb.ref("excluded.name"), level: eb.ref("excluded.level"), vintage: eb.ref("excluded.vintage"), parent_code: eb.ref("excluded.parent_code") })))
        .execute(),
    );

    const policeGeoReplaced = await countPoliceGeoIn(trx, p.lsoaGeo.map((g) => g.lsoaCode));
    await insertChunks(p.lsoaGeo, (c) =>
      trx
        .insertInto("lsoa_geo")
        .values(
          c.map((g) => ({
            lsoa_code: g.lsoaCode,
            lsoa_name: g.lsoaName,
            vintage: g.vintage,
            ward_code: g.wardCode,
            lad_code: g.ladCode,
            lad_name: g.ladName,
            csp_code: g.cspCode,
            pfa_code: g.pfaCode,
            source: "reference",
          })),
        )
        .onConflict((oc) =>
          oc.column("lsoa_code").doUpdateSet((eb) => ({
            lsoa_name: eb.ref("excluded.lsoa_name"),
            vintage: eb.ref("excluded.vintage"),
            ward_code: eb.ref("excluded.ward_code"),
            lad_code: eb.ref("excluded.lad_code"),
            lad_name: eb.ref("excluded.lad_name"),
            csp_code: eb.ref("excluded.csp_code"),
            pfa_code: eb.ref("excluded.pfa_code"),
            source: eb.ref("excluded.source"),
          })),
        )
        .execute(),
    );

    await insertChunks(p.lsoaMap, (c) => trx.insertInto("lsoa_map_11_21").values(c.map((m) => ({ lsoa11_code: m.lsoa11, lsoa21_code: m.lsoa21, change_code: m.change }))).execute());
    await insertChunks(p.population, (c) => trx.insertInto("population").values(c.map((r) => ({ area_code: r.areaCode, year: r.year, persons: r.persons, source: r.source }))).execute());
    await insertChunks(p.imd, (c) =>
      trx
        .insertInto("imd")
        .values(
          c.map((r) => ({
            lsoa_code: r.lsoaCode,
            edition: r.edition,
            decile: r.decile,
            rank: r.rank,
            score: r.score,
            crime_decile: r.crimeDecile,
            income_rank: r.domainRanks?.income ?? null,
            employment_rank: r.domainRanks?.employment ?? null,
            education_rank: r.domainRanks?.education ?? null,
            health_rank: r.domainRanks?.health ?? null,
            crime_rank: r.domainRanks?.crime ?? null,
            barriers_rank: r.domainRanks?.barriers ?? null,
            environment_rank: r.domainRanks?.environment ?? null,
            score_ex_crime: r.scoreExCrime ?? null,
            rank_ex_crime: r.rankExCrime ?? null,
            decile_ex_crime: r.decileExCrime ?? null,
          })),
        )
        .execute(),
    );
    // Geometries are large: smaller chunks keep each statement a few MB.
    for (let i = 0; i < p.boundaries.length; i += 50) {
      await trx
        .insertInto("boundary")
        .values(p.boundaries.slice(i, i + 50).map((b) => ({ area_code: b.areaCode, level: b.level, geometry: b.geometry })))
        .execute();
    }
    await insertChunks(p.onsCrime, (c) =>
      trx
        .insertInto("ons_crime")
        .values(c.map((r) => ({ table_name: r.tableName, year_ending: r.yearEnding, area_code: r.areaCode, area_name: r.areaName, offence: r.offence, value: r.value, marker: r.marker })))
        .execute(),
    );
    await insertChunks(p.indicators, (c) => trx.insertInto("area_indicator").values(c.map((r) => ({ area_code: r.areaCode, indicator: r.indicator, value: r.value, source: r.source }))).execute());
    await insertChunks(p.datasets, (c) =>
      trx
        .insertInto("reference_dataset")
        .values(c.map((d) => ({ name: d.name, file_name: d.fileName, sha256: d.sha256, rows: d.rows, installed_at: installedAt, demo: d.demo ? 1 : 0 })))
        .execute(),
    );
    return { policeGeoReplaced };
  });
}

async function countPoliceGeoIn(trx: Transaction<Database>, codes: string[]): Promise<number> {
  const police = await trx.selectFrom("lsoa_geo").select("lsoa_code").where("source", "=", "police").execute();
  if (police.length === 0) return 0;
  const set = new Set(codes);
  return police.filter((r) => set.has(r.lsoa_code)).length;
}

/** Row counts of the reference tables (for reports and tests). */
export async function referenceTableCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ["area", "lsoa_geo", "lsoa_map_11_21", "population", "imd", "boundary", "ons_crime", "area_indicator", "reference_dataset"] as const) {
    const r = await db.selectFrom(t).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** The datasets of the last install. */
export async function listReferenceDatasets(db: Kysely<Database>): Promise<{ name: string; fileName: string; sha256: string; rows: number; installedAt: string }[]> {
  const rows = await db.selectFrom("reference_dataset").selectAll().orderBy("name").execute();
  return rows.map((r) => ({ name: r.name, fileName: r.file_name, sha256: r.sha256, rows: Number(r.rows), installedAt: r.installed_at }));
}
