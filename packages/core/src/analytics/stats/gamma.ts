/**
 * Regularised incomplete gamma P(a, x) and Q(a, x), the gamma quantile, and the Poisson
 * distribution function and quantile built on them (ppois(k, λ) = Q(k + 1, λ)).
 * The prefactor x^a e^-x / Γ(a+1) uses Loader's dpois (no cancellation for large a).
 */
import { dpoisRaw } from "./special.ts";

const FPMIN = 1e-300;
const EPS = 1e-16;
const MAX_ITER = 200_000;

/** P(X <= x) for X ~ Gamma(shape a, scale 1) (lowerTail) or P(X > x). */
export function pgamma(x: number, a: number, lowerTail = true): number {
  if (!(a > 0)) throw new RangeError(`pgamma needs shape > 0; got ${a}`);
  if (x <= 0) return lowerTail ? 0 : 1;
  if (x === Number.POSITIVE_INFINITY) return lowerTail ? 1 : 0;
  if (x < a + 1) {
    // series: P = x^a e^-x / Γ(a+1) * Σ x^n / ((a+1)...(a+n))
    let term = 1;
    let sum = 1;
    for (let n = 1; n <= MAX_ITER; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * EPS) break;
    }
    const pLow = dpoisRaw(a, x) * sum;
    return lowerTail ? pLow : 1 - pLow;
  }
  // continued fraction for Q (Numerical Recipes gcf, modified Lentz)
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const qUp = a * dpoisRaw(a, x) * h;
  return lowerTail ? 1 - qUp : qUp;
}

/** Gamma density (shape a, scale 1). */
export function dgamma(x: number, a: number): number {
  if (x <= 0) return 0;
  return (a * dpoisRaw(a, x)) / x;
}

/** The p-quantile of Gamma(shape a, scale 1). qgamma(p, k) = qchisq(p, 2k) / 2. */
export function qgamma(p: number, a: number): number {
  if (!(a > 0)) throw new RangeError(`qgamma needs shape > 0; got ${a}`);
  if (p <= 0) return 0;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const lower = p <= 0.5;
  const target = lower ? p : 1 - p;
  const g = (x: number) => (lower ? pgamma(x, a, true) - target : target - pgamma(x, a, false));
  let lo = 0;
  let hi = a + 10 * Math.sqrt(a) + 50;
  while (g(hi) < 0) hi *= 2;
  let x = Math.max(a, 1e-8);
  if (x >= hi) x = hi / 2;
  for (let i = 0; i < 2000; i++) {
    const gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lo = x;
    else hi = x;
    const dens = dgamma(x, a);
    let next = dens > 0 ? x - gx / dens : Number.NaN;
    if (!(next > lo && next < hi)) {
      next = lo === 0 ? hi / 16 : hi / lo > 4 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
      if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    }
    if (Math.abs(next - x) <= 2e-16 * Math.abs(x) || hi - lo <= 2e-16 * hi) return next;
    x = next;
  }
  return x;
}

/** P(X <= k) for X ~ Poisson(λ) (lowerTail) or P(X > k). */
export function ppois(k: number, lambda: number, lowerTail = true): number {
  const kk = Math.floor(k + 1e-7);
  if (kk < 0) return lowerTail ? 0 : 1;
  if (lambda === 0) return lowerTail ? 1 : 0;
  return pgamma(lambda, kk + 1, !lowerTail);
}

/** Poisson probability mass. */
export function dpois(k: number, lambda: number): number {
  if (k < 0 || !Number.isInteger(k)) return 0;
  return dpoisRaw(k, lambda);
}

/** Smallest k with P(X <= k) >= p, X ~ Poisson(λ) (R's qpois, with its 64-epsilon fuzz). */
export function qpois(p: number, lambda: number): number {
  if (lambda === 0 || p <= 0) return 0;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const want = p * (1 - 64 * Number.EPSILON);
  let lo = 0;
  let hi = Math.ceil(lambda + 10 * Math.sqrt(lambda) + 20);
  while (ppois(hi, lambda) < want) hi *= 2;
  if (ppois(0, lambda) >= want) return 0;
  // invariant: ppois(lo) < want <= ppois(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ppois(mid, lambda) >= want) hi = mid;
    else lo = mid;
  }
  return hi;
}
