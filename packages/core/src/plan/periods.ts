/**
 * Indicator periods: a month `YYYY-MM`, a calendar quarter `YYYY-Qn` or a financial year `YYYY/YY`
 * (April to March, as `financialYear()` writes it). Each type counts with an index where consecutive
 * periods differ by 1, so arithmetic and comparisons are integer sums.
 */
import { invalid } from "../analytics/stats/check.ts";
import { financialYear, monthFromIndex, monthIndex, quarter } from "../domain/month.ts";
import { PERIOD_TYPES, type PeriodType } from "./plan.types.ts";

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
const QUARTER_RE = /^(\d{4})-Q([1-4])$/;
const FY_RE = /^(\d{4})\/(\d{2})$/;

export const PERIOD_FORMATS: Readonly<Record<PeriodType, string>> = {
  month: "a month written YYYY-MM (e.g. 2025-07)",
  quarter: "a calendar quarter written YYYY-Qn (e.g. 2025-Q3)",
  financial_year: "a financial year written YYYY/YY (e.g. 2025/26)",
};

/** Periods in a year: 12 months, 4 quarters, 1 financial year. */
export const PERIODS_PER_YEAR: Readonly<Record<PeriodType, number>> = { month: 12, quarter: 4, financial_year: 1 };

/** The type of `s`, or null when it is none of the three forms (a financial year must run into the next year). */
export function periodType(s: string): PeriodType | null {
  if (typeof s !== "string") return null;
  if (MONTH_RE.test(s)) return "month";
  if (QUARTER_RE.test(s)) return "quarter";
  const fy = FY_RE.exec(s);
  if (fy && (Number(fy[1]) + 1) % 100 === Number(fy[2])) return "financial_year";
  return null;
}

/**
 * `s` checked to be a period of `type`; throws AppError("input.invalid") naming `what`, the form
 * expected and, where it can tell, the fix ("2025/27 is not a financial year; write 2025/26").
 */
export function periodOfType(type: PeriodType, s: string, what = "period"): string {
  if (!(PERIOD_TYPES as readonly string[]).includes(type))
    throw invalid(`period type must be one of ${PERIOD_TYPES.join(", ")}; got \`${String(type)}\``);
  const got = periodType(s);
  if (got === type) return s;
  const fy = typeof s === "string" ? FY_RE.exec(s) : null;
  if (type === "financial_year" && fy) {
    const start = Number(fy[1]);
    throw invalid(`${what} \`${s}\` is not a financial year: it must end the year after it starts; write ${start}/${String((start + 1) % 100).padStart(2, "0")}`);
  }
  const seen = got === null ? "" : ` (that is ${got === "financial_year" ? "a financial year" : `a ${got}`}; this indicator counts by ${type.replace("_", " ")})`;
  throw invalid(`${what} must be ${PERIOD_FORMATS[type]}; got \`${String(s)}\`${seen}`);
}

/** The type of `s`, or an AppError saying the three accepted forms. */
export function requirePlanPeriod(s: string, what = "period"): PeriodType {
  const t = periodType(s);
  if (t === null) throw invalid(`${what} must be ${PERIOD_TYPES.map((p) => PERIOD_FORMATS[p]).join(", or ")}; got \`${String(s)}\``);
  return t;
}

/** A counting number within the period's type: months as monthIndex, quarters year*4 + q-1, financial years their first year. */
export function periodIndex(period: string): number {
  const type = requirePlanPeriod(period);
  if (type === "month") return monthIndex(period);
  if (type === "quarter") {
    const m = QUARTER_RE.exec(period)!;
    return Number(m[1]) * 4 + Number(m[2]) - 1;
  }
  return Number(period.slice(0, 4));
}

/** The period of `type` with counting number `index` (the inverse of periodIndex). */
export function formatPeriod(type: PeriodType, index: number): string {
  if (!Number.isInteger(index) || index < 0) throw invalid(`period index must be a whole number (0 or more); got ${index}`);
  if (type === "month") return monthFromIndex(index);
  if (type === "quarter") return `${String(Math.floor(index / 4)).padStart(4, "0")}-Q${(index % 4) + 1}`;
  if (type === "financial_year") return `${String(index).padStart(4, "0")}/${String((index + 1) % 100).padStart(2, "0")}`;
  throw invalid(`period type must be one of ${PERIOD_TYPES.join(", ")}; got \`${String(type)}\``);
}

function sameType(a: string, b: string): PeriodType {
  const ta = requirePlanPeriod(a);
  const tb = requirePlanPeriod(b);
  if (ta !== tb) throw invalid(`periods \`${a}\` and \`${b}\` are of different types (${ta}, ${tb}); compare periods of one type`);
  return ta;
}

/** Negative when `a` is before `b`, 0 when equal, positive after; both must be of one type. */
export function comparePeriods(a: string, b: string): number {
  sameType(a, b);
  return periodIndex(a) - periodIndex(b);
}

/** How many periods `to` is after `from` (negative when before): `periodsBetween("2025-Q1", "2026-Q2")` = 5. */
export function periodsBetween(from: string, to: string): number {
  sameType(from, to);
  return periodIndex(to) - periodIndex(from);
}

/** Every period from `from` to `to` inclusive; empty when `to` is before `from`. */
export function periodRange(from: string, to: string): string[] {
  const type = sameType(from, to);
  const out: string[] = [];
  for (let i = periodIndex(from); i <= periodIndex(to); i++) out.push(formatPeriod(type, i));
  return out;
}

/** The period `n` periods after `period` (n may be negative). */
export function addPeriods(period: string, n: number): string {
  return formatPeriod(requirePlanPeriod(period), periodIndex(period) + n);
}

/** The same period a year earlier: month - 12, quarter - 4, the previous financial year. */
export function samePeriodLastYear(period: string): string {
  const type = requirePlanPeriod(period);
  return formatPeriod(type, periodIndex(period) - PERIODS_PER_YEAR[type]);
}

/** The period of `type` that contains `month`: `("quarter", "2025-05")` -> `2025-Q2`; `("financial_year", "2025-02")` -> `2024/25`. */
export function periodOfMonth(type: PeriodType, month: string): string {
  if (type === "month") return formatPeriod("month", monthIndex(month));
  if (type === "quarter") return quarter(month);
  if (type === "financial_year") return financialYear(month);
  throw invalid(`period type must be one of ${PERIOD_TYPES.join(", ")}; got \`${String(type)}\``);
}

/** First and last month of a period: `2025-Q3` -> 2025-07..2025-09; `2025/26` -> 2025-04..2026-03. */
export function periodMonths(period: string): { from: string; to: string } {
  const type = requirePlanPeriod(period);
  const i = periodIndex(period);
  if (type === "month") return { from: period, to: period };
  if (type === "quarter") return { from: monthFromIndex(i * 3), to: monthFromIndex(i * 3 + 2) };
  return { from: monthFromIndex(i * 12 + 3), to: monthFromIndex(i * 12 + 14) };
}
