import { AliasTable } from "./alias-table.ts";
import { Prng } from "./prng.ts";
import { FORCE_TAILS, NAME_HEADS, NAME_TAILS, PLACES_PER_MILLE, STREET_STEMS, STREET_SUFFIXES } from "./vocabulary.ts";

/**
 * The synthetic geography generated rows are drawn from: forces -> local authorities -> LSOAs ->
 * anonymous map points, inside an England-like lon/lat box. It depends only on the seed and the
 * number of forces, never on the number of rows, so a bigger run extends a smaller one's world.
 *
 * Every map point is pre-encoded once as the CSV bytes `lon,lat,Location,LSOA code,LSOA name,`
 * (quoted where needed), so writing a row copies bytes instead of formatting numbers.
 */
export interface GeneratedForce {
  readonly index: number;
  /** File-name slug, as in `2025-01-<slug>-street.csv`. */
  readonly slug: string;
  /** `Reported by` / `Falls within`. */
  readonly name: string;
  /** Relative volume of rows. */
  readonly weight: number;
  /** Share of this force's rows with no location (empty lon/lat/LSOA), 2.5%–6.5%. */
  readonly noLocationRate: number;
  /** Draws one of the world's map points (an index into `World.points`), weighted for clustering. */
  readonly points: AliasTable;
  /**
   * Points of the force's "emerging" LSOAs (~2%), drawn with a probability that grows over the
   * generated period, so those places become new and intensifying hot spots. Indices relative to `pointStart`.
   */
  readonly emergingPoints: AliasTable;
  readonly emergingPointIndex: Uint32Array;
  readonly pointStart: number;
}

export interface World {
  readonly forces: readonly GeneratedForce[];
  readonly localAuthorityCount: number;
  readonly lsoaCount: number;
  readonly pointCount: number;
  /** All map points' CSV bytes back to back; point i is `pointBytes[pointOffsets[i] .. pointOffsets[i+1])`. */
  readonly pointBytes: Uint8Array;
  readonly pointOffsets: Uint32Array;
  readonly maxPointBytes: number;
  /** Every LSOA in code order, with its local authority (an index into `localAuthorityNames`). */
  readonly lsoas: readonly GeneratedLsoa[];
  readonly localAuthorityNames: readonly string[];
}

export interface GeneratedLsoa {
  readonly code: string;
  readonly name: string;
  readonly localAuthority: number;
  readonly force: number;
  /** Centre of its map points (WGS84 degrees). */
  readonly lon: number;
  readonly lat: number;
  /** Relative volume of rows drawn from it (before per-point noise). */
  readonly weight: number;
  /** One of the ~2% of LSOAs that become emerging hot spots. */
  readonly emerging: boolean;
}

export interface WorldOptions {
  seed: number;
  forces: number;
  /** Number of the first LSOA code (`E01` + 6 digits); default 100001. */
  firstLsoaNumber?: number;
  /** Names given instead of the drawn ones (same random draws, so the geography is unchanged). */
  names?: { force?: { name: string; slug: string }; localAuthorities?: readonly string[] };
}

/** The England-like box points are drawn in (WGS84 degrees). */
export const BOX = { west: -5.6, east: 1.7, south: 50.1, north: 55.7 } as const;

/** Local authorities per force on average (~300 for 43 forces) and LSOAs per local authority (~107). */
const LAS_PER_FORCE = 7;
const LSOAS_PER_LA_MIN = 50;
const LSOAS_PER_LA_SPREAD = 115;
const FIRST_LSOA_NUMBER = 100_001; // E01100001 upward: never a real LSOA 2011/2021 code (those end near E01035xxx)
const PLACE_SHARE = 0.22;
const COMMA_LOCATION_SHARE = 0.075;
const COMMA_LA_ROW_SHARE = 0.03;
const EMERGING_LSOA_SHARE = 0.02;

