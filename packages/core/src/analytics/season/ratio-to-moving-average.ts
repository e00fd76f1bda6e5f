/**
 * Classical multiplicative decomposition of a monthly count series (ratio to moving average), after
 * adjusting each month to an average-length month (issue 13 item 7). It is R's
 * `decompose(ts(adjusted, frequency = 12), type = "multiplicative")`: checked against it in
 * seasonal-profile.golden.test.ts.
 *
 * Rules
 * - Days: count × (365.25 / 12) / days in the month (Gregorian), so February's 28 days do not
 *   read as a seasonal low and a 31-day month as a high.
 * - Trend: the centred 2×12 moving average (weights 1/24, 1/12 × 11, 1/24) of the adjusted
 *   series; only where all 13 months of its window have data (a missing month is never a zero).
 * - Ratios: adjusted / trend, where the trend is above 0. The index of calendar month c is the
 *   mean of its ratios, divided by the mean of the 12 means (so the indices average 100); with a
 *   calendar month that has no ratio, its index is null and the others are normalised over the
 *   months that have one.
 */
import { monthIndex } from "../../domain/month.ts";

export const AVERAGE_MONTH_DAYS = 365.25 / 12;

/** Days in the month with index `i` (monthIndex: year × 12 + month − 1). */
export function daysInMonthIndex(i: number): number {
  const year = Math.floor(i / 12);
  const m = i % 12;
  if (m === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]!;
}

export function daysInMonth(month: string): number {
  return daysInMonthIndex(monthIndex(month));
}

export interface Decomposition {
  /** Counts adjusted to an average-length month, by month index. */
  adjusted: Map<number, number>;
  /** Centred 2×12 moving average of the adjusted counts, where its whole window has data. */
  trend: Map<number, number>;
  /** Adjusted count / trend. */
  ratios: Map<number, number>;
  /** Seasonal index ×100 by calendar month (0 = January); null without a ratio. */
  index: (number | null)[];
  /** Ratios behind each calendar month's index. */
  ratiosPerMonth: number[];
}

/** The decomposition of counts by month index (present months only; absent = unknown). */
export function ratioToMovingAverage(present: ReadonlyMap<number, number>): Decomposition {
  const adjusted = new Map<number, number>();
  for (const [i, c] of present) adjusted.set(i, (c * AVERAGE_MONTH_DAYS) / daysInMonthIndex(i));
  const trend = new Map<number, number>();
  for (const i of adjusted.keys()) {
    let sum = 0;
    let whole = true;
    for (let k = -6; k <= 6 && whole; k++) {
      const v = adjusted.get(i + k);
      if (v === undefined) whole = false;
      else sum += Math.abs(k) === 6 ? v / 2 : v;
    }
    if (whole) trend.set(i, sum / 12);
  }
  const ratios = new Map<number, number>();
  const sums = Array(12).fill(0) as number[];
  const ns = Array(12).fill(0) as number[];
  for (const [i, t] of trend) {
    if (!(t > 0)) continue;
    const r = adjusted.get(i)! / t;
    ratios.set(i, r);
    sums[i % 12]! += r;
    ns[i % 12]!++;
  }
  const means = sums.map((s, c) => (ns[c]! > 0 ? s / ns[c]! : null));
  const known = means.filter((m): m is number => m !== null);
  const norm = known.length ? known.reduce((s, m) => s + m, 0) / known.length : 0;
  const index = means.map((m) => (m === null || !(norm > 0) ? null : (m / norm) * 100));
  return { adjusted, trend, ratios, index, ratiosPerMonth: ns };
}

/** The trend at `i`, or the nearest month's trend (the first and last 6 months have none of their own). */
export function trendNear(trend: ReadonlyMap<number, number>, i: number): number | null {
  if (trend.has(i)) return trend.get(i)!;
  let best: number | null = null;
  let dist = Number.POSITIVE_INFINITY;
  for (const [j, t] of trend) {
    const d = Math.abs(j - i);
    if (d < dist || (d === dist && j < i)) {
      dist = d;
      best = t;
    }
  }
  return best;
}
