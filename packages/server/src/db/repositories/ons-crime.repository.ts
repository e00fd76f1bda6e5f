import type { Store } from "../database.ts";

export interface OnsCrimeValue {
  areaCode: string;
  areaName: string;
  offence: string;
  value: number | null;
  marker: string | null;
}

/** Values of one ONS table (e.g. "C2", "C4") and year ending ("2024-12") for some areas (CSP codes). */
export async function onsCrimeValues(store: Store, table: string, yearEnding: string, areaCodes: readonly string[]): Promise<OnsCrimeValue[]> {
  if (areaCodes.length === 0) return [];
  const rows = await store.db
    .selectFrom("ons_crime")
    .select(["area_code", "area_name", "offence", "value", "marker"])
    .where("table_name", "=", table)
    .where("year_ending", "=", yearEnding)
    .where("area_code", "in", [...areaCodes])
    .orderBy("area_code")
    .orderBy("offence")
    .execute();
  return rows.map((r) => ({
    areaCode: r.area_code,
    areaName: r.area_name,
    offence: r.offence,
    value: r.value === null ? null : Number(r.value),
    marker: r.marker,
  }));
}
