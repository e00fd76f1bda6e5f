import { AppError, type KnoxResult, type RepeatMeasures, type SuppressedTable, suppressSmallCounts } from "@safecity/core";
import type { LocalScope } from "./local-analysis.service.ts";

/** The variable setting the smallest count that may leave restricted scope (default 5). */
export const SUPPRESSION_THRESHOLD_VARIABLE = "SAFECITY_SUPPRESSION_THRESHOLD";

export function suppressionThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[SUPPRESSION_THRESHOLD_VARIABLE]?.trim();
  if (!text) return 5;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new AppError("config.invalid", `${SUPPRESSION_THRESHOLD_VARIABLE} must be a whole number from 1 to 100; got \`${text.slice(0, 20)}\``);
  return n;
}

/** One count released or withheld, by the same rule as the tables (a 1 x 1 table). */
function single(value: number, threshold: number): number | null {
  return suppressSmallCounts({ rows: ["v"], columns: ["v"], cells: [[value]] }, threshold).cells[0]![0]!;
}

/**
 * Repeat measures fit to leave restricted scope (a page for another role, an export, the published
 * site): counts as suppressed tables (primary and secondary suppression, core's
 * suppressSmallCounts), headline counts below the threshold withheld, shares and concentration only
 * from released counts, and no repeat locations at all (their keys link incidents across outputs).
 */
export interface RepeatsRelease {
  scope: LocalScope;
  threshold: number;
  incidents: number | null;
  victims: number | null;
  repeatIncidents: number | null;
  repeatVictims: number | null;
  /** repeatVictims / victims when both are released. */
  repeatVictimShare: number | null;
  concentration: number | null;
  /** Months x [not a repeat, repeat]. */
  monthly: SuppressedTable;
  /** One row: repeats by time since the previous incident. */
  timeToRepeat: SuppressedTable;
}

export function releaseRepeats(scope: LocalScope, m: RepeatMeasures, threshold: number): RepeatsRelease {
  const incidence = m.incidence.value;
  const victims = single(m.prevalence, threshold);
  const incidents = single(m.incidents, threshold);
  const repeatIncidents = single(m.repeatIncidents.count, threshold);
  const repeatVictims = single(m.repeatVictims.count, threshold);
  const released = single(incidence, threshold);
  return {
    scope,
    threshold,
    incidents,
    victims,
    repeatIncidents,
    repeatVictims,
    repeatVictimShare: repeatVictims !== null && victims !== null && victims > 0 ? repeatVictims / victims : null,
    concentration: released !== null && victims !== null && victims > 0 ? released / victims : null,
    monthly: suppressSmallCounts(
      { rows: m.monthly.map((r) => r.month), columns: ["not a repeat", "repeat"], cells: m.monthly.map((r) => [r.incidents - r.repeats, r.repeats]) },
      threshold,
    ),
    timeToRepeat: suppressSmallCounts({ rows: ["repeats"], columns: m.timeToRepeat.map((b) => b.label), cells: [m.timeToRepeat.map((b) => b.count)] }, threshold),
  };
}

/** The Knox table fit to leave restricted scope: observed pair counts suppressed; expected, ratios and p-values withheld where the count is. */
export interface NearRepeatRelease {
  scope: LocalScope;
  threshold: number;
  n: number | null;
  observed: SuppressedTable;
  knoxRatio: (number | null)[][];
  pValue: (number | null)[][];
}

export function releaseNearRepeat(scope: LocalScope, k: KnoxResult, threshold: number): NearRepeatRelease {
  const observed = suppressSmallCounts({ rows: k.distanceBands.map((b) => b.label), columns: k.timeBands.map((b) => b.label), cells: k.observed }, threshold);
  const keep = <T>(grid: T[][]) => grid.map((row, i) => row.map((v, j) => (observed.cells[i]![j] === null ? null : v)));
  return { scope, threshold, n: single(k.n, threshold), observed, knoxRatio: keep(k.knoxRatio), pValue: keep(k.pValue) };
}
