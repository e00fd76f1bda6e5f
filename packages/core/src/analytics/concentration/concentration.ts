/**
 * concentration: how unevenly crime is spread over places (LSOAs or grid cells).
 *
 * Rules (N places, n crimes)
 * - Top shares: the k = ceil(p · N) places with the most crimes (ties broken by code, then input
 *   order), for p = 5% and 10% by default; share = their crimes / n. `placeShare` = k / N is the
 *   exact share of places used (it can exceed p when N is not a multiple of 1/p).
 * - Lorenz curve (standard form): places sorted by count ascending; points (i/N, cumulative share
 *   of crime) for i = 0..N. When N + 1 > maxLorenzPoints the curve is sampled at evenly spaced i.
 * - Gini (standard, "biased" as DescTools::Gini(unbiased = FALSE)):
 *   G = 2 Σ i·x(i) / (N Σ x) − (N + 1)/N, x ascending, i = 1..N. Its maximum is (N − 1)/N (all
 *   crime in one place), so [0, 0, 0, 5] gives 0.75.
 * - Generalised Gini (Bernasco & Steenbeek 2017, "More places than crimes", lorenzgini::gini with
 *   unbiased = FALSE): G' = max(1, N/n) · (G − 1) + 1. When n < N the most equal spread possible
 *   is n places with one crime each, whose standard Gini is 1 − n/N; G' rescales G so that this
 *   spread scores 0. When n >= N, G' = G.
 */
import { invalid } from "../stats/check.ts";

export type PlaceCount = number | { code: string; count: number };

export interface ConcentrationOptions {
  /** Shares of places to report. Default [0.05, 0.1]. */
  topShares?: number[];
  /** Most Lorenz points returned. Default 1001. */
  maxLorenzPoints?: number;
}

export interface TopShare {
  /** The share of places asked for (0.05). */
  p: number;
  places: number;
  placeShare: number;
  count: number;
  /** Share of all crime in those places; null when there are no crimes. */
  share: number | null;
  /** Codes of those places, when codes were given. */
  codes: string[] | null;
}

export interface ConcentrationResult {
  places: number;
  crimes: number;
  placesWithCrime: number;
  top: TopShare[];
  lorenz: { places: number; crimes: number }[];
  gini: number | null;
  generalisedGini: number | null;
  /** Most equal standard Gini possible with n crimes in N places: max(0, 1 − n/N). */
  minimumGini: number;
  /** Most concentrated standard Gini possible: (N − 1)/N. */
  maximumGini: number;
  params: { topShares: number[]; maxLorenzPoints: number; gini: "standard (biased)"; generalised: "Bernasco & Steenbeek (2017)" };
  notes: string[];
}

export function concentration(counts: readonly PlaceCount[], opts: ConcentrationOptions = {}): ConcentrationResult {
  const topShares = opts.topShares ?? [0.05, 0.1];
  const maxLorenzPoints = opts.maxLorenzPoints ?? 1001;
  for (const p of topShares) if (!(p > 0 && p <= 1)) throw invalid(`topShares must be between 0 and 1 (e.g. 0.05); got ${p}`);
  if (!Number.isInteger(maxLorenzPoints) || maxLorenzPoints < 2) throw invalid(`maxLorenzPoints must be a whole number >= 2; got ${maxLorenzPoints}`);
  if (!Array.isArray(counts) || counts.length === 0) throw invalid("concentration needs the crime count of at least one place");
  const withCodes = typeof counts[0] === "object";
  const rows = counts.map((c, i) => {
    const code = typeof c === "number" ? null : c.code;
    const count = typeof c === "number" ? c : c.count;
    if ((code === null) === withCodes) throw invalid("give either plain counts or { code, count } rows, not a mix");
    if (!Number.isInteger(count) || count < 0) throw invalid(`count of place ${code ?? i} must be a whole number >= 0; got ${count}`);
    return { code, count, i };
  });
  const N = rows.length;
  const n = rows.reduce((s, r) => s + r.count, 0);
  const notes: string[] = [];
  const params = { topShares, maxLorenzPoints, gini: "standard (biased)" as const, generalised: "Bernasco & Steenbeek (2017)" as const };
  const desc = [...rows].sort(
    (a, b) => b.count - a.count || (a.code !== null && b.code !== null && a.code !== b.code ? (a.code < b.code ? -1 : 1) : a.i - b.i),
  );
  const top: TopShare[] = topShares.map((p) => {
    const k = Math.min(N, Math.max(1, Math.ceil(p * N - 1e-9)));
    const chosen = desc.slice(0, k);
    const count = chosen.reduce((s, r) => s + r.count, 0);
    return { p, places: k, placeShare: k / N, count, share: n > 0 ? count / n : null, codes: withCodes ? chosen.map((r) => r.code!) : null };
  });
  const asc = rows.map((r) => r.count).sort((a, b) => a - b);
  const cum = [0];
  for (const x of asc) cum.push(cum[cum.length - 1]! + x);
  const step = N + 1 > maxLorenzPoints ? N / (maxLorenzPoints - 1) : 1;
  const lorenz: ConcentrationResult["lorenz"] = [];
  const pointCount = Math.min(N + 1, maxLorenzPoints);
  for (let j = 0; j < pointCount; j++) {
    const i = j === pointCount - 1 ? N : Math.round(j * step);
    lorenz.push({ places: i / N, crimes: n > 0 ? cum[i]! / n : 0 });
  }
  if (step !== 1) notes.push(`Lorenz curve sampled at ${maxLorenzPoints} points of ${N + 1}.`);
  const minimumGini = Math.max(0, 1 - n / N);
  const maximumGini = (N - 1) / N;
  let gini: number | null = null;
  let generalisedGini: number | null = null;
  if (n === 0) {
    notes.push("No crimes in any place: concentration is not defined.");
  } else {
    let s = 0;
    asc.forEach((x, idx) => {
      s += (idx + 1) * x;
    });
    gini = (2 * s) / (N * n) - (N + 1) / N;
    if (Math.abs(gini) < 1e-15) gini = 0;
    generalisedGini = Math.max(1, N / n) * (gini - 1) + 1;
    if (Math.abs(generalisedGini) < 1e-15) generalisedGini = 0;
    if (n < N) {
      notes.push(
        `Fewer crimes (${n}) than places (${N}): the standard Gini cannot fall below ${minimumGini.toFixed(3)}; use the generalised Gini.`,
      );
    }
  }
  return {
    places: N,
    crimes: n,
    placesWithCrime: rows.filter((r) => r.count > 0).length,
    top,
    lorenz,
    gini,
    generalisedGini,
    minimumGini,
    maximumGini,
    params,
    notes,
  };
}
