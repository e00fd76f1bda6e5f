/**
 * priorityAreas: neighbourhoods (LSOAs) where high crime and deprivation meet.
 *
 * Rules
 * - Crime rate = count / population × 1,000.
 * - Percentile ranks within the LSOAs given, Hazen form (average rank − 0.5) / N, so ties share a
 *   value and one LSOA gets 0.5: `crimePercentile` ranks rates (highest → near 1);
 *   `deprivationPercentile` ranks deprivation (most deprived → near 1) by IMD rank when every row
 *   has one (1 = most deprived in England), else by IMD decile.
 * - Score = weights.crime × crimePercentile + weights.imd × deprivationPercentile (default 0.5 and
 *   0.5: the mean of the two percentile ranks). Areas are ranked by score, then rate, then code.
 * - `deprived` flags IMD deciles 1..maxDeprivedDecile (default 2: the most deprived 20% of England).
 * - `deprivation` names what `imdDecile`/`imdRank` hold: "imd" (the published IMD; default here) or
 *   "imd-without-crime" (deprivationWithoutCrime: the IMD rebuilt without its Crime domain, so crime
 *   is not counted twice; the service's default, decision 0023). It changes the wording and params.
 * - The top N (default 10) are returned in `areas`, each with a plain-English reason; `ranked`
 *   holds every LSOA.
 * - `rates`: "raw" (default) ranks the observed rates; "empirical-bayes" ranks the global empirical
 *   Bayes rates (Marshall 1991, `empiricalBayesRates` over the LSOAs given). Both rates are on every
 *   row; a note says how many of the top N the other choice would change (decision 0024).
 */
import { empiricalBayesRates } from "../rate/empirical-bayes.ts";
import { invalid } from "../stats/check.ts";
import { formatCount, ordinal } from "../stats/format.ts";

export interface PriorityLsoa {
  code: string;
  name: string;
  count: number;
  population: number;
  imdDecile: number;
  imdRank?: number;
}

/** The deprivation measure ranked: the IMD without its crime domain, or the published IMD. */
export type DeprivationMeasure = "imd-without-crime" | "imd";
export const DEPRIVATION_MEASURES: readonly DeprivationMeasure[] = ["imd-without-crime", "imd"];

/** "IMD 2025 without its crime domain (six domains, weights renormalised)" / "IMD 2025 (published, includes its crime domain)". */
export function deprivationLabel(measure: DeprivationMeasure, edition?: string): string {
  const imd = edition ? `IMD ${edition}` : "IMD";
  return measure === "imd" ? `${imd} (published, includes its crime domain)` : `${imd} without its crime domain (six domains, weights renormalised)`;
}

export interface PriorityAreasOptions {
  /** How many areas to return. Default 10. */
  top?: number;
  /** Deciles 1..this are flagged deprived. Default 2. */
  maxDeprivedDecile?: number;
  /** Default { crime: 0.5, imd: 0.5 }. */
  weights?: { crime: number; imd: number };
  /** What imdDecile/imdRank hold (labels only). Default "imd". */
  deprivation?: DeprivationMeasure;
  /** The IoD edition, for the labels ("2025"). */
  imdEdition?: string;
  /** Which crime rate is ranked: the observed ("raw", default) or the empirical Bayes rate. */
  rates?: PriorityRateMethod;
}

export type PriorityRateMethod = "raw" | "empirical-bayes";

export interface PriorityArea {
  code: string;
  name: string;
  count: number;
  population: number;
  rate: number;
  /** Global empirical Bayes rate per 1,000 (Marshall 1991) among the LSOAs given. */
  smoothedRate: number;
  /** 1 = highest crime rate (of the kind ranked: `params.rates`) among the LSOAs given. */
  rateRank: number;
  imdDecile: number;
  imdRank: number | null;
  crimePercentile: number;
  deprivationPercentile: number;
  score: number;
  /** 1 = highest priority. */
  rank: number;
  deprived: boolean;
  reason: string;
}

