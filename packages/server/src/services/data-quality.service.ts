import { checkDataQuality, type DataQualityReport, flaggedMonthsBetween, flaggedMonthsWarning, type QualityFinding } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { forceMonthCounts, forceNames, repeatedCrimeIds } from "../db/repositories/data-quality.repository.ts";

/**
 * The data quality checks (decision 0016) over what is imported now: counts, shares and missing
 * months from the roll-up (fast, read wherever they are shown), and, with `crimeIds`, Crime IDs
 * repeated across months (reads the incidents of the forces asked for: at import and in the assessment).
 */
export async function dataQualityReport(store: Store, opts: { forces?: readonly string[]; crimeIds?: boolean } = {}): Promise<DataQualityReport> {
  const [forceMonths, names, repeatedIds] = await Promise.all([
    forceMonthCounts(store, opts.forces),
    forceNames(store),
    opts.crimeIds ? repeatedCrimeIds(store, opts.forces) : Promise.resolve([]),
  ]);
  return checkDataQuality({ forceMonths, repeatedIds, forceNames: names });
}

/** After an import: the checks on the forces whose files were imported or replaced, Crime IDs included. */
export async function dataQualityAfterImport(store: Store, forces: readonly (string | null)[]): Promise<DataQualityReport> {
  const wanted = [...new Set(forces.filter((f): f is string => !!f))].sort();
  return dataQualityReport(store, { forces: wanted, crimeIds: true });
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
