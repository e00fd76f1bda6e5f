import { addMonths, checkDataQuality, type DataQualityReport, flaggedMonthsBetween, flaggedMonthsWarning, monthRange, type QualityFinding } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { forceMonthCounts, forceNames, repeatedCrimeIds } from "../db/repositories/data-quality.repository.ts";
import { dataVersion } from "../db/repositories/data-version.repository.ts";

/**
 * The data quality checks (decision 0016) over what is imported now: counts, shares and missing
 * months from the roll-up (fast, read wherever they are shown), and, with `crimeIds`, Crime IDs
 * repeated across months (reads the incidents of the forces asked for: at import and in the assessment).
 */
export async function dataQualityReport(
  store: Store,
  opts: { forces?: readonly string[]; crimeIds?: boolean; crimeIdMonths?: readonly string[] } = {},
): Promise<DataQualityReport> {
  if (opts.crimeIds) return computeReport(store, opts);
  // The roll-up checks are read by every analysis page: kept until the data version changes.
  const version = await dataVersion(store);
  const key = opts.forces ? [...opts.forces].sort().join(",") : "*";
  let byKey = cache.get(store);
  if (!byKey || byKey.version !== version) {
    byKey = { version, reports: new Map() };
    cache.set(store, byKey);
  }
  let report = byKey.reports.get(key);
  if (!report) {
    if (byKey.reports.size >= 64) byKey.reports.clear();
    report = computeReport(store, opts);
    byKey.reports.set(key, report);
    report.catch(() => byKey!.reports.delete(key));
  }
  return report;
}

const cache = new WeakMap<Store, { version: string; reports: Map<string, Promise<DataQualityReport>> }>();

async function computeReport(store: Store, opts: { forces?: readonly string[]; crimeIds?: boolean; crimeIdMonths?: readonly string[] }): Promise<DataQualityReport> {
  const [forceMonths, names, repeatedIds] = await Promise.all([
    forceMonthCounts(store, opts.forces),
    forceNames(store),
    opts.crimeIds ? repeatedCrimeIds(store, opts.forces, opts.crimeIdMonths) : Promise.resolve([]),
  ]);
  return checkDataQuality({ forceMonths, repeatedIds, forceNames: names });
}

/** Crime IDs are compared within this many months either side of each month imported (bounds the incidents read). */
export const CRIME_ID_WINDOW = 3;

/**
 * After an import: the checks on the forces whose files were imported or replaced, with Crime IDs
 * compared across the files within CRIME_ID_WINDOW months of the months imported (all months when
 * `months` is not given).
 */
export async function dataQualityAfterImport(store: Store, forces: readonly (string | null)[], months?: readonly (string | null)[]): Promise<DataQualityReport> {
  const wanted = [...new Set(forces.filter((f): f is string => !!f))].sort();
  const window = months
    ? [...new Set(months.filter((m): m is string => !!m).flatMap((m) => monthRange(addMonths(m, -CRIME_ID_WINDOW), addMonths(m, CRIME_ID_WINDOW))))].sort()
    : undefined;
  return dataQualityReport(store, { forces: wanted, crimeIds: true, crimeIdMonths: window });
}

export interface FlaggedInPeriod {
  /** Flagged months of the force within the period. */
  months: string[];
  /** Every flagged month of the force (comparisons reach outside the period). */
  forceMonths: string[];
  findings: QualityFinding[];
  /** The warning said with the analysis; null when no month of the period is flagged. */
  warning: string | null;
}

/** The months of `force` flagged as unusual within `from`..`to`, and the warning analyses carry. */
export async function flaggedMonthsInPeriod(store: Store, force: string | null, from: string, to: string): Promise<FlaggedInPeriod> {
  if (!force) return { months: [], forceMonths: [], findings: [], warning: null };
  const report = await dataQualityReport(store, { forces: [force] });
  const forceMonths = report.flaggedMonths[force] ?? [];
  const months = flaggedMonthsBetween(forceMonths, from, to);
  const findings = report.findings.filter((f) => f.severity === "unusual" && f.month !== null && months.includes(f.month));
  return { months, forceMonths, findings, warning: flaggedMonthsWarning({ force, months, findings }) };
}

/** The assessment's `vintage.dataQuality`: the principal force's findings over the period and the 12 months before it (year on year's comparison), Crime IDs included. */
export async function assessmentDataQuality(store: Store, force: string | null, from: string, to: string): Promise<{ flaggedMonths: string[]; findings: QualityFinding[] }> {
  if (!force) return { flaggedMonths: [], findings: [] };
  const start = addMonths(from, -12);
  const report = await dataQualityReport(store, { forces: [force], crimeIds: true, crimeIdMonths: monthRange(start, to) });
  const inWindow = (m: string) => m >= start && m <= to;
  return {
    flaggedMonths: flaggedMonthsBetween(report.flaggedMonths[force] ?? [], start, to),
    findings: report.findings.filter((f) => (f.month ? inWindow(f.month) : f.months.some(inWindow))),
  };
}
