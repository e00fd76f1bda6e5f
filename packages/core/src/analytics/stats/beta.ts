/**
 * Regularised incomplete beta I_x(a, b) and its inverse (the beta quantile).
 * The tail asked for is computed directly by a continued fraction (modified Lentz), never as
 * 1 - (other tail) when that tail is small, so tiny p-values keep their relative accuracy.
 */
import { dbinomRaw, lbeta } from "./special.ts";

const FPMIN = 1e-300;
const EPS = 1e-16;
const MAX_ITER = 200_000;

/** x^a (1-x)^b / B(a, b), via Loader's binomial density when a, b >= 1 (no cancellation). */
export function betaFront(x: number, a: number, b: number): number {
  if (x <= 0 || x >= 1) return 0;
  if (a >= 1 && b >= 1) return x * (1 - x) * (a + b - 1) * dbinomRaw(a - 1, a + b - 2, x, 1 - x);
  return Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b));
}

/** Continued fraction for I_x(a,b) (Numerical Recipes betacf, modified Lentz). */
function betacf(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/** P(X <= x) for X ~ Beta(a, b) (lowerTail) or P(X > x). */
export function pbeta(x: number, a: number, b: number, lowerTail = true): number {
  if (x <= 0) return lowerTail ? 0 : 1;
  if (x >= 1) return lowerTail ? 1 : 0;
  const front = betaFront(x, a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const low = (front * betacf(a, b, x)) / a;
    return lowerTail ? low : 1 - low;
  }
  const up = (front * betacf(b, a, 1 - x)) / b;
  return lowerTail ? 1 - up : up;
}

/** Beta density. */
export function dbeta(x: number, a: number, b: number): number {
  if (x <= 0 || x >= 1) return 0;
  return betaFront(x, a, b) / (x * (1 - x));
}

/** The p-quantile of Beta(a, b): safeguarded Newton iteration inside a shrinking bracket. */
export function qbeta(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lower = p <= 0.5;
  const target = lower ? p : 1 - p;
  // g(x) = F(x) - p, increasing in x; evaluated on the smaller tail for accuracy.
  const g = (x: number) => (lower ? pbeta(x, a, b, true) - target : target - pbeta(x, a, b, false));
  let lo = 0;
  let hi = 1;
  let x = a / (a + b);
  for (let i = 0; i < 2000; i++) {
    const gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lo = x;
    else hi = x;
    const dens = dbeta(x, a, b);
    let next = dens > 0 ? x - gx / dens : Number.NaN;
    if (!(next > lo && next < hi)) {
      // bisect; geometrically when the bracket spans orders of magnitude near 0 or 1
      if (lo === 0) next = hi / 16;
      else if (hi === 1 && 1 - lo < 1e-3) next = 1 - (1 - lo) / 16;
      else next = hi / lo > 4 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
      if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    }
    if (Math.abs(next - x) <= 2e-16 * Math.abs(x) || hi - lo <= 2e-16 * hi) return next;
    x = next;
  }
  return x;
}
