/**
 * checkDataQuality: the data quality checks run after every import (decision 0016), pure.
 *
 * Checks, per force
 * - count: a month whose total or any crime type's count is outside its usual band over the loaded
 *   months of the previous 12 (usual-band.ts). `unusual`: the month is flagged.
 * - share: rows without a location, without an LSOA, or in LSOAs of another force area, as a share
 *   of the month's rows, above the force's usual share (the same band applied to the expected count,
 *   rows x share, and at least `minShareExcess` above the usual highest share). `unusual`.
 * - missing-months: months with no file between the first and last month loaded. `note` (analyses
 *   already treat them as unknown, never zero).
 * - repeated-ids: Crime IDs of a month also found in another month's file of the force (the same
 *   crime counted in two months). `note`: it needs the incidents, not the roll-up, so it is run at
 *   import and in the assessment only, and flagged months must not depend on where they are read.
 * Months missing from the history are left out of it (never zero).
 */
import { addMonths, monthRange } from "../../domain/month.ts";
import { monthRuns, spanLabel } from "../../domain/period.ts";
import { formatCount } from "../stats/format.ts";
import {
  DATA_QUALITY_PARAMS,
  type DataQualityParams,
  type DataQualityReport,
  type ForceMonthCounts,
  type QualityFinding,
  type RepeatedCrimeIds,
  type UsualBand,
} from "./quality.types.ts";
import { outsideBand, usualBand } from "./usual-band.ts";

export interface DataQualityInput {
  forceMonths: readonly ForceMonthCounts[];
  repeatedIds?: readonly RepeatedCrimeIds[];
  /** Display names of forces by slug ("Hampshire Constabulary"); the slug otherwise. */
  forceNames?: Readonly<Record<string, string>>;
}

const SHARES = [
  { key: "noLocation", measure: "rows without a location" },
  { key: "noLsoa", measure: "rows without an LSOA" },
  { key: "outsideForce", measure: "rows outside the force area" },
] as const;

export function checkDataQuality(input: DataQualityInput, params: DataQualityParams = DATA_QUALITY_PARAMS): DataQualityReport {
  const byForce = new Map<string, ForceMonthCounts[]>();
  for (const fm of input.forceMonths) {
    const list = byForce.get(fm.force) ?? [];
    list.push(fm);
    byForce.set(fm.force, list);
  }
  const findings: QualityFinding[] = [];
  const unchecked: DataQualityReport["unchecked"] = [];
  for (const [force, list] of [...byForce].sort(([a], [b]) => a.localeCompare(b))) {
    const name = input.forceNames?.[force] ?? force;
    const months = new Map(list.map((fm) => [fm.month, fm]));
    const sorted = [...months.keys()].sort();
    for (const month of sorted) {
      const fm = months.get(month)!;
      const history = monthRange(addMonths(month, -params.window), addMonths(month, -1))
        .map((m) => months.get(m))
        .filter((h): h is ForceMonthCounts => h !== undefined);
      if (history.length < params.minMonths) {
        unchecked.push({ force, month, historyMonths: history.length });
        continue;
      }
      findings.push(...countFindings(name, force, fm, history, params), ...shareFindings(name, force, fm, history, params));
    }
    findings.push(...missingMonthFindings(name, force, sorted));
  }
  for (const r of input.repeatedIds ?? []) if (r.ids > 0) findings.push(repeatedIdFinding(input.forceNames?.[r.force] ?? r.force, r));
  const flagged: Record<string, Set<string>> = {};
  for (const f of findings) {
    if (f.severity !== "unusual" || !f.month) continue;
    flagged[f.force] ??= new Set();
    flagged[f.force]!.add(f.month);
  }
  const flaggedMonths = Object.fromEntries(Object.entries(flagged).map(([k, v]) => [k, [...v].sort()]));
  return { findings, flaggedMonths, unchecked, params };
}

