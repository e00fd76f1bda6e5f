/**
 * knoxTest: the Knox test for space-time clustering over spatial x temporal bands, with Monte-Carlo
 * significance, counting pairs exactly as R `NearRepeat::NearRepeat()` does with its defaults:
 *
 * - Every unordered pair of points (i < j) has a distance (Euclidean or Manhattan, on x/y as given)
 *   and a time difference |t_i - t_j|.
 * - Bands are `cut(..., right = FALSE, include.lowest = FALSE)`: [b0,b1), [b1,b2), ...,
 *   [b_{k-1},b_k). The first band includes b0 (so [0, ...) includes distance 0 and same-day pairs);
 *   a value equal to the last break, or beyond it, or below b0, is in no band and is not counted.
 *   End the breaks with Infinity to keep every pair.
 * - Expected = mean of the permuted tables; Knox ratio = observed / expected (and / median);
 *   p = (#{permuted >= observed} + 1) / (permutations + 1).
 * - Each permutation shuffles the times across the points (Fisher-Yates, seeded sfc32).
 *
 * Speed: pairs closer than the last finite distance break are found once (grid of cells of that
 * size, points reordered cell by cell so pair members sit close in memory) and kept in typed
 * arrays with their distance band; each permutation only recounts their time bands. Pairs in an
 * Infinity-ended last distance band are never listed: the time differences over all pairs do not
 * change under a permutation of the times, so that band is (all pairs in the time band, counted once
 * from the sorted times) minus the nearer bands.
 */
import type { KnoxBand, KnoxOptions, KnoxPoint, KnoxResult } from "../repeat/local-incident.types.ts";
import { invalid } from "../stats/check.ts";
import { SeededRandom } from "../hotspot/prng.ts";

