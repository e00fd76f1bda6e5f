/**
 * Periods that do not mislead (decision 0012).
 *
 * Rules
 * - A month is loaded ("complete") when the area's principal force has its police.uk file; a
 *   month without one is unknown, never zero.
 * - Default period (no months chosen): the latest `length` (12) months of the latest unbroken run
 *   of loaded months. When that run is shorter, the whole run, with a note saying why it is short.
 * - A gap is a missing month strictly between two loaded months of the period (`interiorGaps`);
 *   missing months at either end only shorten the data. Time series whose steps must be
 *   consecutive (emerging hot spots) refuse a gap.
 * - Population year: ONS mid-year estimates are for 30 June; the year whose 30 June is nearest the
 *   middle of the period is the best match (ties go to the earlier year), e.g. April 2024 to March
 *   2025 -> 2024, January to December 2025 -> 2025.
 */
import { addMonths, monthFromIndex, monthIndex, monthRange } from "./month.ts";

export interface MonthRun {
  from: string;
  to: string;
  months: string[];
}

/** Runs of consecutive months, in order; input need not be sorted; repeats are ignored. */
export function monthRuns(months: readonly string[]): MonthRun[] {
  const sorted = [...new Set(months)].sort();
  const runs: MonthRun[] = [];
  for (const m of sorted) {
    const run = runs.at(-1);
    if (run && addMonths(run.to, 1) === m) {
      run.to = m;
      run.months.push(m);
    } else runs.push({ from: m, to: m, months: [m] });
  }
  return runs;
}

export interface DefaultPeriod {
  from: string;
  to: string;
  months: number;
  /** Why the period is shorter than asked, or what it leaves before a gap; null when neither. */
  note: string | null;
}

/** The latest `length` complete months without a gap; null when nothing is loaded. */
export function defaultPeriod(loaded: readonly string[], length = 12): DefaultPeriod | null {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`a default period has at least 1 month; got ${length}`);
  const runs = monthRuns(loaded);
  const last = runs.at(-1);
  if (!last) return null;
  const months = last.months.slice(-length);
  const from = months[0]!;
  const to = months.at(-1)!;
  let note: string | null = null;
  if (months.length < length && runs.length > 1) {
    const before = runs.at(-2)!;
    const gap = monthRange(addMonths(before.to, 1), addMonths(from, -1));
    note = `the latest ${length} months have a gap (no file for ${gap.length === 1 ? gap[0] : `${gap[0]} to ${gap.at(-1)}`}), so the default period is the ${months.length} month${months.length === 1 ? "" : "s"} since it; choose a period to include earlier months`;
  } else if (months.length < length) {
    note = `only ${months.length} month${months.length === 1 ? " is" : "s are"} loaded, so the default period is shorter than ${length} months`;
  }
  return { from, to, months: months.length, note };
}

/** Months of `months` (the whole period, in order) missing from `present` between two present months. */
export function interiorGaps(months: readonly string[], present: ReadonlySet<string> | readonly string[]): string[] {
  const has = present instanceof Set ? present : new Set(present as readonly string[]);
  const first = months.findIndex((m) => has.has(m));
  if (first < 0) return [];
  let last = months.length - 1;
  while (!has.has(months[last]!)) last--;
  return months.slice(first, last + 1).filter((m) => !has.has(m));
}

/** The calendar year whose mid-year (30 June) estimate best matches the period from..to. */
export function populationYearFor(from: string, to: string): number {
  const a = monthIndex(from);
  const b = monthIndex(to);
  if (b < a) throw new RangeError(`the period ends (${to}) before it starts (${from})`);
  // month m covers [m, m + 1); 30 June of year y ends at index 12y + 6
  const middle = (a + b + 1) / 2;
  const y = (middle - 6) / 12;
  const lower = Math.floor(y);
  return y - lower <= 0.5 ? lower : lower + 1;
}

/** A span of months as "2024-05 to 2024-07", or the one month. */
export function spanLabel(months: readonly string[]): string {
  if (months.length === 0) return "";
  return months.length === 1 ? months[0]! : `${months[0]} to ${months.at(-1)}`;
}

/** The month `n` months before the first of a period (for the comparison period of the same length). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const len = monthIndex(to) - monthIndex(from) + 1;
  return { from: monthFromIndex(monthIndex(from) - len), to: monthFromIndex(monthIndex(from) - 1) };
}

/**
 * The warning a period with missing months carries at the top of every page and in the API/CLI
 * result; null when every month is loaded. Totals cover only the months loaded; changes are made
 * only between periods with every month loaded (trendChange), so nothing compares a short total.
 */
export function missingMonthsWarning(p: { months: number; missing: readonly string[]; force: string | null }): string | null {
  if (p.missing.length === 0) return null;
  const present = p.months - p.missing.length;
  const file = p.force ? `${p.force} file` : "police data";
  const runs = monthRuns(p.missing).map((r) => spanLabel(r.months));
  const head = `${p.missing.length} of the ${p.months} months of this period ${p.missing.length === 1 ? "has" : "have"} no ${file} (${runs.join(", ")}): their crime is unknown, not zero.`;
  if (present === 0) return `${head} No month of the period has data.`;
  return `${head} Totals and rates cover only the ${present} month${present === 1 ? "" : "s"} with data; changes compare only periods with every month loaded.`;
}