export interface PriorityAreasResult {
  areas: PriorityArea[];
  ranked: PriorityArea[];
  params: {
    top: number;
    maxDeprivedDecile: number;
    weights: { crime: number; imd: number };
    deprivationBy: "IMD rank" | "IMD decile";
    /** The measure in imdDecile/imdRank, and its label. */
    deprivation: DeprivationMeasure;
    deprivationMeasure: string;
    percentile: "Hazen (average rank - 0.5) / N";
    ratePer: 1000;
    rates: PriorityRateMethod;
    empiricalBayes: { method: string; pooledRate: number; priorVariance: number; varianceGuard: boolean };
  };
  notes: string[];
}

/** Hazen percentile ranks of `values` (ascending: the largest value gets the largest percentile). */
function percentiles(values: number[]): number[] {
  const n = values.length;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && order[j + 1]![0] === order[i]![0]) j++;
    const avgRank = (i + 1 + (j + 1)) / 2;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (avgRank - 0.5) / n;
    i = j + 1;
  }
  return out;
}

export function priorityAreas(lsoas: readonly PriorityLsoa[], opts: PriorityAreasOptions = {}): PriorityAreasResult {
  const top = opts.top ?? 10;
  const maxDeprivedDecile = opts.maxDeprivedDecile ?? 2;
  const weights = opts.weights ?? { crime: 0.5, imd: 0.5 };
  const measure = opts.deprivation ?? "imd";
  if (!DEPRIVATION_MEASURES.includes(measure)) throw invalid(`deprivation must be "imd-without-crime" or "imd"; got \`${String(measure)}\``);
  const decileName = measure === "imd" ? "IMD decile" : "IMD-without-crime decile";
  if (!Number.isInteger(top) || top < 1) throw invalid(`top must be a whole number >= 1; got ${top}`);
  if (!Number.isInteger(maxDeprivedDecile) || maxDeprivedDecile < 1 || maxDeprivedDecile > 10) {
    throw invalid(`maxDeprivedDecile must be 1 to 10; got ${maxDeprivedDecile}`);
  }
  if (!(weights.crime >= 0 && weights.imd >= 0 && weights.crime + weights.imd > 0)) {
    throw invalid("weights must be 0 or more and not both 0, e.g. { crime: 0.5, imd: 0.5 }");
  }
  if (!Array.isArray(lsoas) || lsoas.length === 0) throw invalid("priority areas need at least one LSOA with counts, population and IMD decile");
  const seen = new Set<string>();
  for (const l of lsoas) {
    if (seen.has(l.code)) throw invalid(`LSOA ${l.code} appears twice`);
    seen.add(l.code);
    if (!Number.isInteger(l.count) || l.count < 0) throw invalid(`count for ${l.code} must be a whole number >= 0; got ${l.count}`);
    if (!Number.isFinite(l.population) || l.population <= 0) throw invalid(`population for ${l.code} (${l.name}) must be positive; got ${l.population}`);
    if (!Number.isInteger(l.imdDecile) || l.imdDecile < 1 || l.imdDecile > 10) throw invalid(`IMD decile for ${l.code} must be 1 to 10; got ${l.imdDecile}`);
    if (l.imdRank !== undefined && (!Number.isInteger(l.imdRank) || l.imdRank < 1)) throw invalid(`IMD rank for ${l.code} must be a whole number >= 1; got ${l.imdRank}`);
  }
  const notes: string[] = [];
  const wSum = weights.crime + weights.imd;
  const w = { crime: weights.crime / wSum, imd: weights.imd / wSum };
  const byRank = lsoas.every((l) => l.imdRank !== undefined);
  if (!byRank) notes.push("Not every LSOA has an IMD rank: deprivation is ranked by decile (ties share a percentile).");
  const n = lsoas.length;
  const rateMethod: PriorityRateMethod = opts.rates ?? "raw";
  if (rateMethod !== "raw" && rateMethod !== "empirical-bayes") throw invalid(`rates must be "raw" or "empirical-bayes"; got \`${String(rateMethod)}\``);
  const raw = lsoas.map((l) => (l.count / l.population) * 1000);
  const eb = empiricalBayesRates(lsoas);
  const smoothed = eb.areas.map((a) => a.smoothedRate);
  const rates = rateMethod === "raw" ? raw : smoothed;
  const crimeP = percentiles(rates);
  const depP = percentiles(lsoas.map((l) => (byRank ? -l.imdRank! : -l.imdDecile)));
  // 1 + number of strictly higher rates (ties share the better rank), via one sort: O(N log N)
  const desc = [...rates].sort((a, b) => b - a);
  const firstAt = new Map<number, number>();
  desc.forEach((r, i) => {
    if (!firstAt.has(r)) firstAt.set(r, i + 1);
  });
  const rateRank = rates.map((r) => firstAt.get(r)!);
  const scored = lsoas.map((l, i) => ({
    code: l.code,
    name: l.name,
    count: l.count,
    population: l.population,
    rate: raw[i]!,
    smoothedRate: smoothed[i]!,
    rateRank: rateRank[i]!,
    imdDecile: l.imdDecile,
    imdRank: l.imdRank ?? null,
    crimePercentile: crimeP[i]!,
    deprivationPercentile: depP[i]!,
    score: w.crime * crimeP[i]! + w.imd * depP[i]!,
    rank: 0,
    deprived: l.imdDecile <= maxDeprivedDecile,
    reason: "",
  }));
  const ranked = (x: { rate: number; smoothedRate: number }) => (rateMethod === "raw" ? x.rate : x.smoothedRate);
  scored.sort((a, b) => b.score - a.score || ranked(b) - ranked(a) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  scored.forEach((a, i) => {
    a.rank = i + 1;
    const decileText =
      a.imdDecile <= maxDeprivedDecile
        ? `${decileName} ${a.imdDecile} (in the most deprived ${a.imdDecile * 10}% in England)`
        : `${decileName} ${a.imdDecile}`;
    const position = `${a.rateRank === 1 ? "highest" : `${ordinal(a.rateRank)} highest`} of ${formatCount(n)}`;
    const rateText =
      rateMethod === "raw"
        ? `crime rate ${formatCount(a.rate, 1)} per 1,000 residents (${position})`
        : `smoothed crime rate ${formatCount(a.smoothedRate, 1)} per 1,000 residents (${position}; observed ${formatCount(a.rate, 1)})`;
    a.reason = `${rateText[0]!.toUpperCase()}${rateText.slice(1)}; ${decileText}`;
  });
  if (n < top) notes.push(`Only ${n} LSOAs given: all are returned.`);
  if (rates.every((r) => r === 0)) notes.push("No crimes in any LSOA: the ranking rests on deprivation alone.");
  else notes.push(rateNote(rateMethod, scored.slice(0, top).map((a) => a.code), otherTop(rateMethod === "raw" ? smoothed : raw), eb.params.pooledRate));
  function otherTop(other: number[]): string[] {
    const p = percentiles(other);
    return lsoas
      .map((l, i) => ({ code: l.code, rate: other[i]!, score: w.crime * p[i]! + w.imd * depP[i]! }))
      .sort((a, b) => b.score - a.score || b.rate - a.rate || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .slice(0, top)
      .map((a) => a.code);
  }
  return {
    areas: scored.slice(0, top),
    ranked: scored,
    params: {
      top,
      maxDeprivedDecile,
      weights,
      deprivationBy: byRank ? "IMD rank" : "IMD decile",
      deprivation: measure,
      deprivationMeasure: deprivationLabel(measure, opts.imdEdition),
      percentile: "Hazen (average rank - 0.5) / N",
      ratePer: 1000,
      rates: rateMethod,
      empiricalBayes: { method: eb.params.method, pooledRate: eb.params.pooledRate, priorVariance: eb.params.a * 1e6, varianceGuard: eb.params.varianceGuard },
    },
    notes,
  };
}

/** Which rate was ranked and how many of the top N the other rate would change. */
function rateNote(method: PriorityRateMethod, top: readonly string[], otherTop: readonly string[], pooled: number): string {
  const other = new Set(otherTop);
  const changed = top.filter((c) => !other.has(c)).length;
  const what =
    method === "raw"
      ? "Ranked on observed crime rates per 1,000 residents"
      : `Ranked on empirical Bayes crime rates (Marshall 1991: each LSOA's rate pulled towards the area's ${formatCount(pooled, 1)} per 1,000, the more the fewer its residents)`;
  const alt = method === "raw" ? "smoothed (empirical Bayes) rates" : "observed rates";
  return `${what}; ranked on ${alt}, ${changed === 0 ? `the same ${top.length} LSOAs would be listed` : `${changed} of the ${top.length} listed would differ`}.`;
}
