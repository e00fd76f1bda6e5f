import type { Store } from "../database.ts";

/** The wards (code and name, the code when no name is stored) holding any of these LSOAs, in name order. */
export async function wardsOfLsoas(store: Store, lsoaCodes: readonly string[]): Promise<{ code: string; name: string }[]> {
  if (!lsoaCodes.length) return [];
  const rows = await store.db
    .selectFrom("lsoa_geo as g")
    .leftJoin("area as a", "a.code", "g.ward_code")
    .select(["g.ward_code", "a.name"])
    .distinct()
    .where("g.lsoa_code", "in", [...lsoaCodes])
    .where("g.ward_code", "is not", null)
    .execute();
  return rows.map((r) => ({ code: r.ward_code!, name: r.name ?? r.ward_code! })).sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
}
