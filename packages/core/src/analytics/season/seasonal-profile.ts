/**
 * seasonalProfile: which months run high, from >= 24 months of monthly counts.
 *
 * Rules
 * - Needs at least `minMonths` (default 24) months present; with fewer the result says
 *   `sufficient: false` and why, with no index (never NaN).
 * - Method "ratio-to-moving-average" (the default, issue 13 item 7): each month is adjusted to an
 *   average-length month and divided by the centred 2×12 moving average (the trend); the index of
 *   calendar month c is the mean of its ratios, normalised so the 12 average 100
 *   (ratio-to-moving-average.ts; = R decompose(type = "multiplicative") on the adjusted series).
 *   A rising or falling trend and February's fewer days no longer read as seasonality.
 * - Method "mean" (the earlier rule, kept as an option): index for calendar month c = (mean count
 *   of the months c present) / (mean count of all months present) × 100. 100 = an average month.
 * - Peak month of a year: the month(s) with the highest count, for calendar years with all 12
 *   months present only. The summary names the month most often the peak (ties: the higher
 *   index) and in how many of those years it was: "October is the peak month in 3 of 3 years".
 * - Above the expected range, "ratio-to-moving-average": expected count of month t = trend_t ×
 *   index_c / 100 × days_t / (365.25/12) (the first and last 6 months take the nearest month's
 *   trend). Over-dispersion φ = Σ (count − expected)² / expected / (n − 11) over the months with a
 *   trend of their own (11: the free seasonal indices). The upper limit is the `limitLevel` (97.5%)
 *   Poisson percentile of the expected count when φ <= 1, else expected + z × √(φ × expected)
 *   (quasi-Poisson, normal approximation), so ordinary month-to-month spread is not flagged.
 * - Above the expected range, "mean": expected count for month c of year y = (mean monthly count
 *   of year y over its months present) × index_c / 100; the month is flagged when its count is above
 *   the 97.5th Poisson percentile of that mean. These limits are tight (crime counts are
 *   over-dispersed) and flag more than the nominal 2.5% of months: read them as "worth a look".
 */
import { monthFromIndex } from "../../domain/month.ts";
import { invalid } from "../stats/check.ts";
import { listAnd, MONTH_NAMES } from "../stats/format.ts";
import { qpois } from "../stats/gamma.ts";
import { qnorm } from "../stats/normal-quantile.ts";
import { type MonthlyCount, monthlyMap } from "../trend/monthly.ts";
import { AVERAGE_MONTH_DAYS, daysInMonthIndex, ratioToMovingAverage, trendNear } from "./ratio-to-moving-average.ts";

export const SEASONAL_METHODS = ["ratio-to-moving-average", "mean"] as const;
export type SeasonalMethod = (typeof SEASONAL_METHODS)[number];

export interface SeasonalProfileOptions {
  /** Minimum months present. Default 24. */
  minMonths?: number;
  /** Probability of the upper limit. Default 0.975 (upper end of a 95% range). */
  limitLevel?: number;
  /** What is counted, for the summary text ("violence"). Default none. */
  subject?: string;
  /** How the index is made. Default "ratio-to-moving-average" (see the file comment). */
  method?: SeasonalMethod;
}

export interface SeasonalIndexRow {
  /** 1..12 */
  calendarMonth: number;
  name: string;
  monthsPresent: number;
  mean: number | null;
  index: number | null;
}

export interface AboveExpectedMonth {
  month: string;
  count: number;
  expected: number;
  upperLimit: number;
}

export interface SeasonalProfileResult {
  sufficient: boolean;
  /** Why the profile could not be made, when `sufficient` is false. */
  message: string | null;
  monthsPresent: number;
  overallMonthlyMean: number | null;
  index: SeasonalIndexRow[];
  /** Month name(s) with the highest index. */
  peakMonths: string[];
  peakByYear: { year: string; months: string[]; count: number }[];
  peakSummary: { month: string; years: number; of: number; text: string } | null;
  aboveExpected: AboveExpectedMonth[];
  params: { minMonths: number; limitLevel: number; method: SeasonalMethod; limit: string; subject: string | null };
  /** Over-dispersion of the months about their expected counts (ratio-to-moving-average only; null otherwise or when too few months). */
  dispersion: number | null;
  notes: string[];
}

