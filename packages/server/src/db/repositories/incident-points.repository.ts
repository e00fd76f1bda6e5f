import { sql } from "kysely";
import type { Store } from "../database.ts";
import type { AreaScope } from "./area.repository.ts";
import { inAreaLsoas } from "./area-scope.repository.ts";

/** A police.uk incident as the hotspot analytics take it. */
export interface IncidentPoint {
  lon: number | null;
  lat: number | null;
  month: string;
  crimeTypeId: number;
  lsoaCode: string;
}

export interface ContributingImport {
  id: number;
  fileName: string;
  force: string | null;
  month: string | null;
  sha256: string;
  rows: number;
  firstIncidentId: number | null;
  lastIncidentId: number | null;
}

export interface PointFilter {
  from: string;
  to: string;
  crimeTypeIds?: readonly number[];
  /** Leave out the imports of these forces ("" = files with no force): the cross-force rule (decision 0022). */
  excludeForces?: readonly string[];
}

/**
 * The imports that contributed roll-up rows to an area in a period (found from the roll-up, never the
 * incident table), less those of `excludeForces` ("" = files with no force; decision 0022).
 */
export async function contributingImports(store: Store, scope: AreaScope, from: string, to: string, excludeForces: readonly string[] = []): Promise<ContributingImport[]> {
  const ids = store.db
    .selectFrom("rollup as r")
    .select("r.import_id")
    .distinct()
    .where(inAreaLsoas("r.lsoa_code", scope))
    .where("r.month", ">=", from)
    .where("r.month", "<=", to);
  const rows = await store.db
    .selectFrom("import_file")
    .select(["id", "file_name", "force_slug", "month", "sha256", "rows", "first_incident_id", "last_incident_id"])
    .where("id", "in", ids)
    .where("status", "=", "imported")
    .orderBy("id")
    .execute();
  const excluded = new Set(excludeForces);
  return rows.filter((r) => !excluded.has(r.force_slug ?? "")).map((r) => ({
    id: Number(r.id),
    fileName: r.file_name,
    force: r.force_slug,
    month: r.month,
    sha256: r.sha256,
    rows: Number(r.rows),
    firstIncidentId: r.first_incident_id === null ? null : Number(r.first_incident_id),
    lastIncidentId: r.last_incident_id === null ? null : Number(r.last_incident_id),
  }));
}

/**
 * Incidents of an area and period with their location, month, type and LSOA, read without scanning
 * the incident table: only the rows of the imports that contributed to the area (SQLite: each
 * import's rowid range; PostgreSQL: `import_id = any(...)` through the BRIN index), filtered to the
 * area's LSOAs and the months. Ordered by import then row, the order of the source files.
 */
export async function incidentPoints(store: Store, scope: AreaScope, filter: PointFilter, imports?: readonly ContributingImport[]): Promise<IncidentPoint[]> {
  const excluded = new Set(filter.excludeForces ?? []);
  const list = (imports ?? (await contributingImports(store, scope, filter.from, filter.to))).filter((i) => !excluded.has(i.force ?? ""));
  const out: IncidentPoint[] = [];
  if (list.length === 0) return out;
  const types = filter.crimeTypeIds;
  if (types && types.length === 0) return out;
  if (store.dialect === "sqlite") {
    for (const imp of list) {
      if (imp.firstIncidentId === null || imp.lastIncidentId === null) continue;
      let q = store.db
        .selectFrom("incident")
        .select(["longitude", "latitude", "month", "crime_type_id", "lsoa_code"])
        .where("id", ">=", imp.firstIncidentId)
        .where("id", "<=", imp.lastIncidentId)
        .where("month", ">=", monthKey(filter.from))
        .where("month", "<=", monthKey(filter.to))
        .where(inAreaLsoas("lsoa_code", scope));
      if (types) q = q.where("crime_type_id", "in", [...types]);
      const rows = await q.orderBy("id").execute();
      for (const r of rows) out.push({ lon: r.longitude, lat: r.latitude, month: monthText(r.month), crimeTypeId: Number(r.crime_type_id), lsoaCode: r.lsoa_code });
    }
    return out;
  }
  let q = store.db
    .selectFrom("incident")
    .select(["longitude", "latitude", "month", "crime_type_id", "lsoa_code"])
    .where(sql<boolean>`import_id = any(${list.map((i) => i.id)}::int[])`)
    .where("month", ">=", monthKey(filter.from))
    .where("month", "<=", monthKey(filter.to))
    .where(inAreaLsoas("lsoa_code", scope));
  if (types) q = q.where("crime_type_id", "in", [...types]);
  const rows = await q.orderBy("import_id").orderBy("id").execute();
  for (const r of rows) out.push({ lon: r.longitude, lat: r.latitude, month: monthText(r.month), crimeTypeId: Number(r.crime_type_id), lsoaCode: r.lsoa_code });
  return out;
}

/** Incident months are stored as the integer YYYYMM (migration 0001): `2025-01` <-> 202501. */
function monthKey(month: string): number {
  return Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
}

function monthText(key: number): string {
  const m = Number(key) % 100;
  return `${Math.floor(Number(key) / 100)}-${m < 10 ? "0" : ""}${m}`;
}
