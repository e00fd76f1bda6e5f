import {
  type AreaRef,
  type Assessment,
  flaggedInComparison,
  flaggedInYearOnYear,
  flaggedMonthsBetween,
  flaggedMonthsWarning,
  missingMonthsWarning,
  peerStanding,
  type QualityFinding,
  verdictUnlessFlagged,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { importedMonths } from "../db/repositories/rollup.repository.ts";
import { type AnalysisQuery, loadAnalysisScope } from "./analysis-scope.ts";
import { assessArea } from "./assessment.service.ts";
import { yearOnYearByGroup } from "./year-on-year.service.ts";

export interface OverviewHeadline {
  group: string;
  total: number | null;
  latest: { period: string; count: number | null } | null;
  previous: { period: string; count: number | null } | null;
  change: number | null;
  changePct: number | null;
  significance: string | null;
  reason: string | null;
  /** The 12 months to the period's end against the 12 before, over months with data in both years (core yearOnYear). */
  yearOnYear: {
    current: { label: string; count: number | null };
    previous: { label: string; count: number | null };
    comparableMonths: number;
    change: number | null;
    changePct: number | null;
    significance: string | null;
    reason: string | null;
  } | null;
  /** `standing`: the position in words ("the 2nd highest rate of 14, among the highest quarter"); rank 1 = lowest rate. */
  peer: { source: "ONS" | "police.uk"; rank: number; of: number; quartileLabel: string; standing: string; rate: number; groupMean: number; verdict: string } | null;
}

export interface Overview {
  area: AreaRef;
  from: string;
  to: string;
  trendPeriod: string;
  /** Which months of the period have no data and what the totals cover (top of the page); null when none. */
  periodWarning: string | null;
  keyMessages: { id: string; text: string }[];
  headlines: OverviewHeadline[];
  peerGroup: { source: "computed" | "given" | null; members: number };
  /** `latestMonth`: the principal force's latest month loaded (may be after the period). */
  freshness: { principalForce: string | null; monthsCovered: string[]; missingMonths: string[]; latestMonth: string | null; importedFiles: number };
  notes: string[];
}

interface Point {
  period: string;
  start: string;
  end: string;
  count: number | null;
}
interface Comparison {
  kind: string;
  from: Point | null;
  to: Point;
  comparable: boolean;
  reason: string | null;
  change: number | null;
  changePct: number | null;
  test: { verdict: string } | null;
}
interface Position {
  rank: number;
  of: number;
  quartileLabel: string;
  tied?: number;
  standing?: string;
  rate: number;
  verdict: string;
}

/**
 * The overview of an area and period: the Strategic Assessment's key messages, and per crime group
 * the period's total, the latest period's change on the one before with its significance verdict,
 * and the position in the peer group (ONS figures when they cover the group, else police.uk);
 * plus which months are loaded. `peers`: a stored official group (else computed). One `assessArea` run (cache it: it takes ~0.8 s for a year of a city).
 */
export async function overviewOfArea(store: Store, query: AnalysisQuery & { peers?: readonly string[] }): Promise<Overview> {
  const { area, from, to, peers, type, otherForces } = query;
  const base = { area, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(type ? { type } : {}), ...(otherForces ? { otherForces } : {}) };
  const o = overviewFromAssessment(await assessArea(store, { ...base, ...(peers?.length ? { peers } : {}) }));
  const scope = await loadAnalysisScope(store, base);
  const yoy = new Map((await yearOnYearByGroup(store, scope)).map((g) => [g.group, g.result]));
  for (const h of o.headlines) {
    const r = yoy.get(h.group);
    h.yearOnYear = r
      ? {
          current: { label: r.current.label, count: r.current.count },
          previous: { label: r.previous.label, count: r.previous.count },
          comparableMonths: r.comparableMonths.length,
          change: r.change,
          changePct: r.changePct,
          significance: verdictUnlessFlagged(r.test?.verdict ?? null, flaggedInYearOnYear(scope.flaggedMonths, r)),
          reason: r.reason,
        }
      : null;
  }
  // the force's latest month loaded at all, not only within the period
  const force = o.freshness.principalForce;
  const loaded = force ? await importedMonths(store, force) : [];
  return { ...o, freshness: { ...o.freshness, latestMonth: loaded.at(-1) ?? o.freshness.latestMonth } };
}

export function overviewFromAssessment(a: Assessment): Overview {
  const peerGroups = new Map((a.peers.groups ?? []).map((g) => [g.group, g]));
  const flagged = a.vintage.dataQuality?.flaggedMonths ?? [];
  const headlines: OverviewHeadline[] = (a.trends.groups ?? []).map((g) => {
    const change = g.change as { comparisons?: Comparison[] } | null;
    const prev = change?.comparisons?.find((c) => c.kind === "previous") ?? null;
    const pg = peerGroups.get(g.group);
    const side = pg?.ons.result ? { source: "ONS" as const, r: pg.ons.result } : pg?.policeUk.result ? { source: "police.uk" as const, r: pg.policeUk.result } : null;
    let peer: OverviewHeadline["peer"] = null;
    if (side) {
      const t = side.r.target as Position;
      const group = side.r.group as { mean: number };
      const standing = t.standing ?? peerStanding({ rank: t.rank, of: t.of, tied: t.tied ?? 1 });
      peer = { source: side.source, rank: t.rank, of: t.of, quartileLabel: t.quartileLabel, standing, rate: t.rate, groupMean: group.mean, verdict: t.verdict };
    }
    return {
      group: g.group,
      total: g.total,
      latest: prev ? { period: prev.to.period, count: prev.to.count } : null,
      previous: prev?.from ? { period: prev.from.period, count: prev.from.count } : null,
      change: prev?.comparable ? prev.change : null,
      changePct: prev?.comparable ? prev.changePct : null,
      significance: prev?.from ? verdictUnlessFlagged(prev.test?.verdict ?? null, flaggedInComparison(flagged, prev.from, prev.to)) : (prev?.test?.verdict ?? null),
      reason: prev ? prev.reason : g.message,
      yearOnYear: null,
      peer,
    };
  });
  const months = a.vintage.monthsCovered;
  return {
    area: a.area,
    from: a.period.from,
    to: a.period.to,
    trendPeriod: a.parameters.trendPeriod,
    periodWarning: overviewWarning(a),
    keyMessages: a.keyMessages.messages.map((m) => ({ id: m.id, text: m.text })),
    headlines,
    peerGroup: { source: a.peers.groupSource, members: a.peers.members?.length ?? 0 },
    freshness: {
      principalForce: a.vintage.principalForce,
      monthsCovered: months,
      missingMonths: a.vintage.missingMonths,
      latestMonth: months.length ? months[months.length - 1]! : null,
      importedFiles: a.vintage.imports.length,
    },
    notes: a.notes,
  };
}

/** Missing months, then months flagged by the data quality checks (decision 0016), as the analysis pages say them. */
function overviewWarning(a: Assessment): string | null {
  const force = a.vintage.principalForce;
  if (!force) return null;
  const months = a.vintage.monthsCovered.length + a.vintage.missingMonths.length;
  const missing = missingMonthsWarning({ months, missing: a.vintage.missingMonths, force });
  const flagged = flaggedMonthsBetween(a.vintage.dataQuality?.flaggedMonths ?? [], a.period.from, a.period.to);
  const findings = (a.vintage.dataQuality?.findings ?? []) as QualityFinding[];
  return [missing, flaggedMonthsWarning({ force, months: flagged, findings })].filter(Boolean).join(" ") || null;
}
