/**
 * trendChange: the change of the latest period on the previous one and on N periods ago, in
 * numbers and %, each with an exact Poisson test (poissonTest, later period first).
 *
 * Rules
 * - Latest period: the latest complete period by default (`latest: "complete"`); a later
 *   incomplete period is named in `notes`. With `latest: "last"` the last period is used as is.
 * - N (`periodsAgo`): 12 for months and 4 for quarters (same period last year); for financial and
 *   calendar years, back to the first complete year in the data (change since the start of the
 *   series) when that is 2 or more years back, else 1 (only the previous-period comparison is
 *   made). A note says which was chosen.
 * - A comparison where either period is incomplete is not made silently: `comparable: false`
 *   with the reason, and null figures, unless `allowIncomplete: true`, in which case counts are
 *   compared as given and the test uses months present as exposure (so it compares monthly rates).
 * - Test exposure: months present × population (when a population is given), else months present.
 * - % change is null when the earlier count is 0 (a rise from nothing has no percentage).
 */
import { AppError } from "../../errors.ts";
import { censusRebaseNote } from "../rate/population-year.ts";
import { invalid } from "../stats/check.ts";
import type { MonthlyCount, Population, TrendPeriod } from "./monthly.ts";
import { type PoissonTestOptions, type PoissonTestResult, poissonTest } from "./poisson-test.ts";
import { type TrendPoint, trendSeries } from "./trend-series.ts";

export interface TrendChangeOptions extends PoissonTestOptions {
  /** Default "calendarYear". */
  period?: TrendPeriod;
  population?: Population;
  /** Compare with this many periods before the latest. Default by rule (see file comment). */
  periodsAgo?: number;
  /** "complete" (default): latest complete period; "last": the last period even if incomplete. */
  latest?: "complete" | "last";
  /** Compare incomplete periods anyway (as monthly rates). Default false. */
  allowIncomplete?: boolean;
}

export interface TrendComparison {
  kind: "previous" | "periodsAgo";
  periodsAgo: number;
  from: TrendPoint | null;
  to: TrendPoint;
  comparable: boolean;
  reason: string | null;
  change: number | null;
  changePct: number | null;
  rateChange: number | null;
  rateChangePct: number | null;
  test: PoissonTestResult | null;
}

export interface TrendChangeResult {
  period: TrendPeriod;
  latest: TrendPoint;
  comparisons: TrendComparison[];
  series: TrendPoint[];
  params: {
    period: TrendPeriod;
    periodsAgo: number;
    latest: "complete" | "last";
    allowIncomplete: boolean;
    confLevel: number;
    alpha: number;
    ratePer: 1000;
  };
  notes: string[];
}

function compare(
  kind: TrendComparison["kind"],
  n: number,
  from: TrendPoint | null,
  to: TrendPoint,
  allowIncomplete: boolean,
  testOpts: PoissonTestOptions,
): TrendComparison {
  const empty = {
    kind,
    periodsAgo: n,
    from,
    to,
    change: null,
    changePct: null,
    rateChange: null,
    rateChangePct: null,
    test: null,
  };
  if (!from) return { ...empty, comparable: false, reason: `no period ${n} before ${to.period} in the data` };
  if (from.count === null || to.count === null) {
    const which = from.count === null ? from.period : to.period;
    return { ...empty, comparable: false, reason: `${which} has no months of data` };
  }
  if (!allowIncomplete && (!from.complete || !to.complete)) {
    const bad = [from, to].filter((p) => !p.complete).map((p) => `${p.period} has ${p.monthsPresent} of ${p.monthsInPeriod} months`);
    return { ...empty, comparable: false, reason: `incomplete: ${bad.join("; ")}` };
  }
  const change = to.count - from.count;
  const changePct = from.count > 0 ? (change / from.count) * 100 : null;
  const rateChange = to.rate !== null && from.rate !== null ? to.rate - from.rate : null;
  const rateChangePct = rateChange !== null && from.rate ? (rateChange / from.rate) * 100 : null;
  const tTo = to.monthsPresent * (to.population ?? 1);
  const tFrom = from.monthsPresent * (from.population ?? 1);
  const test = poissonTest(to.count, tTo, from.count, tFrom, testOpts);
  return { ...empty, comparable: true, reason: null, change, changePct, rateChange, rateChangePct, test };
}

