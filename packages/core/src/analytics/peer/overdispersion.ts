/**
 * Over-dispersed funnel limits for crude rates (Spiegelhalter 2005, "Funnel plots for comparing
 * institutional performance", Statistics in Medicine 24:1185-1202, sections 5.2-5.3; and "Handling
 * over-dispersion of performance indicators", Quality and Safety in Health Care 14:347-351).
 *
 * Rates are per `per` residents (1,000). For area i with count O_i and population n_i, and the
 * target θ0 = the group's pooled rate (total count / total population × per):
 *   y_i = O_i / n_i × per,   V_i = θ0 × per / n_i   (the Poisson variance of y_i at θ0)
 *   z_i = (y_i − θ0) / √V_i = (O_i − E_i) / √E_i,  E_i = θ0 × n_i / per
 * (the same z on the rate scale and on the indirectly standardised ratio O/E with target 1).
 * - Winsorising: z-scores below the 10th percentile are set to it, above the 90th to it
 *   (percentiles by linear interpolation, R's `quantile` type 7, as FunnelPlotR).
 * - Dispersion ratio φ = (1/N) Σ z_w² (Spiegelhalter's estimate, eq. in section 5.2; FunnelPlotR's
 *   `phi_func`). The Pearson ratio Σ z²/(N − 1) (unwinsorised) and its χ² test on N − 1 degrees of
 *   freedom are reported beside it.
 * - Multiplicative model: limits θ0 ± z_α √(φ V_i) when φ > 1.
 * - Additive random-effects model: τ² = (N φ − (N − 1)) / (Σ w_i − Σ w_i² / Σ w_i), w_i = 1 / V_i,
 *   τ² = 0 when N φ ≤ N − 1; limits θ0 ± z_α √(V_i + τ²) when τ² > 0. τ² is in (per 1,000)².
 * - When the model does not apply (φ ≤ 1, or τ² = 0), or θ0 = 0, the exact Poisson limits are used
 *   (funnel-limits.ts) and the result says so. Lower limits are never below 0.
 */
import { invalid } from "../stats/check.ts";
import { pgamma } from "../stats/gamma.ts";
import { qnorm } from "../stats/normal-quantile.ts";
import type { FunnelLimit } from "./funnel-limits.ts";

export type FunnelMethod = "overdispersed" | "poisson";
export type DispersionModel = "multiplicative" | "additive";
export const FUNNEL_METHODS: readonly FunnelMethod[] = ["overdispersed", "poisson"];
export const DISPERSION_MODELS: readonly DispersionModel[] = ["multiplicative", "additive"];

export interface Dispersion {
  /** Areas in the group. */
  n: number;
  /** z_i = (O_i − E_i) / √E_i in the rows' order. */
  z: number[];
  /** The 10th and 90th percentiles the z-scores were winsorised to. */
  winsor: { fraction: number; lower: number; upper: number };
  zWinsorised: number[];
  /** Spiegelhalter's dispersion ratio φ = Σ z_w² / N. */
  phi: number;
  /** Σ z² / (N − 1), unwinsorised (Pearson χ² over its degrees of freedom). */
  pearsonRatio: number;
  /** P(χ²_{N−1} >= Σ z²): the test of no over-dispersion. */
  pValue: number;
  /** Between-area variance of the additive model, in (rate per `per`)²; 0 when N φ <= N − 1. */
  tau2: number;
}

/** R's quantile type 7 (linear interpolation between order statistics) of sorted values. */
export function quantileType7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * The dispersion of a group's rates around its pooled rate `groupRate` (per `per`). Null when the
 * pooled rate is 0 (no z-scores can be formed).
 */
export function rateDispersion(rows: readonly { count: number; population: number }[], groupRate: number, per = 1000, winsorFraction = 0.1): Dispersion | null {
  if (rows.length < 2) throw invalid(`dispersion needs at least 2 areas; got ${rows.length}`);
  if (!(winsorFraction >= 0 && winsorFraction < 0.5)) throw invalid(`the winsorising fraction must be from 0 to below 0.5; got ${winsorFraction}`);
  if (!(groupRate > 0)) return null;
  const n = rows.length;
  const v = rows.map((r) => (groupRate * per) / r.population);
  const z = rows.map((r, i) => ((r.count / r.population) * per - groupRate) / Math.sqrt(v[i]!));
  const sorted = [...z].sort((a, b) => a - b);
  const lower = quantileType7(sorted, winsorFraction);
  const upper = quantileType7(sorted, 1 - winsorFraction);
  const zWinsorised = z.map((x) => Math.min(upper, Math.max(lower, x)));
  const phi = zWinsorised.reduce((s, x) => s + x * x, 0) / n;
  const chi2 = z.reduce((s, x) => s + x * x, 0);
  const w = v.map((x) => 1 / x);
  const sw = w.reduce((s, x) => s + x, 0);
  const sw2 = w.reduce((s, x) => s + x * x, 0);
  const tau2 = n * phi > n - 1 ? Math.max(0, (n * phi - (n - 1)) / (sw - sw2 / sw)) : 0;
  return {
    n,
    z,
    winsor: { fraction: winsorFraction, lower, upper },
    zWinsorised,
    phi,
    pearsonRatio: chi2 / (n - 1),
    pValue: pgamma(chi2 / 2, (n - 1) / 2, false),
    tau2,
  };
}

/** True when the model widens the limits: φ > 1 (multiplicative) or τ² > 0 (additive). */
export function dispersionApplies(d: Dispersion | null, model: DispersionModel): boolean {
  if (!d) return false;
  return model === "multiplicative" ? d.phi > 1 : d.tau2 > 0;
}

/** Over-dispersed limits at `level` for an area of `population` around `groupRate` (per `per`). */
export function overdispersedLimits(groupRate: number, population: number, level: number, d: Dispersion, model: DispersionModel, per = 1000): FunnelLimit {
  if (!(population > 0)) throw invalid(`population must be positive for funnel limits; got ${population}`);
  if (!(level > 0 && level < 1)) throw invalid(`funnel level must be between 0 and 1; got ${level}`);
  const v = (groupRate * per) / population;
  const variance = model === "multiplicative" ? d.phi * v : v + d.tau2;
  const half = qnorm((1 + level) / 2) * Math.sqrt(variance);
  return { level, lower: Math.max(0, groupRate - half), upper: groupRate + half };
}
