/**
 * A target's measured position (docs/decisions/0005-partnership-plan.md, "Performance"): goal,
 * latest value, change on the same period last year, direction of travel by polarity, RAG by the
 * indicator's rule set with its reason in words, the exact Poisson test for count indicators, and
 * a forecast to the deadline.
 */
import { invalid } from "../analytics/stats/check.ts";
import { formatCount, formatPercent } from "../analytics/stats/format.ts";
import { poissonTest } from "../analytics/trend/poisson-test.ts";
import { forecastToPeriod } from "./forecast.ts";
import { periodIndex, periodOfType, samePeriodLastYear } from "./periods.ts";
import type { Direction, Forecast, Indicator, IndicatorUnit, IndicatorValue, Polarity, Rag, Target, TargetPerformance } from "./plan.types.ts";

/** Significance level of the year-on-year Poisson test. */
export const SIGNIFICANCE_ALPHA = 0.05;
/** Level of the forecast's prediction interval. */
export const FORECAST_LEVEL = 0.95;
const EPS = 1e-9;

/** The value to reach: `targetValue`, or the baseline changed by `targetValue` percent (1000, -4 -> 960). */
export function targetGoal(target: Pick<Target, "kind" | "targetValue" | "baselineValue">): number {
  if (!Number.isFinite(target.targetValue)) throw invalid(`target value must be a number; got ${target.targetValue}`);
  if (target.kind === "value") return target.targetValue;
  if (target.kind === "change_percent") {
    if (!Number.isFinite(target.baselineValue)) throw invalid(`baseline value must be a number for a change target; got ${target.baselineValue}`);
    return (target.baselineValue * (100 + target.targetValue)) / 100;
  }
  throw invalid(`target kind must be value or change_percent; got \`${String(target.kind)}\``);
}

/** Improving when the change goes the polarity's way; no_comparison without last year's value. */
export function directionOfTravel(latest: number | null, lastYear: number | null, polarity: Polarity): Direction {
  if (latest === null || lastYear === null) return "no_comparison";
  if (latest === lastYear) return "no_change";
  const down = latest < lastYear;
  return down === (polarity === "lower_is_better") ? "improving" : "worsening";
}

/** How far `latest` is on the wrong side of `goal`, as a percent of |goal| (0 when on target; Infinity off a goal of 0). */
export function offTargetPercent(latest: number, goal: number, polarity: Polarity): number {
  const wrong = polarity === "lower_is_better" ? latest - goal : goal - latest;
  if (wrong <= EPS * Math.max(1, Math.abs(goal))) return 0;
  return goal === 0 ? Number.POSITIVE_INFINITY : (wrong * 100) / Math.abs(goal);
}

export function targetPerformance(target: Target, indicator: Indicator, series: readonly IndicatorValue[]): TargetPerformance {
  const type = indicator.periodType;
  periodOfType(type, target.deadline, `target ${target.id} deadline`);
  const values = checkedSeries(indicator, series);
  const goal = targetGoal(target);
  const tolerance = target.tolerancePercent ?? indicator.tolerancePercent;
  if (!Number.isFinite(tolerance) || tolerance < 0)
    throw invalid(`tolerance for target ${target.id} must be a percent of 0 or more; got ${tolerance}`);

  const latest = values.length > 0 ? values[values.length - 1]! : null;
  const lastYearPeriod = latest ? samePeriodLastYear(latest.period) : null;
  const lastYear = values.find((v) => v.period === lastYearPeriod) ?? null;
  const change =
    latest && lastYear
      ? {
          from: lastYear,
          absolute: latest.value - lastYear.value,
          // A rank moves by places: a percent of the old rank means nothing.
          percent: lastYear.value === 0 || indicator.unit === "rank" ? null : ((latest.value - lastYear.value) * 100) / lastYear.value,
        }
      : null;
  const direction = directionOfTravel(latest?.value ?? null, lastYear?.value ?? null, indicator.polarity);
  const { rag, ragReason } = ragFor({ latest, lastYear, lastYearPeriod, goal, tolerance, polarity: indicator.polarity, rule: indicator.ragRule, direction, unit: indicator.unit });

  let significance: TargetPerformance["significance"] = null;
  if (indicator.unit === "count" && latest && lastYear) {
    const test = poissonTest(latest.value, 1, lastYear.value, 1, { alpha: SIGNIFICANCE_ALPHA });
    significance = { pValue: test.pValue, significant: test.significant, method: `${test.params.method}, two-sided, alpha ${SIGNIFICANCE_ALPHA}: ${test.verdict}` };
  }
  return {
    targetId: target.id,
    indicatorKey: indicator.key,
    goal,
    latest,
    change,
    direction,
    rag,
    ragReason,
    significance,
    forecast: floorForecast(forecastToPeriod(values, target.deadline, FORECAST_LEVEL), indicator.unit),
  };
}

/** The least value each unit can take: counts, rates and percentages 0, ranks 1 (the best); a plain number has none. */
const UNIT_FLOOR: Readonly<Record<IndicatorUnit, { least: number; what: string } | null>> = {
  count: { least: 0, what: "a count cannot be below 0" },
  rate_per_1000: { least: 0, what: "a rate cannot be below 0" },
  percent: { least: 0, what: "a percentage cannot be below 0" },
  rank: { least: 1, what: "a rank cannot be better than 1" },
  number: null,
};

