/**
 * Exact conditional test comparing two Poisson rates, as R's `poisson.test(c(x1, x2), c(t1, t2))`.
 *
 * Given x1 + x2 = n crimes, x1 ~ Binomial(n, π) with π = r·t1 / (r·t1 + t2) under H0: rate1/rate2 = r.
 * - Two-sided p: R's binom.test rule: the sum of the probabilities of every outcome no more likely
 *   than the one observed, with a relative tolerance of 1e-7 (d·(1 + 1e-7)).
 * - Rate ratio (x1/t1) / (x2/t2) and its exact confidence interval: Clopper–Pearson limits (beta
 *   quantiles) for π, transformed by π/(1−π) · t2/t1.
 * The verdict describes rate 1 relative to rate 2: pass the later period first
 * (`poissonTest(thisYear, 12, lastYear, 12)`) and "fall" means the later rate is lower.
 */
import { qbeta } from "../stats/beta.ts";
import { dbinom, pbinom } from "../stats/binom.ts";
import { invalid, requireCount, requireLevel, requirePositive } from "../stats/check.ts";
import { formatP } from "../stats/format.ts";

export interface PoissonTestOptions {
  /** Confidence level of the rate-ratio interval. Default 0.95. */
  confLevel?: number;
  /** Significance level for the verdict. Default 0.05. */
  alpha?: number;
  /** Rate ratio under the null hypothesis. Default 1 (no change). */
  nullRatio?: number;
}

export interface PoissonTestResult {
  x1: number;
  t1: number;
  x2: number;
  t2: number;
  /** Two-sided exact p-value (1 when there are no crimes at all). */
  pValue: number;
  /** (x1/t1) / (x2/t2); null when x2 = 0 (infinite) or both counts are 0. */
  rateRatio: number | null;
  /** Exact interval for the rate ratio; `upper` null when unbounded (x2 = 0); null when n = 0. */
  confInt: { lower: number; upper: number | null } | null;
  /** Expected x1 under the null: n·r·t1/(r·t1 + t2). */
  expectedCount1: number;
  direction: "rise" | "fall" | "no change";
  significant: boolean;
  /** e.g. "a statistically significant fall (p = 0.003)", "no significant change (p = 0.412)". */
  verdict: string;
  params: { confLevel: number; alpha: number; nullRatio: number; alternative: "two.sided"; method: string };
  notes: string[];
}

/** R's binom.test two-sided p-value. The pmf is unimodal, so the counting loops are binary searches. */
export function binomTestTwoSided(x: number, n: number, p: number): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (p === 1) return x === n ? 1 : 0;
  const relErr = 1 + 1e-7;
  const d = dbinom(x, n, p);
  const m = n * p;
  if (x === m) return 1;
  const thr = d * relErr;
  let pv: number;
  if (x < m) {
    // y = #{ i in [ceil(m), n] : f(i) <= thr }, f decreasing there
    const start = Math.ceil(m);
    let y = 0;
    if (dbinom(n, n, p) <= thr) {
      let lo = start;
      let hi = n; // f(hi) <= thr
      if (dbinom(lo, n, p) <= thr) hi = lo;
      else {
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (dbinom(mid, n, p) <= thr) hi = mid;
          else lo = mid;
        }
      }
      y = n - hi + 1;
    }
    pv = pbinom(x, n, p) + pbinom(n - y, n, p, false);
  } else {
    // y = #{ i in [0, floor(m)] : f(i) <= thr }, f increasing there
    const end = Math.floor(m);
    let y = 0;
    if (dbinom(0, n, p) <= thr) {
      let lo = 0; // f(lo) <= thr
      let hi = end;
      if (dbinom(hi, n, p) <= thr) lo = hi;
      else {
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (dbinom(mid, n, p) <= thr) lo = mid;
          else hi = mid;
        }
      }
      y = lo + 1;
    }
    pv = pbinom(y - 1, n, p) + pbinom(x - 1, n, p, false);
  }
  return Math.min(1, pv);
}

export function poissonTest(x1: number, t1: number, x2: number, t2: number, opts: PoissonTestOptions = {}): PoissonTestResult {
  const confLevel = opts.confLevel ?? 0.95;
  const alpha = opts.alpha ?? 0.05;
  const nullRatio = opts.nullRatio ?? 1;
  requireCount("x1", x1);
  requireCount("x2", x2);
  requirePositive("t1 (exposure of period 1)", t1);
  requirePositive("t2 (exposure of period 2)", t2);
  requireLevel("confLevel", confLevel);
  requireLevel("alpha", alpha);
  if (!Number.isFinite(nullRatio) || nullRatio <= 0) throw invalid(`nullRatio must be a positive number; got ${nullRatio}`);
  const params = {
    confLevel,
    alpha,
    nullRatio,
    alternative: "two.sided" as const,
    method: "exact conditional binomial test (R poisson.test)",
  };
  const notes: string[] = [];
  const n = x1 + x2;
  const pi = (nullRatio * t1) / (nullRatio * t1 + t2);
  const expectedCount1 = n * pi;
  if (n === 0) {
    notes.push("No crimes in either period: there is nothing to test.");
    return {
      x1,
      t1,
      x2,
      t2,
      pValue: 1,
      rateRatio: null,
      confInt: null,
      expectedCount1: 0,
      direction: "no change",
      significant: false,
      verdict: "no crimes in either period",
      params,
      notes,
    };
  }
  const pValue = binomTestTwoSided(x1, n, pi);
  const a = (1 - confLevel) / 2;
  const pL = x1 === 0 ? 0 : qbeta(a, x1, n - x1 + 1);
  const pU = x1 === n ? 1 : qbeta(1 - a, x1 + 1, n - x1);
  const toRatio = (q: number) => ((q / (1 - q)) * t2) / t1;
  const confInt = { lower: toRatio(pL), upper: pU >= 1 ? null : toRatio(pU) };
  const rateRatio = x2 === 0 ? null : x1 / t1 / (x2 / t2);
  if (x2 === 0) notes.push("Period 2 has no crimes: the rate ratio and the upper confidence limit are infinite (null).");
  const r1 = x1 / t1;
  const r2 = x2 / t2;
  const direction = r1 > r2 ? "rise" : r1 < r2 ? "fall" : "no change";
  const significant = pValue < alpha;
  const verdict =
    significant && direction !== "no change"
      ? `a statistically significant ${direction} (${formatP(pValue)})`
      : `no significant change (${formatP(pValue)})`;
  return { x1, t1, x2, t2, pValue, rateRatio, confInt, expectedCount1, direction, significant, verdict, params, notes };
}
