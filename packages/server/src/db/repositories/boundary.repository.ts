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

/**
 * The study area's outline for clipping hotspot grids: the boundaries of its LSOAs when every LSOA of
 * the area has one (the area is exactly its LSOAs, at full detail), else the area's own boundary
 * (e.g. a local authority's, often generalised); null when neither is installed.
 */
export async function studyAreaBoundaries(store: Store, scope: AreaScope, areaCode: string | null): Promise<{ source: "lsoa" | "area"; geometries: Record<string, unknown>[] } | null> {
  const lsoas = await store.db.selectFrom("lsoa_geo").select((eb) => eb.fn.countAll<number>().as("n")).where(inAreaLsoas("lsoa_code", scope)).executeTakeFirst();
  const rows = await store.db.selectFrom("boundary").select(["geometry"]).where("level", "=", "lsoa").where(inAreaLsoas("area_code", scope)).execute();
  if (rows.length > 0 && rows.length >= Number(lsoas?.n ?? 0)) return { source: "lsoa", geometries: rows.map((r) => JSON.parse(r.geometry) as Record<string, unknown>) };
  if (!areaCode) return null;
  const own = await boundariesByCode(store, [areaCode]);
  return own.length ? { source: "area", geometries: own.map((b) => b.geometry) } : null;
}

/** Names of areas (any level) by code. */
export async function areaNames(store: Store, codes: readonly string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await store.db.selectFrom("area").select(["code", "name"]).where("code", "in", [...codes]).execute();
  const lsoas = await store.db.selectFrom("lsoa_geo").select(["lsoa_code", "lsoa_name"]).where("lsoa_code", "in", [...codes]).execute();
  return new Map([...rows.filter((r) => r.code).map((r) => [r.code!, r.name] as [string, string]), ...lsoas.map((l) => [l.lsoa_code, l.lsoa_name] as [string, string])]);
}

/** The ward of each LSOA of an area (the LSOA -> ward lookup's vintage), with the ward's name where the area table has it. */
export async function lsoaWards(store: Store, scope: AreaScope): Promise<{ lsoa: string; ward: string; name: string | null }[]> {
  const rows = await store.db
    .selectFrom("lsoa_geo")
    .leftJoin("area", "area.code", "lsoa_geo.ward_code")
    .select(["lsoa_geo.lsoa_code as lsoa", "lsoa_geo.ward_code as ward", "area.name as name"])
    .where(inAreaLsoas("lsoa_geo.lsoa_code", scope))
    .where("lsoa_geo.ward_code", "is not", null)
    .orderBy("lsoa_geo.lsoa_code")
    .execute();
  return rows.map((r) => ({ lsoa: r.lsoa, ward: r.ward!, name: r.name ?? null }));
}
