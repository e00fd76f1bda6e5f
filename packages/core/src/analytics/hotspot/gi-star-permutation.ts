import type { NeighbourList } from "./neighbours.ts";
import { SeededRandom } from "./prng.ts";

export interface GiStarPermutationOptions {
  /** Permutations per cell. Default 999. */
  permutations?: number;
  /** PRNG seed (sfc32). Default 1. */
  seed?: number;
  /**
   * "conditional" (default; spdep `localG_perm`, sfdep `local_gstar_perm`): the cell's own count
   * stays, its w − 1 neighbours are drawn from the other n − 1 cells. "total": all w counts of the
   * neighbourhood, the cell's own included, are drawn from all n cells (the randomisation null of
   * Getis and Ord's analytic z, whose mean and variance it reproduces exactly).
   */
  scheme?: "conditional" | "total";
}

export interface GiStarPermutationP {
  /**
   * Two-sided rank p, as spdep's "Pr(z != E(Gi)) Sim": r = the observed sum's rank among the
   * simulated sums and itself (ties at their average rank, truncated), p = 2 min(r, nsim + 2 − r) / (nsim + 1).
   * NaN where Gi* is undefined.
   */
  twoSided: Float64Array;
  /** Folded p (PySAL, rgeoda, spdep "Pr(folded) Sim"): (min(#sims >= obs, #sims < obs) + 1) / (nsim + 1). */
  folded: Float64Array;
  permutations: number;
  seed: number;
  scheme: "conditional" | "total";
}

/**
 * Permutation inference for Gi* with binary weights, self included. Conditional (default, as
 * sfdep's `local_gstar_perm` and spdep's `localG_perm` with `fix_i_in_Gstar_permutations = TRUE,
 * no_repeat_in_row = TRUE`): for each cell i, its own count stays at i and its w − 1 neighbours'
 * counts are replaced, `permutations` times, by w − 1 counts drawn without replacement from the
 * other n − 1 cells. Total: all w counts drawn from all n cells.
 * Σx is unchanged by a permutation, so comparing the neighbourhood sums is comparing Gi*.
 * One sfc32 stream, cells in order: the same seed gives the same p on every platform.
 * Cells whose `undefinedAt` is true (z undefined) get NaN.
 */
export function giStarPermutationP(x: ArrayLike<number>, nb: NeighbourList, undefinedAt: (i: number) => boolean, opts: GiStarPermutationOptions = {}): GiStarPermutationP {
  const nsim = opts.permutations ?? 999;
  const seed = opts.seed ?? 1;
  const fixOwn = (opts.scheme ?? "conditional") === "conditional";
  const n = x.length;
  const rng = new SeededRandom(seed);
  const twoSided = new Float64Array(n).fill(Number.NaN);
  const folded = new Float64Array(n).fill(Number.NaN);
  const { offsets, index } = nb;
  const xs = Float64Array.from(x as ArrayLike<number>);
  // pool: a permutation of the cell indices, pos its inverse. Conditional: i is swapped to the last
  // place first. Each simulation is a partial Fisher–Yates shuffle of the first n − 1 (conditional)
  // or n (total) places: k draws without replacement, no rejection, and the pool stays a permutation.
  const pool = new Int32Array(n);
  const pos = new Int32Array(n);
  for (let j = 0; j < n; j++) pool[j] = pos[j] = j;
  const buf = new Uint32Array(1 << 16);
  let at = buf.length;
  const U = 1 / 4294967296;
  for (let i = 0; i < n; i++) {
    if (undefinedAt(i)) continue;
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    let obs = 0;
    for (let q = a; q < b; q++) obs += xs[index[q]!]!;
    const k = fixOwn ? b - a - 1 : b - a; // counts drawn: the neighbours other than the cell itself, or all
    const own = fixOwn ? xs[i]! : 0;
    const tol = 1e-9 * Math.max(1, Math.abs(obs));
    const last = fixOwn ? n - 1 : n; // draw from the first `last` places of the pool
    if (fixOwn) {
      const pi = pos[i]!;
      const other = pool[n - 1]!;
      pool[pi] = other;
      pos[other] = pi;
      pool[n - 1] = i;
      pos[i] = n - 1;
    }
    let ge = 0;
    let gt = 0;
    let lt = 0;
    for (let s = 0; s < nsim; s++) {
      let sum = own;
      for (let m = 0; m < k; m++) {
        if (at === buf.length) {
          rng.fill(buf);
          at = 0;
        }
        const j = m + Math.floor(buf[at++]! * U * (last - m)); // uniform on [m, last)
        const pm = pool[m]!;
        const pj = pool[j]!;
        pool[m] = pj;
        pool[j] = pm;
        pos[pj] = m;
        pos[pm] = j;
        sum += xs[pj]!;
      }
      if (sum > obs + tol) gt++;
      if (sum >= obs - tol) ge++;
      else lt++;
    }
    const eq = ge - gt; // sims tied with obs
    const rank = Math.floor(lt + 1 + eq / 2); // average rank of obs among sims and obs, truncated (R as.integer)
    twoSided[i] = Math.min(1, (2 * Math.min(rank, nsim + 2 - rank)) / (nsim + 1));
    folded[i] = (Math.min(ge, nsim - ge) + 1) / (nsim + 1);
  }
  return { twoSided, folded, permutations: nsim, seed, scheme: fixOwn ? "conditional" : "total" };
}
