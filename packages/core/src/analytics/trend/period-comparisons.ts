/**
 * The comparisons Strategic Assessments use besides the latest change (issue 12 item 1): rolling 12
 * months by month, the same quarter last year, and financial (April–March) and calendar years with
 * 3–5 years of history, each change with its exact Poisson test.
 *
 * Rules
 * - A missing month (count null) is unknown, never zero. A rolling 12-month total is given only when
 *   all 12 months have data; otherwise it is null and `monthsWithData` says how many had.
 * - A year's total sums its months with data; `complete` says whether all 12 had. Its change against
 *   the year before is yearOnYear at the year's last month: over the months with data in both
 *   years only, so a missing month never makes a fall, and the label names a partial comparison.
 * - The same quarter last year is yearOnYear(monthly, to, 3, 12): the 3 months ending at `to`
 *   against the same 3 months a year earlier.
 * - History lists at most `maxYears` (default 5) years, latest last, from the first year with data.
 */
import { addMonths, isMonth, monthIndex, monthRange } from "../../domain/month.ts";
import { invalid } from "../stats/check.ts";
import type { MonthlyCount } from "./monthly.ts";
import { type YearOnYearResult, yearOnYear } from "./year-on-year.ts";

export interface RollingTotal {
  /** The last month of the 12. */
  month: string;
  /** Sum of the 12 months ending here; null unless all 12 have data. */
  total: number | null;
  monthsWithData: number;
}

export type YearKind = "financial" | "calendar";

export interface YearTotal {
  /** "2024/25" (April 2024 to March 2025) or "2025". */
  year: string;
  from: string;
  to: string;
  /** Sum over the months with data; null when none has. */
  count: number | null;
  monthsWithData: number;
  complete: boolean;
  /** Against the year before, over months with data in both; null for the first year listed. */
  change: YearOnYearResult | null;
}

export interface PeriodComparisons {
  sameQuarterLastYear: YearOnYearResult;
  rolling12: RollingTotal[];
  financialYears: YearTotal[];
  calendarYears: YearTotal[];
}

function countsByMonth(monthly: readonly MonthlyCount[]): Map<string, number | null> {
  const byMonth = new Map<string, number | null>();
  for (const m of monthly) {
    if (!isMonth(m.month)) throw invalid(`month must be YYYY-MM; got \`${m.month}\``);
    if (m.count !== null && (!Number.isInteger(m.count) || m.count < 0)) throw invalid(`count for ${m.month} must be a whole number >= 0 or null; got ${m.count}`);
    byMonth.set(m.month, m.count);
  }
  return byMonth;
}

/** Rolling 12-month totals for every month of `monthly` from the 12th month after its first month with data (sorted by month). */
export function rollingTwelve(monthly: readonly MonthlyCount[]): RollingTotal[] {
  const byMonth = countsByMonth(monthly);
  const months = [...byMonth.keys()].sort();
  const first = months.find((m) => byMonth.get(m) !== null);
  if (first === undefined) return [];
  const all = monthRange(first, months.at(-1)!);
  const out: RollingTotal[] = [];
  let sum = 0;
  let withData = 0;
  for (let i = 0; i < all.length; i++) {
    const add = byMonth.get(all[i]!) ?? null;
    if (add !== null) {
      sum += add;
      withData++;
    }
    if (i >= 12) {
      const drop = byMonth.get(all[i - 12]!) ?? null;
      if (drop !== null) {
        sum -= drop;
        withData--;
      }
    }
    if (i >= 11) out.push({ month: all[i]!, total: withData === 12 ? sum : null, monthsWithData: withData });
  }
  return out;
}

/** The last month of the year `month` falls in. */
function yearEnd(month: string, kind: YearKind): string {
  const y = Math.floor(monthIndex(month) / 12);
  if (kind === "calendar") return `${y}-12`;
  return Number(month.slice(5, 7)) >= 4 ? `${y + 1}-03` : `${y}-03`;
}

function yearName(end: string, kind: YearKind): string {
  const y = Number(end.slice(0, 4));
  return kind === "calendar" ? String(y) : `${y - 1}/${String(y % 100).padStart(2, "0")}`;
}

/** Financial or calendar year totals, at most `maxYears` (latest last), each with its change against the year before. */
export function yearTotals(monthly: readonly MonthlyCount[], kind: YearKind, maxYears = 5): YearTotal[] {
  if (!Number.isInteger(maxYears) || maxYears < 1 || maxYears > 20) throw invalid(`a history lists 1 to 20 years; got ${maxYears}`);
  const byMonth = countsByMonth(monthly);
  const withData = [...byMonth.entries()].filter(([, n]) => n !== null).map(([m]) => m).sort();
  if (withData.length === 0) return [];
  const ends: string[] = [];
  for (let end = yearEnd(withData[0]!, kind); end <= yearEnd(withData.at(-1)!, kind); end = addMonths(end, 12)) ends.push(end);
  const listed = ends.slice(-maxYears);
  return listed.map((end, i) => {
    const from = addMonths(end, -11);
    const counts = monthRange(from, end).map((m) => byMonth.get(m) ?? null);
    const present = counts.filter((n): n is number => n !== null);
    const earlierHasData = ends.indexOf(end) > 0;
    return {
      year: yearName(end, kind),
      from,
      to: end,
      count: present.length ? present.reduce((s, n) => s + n, 0) : null,
      monthsWithData: present.length,
      complete: present.length === 12,
      change: i === 0 && !earlierHasData ? null : yearOnYear(monthly, end),
    };
  });
}

/** Every comparison of this module for one series ending at `to` (the period's last month). */
export function periodComparisons(monthly: readonly MonthlyCount[], to: string, maxYears = 5): PeriodComparisons {
  const upTo = monthly.filter((m) => m.month <= to);
  return {
    sameQuarterLastYear: yearOnYear(upTo, to, 3, 12),
    rolling12: rollingTwelve(upTo),
    financialYears: yearTotals(upTo, "financial", maxYears),
    calendarYears: yearTotals(upTo, "calendar", maxYears),
  };
}