/** A straight line can run below what the unit allows (a falling count goes negative): the forecast and its interval are floored there, and the method says so. */
function floorForecast(f: Forecast | null, unit: IndicatorUnit): Forecast | null {
  const floor = UNIT_FLOOR[unit];
  if (!f || !floor || f.lower >= floor.least) return f;
  const note = f.value < floor.least ? `the line reaches ${formatValue(f.value)} in ${f.period}, so the forecast is ${floor.least}` : "the interval is cut";
  return {
    ...f,
    value: Math.max(f.value, floor.least),
    lower: floor.least,
    upper: Math.max(f.upper, floor.least),
    method: `${f.method}; ${note} (${floor.what})`,
  };
}

/**
 * A formatted figure with its unit, so it cannot be misread: "23.8%" (a change "−2.6 points"),
 * "2.67 per 1,000 residents", "rank 7" (a change "+1 places"); counts and plain numbers as they are.
 */
export function withUnit(figure: string, unit: IndicatorUnit, kind: "value" | "change" = "value"): string {
  if (unit === "percent") return kind === "change" ? `${figure} points` : `${figure}%`;
  if (unit === "rate_per_1000") return `${figure} per 1,000 residents`;
  if (unit === "rank") return kind === "change" ? `${figure} places` : `rank ${figure}`;
  return figure;
}

/** The series checked (periods of the indicator's type, one value each, finite; whole counts for count indicators) and sorted. */
function checkedSeries(indicator: Indicator, series: readonly IndicatorValue[]): IndicatorValue[] {
  const seen = new Set<string>();
  for (const v of series) {
    periodOfType(indicator.periodType, v.period, `indicator ${indicator.key} value period`);
    if (seen.has(v.period)) throw invalid(`indicator ${indicator.key} has two values for ${v.period}; keep one value per period`);
    seen.add(v.period);
    if (!Number.isFinite(v.value)) throw invalid(`indicator ${indicator.key} value for ${v.period} must be a number; got ${v.value}`);
    if (indicator.unit === "count" && (!Number.isInteger(v.value) || v.value < 0))
      throw invalid(`indicator ${indicator.key} counts, so its value for ${v.period} must be a whole number of 0 or more; got ${v.value}`);
  }
  return [...series].sort((a, b) => periodIndex(a.period) - periodIndex(b.period));
}

/** 1040 -> "1,040"; 12.345 -> "12.35" (at most 2 decimals). */
export function formatValue(n: number): string {
  const r = Math.round(n * 100) / 100;
  const dp = Number.isInteger(r) ? 0 : Math.abs(r * 10 - Math.round(r * 10)) < 1e-6 ? 1 : 2;
  return formatCount(r, dp);
}

interface RagInput {
  latest: IndicatorValue | null;
  lastYear: IndicatorValue | null;
  lastYearPeriod: string | null;
  goal: number;
  tolerance: number;
  polarity: Polarity;
  rule: Indicator["ragRule"];
  direction: Direction;
  /** Writes the values with their unit (23.8%); bare when absent. */
  unit?: IndicatorUnit;
}

/** RAG and its reason in words, by the `default` or `strict` rule. */
export function ragFor(x: RagInput): { rag: Rag; ragReason: string } {
  if (!x.latest) return { rag: "no_data", ragReason: "No value has been recorded for this indicator yet." };
  const d = offTargetPercent(x.latest.value, x.goal, x.polarity);
  const fig = (n: number) => withUnit(formatValue(n), x.unit ?? "number");
  const latest = `${fig(x.latest.value)} in ${x.latest.period}`;
  const bound = x.polarity === "lower_is_better" ? "at most" : "at least";
  if (d === 0) return { rag: "green", ragReason: `On target: ${latest} against a target of ${bound} ${fig(x.goal)}.` };
  const side = x.polarity === "lower_is_better" ? "above" : "below";
  const gap = Number.isFinite(d) ? `${formatPercent(d)}% ${side} the target of ${fig(x.goal)}` : `${side} the target of 0`;
  const tol = `${formatValue(x.tolerance)}% tolerance`;
  const within = d <= x.tolerance + EPS;
  const off = `${gap.charAt(0).toUpperCase()}${gap.slice(1)} (${latest})`;
  if (x.rule === "strict") {
    if (within) return { rag: "amber", ragReason: `${off}: within the ${tol}, but the strict rule is green only on target.` };
    return { rag: "red", ragReason: `${off}, beyond the ${tol}.` };
  }
  if (within) return { rag: "green", ragReason: `${off}, within the ${tol}.` };
  const before = x.lastYear ? `${fig(x.lastYear.value)} in ${x.lastYear.period}` : "";
  if (x.direction === "improving") return { rag: "amber", ragReason: `${off}, beyond the ${tol}, but improving on ${before}.` };
  const why =
    x.direction === "worsening"
      ? `worse than ${before}`
      : x.direction === "no_change"
        ? `no better than ${before}`
        : `with no value for ${x.lastYearPeriod} to show improvement`;
  return { rag: "red", ragReason: `${off}, beyond the ${tol} and not improving (${why}).` };
}