export function trendChange(monthly: readonly MonthlyCount[], opts: TrendChangeOptions = {}): TrendChangeResult {
  const period = opts.period ?? "calendarYear";
  const latestRule = opts.latest ?? "complete";
  if (latestRule !== "complete" && latestRule !== "last") throw invalid(`latest must be "complete" or "last"; got \`${latestRule}\``);
  const allowIncomplete = opts.allowIncomplete ?? false;
  const series = trendSeries(monthly, { period, ...(opts.population !== undefined ? { population: opts.population } : {}) });
  const periods = series.periods;
  const notes: string[] = series.notes.filter((n) => !n.startsWith("Fewer than") && !n.startsWith("No population"));
  const withData = periods.filter((p) => p.count !== null);
  if (withData.length === 0) {
    throw new AppError("data.missing", "no months with data: a change cannot be measured", {
      hint: "import crime data for the area and months first",
    });
  }
  let latestIdx = periods.length - 1;
  while (latestIdx >= 0 && periods[latestIdx]!.count === null) latestIdx--;
  if (latestRule === "complete") {
    let i = latestIdx;
    while (i >= 0 && !periods[i]!.complete) i--;
    if (i >= 0 && i !== latestIdx) {
      const skipped = periods[latestIdx]!;
      notes.push(
        `The latest period ${skipped.period} is incomplete (${skipped.monthsPresent} of ${skipped.monthsInPeriod} months): the latest complete period ${periods[i]!.period} is used.`,
      );
      latestIdx = i;
    } else if (i < 0) {
      notes.push("No complete period in the data: the last period is used and comparisons are marked not comparable.");
    }
  }
  const latest = periods[latestIdx]!;
  let periodsAgo = opts.periodsAgo;
  if (periodsAgo !== undefined) {
    if (!Number.isInteger(periodsAgo) || periodsAgo < 1) throw invalid(`periodsAgo must be a whole number >= 1; got ${periodsAgo}`);
  } else if (period === "month" || period === "quarter") {
    periodsAgo = period === "month" ? 12 : 4;
    notes.push(`Compared with the same ${period} a year earlier (${periodsAgo} periods ago) by default.`);
  } else {
    const firstComplete = periods.findIndex((p) => p.complete);
    const span = firstComplete >= 0 && firstComplete < latestIdx ? latestIdx - firstComplete : 0;
    periodsAgo = span >= 2 ? span : 1;
    if (span >= 2) {
      notes.push(`Compared with ${periods[firstComplete]!.period}, the first complete year in the data (${span} years earlier), by default.`);
    }
  }
  const testOpts: PoissonTestOptions = {
    ...(opts.confLevel !== undefined ? { confLevel: opts.confLevel } : {}),
    ...(opts.alpha !== undefined ? { alpha: opts.alpha } : {}),
    ...(opts.nullRatio !== undefined ? { nullRatio: opts.nullRatio } : {}),
  };
  const prev = latestIdx >= 1 ? periods[latestIdx - 1]! : null;
  const ago = latestIdx >= periodsAgo ? periods[latestIdx - periodsAgo]! : null;
  const comparisons = [compare("previous", 1, prev, latest, allowIncomplete, testOpts)];
  if (periodsAgo !== 1) comparisons.push(compare("periodsAgo", periodsAgo, ago, latest, allowIncomplete, testOpts));
  // the test's exposure is months × population: a population base that changed at the 2021 Census moves it too
  for (const c of comparisons) {
    const note = c.comparable && c.from && c.from.rate !== null ? censusRebaseNote([c.from.populationYear, c.to.populationYear], `The change from ${c.from.period} to ${c.to.period}`) : null;
    if (note) notes.push(note);
  }
  const firstTest = comparisons.find((c) => c.test)?.test;
  return {
    period,
    latest,
    comparisons,
    series: periods,
    params: {
      period,
      periodsAgo,
      latest: latestRule,
      allowIncomplete,
      confLevel: firstTest?.params.confLevel ?? opts.confLevel ?? 0.95,
      alpha: firstTest?.params.alpha ?? opts.alpha ?? 0.05,
      ratePer: 1000,
    },
    notes,
  };
}