export function buildWorld(opts: WorldOptions): World {
  const rng = new Prng(opts.seed, 0);
  const forceCount = opts.forces;
  const usedNames = new Set<string>();

  // Forces: a lognormal-ish spread of sizes, the first one metropolitan-sized when there are many.
  const forceWeights: number[] = [];
  for (let f = 0; f < forceCount; f++) {
    let w = Math.exp(0.55 * rng.normal());
    if (f === 0 && forceCount >= 10) w *= 5;
    forceWeights.push(w);
  }
  const totalForceWeight = forceWeights.reduce((a, b) => a + b, 0);
  const lasPerForce = largestRemainder(forceWeights, Math.max(forceCount, LAS_PER_FORCE * forceCount), 1);

  const places = Object.entries(PLACES_PER_MILLE);
  const placeTable = new AliasTable(places.map(([, w]) => w));
  const placeNames = places.map(([name]) => name);

  const enc = new PointEncoder();
  const forces: GeneratedForce[] = [];
  const firstLsoaNumber = opts.firstLsoaNumber ?? FIRST_LSOA_NUMBER;
  let lsoaNumber = firstLsoaNumber;
  let laCount = 0;
  const lsoas: GeneratedLsoa[] = [];
  const localAuthorityNames: string[] = [];

  interface PendingLa {
    name: string;
    shareOfRows: number;
    lsoas: number;
  }
  const laPlans: PendingLa[][] = [];
  for (let f = 0; f < forceCount; f++) {
    const laWeights = Array.from({ length: lasPerForce[f]! }, () => Math.exp(0.6 * rng.normal()));
    const laTotal = laWeights.reduce((a, b) => a + b, 0);
    laPlans.push(
      laWeights.map((w) => ({
        name: uniqueName(rng, usedNames, () => rng.pick(NAME_HEADS) + rng.pick(NAME_TAILS)),
        shareOfRows: (forceWeights[f]! / totalForceWeight) * (w / laTotal),
        lsoas: LSOAS_PER_LA_MIN + rng.int(LSOAS_PER_LA_SPREAD),
      })),
    );
  }
  // Like "Bournemouth, Christchurch and Poole": a few local authorities whose names need quoting.
  const allLas = laPlans.flat();
  let commaShare = 0;
  for (let tries = 0; tries < allLas.length * 2 && commaShare < COMMA_LA_ROW_SHARE; tries++) {
    const la = allLas[rng.int(allLas.length)]!;
    if (la.name.includes(",") || commaShare + la.shareOfRows > COMMA_LA_ROW_SHARE * 1.5) continue;
    const other = () => rng.pick(NAME_HEADS) + rng.pick(NAME_TAILS);
    usedNames.delete(la.name);
    la.name = uniqueName(rng, usedNames, () => `${la.name}, ${other()} and ${other()}`);
    commaShare += la.shareOfRows;
  }
  opts.names?.localAuthorities?.forEach((name, i) => {
    if (allLas[i]) allLas[i].name = name;
  });

  for (let f = 0; f < forceCount; f++) {
    const area = uniqueName(rng, usedNames, () => rng.pick(NAME_HEADS) + rng.pick(FORCE_TAILS));
    const drawnName = `${area} ${rng.float() < 0.6 ? "Constabulary" : "Police"}`;
    const named = f === 0 ? opts.names?.force : undefined;
    const name = named?.name ?? drawnName;
    const slug = named?.slug ?? area.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const fx = BOX.west + 0.6 + rng.float() * (BOX.east - BOX.west - 1.2);
    const fy = BOX.south + 0.4 + rng.float() * (BOX.north - BOX.south - 0.8);
    const las = laPlans[f]!;
    const forceSpread = 0.1 + 0.06 * Math.sqrt(las.length);
    const pointStart = enc.count;
    const pointWeights: number[] = [];
    const emergingWeights: number[] = [];
    const emergingIndex: number[] = [];
    for (const la of las) {
      const laIndex = laCount++;
      localAuthorityNames.push(la.name);
      const lx = fx + rng.normal() * forceSpread * 1.6;
      const ly = fy + rng.normal() * forceSpread;
      const laSpread = 0.025 + 0.003 * Math.sqrt(la.lsoas);
      const streets = Array.from({ length: 30 + rng.int(50) }, () => {
        const stem = rng.pick(STREET_STEMS);
        return stem === "High" && rng.float() < 0.7 ? "High Street" : `${stem} ${rng.pick(STREET_SUFFIXES)}`;
      });
      let msoa = 1;
      let letter = 0;
      let msoaSize = 4 + rng.int(3);
      for (let l = 0; l < la.lsoas; l++) {
        const code = `E01${String(lsoaNumber++).padStart(6, "0")}`;
        const lsoaName = `${la.name} ${String(msoa).padStart(3, "0")}${String.fromCharCode(65 + letter)}`;
        if (++letter >= msoaSize) {
          msoa++;
          letter = 0;
          msoaSize = 4 + rng.int(3);
        }
        const cx = lx + rng.normal() * laSpread * 1.6;
        const cy = ly + rng.normal() * laSpread;
        const lsoaWeight = Math.exp(0.9 * rng.normal());
        const emerging = rng.float() < EMERGING_LSOA_SHARE;
        const points = 6 + rng.int(13);
        lsoas.push({ code, name: lsoaName, localAuthority: laIndex, force: f, lon: cx, lat: cy, weight: lsoaWeight, emerging });
        for (let p = 0; p < points; p++) {
          const lon = clamp(cx + rng.normal() * 0.006 * 1.6, BOX.west, BOX.east);
          const lat = clamp(cy + rng.normal() * 0.006, BOX.south, BOX.north);
          let location: string;
          if (rng.float() < PLACE_SHARE) location = `On or near ${placeNames[placeTable.draw(rng)]}`;
          else {
            location = `On or near ${rng.pick(streets)}`;
            if (rng.float() < COMMA_LOCATION_SHARE) location += `, ${rng.pick(NAME_HEADS)}${rng.pick(NAME_TAILS)}`;
          }
          enc.add(`${lon.toFixed(6)},${lat.toFixed(6)},${csvField(location)},${code},${csvField(lsoaName)},`);
          const weight = lsoaWeight * Math.exp(1.1 * rng.normal());
          if (emerging) {
            emergingIndex.push(pointWeights.length);
            emergingWeights.push(weight);
          }
          pointWeights.push(weight);
        }
      }
    }
    forces.push({
      index: f,
      slug,
      name,
      weight: forceWeights[f]!,
      noLocationRate: 0.025 + 0.04 * rng.float(),
      points: new AliasTable(pointWeights),
      // At least one emerging place per force, so every force has one.
      emergingPoints: new AliasTable(emergingWeights.length ? emergingWeights : [1]),
      emergingPointIndex: Uint32Array.from(emergingIndex.length ? emergingIndex : [0]),
      pointStart,
    });
  }
  const { bytes, offsets, maxBytes } = enc.finish();
  return {
    forces,
    localAuthorityCount: laCount,
    lsoaCount: lsoaNumber - firstLsoaNumber,
    pointCount: enc.count,
    pointBytes: bytes,
    pointOffsets: offsets,
    maxPointBytes: maxBytes,
    lsoas,
    localAuthorityNames,
  };
}

