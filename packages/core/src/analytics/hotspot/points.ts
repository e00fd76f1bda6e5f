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

/**
 * Projects located points to BNG. police.uk snaps every location to one of ~750,000 map points, so
 * conversions are cached by exact coordinate pair in an open-addressing table (a force-year of
 * 165k rows has ~21k distinct pairs).
 */
export function projectPoints(points: readonly HotspotPoint[]): ProjectedPoints {
  const n = points.length;
  const source = new Int32Array(n);
  const easting = new Float64Array(n);
  const northing = new Float64Array(n);
  let cap = 1024;
  while (cap < n * 2) cap *= 2;
  const mask = cap - 1;
  const keyLon = new Float64Array(cap);
  const keyLat = new Float64Array(cap);
  const valE = new Float64Array(cap);
  const valN = new Float64Array(cap);
  const used = new Uint8Array(cap);
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
    while (used[slot] === 1 && (keyLon[slot] !== lon || keyLat[slot] !== lat)) slot = (slot + 1) & mask;
    if (used[slot] === 0) {
      const [e, no] = toBng(lon, lat);
      used[slot] = 1;
      keyLon[slot] = lon;
      keyLat[slot] = lat;
      valE[slot] = e;
      valN[slot] = no;
    }
    source[k] = i;
    easting[k] = valE[slot]!;
    northing[k] = valN[slot]!;
    k++;
  }
  return { source: source.subarray(0, k), easting: easting.subarray(0, k), northing: northing.subarray(0, k), withoutCoordinates };
}