export function seasonalProfile(monthly: readonly MonthlyCount[], opts: SeasonalProfileOptions = {}): SeasonalProfileResult {
  const minMonths = opts.minMonths ?? 24;
  const limitLevel = opts.limitLevel ?? 0.975;
  if (!Number.isInteger(minMonths) || minMonths < 12) throw invalid(`minMonths must be a whole number >= 12; got ${minMonths}`);
  if (!(limitLevel > 0.5 && limitLevel < 1)) throw invalid(`limitLevel must be between 0.5 and 1 (e.g. 0.975); got ${limitLevel}`);
  const method = opts.method ?? "ratio-to-moving-average";
  if (!(SEASONAL_METHODS as readonly string[]).includes(method)) throw invalid(`method must be one of ${SEASONAL_METHODS.join(", ")}; got \`${method}\``);
  const params = {
    minMonths,
    limitLevel,
    method,
    limit:
      method === "mean"
        ? "Poisson upper percentile of the expected count"
        : "Poisson upper percentile of the expected count, or the quasi-Poisson (over-dispersed) normal limit when the months vary more than chance",
    subject: opts.subject ?? null,
  };
  const map = monthlyMap(monthly);
  const present = [...map.entries()].filter((e): e is [number, number] => e[1] !== null).sort((a, b) => a[0] - b[0]);
  const base: SeasonalProfileResult = {
    sufficient: false,
    message: null,
    monthsPresent: present.length,
    overallMonthlyMean: null,
    index: [],
    peakMonths: [],
    peakByYear: [],
    peakSummary: null,
    aboveExpected: [],
    params,
    dispersion: null,
    notes: [],
  };
  if (present.length < minMonths) {
    return {
      ...base,
      message: `A seasonal profile needs at least ${minMonths} months of data; ${present.length} ${present.length === 1 ? "month is" : "months are"} present.`,
    };
  }
  const notes: string[] = [];
  const total = present.reduce((s, [, c]) => s + c, 0);
  const overall = total / present.length;
  const sums = Array(12).fill(0) as number[];
  const ns = Array(12).fill(0) as number[];
  for (const [i, c] of present) {
    sums[i % 12]! += c;
    ns[i % 12]!++;
  }
  const decomposition = method === "ratio-to-moving-average" ? ratioToMovingAverage(new Map(present)) : null;
  const index: SeasonalIndexRow[] = sums.map((s, c) => {
    const n = ns[c]!;
    const mean = n > 0 ? s / n : null;
    return {
      calendarMonth: c + 1,
      name: MONTH_NAMES[c]!,
      monthsPresent: n,
      mean,
      index: decomposition ? decomposition.index[c]! : mean !== null && overall > 0 ? (mean / overall) * 100 : null,
    };
  });
  if (total === 0) {
    notes.push("No crimes in any month: there is no seasonal pattern.");
    return { ...base, sufficient: true, overallMonthlyMean: 0, index, notes };
  }
  const missingCal = index.filter((r) => r.monthsPresent === 0).map((r) => r.name);
  if (missingCal.length) notes.push(`No data for ${listAnd(missingCal)}: no index for ${missingCal.length === 1 ? "it" : "them"}.`);
  if (decomposition) {
    const noRatio = index.filter((r, c) => r.monthsPresent > 0 && decomposition.ratiosPerMonth[c] === 0).map((r) => r.name);
    if (noRatio.length) {
      notes.push(
        `No 13-month run of data centred on ${listAnd(noRatio)} (a gap in the months loaded): no index for ${noRatio.length === 1 ? "it" : "them"}; the others are normalised over the months that have one.`,
      );
    }
    notes.push("Seasonal index: each month adjusted to an average-length month and divided by the centred 12-month moving average (the trend), so a rising or falling trend is not read as a season.");
  }
  const maxIndex = Math.max(...index.map((r) => r.index ?? Number.NEGATIVE_INFINITY));
  const peakMonths = index.filter((r) => r.index !== null && r.index >= maxIndex * (1 - 1e-12)).map((r) => r.name);
  if (peakMonths.length === 12) notes.push("Every month has the same average: there is no peak month.");

  // per calendar year
  const years = new Map<number, [number, number][]>();
  for (const e of present) {
    const y = Math.floor(e[0] / 12);
    if (!years.has(y)) years.set(y, []);
    years.get(y)!.push(e);
  }
  const peakByYear: SeasonalProfileResult["peakByYear"] = [];
  const partialYears: string[] = [];
  for (const [y, rows] of [...years.entries()].sort((a, b) => a[0] - b[0])) {
    if (rows.length < 12) {
      partialYears.push(String(y));
      continue;
    }
    const max = Math.max(...rows.map(([, c]) => c));
    peakByYear.push({ year: String(y), months: rows.filter(([, c]) => c === max).map(([i]) => MONTH_NAMES[i % 12]!), count: max });
  }
  if (partialYears.length) notes.push(`Peak months are counted over complete calendar years only; not ${listAnd(partialYears)}.`);

  let peakSummary: SeasonalProfileResult["peakSummary"] = null;
  const forSubject = opts.subject ? ` for ${opts.subject}` : "";
  if (peakMonths.length < 12) {
    if (peakByYear.length > 0) {
      const times = new Map<string, number>();
      for (const p of peakByYear) for (const m of p.months) times.set(m, (times.get(m) ?? 0) + 1);
      const idxOf = (name: string) => index.find((r) => r.name === name)?.index ?? 0;
      const [month, k] = [...times.entries()].sort((a, b) => b[1] - a[1] || idxOf(b[0]) - idxOf(a[0]))[0]!;
      const of = peakByYear.length;
      peakSummary = {
        month,
        years: k,
        of,
        text: `${month} is the peak month${forSubject} in ${k} of ${of} ${of === 1 ? "year" : "years"}`,
      };
    } else {
      const month = peakMonths[0]!;
      peakSummary = { month, years: 0, of: 0, text: `${month} has the highest monthly average${forSubject}` };
    }
  }

  // months above the expected range
  if (decomposition) {
    const { aboveExpected, dispersion } = aboveExpectedAfterTrend(present, decomposition.trend, index, limitLevel);
    return { ...base, sufficient: true, overallMonthlyMean: overall, index, peakMonths, peakByYear, peakSummary, aboveExpected, dispersion, notes };
  }
  const aboveExpected: AboveExpectedMonth[] = [];
  for (const rows of years.values()) {
    const level = rows.reduce((s, [, c]) => s + c, 0) / rows.length;
    for (const [i, c] of rows) {
      const idx = index[i % 12]!.index ?? 0;
      const expected = (level * idx) / 100;
      const upperLimit = qpois(limitLevel, expected);
      if (c > upperLimit) aboveExpected.push({ month: monthFromIndex(i), count: c, expected, upperLimit });
    }
  }
  aboveExpected.sort((a, b) => (a.month < b.month ? -1 : 1));
  return {
    ...base,
    sufficient: true,
    overallMonthlyMean: overall,
    index,
    peakMonths,
    peakByYear,
    peakSummary,
    aboveExpected,
    notes,
  };
}