/** RFC 4180 quoting: only fields with a comma, quote or line break are quoted. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder, ties by index),
 * each at least `min`. Deterministic; the parts sum to `total` exactly when total >= min * n.
 */
export function largestRemainder(weights: readonly number[], total: number, min = 0): number[] {
  const n = weights.length;
  const base = new Array<number>(n).fill(min);
  const rest = total - min * n;
  if (rest <= 0) return base;
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (w / sum) * rest);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const q = Math.floor(quotas[i]!);
    base[i]! += q;
    given += q;
  }
  const order = quotas.map((_q, i) => i).sort((a, b) => quotas[b]! - Math.floor(quotas[b]!) - (quotas[a]! - Math.floor(quotas[a]!)) || a - b);
  for (let k = 0; k < rest - given; k++) base[order[k % n]!]! += 1;
  return base;
}

function uniqueName(rng: Prng, used: Set<string>, make: () => string): string {
  const prefixes = ["North ", "South ", "East ", "West ", "Upper ", "Lower ", "Great ", "Little "];
  for (let tries = 0; ; tries++) {
    const name = tries < 40 ? make() : rng.pick(prefixes) + make();
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Appends ASCII strings into one growing byte array, remembering where each starts. */
class PointEncoder {
  count = 0;
  private bytes = Buffer.allocUnsafe(1 << 22);
  private used = 0;
  private offsets: number[] = [0];
  private maxBytes = 0;

  add(text: string): void {
    if (this.used + text.length * 3 > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const n = this.bytes.write(text, this.used, "utf8");
    this.used += n;
    if (n > this.maxBytes) this.maxBytes = n;
    this.offsets.push(this.used);
    this.count++;
  }

  finish(): { bytes: Uint8Array; offsets: Uint32Array; maxBytes: number } {
    return { bytes: this.bytes.subarray(0, this.used), offsets: Uint32Array.from(this.offsets), maxBytes: this.maxBytes };
  }
}
