import type { Store } from "../database.ts";
import type { AreaScope } from "./area.repository.ts";
import { inAreaLsoas } from "./area-scope.repository.ts";

export interface Boundary {
  code: string;
  level: string;
  /** GeoJSON geometry (WGS84). */
  geometry: Record<string, unknown>;
}

/** Installed boundaries of the given area codes (any level). */
export async function boundariesByCode(store: Store, codes: readonly string[]): Promise<Boundary[]> {
  if (!codes.length) return [];
  const rows = await store.db.selectFrom("boundary").select(["area_code", "level", "geometry"]).where("area_code", "in", [...codes]).orderBy("area_code").execute();
  return rows.map((r) => ({ code: r.area_code, level: r.level, geometry: JSON.parse(r.geometry) as Record<string, unknown> }));
}

/** Installed boundaries of an area's LSOAs and of the wards those LSOAs are in. */
export async function boundariesWithinArea(store: Store, scope: AreaScope): Promise<Boundary[]> {
  const rows = await store.db
    .selectFrom("boundary")
    .select(["area_code", "level", "geometry"])
    .where((eb) =>
      eb.or([
        eb.and([eb("level", "=", "lsoa"), inAreaLsoas("area_code", scope)]),
        eb.and([eb("level", "=", "ward"), eb("area_code", "in", eb.selectFrom("lsoa_geo").select("ward_code").where(inAreaLsoas("lsoa_code", scope)).where("ward_code", "is not", null).$narrowType<{ ward_code: string }>())]),
      ]),
    )
    .orderBy("level")
    .orderBy("area_code")
    .execute();
  return rows.map((r) => ({ code: r.area_code, level: r.level, geometry: JSON.parse(r.geometry) as Record<string, unknown> }));
}

/** Names of areas (any level) by code. */
export async function areaNames(store: Store, codes: readonly string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await store.db.selectFrom("area").select(["code", "name"]).where("code", "in", [...codes]).execute();
  const lsoas = await store.db.selectFrom("lsoa_geo").select(["lsoa_code", "lsoa_name"]).where("lsoa_code", "in", [...codes]).execute();
  return new Map([...rows.filter((r) => r.code).map((r) => [r.code!, r.name] as [string, string]), ...lsoas.map((l) => [l.lsoa_code, l.lsoa_name] as [string, string])]);
}
