/**
 * Forecast of an indicator to a later period: ordinary least squares on the series (period index
 * against value), extrapolated, with a prediction interval from Student's t on n - 2 degrees of
 * freedom: yhat ± t(1 - (1-level)/2, n-2) · s · sqrt(1 + 1/n + (x0 - xbar)² / Sxx).
 */
import { qbeta } from "../analytics/stats/beta.ts";
import { invalid, requireLevel } from "../analytics/stats/check.ts";
import { periodIndex, requirePlanPeriod } from "./periods.ts";
import type { Forecast, IndicatorValue } from "./plan.types.ts";

/** Fewest points a trend is fitted to (two for the line, two more for its error). */
export const FORECAST_MIN_POINTS = 4;

/**
 * The p-quantile of Student's t with `df` degrees of freedom, through the beta quantile:
 * P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2), so for p > 0.5, x = qbeta(2(1-p), df/2, 1/2) and t = sqrt(df(1-x)/x).
 */
export function qt(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw invalid(`p must be between 0 and 1 (e.g. 0.975); got ${p}`);
  if (!(Number.isFinite(df) && df > 0)) throw invalid(`degrees of freedom must be a positive number; got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -qt(1 - p, df);
  const x = qbeta(2 * (1 - p), df / 2, 0.5);
  return Math.sqrt((df * (1 - x)) / x);
}

export interface LinearTrend {
  n: number;
  slope: number;
  intercept: number;
  /** Residual standard error s = sqrt(SSE / (n - 2)). */
  residualSe: number;
  xMean: number;
  /** Σ(x - xbar)². */
  sxx: number;
}

/** The OLS line through `points` (at least 3, at least two distinct x). */
export function linearTrend(points: ReadonlyArray<{ x: number; y: number }>): LinearTrend {
  const n = points.length;
  if (n < 3) throw invalid(`a linear trend needs at least 3 points; got ${n}`);
  for (const [i, p] of points.entries())
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw invalid(`point ${i + 1} must have finite x and y; got (${p.x}, ${p.y})`);
  const xMean = points.reduce((s, p) => s + p.x, 0) / n;
  const yMean = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - xMean) ** 2;
    sxy += (p.x - xMean) * (p.y - yMean);
  }
  if (sxx === 0) throw invalid("a linear trend needs points at two or more different x values");
  const slope = sxy / sxx;
  const intercept = yMean - slope * xMean;
  const sse = points.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  return { n, slope, intercept, residualSe: Math.sqrt(sse / (n - 2)), xMean, sxx };
}

/** The line's prediction at `x` with its `level` prediction interval for a new observation. */
export function predictInterval(trend: LinearTrend, x: number, level = 0.95): { value: number; lower: number; upper: number } {
  requireLevel("level", level);
  const value = trend.intercept + trend.slope * x;
  const se = trend.residualSe * Math.sqrt(1 + 1 / trend.n + (x - trend.xMean) ** 2 / trend.sxx);
  const half = qt(1 - (1 - level) / 2, trend.n - 2) * se;
  return { value, lower: value - half, upper: value + half };
}

/**
 * Forecast `series` to `period` (same period type) with a `level` prediction interval; null when
 * the series has fewer than FORECAST_MIN_POINTS values or `period` is not after its last period.
 * Gaps are allowed: x is each period's index, so a missing quarter is simply absent.
 */
export function forecastToPeriod(series: readonly IndicatorValue[], period: string, level = 0.95): Forecast | null {
  const type = requirePlanPeriod(period, "forecast period");
  const seen = new Set<string>();
  for (const [i, v] of series.entries()) {
    const t = requirePlanPeriod(v.period, `series[${i}].period`);
    if (t !== type) throw invalid(`series[${i}].period \`${v.period}\` is a ${t}, but the forecast period \`${period}\` is a ${type}; use one period type`);
    if (seen.has(v.period)) throw invalid(`series has two values for ${v.period}; keep one value per period`);
    seen.add(v.period);
    if (!Number.isFinite(v.value)) throw invalid(`series value for ${v.period} must be a finite number; got ${v.value}`);
  }
  if (series.length < FORECAST_MIN_POINTS) return null;
  const sorted = [...series].sort((a, b) => periodIndex(a.period) - periodIndex(b.period));
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const origin = periodIndex(first.period);
  const x0 = periodIndex(period) - origin;
  if (x0 <= periodIndex(last.period) - origin) return null;
  const trend = linearTrend(sorted.map((v) => ({ x: periodIndex(v.period) - origin, y: v.value })));
  const { value, lower, upper } = predictInterval(trend, x0, level);
  const ahead = x0 - (periodIndex(last.period) - origin);
  const span = periodIndex(last.period) - origin;
  const far = ahead > span ? `; ${period} is ${ahead} periods after the last value, further ahead than the ${span} periods the values span: a rough guide only` : "";
  return {
    period,
    value,
    lower,
    upper,
    level,
    method: `linear trend (ordinary least squares) over ${trend.n} values ${first.period} to ${last.period}; ${Math.round(level * 100)}% prediction interval (Student's t, ${trend.n - 2} df)${far}`,
  };
}
