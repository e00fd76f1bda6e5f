/**
 * Monthly counts as every trend and seasonal function takes them, the periods CSPs report on,
 * and the check that turns untrusted input into a month -> count map.
 * `count: null` means the month is missing from the data (never treated as zero); a month absent
 * from the array between the first and last month given is missing too.
 */
import { financialYear, isMonth, monthFromIndex, monthIndex, quarter } from "../../domain/month.ts";
import { populationYearFor } from "../../domain/period.ts";
import { invalid } from "../stats/check.ts";

export interface MonthlyCount {
  month: string;
  count: number | null;
}

export type TrendPeriod = "month" | "quarter" | "financialYear" | "calendarYear";
export const TREND_PERIODS: readonly TrendPeriod[] = ["month", "quarter", "financialYear", "calendarYear"];

/** Population for rates: one figure, or a map from calendar year ("2024") to the mid-year estimate. */
export type Population = number | Readonly<Record<string, number>>;

/** Validates and indexes the input: month index -> count (null = missing). */
export function monthlyMap(monthly: readonly MonthlyCount[]): Map<number, number | null> {
  if (!Array.isArray(monthly)) throw invalid("monthly counts must be an array of { month: 'YYYY-MM', count }");
  const map = new Map<number, number | null>();
  monthly.forEach((row, i) => {
    if (!row || typeof row.month !== "string" || !isMonth(row.month)) {
      throw invalid(`monthly[${i}].month must be YYYY-MM; got \`${row?.month}\``);
    }
    const c = row.count;
    if (c !== null && (!Number.isInteger(c) || c < 0)) {
      throw invalid(`monthly[${i}].count must be a whole number >= 0 or null (missing); got ${c}`);
    }
    const idx = monthIndex(row.month);
    if (map.has(idx)) throw invalid(`month ${row.month} appears twice in the monthly counts`, "sum the rows for each month first");
    map.set(idx, c);
  });
  return map;
}

/** Index of the first month of the period containing month index `i`. */
export function periodStartIndex(period: TrendPeriod, i: number): number {
  const year = Math.floor(i / 12);
  const m = i % 12;
  switch (period) {
    case "month":
      return i;
    case "quarter":
      return year * 12 + Math.floor(m / 3) * 3;
    case "financialYear":
      return m >= 3 ? year * 12 + 3 : (year - 1) * 12 + 3;
    case "calendarYear":
      return year * 12;
  }
}

export function periodLength(period: TrendPeriod): number {
  return period === "month" ? 1 : period === "quarter" ? 3 : 12;
}

/** "2024-05", "2024-Q2", "2024/25" or "2024". */
export function periodLabel(period: TrendPeriod, startIndex: number): string {
  const m = monthFromIndex(startIndex);
  switch (period) {
    case "month":
      return m;
    case "quarter":
      return quarter(m);
    case "financialYear":
      return financialYear(m);
    case "calendarYear":
      return m.slice(0, 4);
  }
}

export function periodsPerYear(period: TrendPeriod): number {
  return 12 / periodLength(period);
}

export function requirePeriod(period: string): TrendPeriod {
  if (!(TREND_PERIODS as readonly string[]).includes(period)) {
    throw invalid(`period must be one of ${TREND_PERIODS.join(", ")}; got \`${period}\``);
  }
  return period as TrendPeriod;
}

/**
 * Population for a period starting at month index `startIndex`: the single figure, or the
 * estimate for the calendar year of the period's first month (for a financial year 2024/25 that is
 * mid-2024, whose reference date 30 June falls inside it). Given `endIndex` (the period's last
 * month), the year whose 30 June is nearest the middle of the period instead (`populationYearFor`,
 * decision 0012): the same year for months, quarters, financial and calendar years, and the right
 * one for a 12 months to July. When that year is absent the nearest year is used (the earlier one
 * on a tie) and `note` says so.
 */
export function populationFor(
  population: Population | undefined,
  startIndex: number,
  endIndex?: number,
): { value: number | null; year: string | null; note?: string } {
  if (population === undefined) return { value: null, year: null };
  if (typeof population === "number") {
    if (!Number.isFinite(population) || population <= 0) throw invalid(`population must be a positive number; got ${population}`);
    return { value: population, year: null };
  }
  const year = endIndex === undefined ? Math.floor(startIndex / 12) : populationYearFor(monthFromIndex(startIndex), monthFromIndex(endIndex));
  const years = Object.keys(population)
    .map((y) => {
      if (!/^\d{4}$/.test(y)) throw invalid(`population years must be 4-digit calendar years ("2024"); got \`${y}\``);
      const v = population[y]!;
      if (!Number.isFinite(v) || v <= 0) throw invalid(`population for ${y} must be a positive number; got ${v}`);
      return Number(y);
    })
    .sort((a, b) => a - b);
  if (years.length === 0) return { value: null, year: null };
  let best = years[0]!;
  for (const y of years) if (Math.abs(y - year) < Math.abs(best - year)) best = y;
  const value = population[String(best)]!;
  return best === year
    ? { value, year: String(best) }
    : { value, year: String(best), note: `No population for ${year}: the ${best} estimate is used.` };
}