export function knoxTest(points: readonly KnoxPoint[], options: KnoxOptions): KnoxResult {
  const { metric, permutations, seed } = options;
  const sBreaks = checkBreaks("distanceBands", options.distanceBands);
  const tBreaks = checkBreaks("timeBands", options.timeBands);
  if (metric !== "euclidean" && metric !== "manhattan") {
    throw invalid(`metric must be "euclidean" or "manhattan"; got ${String(metric)}`);
  }
  if (!Number.isInteger(permutations) || permutations < 2) {
    throw invalid(`permutations must be a whole number, 2 or more (e.g. 99 or 999); got ${permutations}`);
  }
  if (!Number.isInteger(seed)) throw invalid(`seed must be a whole number; got ${seed}`);
  const n = points.length;
  if (n < 2) throw invalid(`the Knox test needs at least 2 dated, located incidents; got ${n}`);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || !Number.isFinite(p.t)) {
      throw invalid(`point ${i} has a missing or non-finite x, y or t (${p.x}, ${p.y}, ${p.t})`, "leave out incidents without a location or date before the test");
    }
  }

  const nS = sBreaks.length - 1;
  const nT = tBreaks.length - 1;
  const sOpenEnd = sBreaks[nS] === Number.POSITIVE_INFINITY;
  // Internal spatial rows: 0 = below the first break (only matters for an Infinity last band),
  // 1..nFinite = the finite bands.
  const nFinite = sOpenEnd ? nS - 1 : nS;
  const dMax = sBreaks[nFinite]!;
  const rows = nFinite + 1;
  const width = nT + 1; // column nT = no time band
  if (rows * width > 256) {
    throw invalid(`too many bands: (distance bands + 1) x (time bands + 1) must be at most 256 (15 x 15 bands fit); got ${nS} distance and ${nT} time bands`);
  }
  if (n >= 1 << 24) throw invalid(`the Knox test takes at most 16,777,215 points; got ${n}`);
  const pairs = closePairs(points, sBreaks, nFinite, dMax, metric, width);
  const timeBand = timeBander(tBreaks);
  const times = new Float64Array(pairs.order.length);
  for (let k = 0; k < times.length; k++) times[k] = points[pairs.order[k]!]!.t;
  const wholeDays = wholeDayTimes(times, tBreaks, nT);

  // Pairs in each time band over all pairs (invariant under permutation), for an open last band.
  const allPairsByTime = sOpenEnd ? timeBandTotals(times, tBreaks) : null;
  const counts = new Int32Array(rows * width);
  const cells = nS * nT;

  const table = (): Float64Array => {
    if (wholeDays) countWholeDays(pairs, wholeDays.times, wholeDays.lut, counts);
    else if (timeBand.lut) countPacked(pairs, times, timeBand, counts, nT);
    else countPairsAnyBreaks(pairs, times, timeBand, counts, width);
    const out = new Float64Array(cells);
    for (let s = 0; s < nFinite; s++) {
      for (let t = 0; t < nT; t++) out[s * nT + t] = counts[(s + 1) * width + t]!;
    }
    if (allPairsByTime) {
      for (let t = 0; t < nT; t++) {
        let nearer = 0;
        for (let r = 0; r < rows; r++) nearer += counts[r * width + t]!;
        out[(nS - 1) * nT + t] = allPairsByTime[t]! - nearer;
      }
    }
    return out;
  };

  const observed = table();
  const sims = new Float64Array(cells * permutations);
  const rng = new SeededRandom(seed);
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(wholeDays ? wholeDays.times : times);
    const sim = table();
    for (let c = 0; c < cells; c++) sims[c * permutations + p] = sim[c]!;
  }

  const grid = <T>(f: (c: number) => T): T[][] =>
    Array.from({ length: nS }, (_, s) => Array.from({ length: nT }, (_, t) => f(s * nT + t)));
  const expected = new Float64Array(cells);
  const median = new Float64Array(cells);
  const atLeast = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    const col = sims.subarray(c * permutations, (c + 1) * permutations);
    let sum = 0;
    let ge = 0;
    for (let p = 0; p < permutations; p++) {
      sum += col[p]!;
      if (col[p]! >= observed[c]!) ge++;
    }
    expected[c] = sum / permutations;
    atLeast[c] = ge;
    const sorted = Float64Array.from(col).sort();
    const mid = permutations >> 1;
    median[c] = permutations % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
  const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
  const notes: string[] = [];
  if (sBreaks[0]! > 0) notes.push(`pairs closer than ${sBreaks[0]} are in no distance band and are not counted`);
  if (!sOpenEnd) notes.push(`pairs ${sBreaks[nS]} or more apart are in no distance band and are not counted`);
  if (tBreaks[nT] !== Number.POSITIVE_INFINITY) {
    notes.push(`pairs ${tBreaks[nT]} or more days apart are in no time band and are not counted`);
  }
  return {
    n,
    metric,
    permutations,
    seed,
    distanceBands: bands(sBreaks),
    timeBands: bands(tBreaks),
    observed: grid((c) => observed[c]!),
    expected: grid((c) => expected[c]!),
    knoxRatio: grid((c) => ratio(observed[c]!, expected[c]!)),
    knoxRatioMedian: grid((c) => ratio(observed[c]!, median[c]!)),
    pValue: grid((c) => (atLeast[c]! + 1) / (permutations + 1)),
    closePairs: pairs.count,
    notes,
  };
}

function checkBreaks(name: string, breaks: readonly number[]): number[] {
  if (!Array.isArray(breaks) || breaks.length < 2) {
    throw invalid(`${name} must list at least two break points (e.g. [0, 100, 200]); got ${JSON.stringify(breaks)}`);
  }
  for (let i = 0; i < breaks.length; i++) {
    const b = breaks[i]!;
    const last = i === breaks.length - 1;
    if (typeof b !== "number" || Number.isNaN(b) || b < 0 || (!last && !Number.isFinite(b))) {
      throw invalid(`${name}[${i}] must be a number 0 or more (only the last may be Infinity); got ${b}`);
    }
    if (i > 0 && b <= breaks[i - 1]!) throw invalid(`${name} must increase; ${name}[${i}] = ${b} is not above ${breaks[i - 1]}`);
  }
  return [...breaks];
}

function bands(breaks: readonly number[]): KnoxBand[] {
  return breaks.slice(1).map((to, i) => {
    const from = breaks[i]!;
    return { from, to, label: `[${from},${to === Number.POSITIVE_INFINITY ? "Inf" : to})` };
  });
}

interface PairList {
  /** Input index of each point in the working order (points grouped cell by cell). */
  order: Uint32Array;
  count: number;
  /** Pairs of point i (working order) with later points are start[i] .. start[i+1] in `cell`. */
  start: Uint32Array;
  /** partner << 8 | (internal spatial row x width): 4 bytes a pair, the count cell's row offset in the low byte. */
  cell: Uint32Array;
}

