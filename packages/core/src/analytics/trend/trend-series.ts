/**
 * trendSeries: counts and rates per 1,000 residents by month, quarter, financial year
 * (April–March, "2024/25") or calendar year, plus rolling 12-month sums.
 *
 * Rules
 * - A period's count is the sum over its months present; a month with `count: null`, or absent
 *   between the first and last month given, is missing: it is never treated as zero. A period with
 *   no month present has `count: null`. `complete` is true only when every month is present.
 * - Rates are per 1,000 residents for the period as it stands (not annualised): count / population
 *   × 1,000. Population is the figure given, or the mid-year estimate nearest the middle of the
 *   period (see `populationFor`; `populationYear` says which). A series whose rates use estimates
 *   from both sides of the 2021 Census says so in a note (`censusRebaseNote`, decision 0024).
 * - Periods run from the one containing the first month given to the one containing the last, so
 *   the first and last can be partial (flagged incomplete).
 */
import { monthFromIndex } from "../../domain/month.ts";
import { censusRebaseNote } from "../rate/population-year.ts";
import { invalid } from "../stats/check.ts";
import {
  type MonthlyCount,
  monthlyMap,
  type Population,
  periodLabel,
  periodLength,
  periodStartIndex,
  populationFor,
  requirePeriod,
  type TrendPeriod,
} from "./monthly.ts";

export interface TrendSeriesOptions {
  /** Default "month". */
  period?: TrendPeriod;
  /** Residents, for rates per 1,000: one figure or a map of calendar year -> mid-year estimate. Default none. */
  population?: Population;
  /** Window of the rolling sums, in months. Default 12. */
  rollingMonths?: number;
}

export interface TrendPoint {
  /** "2024-05", "2024-Q2", "2024/25" or "2024". */
  period: string;
  /** First and last month of the period. */
  start: string;
  end: string;
  /** Sum over the months present; null when no month of the period is present. */
  count: number | null;
  monthsPresent: number;
  monthsInPeriod: number;
  complete: boolean;
  missingMonths: string[];
  population: number | null;
  /** The calendar year of the mid-year estimate used ("2022"); null without one or for a single figure. */
  populationYear: string | null;
  /** Per 1,000 residents (not annualised); null without population or count. */
  rate: number | null;
}

export interface TrendSeriesResult {
  periods: TrendPoint[];
  /** Rolling sums ending at each month from the first full window on. */
  rolling: TrendPoint[];
  params: {
    period: TrendPeriod;
    rollingMonths: number;
    ratePer: 1000;
    population: "none" | "single" | "by year";
    from: string | null;
    to: string | null;
  };
  notes: string[];
}

/** Sums months [startIndex, startIndex + length) of the map into one point. */
export function summariseMonths(
  map: Map<number, number | null>,
  startIndex: number,
  length: number,
  label: string,
  population: Population | undefined,
  notes?: Set<string>,
): TrendPoint {
  let count = 0;
  let present = 0;
  const missing: string[] = [];
  for (let i = startIndex; i < startIndex + length; i++) {
    const c = map.get(i);
    if (c === undefined || c === null) missing.push(monthFromIndex(i));
    else {
      count += c;
      present++;
    }
  }
  const pop = populationFor(population, startIndex, startIndex + length - 1);
  if (pop.note && notes) notes.add(pop.note);
  const total = present > 0 ? count : null;
  return {
    period: label,
    start: monthFromIndex(startIndex),
    end: monthFromIndex(startIndex + length - 1),
    count: total,
    monthsPresent: present,
    monthsInPeriod: length,
    complete: present === length,
    missingMonths: missing,
    population: pop.value,
    populationYear: pop.year,
    rate: total !== null && pop.value !== null ? (total / pop.value) * 1000 : null,
  };
}

export function trendSeries(monthly: readonly MonthlyCount[], opts: TrendSeriesOptions = {}): TrendSeriesResult {
  const period = requirePeriod(opts.period ?? "month");
  const rollingMonths = opts.rollingMonths ?? 12;
  if (!Number.isInteger(rollingMonths) || rollingMonths < 1) {
    throw invalid(`rollingMonths must be a whole number of months (1 or more); got ${rollingMonths}`);
  }
  const map = monthlyMap(monthly);
  const notes = new Set<string>();
  const populationKind =
    opts.population === undefined ? "none" : typeof opts.population === "number" ? "single" : "by year";
  const indices = [...map.keys()].sort((a, b) => a - b);
  const params = {
    period,
    rollingMonths,
    ratePer: 1000 as const,
    population: populationKind as TrendSeriesResult["params"]["population"],
    from: indices.length ? monthFromIndex(indices[0]!) : null,
    to: indices.length ? monthFromIndex(indices[indices.length - 1]!) : null,
  };
  if (indices.length === 0) {
    return { periods: [], rolling: [], params, notes: ["No monthly counts were given."] };
  }
  const first = indices[0]!;
  const last = indices[indices.length - 1]!;
  const len = periodLength(period);
  const periods: TrendPoint[] = [];
  for (let s = periodStartIndex(period, first); s <= last; s += len) {
    periods.push(summariseMonths(map, s, len, periodLabel(period, s), opts.population, notes));
  }
  const rolling: TrendPoint[] = [];
  for (let end = first + rollingMonths - 1; end <= last; end++) {
    const s = end - rollingMonths + 1;
    rolling.push(
      summariseMonths(map, s, rollingMonths, `${rollingMonths} months to ${monthFromIndex(end)}`, opts.population, notes),
    );
  }
  const incomplete = periods.filter((p) => !p.complete).map((p) => p.period);
  if (incomplete.length) notes.add(`Incomplete periods (months missing): ${incomplete.join(", ")}.`);
  if (populationKind === "none") notes.add("No population given: rates are not calculated.");
  const rebase = censusRebaseNote(periods.filter((p) => p.rate !== null).map((p) => p.populationYear), "The rates of this series");
  if (rebase) notes.add(rebase);
  if (rolling.length === 0) notes.add(`Fewer than ${rollingMonths} months of data: no rolling sums.`);
  return { periods, rolling, params, notes: [...notes] };
}
