import type { Store } from "../database.ts";

/**
 * 2011 LSOA codes that changed in 2021 (split, merged or irregular), each with its 2021 successors.
 * Empty until reference data is installed.
 */
export async function loadChangedLsoa11(store: Store): Promise<Map<string, string[]>> {
  const rows = await store.db
    .selectFrom("lsoa_map_11_21")
    .select(["lsoa11_code", "lsoa21_code"])
    .where("change_code", "<>", "U")
    .orderBy("lsoa11_code")
    .orderBy("lsoa21_code")
    .execute();
  const map = new Map<string, string[]>();
  for (const r of rows) {
    const list = map.get(r.lsoa11_code);
    if (list) list.push(r.lsoa21_code);
    else map.set(r.lsoa11_code, [r.lsoa21_code]);
  }
  return map;
}

/** Every LSOA code with a row in lsoa_geo (from police data or reference lookups). */
export async function loadKnownLsoaCodes(store: Store): Promise<Set<string>> {
  const rows = await store.db.selectFrom("lsoa_geo").select("lsoa_code").execute();
  return new Set(rows.map((r) => r.lsoa_code));
}

/** LSOA codes from the installed reference data only (not those derived from police.uk names). */
export async function loadReferenceLsoaCodes(store: Store): Promise<Set<string>> {
  const rows = await store.db.selectFrom("lsoa_geo").select("lsoa_code").where("source", "=", "reference").execute();
  return new Set(rows.map((r) => r.lsoa_code));
}
