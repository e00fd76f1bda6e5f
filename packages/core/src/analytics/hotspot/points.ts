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

/**
 * Projects located points to BNG. police.uk snaps every location to one of ~750,000 map points, so
 * conversions are cached by coordinate pair (a force-year of 165k rows has ~21k distinct pairs).
 */
export function projectPoints(points: readonly HotspotPoint[]): ProjectedPoints {
  const source = new Int32Array(points.length);
  const easting = new Float64Array(points.length);
  const northing = new Float64Array(points.length);
  const cache = new Map<number, Map<number, [number, number]>>();
  let k = 0;
  let withoutCoordinates = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!hasLonLat(p)) {
      withoutCoordinates++;
      continue;
    }
    const lon = p.lon as number;
    const lat = p.lat as number;
    let byLat = cache.get(lon);
    if (!byLat) {
      byLat = new Map();
      cache.set(lon, byLat);
    }
    let en = byLat.get(lat);
    if (!en) {
      en = toBng(lon, lat);
      byLat.set(lat, en);
    }
    source[k] = i;
    easting[k] = en[0];
    northing[k] = en[1];
    k++;
  }
  return { source: source.slice(0, k), easting: easting.slice(0, k), northing: northing.slice(0, k), withoutCoordinates };
}