function countFindings(name: string, force: string, fm: ForceMonthCounts, history: ForceMonthCounts[], params: DataQualityParams): QualityFinding[] {
  const out: QualityFinding[] = [];
  const measures: [string, (x: ForceMonthCounts) => number][] = [["All crime", (x) => x.rows]];
  const types = new Set<string>();
  for (const x of [fm, ...history]) for (const t of Object.keys(x.byType)) types.add(t);
  for (const t of [...types].sort()) measures.push([t, (x) => x.byType[t] ?? 0]);
  for (const [measure, get] of measures) {
    const band = usualBand(history.map(get), params);
    const value = get(fm);
    if (!band || !outsideBand(value, band)) continue;
    const ratio = band.median > 0 ? value / band.median : null;
    out.push({
      check: "count",
      severity: "unusual",
      force,
      month: fm.month,
      months: [fm.month],
      measure,
      value,
      usual: band,
      ratio,
      text: `${name} ${fm.month}: ${measure} ${formatCount(value)} against a usual ${rangeText(band)} (median ${formatCount(band.median)}) in the previous ${band.months} months loaded: ${timesText(ratio)}`,
    });
  }
  return out;
}

function shareFindings(name: string, force: string, fm: ForceMonthCounts, history: ForceMonthCounts[], params: DataQualityParams): QualityFinding[] {
  const out: QualityFinding[] = [];
  if (fm.rows === 0) return out;
  for (const { key, measure } of SHARES) {
    const value = fm[key];
    if (value === null) continue;
    const shares = history.filter((h) => h.rows > 0 && h[key] !== null).map((h) => h[key]! / h.rows);
    const shareBand = usualBand(shares, { ...params, z: 0 });
    if (!shareBand) continue;
    const share = value / fm.rows;
    // The usual highest share applied to this month's rows, widened like a count (factor, Poisson).
    const expected = shareBand.highest * fm.rows;
    const high = Math.max(expected * params.factor, expected + params.z * Math.sqrt(Math.max(expected, 1)));
    if (value <= high || share - shareBand.highest < params.minShareExcess) continue;
    const usual: UsualBand = { ...shareBand, low: 0, high: high / fm.rows };
    const ratio = shareBand.median > 0 ? share / shareBand.median : null;
    out.push({
      check: "share",
      severity: "unusual",
      force,
      month: fm.month,
      months: [fm.month],
      measure,
      value,
      usual,
      ratio,
      text: `${name} ${fm.month}: ${formatCount(value)} ${measure} (${pct(share)} of ${formatCount(fm.rows)}) against a usual ${pct(shareBand.lowest)}–${pct(shareBand.highest)} (median ${pct(shareBand.median)}) in the previous ${shareBand.months} months loaded${ratio === null ? "" : `: ${timesText(ratio)}`}`,
    });
  }
  return out;
}

function missingMonthFindings(name: string, force: string, loaded: readonly string[]): QualityFinding[] {
  if (loaded.length < 2) return [];
  const present = new Set(loaded);
  const missing = monthRange(loaded[0]!, loaded.at(-1)!).filter((m) => !present.has(m));
  return monthRuns(missing).map((run) => ({
    check: "missing-months" as const,
    severity: "note" as const,
    force,
    month: null,
    months: run.months,
    measure: "months loaded",
    value: run.months.length,
    usual: null,
    ratio: null,
    text: `${name}: no file for ${spanLabel(run.months)} (${run.months.length} month${run.months.length === 1 ? "" : "s"} between ${addMonths(run.from, -1)} and ${addMonths(run.to, 1)}): their crime is unknown, not zero`,
  }));
}

function repeatedIdFinding(name: string, r: RepeatedCrimeIds): QualityFinding {
  const examples = r.examples.length ? `; e.g. ${r.examples.slice(0, 3).join(", ")}` : "";
  return {
    check: "repeated-ids",
    severity: "note",
    force: r.force,
    month: r.month,
    months: [r.month, ...r.otherMonths],
    measure: "Crime IDs",
    value: r.ids,
    usual: null,
    ratio: null,
    text: `${name} ${r.month}: ${formatCount(r.ids)} Crime ID${r.ids === 1 ? "" : "s"} also in the file for ${r.otherMonths.join(", ")} (each crime should appear in one month only)${examples}`,
  };
}

function rangeText(b: UsualBand): string {
  return b.lowest === b.highest ? formatCount(b.lowest) : `${formatCount(b.lowest)}–${formatCount(b.highest)}`;
}

function timesText(ratio: number | null): string {
  if (ratio === null) return "where there are usually none";
  if (ratio >= 1) return `${ratio.toFixed(1)} times the median`;
  return `${Math.round(ratio * 100)}% of the median`;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

