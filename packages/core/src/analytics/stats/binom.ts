/** Exact binomial distribution: density (Loader) and distribution function (via the incomplete beta). */
import { pbeta } from "./beta.ts";
import { dbinomRaw } from "./special.ts";

export function dbinom(x: number, n: number, p: number): number {
  if (x < 0 || x > n || !Number.isInteger(x)) return 0;
  return dbinomRaw(x, n, p, 1 - p);
}

/** P(X <= k) for X ~ Binomial(n, p) (lowerTail) or P(X > k). */
export function pbinom(k: number, n: number, p: number, lowerTail = true): number {
  const kk = Math.floor(k + 1e-7);
  if (kk < 0) return lowerTail ? 0 : 1;
  if (kk >= n) return lowerTail ? 1 : 0;
  if (p <= 0) return lowerTail ? 1 : 0;
  if (p >= 1) return lowerTail ? 0 : 1;
  // P(X <= k) = 1 - I_p(k+1, n-k)
  return pbeta(p, kk + 1, n - kk, !lowerTail);
}
