/**
 * yearOnYear: the latest 12 months against the 12 before (issue 12), with an exact Poisson test.
 *
 * Rules
 * - The current year is the `length` (12) months ending at `to`; the previous year the `length`
 *   months before it. A month counts only when it and the same month a year earlier both have data
 *   (count not null): totals are over these comparable months only, so a missing month never
 *   makes a fall. The result names them (`comparableMonths`) and the months left out.
 * - No comparable month: `comparable: false` with the reason.
 * - Test: poissonTest(current, k, previous, k) with k comparable months (equal exposure), later
 *   period first, so "fall" means the later year is lower. % change null when the previous total is 0.
 * - Labels: "the 12 months to December 2025" and "the 12 months to December 2024"; with months
 *   left out, "(11 months with data in both years)" is added to the current label.
 * - `lag` (default `length`) is how far back the other window lies: `yearOnYear(m, to, 3, 12)` is
 *   the same 3 months a year earlier ("the same quarter last year"); it is at least `length`, so
 *   the two windows never overlap.
 */
import { addMonths, isMonth, monthRange } from "../../domain/month.ts";
import { invalid } from "../stats/check.ts";
import { MONTH_NAMES } from "../stats/format.ts";
import type { MonthlyCount } from "./monthly.ts";
import { type PoissonTestResult, poissonTest } from "./poisson-test.ts";

export interface YearOnYearSide {
  from: string;
  to: string;
  label: string;
  /** Sum over the comparable months; null when not comparable. */
  count: number | null;
}

export interface YearOnYearResult {
  current: YearOnYearSide;
  previous: YearOnYearSide;
  length: number;
  /** Months of the current year compared (each with its month a year earlier). */
  comparableMonths: string[];
  /** Months of the current year left out, with why. */
  leftOut: { month: string; reason: string }[];
  comparable: boolean;
  reason: string | null;
  change: number | null;
  changePct: number | null;
  test: PoissonTestResult | null;
}

function monthWords(m: string): string {
  return `${MONTH_NAMES[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;
}

export function yearOnYear(monthly: readonly MonthlyCount[], to: string, length = 12, lag = length): YearOnYearResult {
  if (!isMonth(to)) throw invalid(`the last month must be YYYY-MM; got \`${to}\``);
  if (!Number.isInteger(length) || length < 1 || length > 120) throw invalid(`a year-on-year comparison compares 1 to 120 months; got ${length}`);
  if (!Number.isInteger(lag) || lag < length || lag > 120) throw invalid(`the earlier window lies ${length} to 120 months back (it may not overlap); got ${lag}`);
  const byMonth = new Map<string, number | null>();
  for (const m of monthly) {
    if (m.count !== null && (!Number.isInteger(m.count) || m.count < 0)) throw invalid(`count for ${m.month} must be a whole number >= 0 or null; got ${m.count}`);
    byMonth.set(m.month, m.count);
  }
  const curFrom = addMonths(to, -(length - 1));
  const prevTo = addMonths(to, -lag);
  const prevFrom = addMonths(prevTo, -(length - 1));
  const span = length === 12 ? "12 months" : `${length} months`;
  const comparableMonths: string[] = [];
  const leftOut: { month: string; reason: string }[] = [];
  let cur = 0;
  let prev = 0;
  for (const m of monthRange(curFrom, to)) {
    const earlier = addMonths(m, -lag);
    const a = byMonth.get(m) ?? null;
    const b = byMonth.get(earlier) ?? null;
    if (a === null || b === null) {
      const missing = [a === null ? m : null, b === null ? earlier : null].filter((x): x is string => x !== null);
      leftOut.push({ month: m, reason: `no data for ${missing.join(" and ")}` });
      continue;
    }
    comparableMonths.push(m);
    cur += a;
    prev += b;
  }
  const k = comparableMonths.length;
  const both = lag % 12 === 0 ? "both years" : "both periods";
  const partial = k > 0 && k < length ? ` (${k} ${k === 1 ? "month" : "months"} with data in ${both})` : "";
  const base = {
    length,
    comparableMonths,
    leftOut,
  };
  if (k === 0) {
    return {
      ...base,
      current: { from: curFrom, to, label: `the ${span} to ${monthWords(to)}`, count: null },
      previous: { from: prevFrom, to: prevTo, label: `the ${span} to ${monthWords(prevTo)}`, count: null },
      comparable: false,
      reason: `no month of ${curFrom} to ${to} has data in ${both}`,
      change: null,
      changePct: null,
      test: null,
    };
  }
  const test = poissonTest(cur, k, prev, k);
  return {
    ...base,
    current: { from: curFrom, to, label: `the ${span} to ${monthWords(to)}${partial}`, count: cur },
    previous: { from: prevFrom, to: prevTo, label: `the ${span} to ${monthWords(prevTo)}`, count: prev },
    comparable: true,
    reason: null,
    change: cur - prev,
    changePct: prev === 0 ? null : ((cur - prev) / prev) * 100,
    test,
  };
}
