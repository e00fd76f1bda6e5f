import type { Store } from "../database.ts";
import type { AreaScope } from "./area.repository.ts";
import { inAreaLsoas } from "./area-scope.repository.ts";

export interface LsoaOfArea {
  code: string;
  name: string;
  vintage: string | null;
}

export interface LsoaDeprivation {
  lsoaCode: string;
  decile: number | null;
  rank: number | null;
  score: number | null;
  /** The IMD without its crime domain (migration 0014, decision 0023): null unless installed from the national file. */
  scoreExCrime: number | null;
  rankExCrime: number | null;
  decileExCrime: number | null;
}

/** The LSOAs of an area (one vintage, e.g. "2021", or every code when null), by code. */
export async function lsoasOfArea(store: Store, scope: AreaScope, vintage: string | null): Promise<LsoaOfArea[]> {
  let q = store.db.selectFrom("lsoa_geo").select(["lsoa_code", "lsoa_name", "vintage"]).where(inAreaLsoas("lsoa_code", scope));
  if (vintage !== null) q = q.where("vintage", "=", vintage);
  const rows = await q.orderBy("lsoa_code").execute();
  return rows.map((r) => ({ code: r.lsoa_code, name: r.lsoa_name, vintage: r.vintage }));
}

/** IMD of an edition ("2025") for the LSOAs of an area, by code: published, and without its crime domain where installed. */
export async function imdByLsoa(store: Store, scope: AreaScope, edition: string): Promise<Map<string, LsoaDeprivation>> {
  const rows = await store.db
    .selectFrom("imd")
    .select(["lsoa_code", "decile", "rank", "score", "score_ex_crime", "rank_ex_crime", "decile_ex_crime"])
    .where("edition", "=", edition)
    .where(inAreaLsoas("lsoa_code", scope))
    .orderBy("lsoa_code")
    .execute();
  return new Map(
    rows.map((r) => [
      r.lsoa_code,
      {
        lsoaCode: r.lsoa_code,
        decile: r.decile === null ? null : Number(r.decile),
        rank: r.rank === null ? null : Number(r.rank),
        score: r.score === null ? null : Number(r.score),
        scoreExCrime: r.score_ex_crime === null ? null : Number(r.score_ex_crime),
        rankExCrime: r.rank_ex_crime === null ? null : Number(r.rank_ex_crime),
        decileExCrime: r.decile_ex_crime === null ? null : Number(r.decile_ex_crime),
      },
    ]),
  );
}