/** Every pair closer than dMax, with its band, found through a grid of dMax cells. */
function closePairs(
  points: readonly KnoxPoint[],
  breaks: readonly number[],
  nFinite: number,
  dMax: number,
  metric: KnoxOptions["metric"],
  width: number,
): PairList {
  const n = points.length;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  for (const p of points) {
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
  }
  const cellX = new Float64Array(n);
  const cellY = new Float64Array(n);
  const key = new Float64Array(n);
  let gridWidth = 1;
  if (dMax > 0) {
    let maxCx = 0;
    for (let i = 0; i < n; i++) {
      cellX[i] = Math.floor((points[i]!.x - minX) / dMax);
      cellY[i] = Math.floor((points[i]!.y - minY) / dMax);
      if (cellX[i]! > maxCx) maxCx = cellX[i]!;
    }
    gridWidth = maxCx + 3;
    for (let i = 0; i < n; i++) key[i] = cellY[i]! * gridWidth + cellX[i]!;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((p, q) => key[p]! - key[q]! || p - q);

  // Cells in order: their key and where their points start in `order`.
  const cellKeys: number[] = [];
  const cellStart: number[] = [];
  for (let k = 0; k < n; k++) {
    const kk = key[order[k]!]!;
    if (k === 0 || kk !== cellKeys[cellKeys.length - 1]) {
      cellKeys.push(kk);
      cellStart.push(k);
    }
  }
  cellStart.push(n);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    xs[k] = points[order[k]!]!.x;
    ys[k] = points[order[k]!]!.y;
  }

  const start = new Uint32Array(n + 1);
  let cap = 1 << 16;
  let cell = new Uint32Array(cap);
  let count = 0;
  const euclid = metric === "euclidean";
  const consider = (i: number, j: number): void => {
    const dx = xs[i]! - xs[j]!;
    const dy = ys[i]! - ys[j]!;
    const d = euclid ? Math.sqrt(dx * dx + dy * dy) : Math.abs(dx) + Math.abs(dy);
    if (!(d < dMax)) return;
    let s = 0;
    while (s < nFinite && d >= breaks[s]!) s++;
    if (count === cap) {
      cap *= 2;
      const grown = new Uint32Array(cap);
      grown.set(cell);
      cell = grown;
    }
    cell[count++] = ((j << 8) | (s * width)) >>> 0;
  };
  if (dMax > 0) {
    const find = (k: number): number => {
      let lo = 0;
      let hi = cellKeys.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = cellKeys[mid]!;
        if (v === k) return mid;
        if (v < k) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    };
    // Each point with the later points of its cell and every point of 4 of the 8 neighbour cells
    // (x+1; x-1, x, x+1 on the next row), whose keys are larger so their points come later: each
    // pair once, grouped by its first point.
    const offsets = [1, gridWidth - 1, gridWidth, gridWidth + 1];
    for (let c = 0; c < cellKeys.length; c++) {
      const s0 = cellStart[c]!;
      const e0 = cellStart[c + 1]!;
      const others: number[] = [];
      for (const off of offsets) {
        const other = find(cellKeys[c]! + off);
        if (other >= 0) others.push(other);
      }
      for (let i = s0; i < e0; i++) {
        start[i] = count;
        for (let j = i + 1; j < e0; j++) consider(i, j);
        for (const other of others) for (let j = cellStart[other]!; j < cellStart[other + 1]!; j++) consider(i, j);
      }
    }
  }
  start[n] = count;
  return { order, count, start, cell: cell.subarray(0, count) };
}

/** Time band of a difference, nT meaning none: a lookup by whole day when every finite break is a whole number. */
function timeBander(breaks: readonly number[]): { lut: Int32Array | null; breaks: readonly number[]; top: number } {
  const nT = breaks.length - 1;
  const top = breaks[nT]!;
  const finite = breaks.filter(Number.isFinite);
  const lastFinite = finite[finite.length - 1]!;
  if (finite.every(Number.isInteger) && lastFinite <= 1_000_000) {
    const lut = new Int32Array(lastFinite + 1);
    for (let d = 0; d <= lastFinite; d++) {
      let t = -1;
      for (let k = 0; k < nT; k++) if (d >= breaks[k]! && d < breaks[k + 1]!) t = k;
      lut[d] = t < 0 ? nT : t;
    }
    return { lut, breaks, top };
  }
  return { lut: null, breaks, top };
}

