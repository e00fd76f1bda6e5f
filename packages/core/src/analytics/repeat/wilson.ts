/** Wilson score interval of a share (= R `prop.test(x, n, correct = FALSE)$conf.int`) and an exact Poisson interval of a count. */
import { qgamma } from "../stats/gamma.ts";
import { qnorm } from "../stats/normal-quantile.ts";
import type { CountWithInterval, ShareWithInterval } from "./local-incident.types.ts";

export function wilsonShare(count: number, total: number, confidence = 0.95): ShareWithInterval {
  if (total === 0) return { count, total, share: null, low: null, high: null };
  const z = qnorm(1 - (1 - confidence) / 2);
  const p = count / total;
  const z2n = (z * z) / total;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total));
  return { count, total, share: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Exact (Garwood) interval of a Poisson count, as R `poisson.test(x)$conf.int`. */
export function poissonCount(value: number, confidence = 0.95): CountWithInterval {
  const alpha = 1 - confidence;
  return { value, low: value === 0 ? 0 : qgamma(alpha / 2, value), high: qgamma(1 - alpha / 2, value + 1) };
}
