import { sql } from "kysely";
import type { Store } from "../database.ts";
import type { AreaScope } from "./area.repository.ts";
import { inAreaLsoas } from "./area-scope.repository.ts";
import { type ContributingImport, contributingImports, type PointFilter } from "./incident-points.repository.ts";

/**
 * Located incidents of an area and period counted by point, police.uk location text, LSOA and month:
 * police.uk snaps incidents to a few thousand anonymised map points, so this is far fewer rows than
 * incidents, and a point's rows fall in the same grid cell as its incidents.
 */
export interface IncidentPlaceCount {
  lon: number;
  lat: number;
  /** police.uk `Location`, e.g. `On or near Above Bar Street`. */
  location: string;
  lsoaCode: string;
  month: string;
  n: number;
}

/**
 * The same rows as `incidentPoints` (the contributing imports, the area's LSOAs, the months and
 * types asked for), only those with coordinates, grouped. Ordered so the result does not depend on
 * the store.
 */
export async function incidentPlaceCounts(store: Store, scope: AreaScope, filter: PointFilter, imports?: readonly ContributingImport[]): Promise<IncidentPlaceCount[]> {
  const list = imports ?? (await contributingImports(store, scope, filter.from, filter.to));
  const types = filter.crimeTypeIds;
  if (list.length === 0 || (types && types.length === 0)) return [];
  const byKey = new Map<string, IncidentPlaceCount>();
  const add = (r: { longitude: number | null; latitude: number | null; location: string; lsoa_code: string; month: number; n: number | string | bigint }) => {
    if (r.longitude === null || r.latitude === null) return;
    const month = monthText(r.month);
    const key = `${r.longitude} ${r.latitude} ${r.location} ${r.lsoa_code} ${month}`;
    const e = byKey.get(key);
    if (e) e.n += Number(r.n);
    else byKey.set(key, { lon: Number(r.longitude), lat: Number(r.latitude), location: r.location, lsoaCode: r.lsoa_code, month, n: Number(r.n) });
  };
  const base = () =>
    store.db
      .selectFrom("incident")
      .select(["longitude", "latitude", "location", "lsoa_code", "month", (eb) => eb.fn.countAll<number>().as("n")])
      .where("longitude", "is not", null)
      .where("latitude", "is not", null)
      .where("month", ">=", monthKey(filter.from))
      .where("month", "<=", monthKey(filter.to))
      .where(inAreaLsoas("lsoa_code", scope))
      .groupBy(["longitude", "latitude", "location", "lsoa_code", "month"]);
  if (store.dialect === "sqlite") {
    for (const imp of list) {
      if (imp.firstIncidentId === null || imp.lastIncidentId === null) continue;
      let q = base().where("id", ">=", imp.firstIncidentId).where("id", "<=", imp.lastIncidentId);
      if (types) q = q.where("crime_type_id", "in", [...types]);
      for (const r of await q.execute()) add(r);
    }
  } else {
    let q = base().where(sql<boolean>`import_id = any(${list.map((i) => i.id)}::int[])`);
    if (types) q = q.where("crime_type_id", "in", [...types]);
    for (const r of await q.execute()) add(r);
  }
  return [...byKey.values()].sort(
    (a, b) => a.lon - b.lon || a.lat - b.lat || cmp(a.location, b.location) || cmp(a.lsoaCode, b.lsoaCode) || cmp(a.month, b.month),
  );
}

/** The 2024 ward (code and name, the code when no name is stored) of each of these LSOAs that reference data places in one. */
export async function wardOfLsoa(store: Store, lsoaCodes: readonly string[]): Promise<Map<string, { code: string; name: string }>> {
  const out = new Map<string, { code: string; name: string }>();
  const codes = [...new Set(lsoaCodes)];
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await store.db
      .selectFrom("lsoa_geo as g")
      .leftJoin("area as a", "a.code", "g.ward_code")
      .select(["g.lsoa_code", "g.ward_code", "a.name"])
      .where("g.lsoa_code", "in", codes.slice(i, i + 500))
      .where("g.ward_code", "is not", null)
      .execute();
    for (const r of rows) out.set(r.lsoa_code, { code: r.ward_code!, name: r.name ?? r.ward_code! });
  }
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function monthKey(month: string): number {
  return Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
}

function monthText(key: number): string {
  const m = Number(key) % 100;
  return `${Math.floor(Number(key) / 100)}-${m < 10 ? "0" : ""}${m}`;
}
