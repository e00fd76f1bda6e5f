import { type MannKendallResult, mannKendall } from "./mann-kendall.ts";
import { normalTwoSidedP } from "./normal.ts";

export interface HamedRaoResult extends MannKendallResult {
  /** Var(S) before the correction (ties corrected), as `mannKendall`. */
  varSOriginal: number;
  /** The correction factor n/n*_s = 1 + 2/(n(n−1)(n−2)) Σ_k (n−k)(n−k−1)(n−k−2) ρ_s(k), significant lags only. */
  correction: number;
  /** Sen's slope used to detrend the series. */
  senSlope: number;
}

/** Average ranks (1-based), ties sharing the mean of their places, as R's `rank`. */
function ranks(v: readonly number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]! || a - b);
  const out = new Array<number>(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    while (j < order.length && v[order[j]!] === v[order[i]!]) j++;
    for (let k = i; k < j; k++) out[order[k]!] = (i + j + 1) / 2;
    i = j;
  }
  return out;
}

/**
 * Mann–Kendall with the Hamed and Rao (1998, J. Hydrology 204:182) variance correction for serially
 * correlated series, as R modifiedmk::mmkh: the series is detrended with Sen's slope, the
 * autocorrelations ρ_s(k) of the detrended ranks (R `acf`: demeaned, divided by n) are kept where
 * |ρ_s(k)| > z_(1+ci)/2 / sqrt(n) (else 0), Var(S) (ties corrected) is multiplied by n/n*_s and
 * z = (S − sign S) / sqrt(Var*(S)). A factor <= 0 (only possible with strong negative
 * autocorrelation) is not a variance: the uncorrected test is returned with correction 1.
 */
export function mannKendallHamedRao(x: readonly number[], ci = 0.95): HamedRaoResult {
  const base = mannKendall(x);
  const n = x.length;
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) slopes.push((x[j]! - x[i]!) / (j - i));
  slopes.sort((a, b) => a - b);
  const m = slopes.length;
  const senSlope = m === 0 ? 0 : m % 2 ? slopes[(m - 1) / 2]! : (slopes[m / 2 - 1]! + slopes[m / 2]!) / 2;
  const r = ranks(x.map((v, t) => v - senSlope * (t + 1)));
  const mean = r.reduce((s, v) => s + v, 0) / n;
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += (r[t]! - mean) ** 2;
  // z quantile of the two-sided (ci) level; 1.959963984540054 for 0.95
  const zq = ci === 0.95 ? 1.959963984540054 : normalQuantile((1 + ci) / 2);
  const sig = zq / Math.sqrt(n);
  let ess = 0;
  if (n >= 3 && c0 > 0) {
    for (let k = 1; k < n; k++) {
      let ck = 0;
      for (let t = 0; t + k < n; t++) ck += (r[t]! - mean) * (r[t + k]! - mean);
      const rho = ck / c0;
      if (rho > sig || rho < -sig) ess += (n - k) * (n - k - 1) * (n - k - 2) * rho;
    }
  }
  let correction = n >= 3 ? 1 + (2 / (n * (n - 1) * (n - 2))) * ess : 1;
  if (!(correction > 0)) correction = 1;
  const varS = base.varS * correction;
  const z = varS > 0 && base.s !== 0 ? (base.s - Math.sign(base.s)) / Math.sqrt(varS) : 0;
  return { ...base, varS, z, p: normalTwoSidedP(z), varSOriginal: base.varS, correction, senSlope };
}

/** Standard normal quantile by bisection on the two-sided p (only for levels other than 0.95). */
function normalQuantile(q: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (normalTwoSidedP(mid) / 2 > 1 - q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
