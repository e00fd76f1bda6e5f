import { toBng } from "./bng.ts";
import type { HotspotPoint } from "./grid.types.ts";

export function hasLonLat(p: HotspotPoint): boolean {
  const { lon, lat } = p;
  return (
    typeof lon === "number" && typeof lat === "number" && Number.isFinite(lon) && Number.isFinite(lat) &&
    Math.abs(lon) <= 180 && Math.abs(lat) <= 90
  );
}

export interface ProjectedPoints {
  /** Index into the input of each located point. */
  source: Int32Array;
  easting: Float64Array;
  northing: Float64Array;
  withoutCoordinates: number;
}

const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);
function hashDouble(v: number, h: number): number {
  bits[0] = v;
  h = Math.imul(h ^ words[0]!, 0x9e3779b1);
  return Math.imul(h ^ words[1]!, 0x85ebca77);
}

export interface UniqueLocations {
  /** Input index of each located point. */
  source: Int32Array;
  /** Index of each located point's location in `lon`/`lat`. */
  location: Int32Array;
  /** Distinct coordinate pairs, in order of first appearance. */
  lon: Float64Array;
  lat: Float64Array;
  withoutCoordinates: number;
}

/**
 * Distinct locations of the located points. police.uk snaps every location to one of ~750,000 map
 * points (a force-year of 165k rows has ~21k distinct pairs), so work per location (projection, H3
 * lookup) is done once. Exact coordinate pairs, in an open-addressing hash table.
 */
export function uniqueLocations(points: readonly HotspotPoint[]): UniqueLocations {
  const n = points.length;
  const source = new Int32Array(n);
  const location = new Int32Array(n);
  let cap = 1024;
  while (cap < n * 2) cap *= 2;
  const mask = cap - 1;
  const keyLon = new Float64Array(cap);
  const keyLat = new Float64Array(cap);
  const slotLoc = new Int32Array(cap).fill(-1);
  const lons: number[] = [];
  const lats: number[] = [];
  let k = 0;
  let withoutCoordinates = 0;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    if (!hasLonLat(p)) {
      withoutCoordinates++;
      continue;
    }
    const lon = p.lon as number;
    const lat = p.lat as number;
    let slot = hashDouble(lat, hashDouble(lon, 0x2545f491)) & mask;
    while (slotLoc[slot] !== -1 && (keyLon[slot] !== lon || keyLat[slot] !== lat)) slot = (slot + 1) & mask;
    if (slotLoc[slot] === -1) {
      keyLon[slot] = lon;
      keyLat[slot] = lat;
      slotLoc[slot] = lons.length;
      lons.push(lon);
      lats.push(lat);
    }
    source[k] = i;
    location[k] = slotLoc[slot]!;
    k++;
  }
  return {
    source: source.subarray(0, k),
    location: location.subarray(0, k),
    lon: Float64Array.from(lons),
    lat: Float64Array.from(lats),
    withoutCoordinates,
  };
}

/** Projects the located points to BNG, one projection per distinct location. */
export function projectPoints(points: readonly HotspotPoint[]): ProjectedPoints {
  const { source, location, lon, lat, withoutCoordinates } = uniqueLocations(points);
  const le = new Float64Array(lon.length);
  const ln = new Float64Array(lon.length);
  for (let j = 0; j < lon.length; j++) [le[j], ln[j]] = toBng(lon[j]!, lat[j]!);
  const m = source.length;
  const easting = new Float64Array(m);
  const northing = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    easting[k] = le[location[k]!]!;
    northing[k] = ln[location[k]!]!;
  }
  return { source, easting, northing, withoutCoordinates };
}
