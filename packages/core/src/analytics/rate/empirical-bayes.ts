/**
 * empiricalBayesRates: global empirical Bayes smoothing of small-area rates (Marshall 1991), as R
 * `spdep::EBest(n, x, family = "poisson")` computes it.
 *
 * Rules (per resident; the result also gives every rate per 1,000)
 * - Raw rate r_i = n_i / x_i (n = crimes, x = residents).
 * - Prior mean b = Σn / Σx (the pooled rate of all the areas given).
 * - Method-of-moments prior variance a = s² − b / x̄, with s² = Σ x_i (r_i − b)² / Σx and
 *   x̄ = Σx / N. When a < 0 (the rates vary less than Poisson chance alone would make them),
 *   a = 0: every area is shrunk all the way to b (Marshall's guard; `varianceGuard: true`).
 * - Smoothed rate θ_i = b + w_i (r_i − b), w_i = a / (a + b / x_i): an area keeps more of its own
 *   rate the larger its population and the more the rates really differ.
 * - No crime at all (b = 0): every smoothed rate is 0 (spdep returns NaN there).
 *
 * Reference: Marshall R.J. (1991) "Mapping disease and mortality rates using empirical Bayes
 * estimators", Applied Statistics 40(2):283–294; Bivand R., spdep `EBest`. The smoothed rates
 * depend on the set of areas given (they are pulled towards that set's pooled rate).
 */
import { invalid } from "../stats/check.ts";

export interface EmpiricalBayesArea {
  code: string;
  count: number;
  population: number;
}

export interface EmpiricalBayesRate {
  code: string;
  count: number;
  population: number;
  /** Raw rate per 1,000 residents. */
  rate: number;
  /** Empirical Bayes rate per 1,000 residents. */
  smoothedRate: number;
  /** Weight of the area's own rate, w_i = a / (a + b / x_i), 0..1. */
  weight: number;
}

export interface EmpiricalBayesResult {
  areas: EmpiricalBayesRate[];
  params: {
    method: "global empirical Bayes (Marshall 1991), moment estimator";
    /** Prior mean b per resident (= spdep's attr "parameters"$b). */
    b: number;
    /** Prior variance a per resident² after the guard (= spdep's attr "parameters"$a). */
    a: number;
    /** The moment estimate before the guard. */
    aUnguarded: number;
    varianceGuard: boolean;
    /** b per 1,000 residents. */
    pooledRate: number;
    ratePer: 1000;
  };
  notes: string[];
}

export function empiricalBayesRates(areas: readonly EmpiricalBayesArea[]): EmpiricalBayesResult {
  if (!Array.isArray(areas) || areas.length === 0) throw invalid("empirical Bayes smoothing needs at least one area with a count and a population");
  let nSum = 0;
  let xSum = 0;
  for (const a of areas) {
    if (!Number.isInteger(a.count) || a.count < 0) throw invalid(`count for ${a.code} must be a whole number >= 0; got ${a.count}`);
    if (!Number.isFinite(a.population) || a.population <= 0) throw invalid(`population for ${a.code} must be positive; got ${a.population}`);
    nSum += a.count;
    xSum += a.population;
  }
  const m = areas.length;
  const b = nSum / xSum;
  const raw = areas.map((a) => a.count / a.population);
  let s2 = 0;
  areas.forEach((a, i) => {
    s2 += (a.population * (raw[i]! - b) ** 2) / xSum;
  });
  const aUnguarded = s2 - b / (xSum / m);
  const varianceGuard = aUnguarded < 0;
  const aHat = varianceGuard ? 0 : aUnguarded;
  const notes: string[] = [];
  if (b === 0) notes.push("No crimes in any area: every smoothed rate is 0.");
  else if (varianceGuard) notes.push("The rates vary no more than chance alone would make them (the moment estimate of the prior variance is negative, so it is set to 0): every smoothed rate is the pooled rate.");
  const out = areas.map((a, i) => {
    const weight = b === 0 ? 0 : aHat / (aHat + b / a.population);
    const theta = b + weight * (raw[i]! - b);
    return { code: a.code, count: a.count, population: a.population, rate: raw[i]! * 1000, smoothedRate: theta * 1000, weight };
  });
  return {
    areas: out,
    params: {
      method: "global empirical Bayes (Marshall 1991), moment estimator",
      b,
      a: aHat,
      aUnguarded,
      varianceGuard,
      pooledRate: b * 1000,
      ratePer: 1000,
    },
    notes,
  };
}
