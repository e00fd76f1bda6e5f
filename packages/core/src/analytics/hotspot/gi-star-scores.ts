import type { NeighbourList } from "./neighbours.ts";

export interface GiStarScores {
  /** z per cell; NaN where the statistic is undefined (s² = 0, or a cell whose neighbourhood is every cell). */
  z: Float64Array;
  mean: number;
  /** s² = Σ(x − x̄)² / n, as spdep. */
  variance: number;
}

/**
 * Getis-Ord Gi* with binary weights, self included: exactly spdep's
 * `localG(x, nb2listw(include.self(nb), style = "B"))`:
 * z_i = (Σ_j w_ij x_j − W_i x̄) / sqrt(s² (n S1_i − W_i²) / (n − 1)), s² = Σ(x − x̄)² / n,
 * W_i = Σ_j w_ij, S1_i = Σ_j w_ij² (= W_i for binary weights).
 */
export function giStarScores(x: ArrayLike<number>, nb: NeighbourList): GiStarScores {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const mean = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  const variance = n > 0 ? ss / n : Number.NaN;
  const z = new Float64Array(n);
  const { offsets, index } = nb;
  for (let i = 0; i < n; i++) {
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    let lx = 0;
    for (let k = a; k < b; k++) lx += x[index[k]!]!;
    const w = b - a;
    const denom = variance * ((n * w - w * w) / (n - 1));
    z[i] = n > 1 && denom > 0 ? (lx - w * mean) / Math.sqrt(denom) : Number.NaN;
  }
  return { z, mean, variance };
}
