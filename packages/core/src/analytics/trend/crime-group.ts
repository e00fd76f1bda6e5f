/**
 * crimeGroupMonthly: monthly counts for one crime group from per-type rows. "All crime" is every
 * type except anti-social behaviour; groups default to DEFAULT_CRIME_GROUPS and can be replaced.
 * `months` lists the months known to be in the data (e.g. imported force-months): those get a
 * count (0 when no row matches); any month not listed is left out, so trend functions treat it as
 * missing, never as zero. Without `months`, the months seen in `rows` are used.
 */
import { DEFAULT_CRIME_GROUPS } from "../../domain/crime-types.ts";
import { isMonth } from "../../domain/month.ts";
import { invalid } from "../stats/check.ts";
import type { MonthlyCount } from "./monthly.ts";

export interface CrimeTypeMonthRow {
  month: string;
  crimeType: string;
  count: number;
}

export interface CrimeGroupOptions {
  /** Default "All crime". */
  group?: string;
  /** Default DEFAULT_CRIME_GROUPS. */
  groups?: Readonly<Record<string, readonly string[]>>;
  /** Months present in the data. Default: the months seen in `rows`. */
  months?: readonly string[];
}

export function crimeGroupMonthly(rows: readonly CrimeTypeMonthRow[], opts: CrimeGroupOptions = {}): MonthlyCount[] {
  const groups = opts.groups ?? DEFAULT_CRIME_GROUPS;
  const group = opts.group ?? "All crime";
  const types = groups[group];
  if (!types) throw invalid(`unknown crime group \`${group}\``, `use one of: ${Object.keys(groups).join(", ")}`);
  const wanted = new Set(types);
  const months = opts.months ?? [...new Set(rows.map((r) => r.month))];
  const sums = new Map<string, number>();
  for (const m of months) {
    if (!isMonth(m)) throw invalid(`months must be YYYY-MM; got \`${m}\``);
    sums.set(m, 0);
  }
  for (const r of rows) {
    if (!wanted.has(r.crimeType)) continue;
    if (!sums.has(r.month)) continue; // month not in the data: stays missing
    if (!Number.isInteger(r.count) || r.count < 0) throw invalid(`count for ${r.month} ${r.crimeType} must be a whole number >= 0; got ${r.count}`);
    sums.set(r.month, sums.get(r.month)! + r.count);
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([month, count]) => ({ month, count }));
}
