import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * Deprivation without the crime domain (issue 13 item 6, decision 0023). The IMD contains a Crime
 * domain, so ranking priority areas on crime rate and the published IMD counts crime twice.
 * `imd` gains the published national domain ranks (1 = most deprived; null where the edition's
 * file has none, e.g. IoD 2015) and the IMD rebuilt from the six other domains at install time
 * (core `deprivationWithoutCrime`): `score_ex_crime`, its national `rank_ex_crime` and
 * `decile_ex_crime` (1 = most deprived 10% of England). These three are computed only when the
 * installed file is the whole national ranking; a subset (the test fixture) leaves them null and
 * the priority areas fall back to the published IMD with a note. Stores migrated from before have
 * them null until `safecity reference install` runs again.
 */
const RANKS = ["income_rank", "employment_rank", "education_rank", "health_rank", "crime_rank", "barriers_rank", "environment_rank"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const real = (isPostgres(db) ? "double precision" : "real") as "real";
  for (const c of RANKS) await db.schema.alterTable("imd").addColumn(c, "integer").execute();
  await db.schema.alterTable("imd").addColumn("score_ex_crime", real).execute();
  await db.schema.alterTable("imd").addColumn("rank_ex_crime", "integer").execute();
  await db.schema.alterTable("imd").addColumn("decile_ex_crime", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const c of ["decile_ex_crime", "rank_ex_crime", "score_ex_crime", ...RANKS.slice().reverse()]) await db.schema.alterTable("imd").dropColumn(c).execute();
}
