import { normalTwoSidedP } from "./normal.ts";

export interface MannKendallResult {
  /** S = Σ_{i<j} sign(x_j − x_i). */
  s: number;
  /** Var(S) with the ties correction: [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18. */
  varS: number;
  /** (S − sign(S)) / sqrt(Var S): continuity-corrected; 0 when Var(S) = 0. */
  z: number;
  /** Two-sided p from the standard normal. */
  p: number;
  /** Kendall's tau-b between the series and time: S / sqrt((n0 − n1) n0), n0 = n(n−1)/2, n1 = Σ t(t−1)/2. */
  tau: number;
}

/**
 * Mann–Kendall trend test (normal approximation with ties correction and continuity correction,
 * as Kendall::MannKendall in R). Ties are exact equality: round the series first if it comes from
 * floating-point arithmetic.
 */
export function mannKendall(x: readonly number[]): MannKendallResult {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i]!;
    for (let j = i + 1; j < n; j++) {
      const d = x[j]! - xi;
      if (d > 0) s++;
      else if (d < 0) s--;
    }
  }
  const sorted = [...x].sort((a, b) => a - b);
  let tieTerm = 0;
  let tiePairs = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) {
      tieTerm += t * (t - 1) * (2 * t + 5);
      tiePairs += (t * (t - 1)) / 2;
    }
    i = j;
  }
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = varS > 0 && s !== 0 ? (s - Math.sign(s)) / Math.sqrt(varS) : 0;
  const n0 = (n * (n - 1)) / 2;
  const tauDen = Math.sqrt((n0 - tiePairs) * n0);
  return { s, varS, z, p: normalTwoSidedP(z), tau: tauDen > 0 ? s / tauDen : 0 };
}
