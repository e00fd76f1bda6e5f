/**
 * Special functions for exact count statistics, written by hand so core stays dependency-free.
 *
 * - `lgamma`: Stirling's series with 8 correction terms for x >= 10 (absolute error < 1e-16 there);
 *   smaller x are shifted up with the recurrence Γ(x+1) = xΓ(x). This is more accurate than a
 *   Lanczos fit for the large arguments crime counts produce (tens of thousands).
 * - `lbeta`: R's nmath `lbeta` arrangement (the Stirling corrections are combined before the
 *   large terms cancel), so ln B(36340, 27215) keeps ~13 significant digits of the small result.
 * - `stirlerr`, `bd0`, `dbinomRaw`, `dpoisRaw`: Catherine Loader's saddle-point algorithm
 *   ("Fast and accurate computation of binomial probabilities", 2000), as in R's dbinom/dpois.
 */

const LN_SQRT_2PI = 0.9189385332046728; // ln(sqrt(2*pi))
const LN_2PI = 1.8378770664093456; // ln(2*pi)

/** Stirling correction: lgamma(x) - ((x-0.5)ln x - x + ln sqrt(2π)), for x >= 10. */
export function lgammaCorrection(x: number): number {
  const x2 = 1 / (x * x);
  // B_2k / (2k(2k-1)) for k = 1..8
  return (
    (1 / 12 +
      x2 *
        (-1 / 360 +
          x2 * (1 / 1260 + x2 * (-1 / 1680 + x2 * (1 / 1188 + x2 * (-691 / 360360 + x2 * (1 / 156 + x2 * (-3617 / 122400)))))))) /
    x
  );
}

/** ln Γ(x) for x > 0. */
export function lgamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lgamma needs x > 0; got ${x}`);
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + lgammaCorrection(x);
  let prod = 1;
  let y = x;
  while (y < 10) {
    prod *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + lgammaCorrection(y) - Math.log(prod);
}

/** ln B(a, b) for a, b > 0 (R nmath arrangement). */
export function lbeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) throw new RangeError(`lbeta needs a, b > 0; got ${a}, ${b}`);
  if (p >= 10) {
    const corr = lgammaCorrection(p) + lgammaCorrection(q) - lgammaCorrection(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = lgammaCorrection(q) - lgammaCorrection(p + q);
    return lgamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

/** stirlerr(n) = ln(n!) - ln(sqrt(2πn) (n/e)^n). */
export function stirlerr(n: number): number {
  if (n === 0) return 0;
  if (n <= 15) return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** bd0(x, np) = x ln(x/np) + np - x, computed without cancellation when x ≈ np. */
export function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    if (Math.abs(s) < Number.MIN_VALUE) return s;
    let ej = 2 * x * v;
    v = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / np) + np - x;
}

/** Binomial probability C(n,x) p^x q^(n-x) (x, n may be non-integer), q = 1 - p given separately. */
export function dbinomRaw(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) {
    if (n === 0) return 1;
    const lc = p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q);
    return Math.exp(lc);
  }
  if (x === n) {
    const lc = q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
    return Math.exp(lc);
  }
  if (x < 0 || x > n) return 0;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(lc - 0.5 * lf);
}

/** Poisson probability λ^x e^-λ / Γ(x+1) (x may be non-integer). */
export function dpoisRaw(x: number, lambda: number): number {
  if (lambda === 0) return x === 0 ? 1 : 0;
  if (x < 0) return 0;
  if (x === 0) return Math.exp(-lambda);
  return Math.exp(-stirlerr(x) - bd0(x, lambda)) / Math.sqrt(2 * Math.PI * x);
}