/** Months above the expected range of the trend × season model, with the limits widened by the over-dispersion φ (file comment). */
function aboveExpectedAfterTrend(
  present: readonly [number, number][],
  trend: ReadonlyMap<number, number>,
  index: readonly SeasonalIndexRow[],
  limitLevel: number,
): { aboveExpected: AboveExpectedMonth[]; dispersion: number | null } {
  const expectedOf = (i: number): number | null => {
    const t = trendNear(trend, i);
    const idx = index[i % 12]!.index;
    return t === null || idx === null ? null : ((t * idx) / 100) * (daysInMonthIndex(i) / AVERAGE_MONTH_DAYS);
  };
  let chi = 0;
  let n = 0;
  for (const [i, c] of present) {
    const e = trend.has(i) ? expectedOf(i) : null;
    if (e === null || !(e > 0)) continue;
    chi += (c - e) ** 2 / e;
    n++;
  }
  const dispersion = n > 11 ? chi / (n - 11) : null;
  const z = qnorm(limitLevel);
  const aboveExpected: AboveExpectedMonth[] = [];
  for (const [i, c] of present) {
    const expected = expectedOf(i);
    if (expected === null) continue;
    const upperLimit = dispersion !== null && dispersion > 1 ? expected + z * Math.sqrt(dispersion * expected) : qpois(limitLevel, expected);
    if (c > upperLimit) aboveExpected.push({ month: monthFromIndex(i), count: c, expected, upperLimit });
  }
  return { aboveExpected, dispersion };
}