/**
 * Whole-day times (the usual case: dates) as Int32 offsets from the earliest, with a band lookup
 * over every possible difference, so the hot loop has no branch; null when a time or a finite break
 * is not a whole number or the times span over 2,000,000 days.
 */
function wholeDayTimes(times: Float64Array, breaks: readonly number[], nT: number): { times: Int32Array; lut: Int32Array } | null {
  if (!breaks.every((b) => !Number.isFinite(b) || Number.isInteger(b))) return null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    if (!Number.isInteger(t)) return null;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const span = max - min;
  if (!(span <= 2_000_000)) return null;
  const out = new Int32Array(times.length);
  for (let i = 0; i < times.length; i++) out[i] = times[i]! - min;
  const lut = new Int32Array(span + 1);
  for (let d = 0; d <= span; d++) {
    let t = nT;
    for (let k = 0; k < nT; k++) if (d >= breaks[k]! && d < breaks[k + 1]!) t = k;
    lut[d] = t;
  }
  return { times: out, lut };
}

/** The hot loop for whole days: |difference| without a branch, its band from the lookup. */
function countWholeDays(pairs: PairList, times: Int32Array, lut: Int32Array, counts: Int32Array): void {
  counts.fill(0);
  const { start, cell } = pairs;
  const n = start.length - 1;
  for (let i = 0; i < n; i++) {
    const ti = times[i]!;
    const end = start[i + 1]!;
    for (let k = start[i]!; k < end; k++) {
      const q = cell[k]!;
      const d = ti - times[q >>> 8]!;
      const m = d >> 31;
      const c = (q & 255) + lut[(d ^ m) - m]!;
      counts[c] = counts[c]! + 1;
    }
  }
}

/** The hot loop: per point, its time once, then each partner's time difference through the whole-day lookup. */
function countPacked(packed: PairList, times: Float64Array, bander: ReturnType<typeof timeBander>, counts: Int32Array, nT: number): void {
  counts.fill(0);
  const { start, cell } = packed;
  const lut = bander.lut as Int32Array;
  const limit = lut.length;
  const far = bander.top === Number.POSITIVE_INFINITY ? nT - 1 : nT;
  const n = start.length - 1;
  for (let i = 0; i < n; i++) {
    const ti = times[i]!;
    const end = start[i + 1]!;
    for (let k = start[i]!; k < end; k++) {
      const q = cell[k]!;
      let d = ti - times[q >>> 8]!;
      if (d < 0) d = -d;
      const c = (q & 255) + (d < limit ? lut[d | 0]! : far);
      counts[c] = counts[c]! + 1;
    }
  }
}

/** The same with time breaks that are not all whole days: a search over the breaks. */
function countPairsAnyBreaks(
  pairs: PairList,
  times: Float64Array,
  bander: ReturnType<typeof timeBander>,
  counts: Int32Array,
  width: number,
): void {
  counts.fill(0);
  const { start, cell } = pairs;
  const nT = width - 1;
  const { breaks, top } = bander;
  const n = start.length - 1;
  for (let i = 0; i < n; i++) {
    const ti = times[i]!;
    const end = start[i + 1]!;
    for (let k = start[i]!; k < end; k++) {
      const q = cell[k]!;
      let d = ti - times[q >>> 8]!;
      if (d < 0) d = -d;
      let t = nT;
      if (d >= breaks[0]! && d < top) {
        t = 0;
        while (d >= breaks[t + 1]!) t++;
      }
      const c = (q & 255) + t;
      counts[c] = counts[c]! + 1;
    }
  }
}

/** Pairs of all points in each time band, from the sorted times (two pointers per break). */
function timeBandTotals(times: Float64Array, breaks: readonly number[]): number[] {
  const sorted = Float64Array.from(times).sort();
  const n = sorted.length;
  const below = (limit: number): number => {
    if (limit === Number.POSITIVE_INFINITY) return (n * (n - 1)) / 2;
    let total = 0;
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (j < i + 1) j = i + 1;
      while (j < n && sorted[j]! - sorted[i]! < limit) j++;
      total += j - i - 1;
    }
    return total;
  };
  const cum = breaks.map(below);
  return breaks.slice(1).map((_, t) => cum[t + 1]! - cum[t]!);
}
