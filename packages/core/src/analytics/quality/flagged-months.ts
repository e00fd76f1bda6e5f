/**
 * What analyses say about months flagged by the data quality checks (decision 0016): the warning
 * shown with an analysis whose period includes one, and which of a comparison's months are flagged.
 */
import { addMonths, monthIndex, monthRange } from "../../domain/month.ts";
import type { QualityFinding } from "./quality.types.ts";

/** The flagged months lying in `from`..`to` (both YYYY-MM), sorted. */
export function flaggedMonthsBetween(flagged: readonly string[], from: string, to: string): string[] {
  return [...new Set(flagged.filter((m) => m >= from && m <= to))].sort();
}

/** The flagged months lying in either period of a comparison, each given by its first and last month. */
export function flaggedInComparison(flagged: readonly string[], a: { start: string; end: string }, b: { start: string; end: string }): string[] {
  const months = new Set([...monthRange(a.start, a.end), ...monthRange(b.start, b.end)]);
  return [...new Set(flagged.filter((m) => months.has(m)))].sort();
}

/**
 * The flagged months a year-on-year comparison (or the same quarter last year, or a financial or
 * calendar year against the one before) actually totals: its comparable months and the same months
 * in the earlier window. A flagged month left out of the totals (no data in the other year) does not
 * make the comparison untestable: with 2024-01..04 and 2025 loaded, a flagged 2025-08 is not compared.
 */
export function flaggedInYearOnYear(
  flagged: readonly string[],
  r: { comparableMonths: readonly string[]; current: { to: string }; previous: { to: string } },
): string[] {
  const lag = monthIndex(r.current.to) - monthIndex(r.previous.to);
  const totalled = new Set(r.comparableMonths.flatMap((m) => [m, addMonths(m, -lag)]));
  return [...new Set(flagged.filter((m) => totalled.has(m)))].sort();
}

/**
 * The verdict a table or headline shows for a comparison: the test's own, unless a flagged month
 * lies in either period (`flagged`, from flaggedInComparison), when no significance is claimed.
 */
export function verdictUnlessFlagged(verdict: string | null, flagged: readonly string[]): string | null {
  if (flagged.length === 0) return verdict;
  return `not tested for significance: includes ${flagged.length === 1 ? "a month" : "months"} flagged as unusual in the police data (${[...flagged].sort().join(", ")})`;
}

/**
 * "The hampshire file for 2025-08 looks unusual (Violence and sexual offences 2.0 times the median of
 * the previous months, and 11 more findings): figures that include it may show a problem in the
 * published data rather than a change in crime, and changes over it are not called significant."
 * Null when no month of the period is flagged.
 */
export function flaggedMonthsWarning(p: { force: string | null; months: readonly string[]; findings?: readonly QualityFinding[] }): string | null {
  if (p.months.length === 0) return null;
  const months = [...p.months].sort();
  const file = `${p.force ? `${p.force} ` : ""}file${months.length === 1 ? "" : "s"} for ${months.join(", ")}`;
  const relevant = (p.findings ?? []).filter((f) => f.severity === "unusual" && f.month !== null && months.includes(f.month));
  const largest = [...relevant].sort((a, b) => distance(b) - distance(a))[0];
  const detail = largest ? ` (${largest.month} ${largest.measure}: ${largest.ratio === null ? "unusual" : ratioText(largest.ratio)}${relevant.length > 1 ? `, and ${relevant.length - 1} more finding${relevant.length === 2 ? "" : "s"}` : ""})` : "";
  return `The ${file} ${months.length === 1 ? "looks" : "look"} unusual${detail}: figures that include ${months.length === 1 ? "it" : "them"} may show a problem in the published data rather than a change in crime, and changes over ${months.length === 1 ? "it" : "them"} are not called significant. See the Data page.`;
}

function distance(f: QualityFinding): number {
  if (f.ratio === null || f.ratio <= 0) return Number.POSITIVE_INFINITY;
  return Math.abs(Math.log(f.ratio));
}

function ratioText(ratio: number): string {
  return ratio >= 1 ? `${ratio.toFixed(1)} times the usual median` : `${Math.round(ratio * 100)}% of the usual median`;
}
