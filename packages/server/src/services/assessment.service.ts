import {
  AppError,
  type Assessment,
  AssessmentSchema,
  type ChangeFigure,
  canonicalize,
  changeFigureFromTrend,
  concentrationFigures,
  type DeprivationMeasure,
  flaggedInYearOnYear,
  isAppError,
  narrateAssessment,
  type PeerFigure,
  peakFigureFromSeason,
  peerFigureFromCompare,
  requirePeriod,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { contributingImports } from "../db/repositories/incident-points.repository.ts";
import { listReferenceDatasets } from "../db/repositories/reference.repository.ts";
import { type AnalysisQuery, loadAnalysisScope, loadAreaPopulation, otherForcesJson } from "./analysis-scope.ts";
import { assessConcentration } from "./concentration.service.ts";
import { assessmentDataQuality } from "./data-quality.service.ts";
import { assessEmerging, type EmergingQuery, type EmergingServiceResult, parseEmergingOptions } from "./emerging.service.ts";
import { assessHotspots, type HotspotsQuery, type HotspotsResult, loadGroupPoints, parseGrid } from "./hotspots.service.ts";
import { assessPeers, PEER_SOURCES_NOTE, type PeersQuery, type PeersResult } from "./peers.service.ts";
import { populationNotes } from "./population-note.ts";
import { assessPriorityAreas, IMD_EDITION, loadLsoaCounts, type PriorityAreasQuery, type PriorityAreasServiceResult } from "./priority-areas.service.ts";
import { assessSeasonality, type SeasonalityResult } from "./seasonality.service.ts";
import { parseClip, parseInference } from "./study-area-clip.ts";
import { assessTrends, type TrendsResult } from "./trends.service.ts";
import { type GroupYearOnYear, yearOnYearByGroup } from "./year-on-year.service.ts";

export interface AssessQuery
  extends AnalysisQuery,
    Pick<PeersQuery, "funnel" | "dispersionModel" | "quartiles" | "peerSource">,
    Pick<HotspotsQuery, "clip" | "inference" | "permutations" | "seed">,
    Pick<EmergingQuery, "adjust" | "trendTest" | "rules" | "firstSteps">,
    Pick<PriorityAreasQuery, "rates"> {
  peers?: readonly string[];
  /** Priority areas' deprivation: the IMD without its crime domain (default) or the published IMD (decision 0023). */
  deprivation?: DeprivationMeasure;
  k?: number;
  /** Trend period. Default "quarter". */
  period?: string;
  /** Hotspot and emerging grid. Default square with an automatic size. */
  grid?: string;
  /** Emerging step. Default "month". */
  step?: string;
  /** Priority areas listed. Default 10. */
  top?: number;
}

export const ATTRIBUTION =
  "Contains public sector information licensed under the Open Government Licence v3.0: data.police.uk; ONS police recorded crime, population estimates, Census 2021 and Open Geography (contains OS data © Crown copyright and database right); MHCLG English Indices of Deprivation.";

type Section<K extends keyof Assessment> = Assessment[K];

/** Runs a section; an AppError (nothing to compute on) becomes an "unavailable" section with the message and hint. */
async function guarded<T>(name: string, timings: Record<string, number>, run: () => Promise<T> | T): Promise<{ value: T | null; message: string | null }> {
  const t0 = performance.now();
  try {
    return { value: await run(), message: null };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { value: null, message: e.hint ? `${e.message} (${e.hint})` : e.message };
  } finally {
    timings[name] = performance.now() - t0;
  }
}

/**
 * The Strategic Assessment document for an area and period: every section, the parameters used and
 * the data vintage, validated by AssessmentSchema and in canonical form (sorted keys, numbers to 10
 * significant digits). Only `timings` differs between runs or databases.
 */
export async function assessArea(store: Store, query: AssessQuery): Promise<Assessment> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  // bad options are the user's to fix: checked before any section can turn them into "unavailable"
  parseGrid(query.grid);
  parseClip(query.clip);
  parseInference(query.inference);
  const emergingOptions = parseEmergingOptions(query);
  requirePeriod(query.period ?? "quarter");
  if (query.step !== undefined && query.step !== "month" && query.step !== "quarter") throw new AppError("input.invalid", `--step must be month or quarter; got \`${query.step}\``);
  if (query.top !== undefined && !(Number.isInteger(query.top) && query.top >= 1)) throw new AppError("input.invalid", `--top must be a whole number >= 1; got \`${query.top}\``);
  if (query.k !== undefined && !(Number.isInteger(query.k) && query.k >= 2)) throw new AppError("input.invalid", `--k must be a whole number >= 2; got \`${query.k}\``);
  const t0 = performance.now();
  const scope = await loadAnalysisScope(store, query);
  const population = await loadAreaPopulation(store, scope);
  const imports = await contributingImports(store, scope.scope, scope.from, scope.to, scope.otherForces.excludeForces);
  const dataQuality = await assessmentDataQuality(store, scope.principalForce, scope.from, scope.to);
  const reference = await listReferenceDatasets(store.db);
  timings.scope = performance.now() - t0;
  const loaded = { scope, population };

  const trends = await guarded("trends", timings, () => assessTrends(store, { ...query, allGroups: true, ...(query.period ? { period: query.period } : {}) }, loaded));
  const season = await guarded("seasonality", timings, () => assessSeasonality(store, query, loaded));
  const peers = await guarded("peers", timings, () => assessPeers(store, { ...query, allGroups: true }, loaded));
  const points = await guarded("points", timings, () => loadGroupPoints(store, scope, imports));
  const hot = await guarded("hotspots", timings, () => assessHotspots(store, { ...query, method: "gistar" }, { scope, points: points.value ?? [] }));
  const emerging = await guarded("emerging", timings, () => assessEmerging(store, query, { scope, points: points.value ?? [] }));
  const priority = await guarded("priorityAreas", timings, () =>
    assessPriorityAreas(store, query, { scope, hotspots: hot.value, hotspotsMessage: hot.message }),
  );
  const yoy = await guarded("yearOnYear", timings, () => yearOnYearByGroup(store, scope));
  const conc = await guarded("concentration", timings, async () => {
    const lsoaCounts = priority.value?.lsoaCounts ?? (await loadLsoaCounts(store, scope)).lsoaCounts;
    return assessConcentration(lsoaCounts, hot.value?.gistar?.cells ?? null);
  });

  const tn = performance.now();
  const narrative = narrateAssessment({
    changes: [...yearOnYearFigures(yoy.value, scope.flaggedMonths), ...changeFigures(trends.value, scope.flaggedMonths)],
    peers: peerFigures(peers.value),
    peak: season.value ? peakFigureFromSeason(season.value.profile, season.value.group.toLowerCase()) : null,
    concentration: conc.value?.lsoas ? concentrationFigures(conc.value.lsoas, scope.group.name, "LSOAs") : [],
    priority: priorityFigure(priority.value),
  });
  timings.keyMessages = performance.now() - tn;

  const doc = {
    schemaVersion: 1,
    kind: "safecity.strategic-assessment",
    area: scope.area,
    period: { from: scope.from, to: scope.to, months: scope.months.length },
    parameters: {
      group: scope.group.name,
      trendPeriod: trends.value?.params.period ?? query.period ?? "quarter",
      grid: hot.value?.params.grid ?? query.grid ?? "square (automatic size)",
      step: (query.step ?? "month") as "month" | "quarter",
      peers: {
        source: peers.value?.groupSource ?? (query.peers?.length ? "given" : "computed"),
        k: peers.value?.params.k ?? null,
        codes: peers.value?.members.map((m) => m.code) ?? [...(query.peers ?? [])],
        funnel: query.funnel ?? "overdispersed",
        dispersionModel: query.dispersionModel ?? "multiplicative",
        quartiles: query.quartiles ?? "rank",
      },
      top: query.top ?? 10,
      priorityRates: query.rates ?? "raw",
      populationSource: population.source,
      imdEdition: IMD_EDITION,
      priorityDeprivation: priority.value?.params.deprivation ?? query.deprivation ?? "imd-without-crime",
      otherForces: otherForcesJson(scope.otherForces),
      hotspotMethod: {
        inference: hot.value?.gistar?.params.inference ?? parseInference(query.inference),
        permutations: hot.value?.gistar?.params.permutations ?? null,
        seed: hot.value?.gistar?.params.seed ?? null,
        clip: parseClip(query.clip),
        clippedTo: hot.value?.params.clippedTo ?? null,
      },
      emergingMethod: {
        adjust: emerging.value?.result.params.adjust ?? emergingOptions.adjust ?? "fdr",
        trendTest: emerging.value?.result.params.trendTest ?? emergingOptions.trendTest ?? "mann-kendall",
        rules: emerging.value?.result.params.rules ?? emergingOptions.rules ?? "esri",
        firstSteps: emerging.value?.result.params.firstSteps ?? emergingOptions.firstSteps ?? "partial",
        clip: parseClip(query.clip),
        clippedTo: emerging.value?.clip.clippedTo ?? null,
      },
    },
    vintage: {
      monthsCovered: scope.monthsPresent,
      missingMonths: scope.missingMonths,
      principalForce: scope.principalForce,
      forces: scope.forces,
      imports: imports.map((i) => ({ id: i.id, fileName: i.fileName, force: i.force, month: i.month, sha256: i.sha256, rows: i.rows })),
      reference: reference.map((r) => ({ name: r.name, fileName: r.fileName, sha256: r.sha256, rows: r.rows })),
      dataQuality,
    },
    trends: trendsSection(trends.value, trends.message),
    seasonality: seasonalitySection(season.value, season.message, scope.group.name),
    peers: peersSection(peers.value, peers.message),
    hotspots: hotspotsSection(hot.value, hot.message),
    emerging: emergingSection(emerging.value, emerging.message, (query.step ?? "month") as "month" | "quarter"),
    concentration: {
      status: conc.value && (conc.value.lsoas || conc.value.cells) ? "ok" : "unavailable",
      message: conc.message ?? (conc.value && !conc.value.lsoas && !conc.value.cells ? "no LSOAs or grid cells to measure concentration over" : null),
      notes: conc.value?.notes ?? [],
      lsoas: conc.value?.lsoas ?? null,
      cells: conc.value?.cells ?? null,
    },
    priorityAreas: prioritySection(priority.value, priority.message),
    keyMessages: {
      status: narrative.messages.length ? "ok" : "unavailable",
      message: narrative.messages.length ? null : "no figures to describe",
      notes: narrative.notes,
      messages: narrative.messages,
    },
    attribution: ATTRIBUTION,
    notes: [...scope.notes, ...populationNotes(population, scope, peers.value, trends.value)],
    timings: {},
  };
  timings.total = performance.now() - started;
  const canonical = canonicalize({ ...doc, timings: {} }) as Record<string, unknown>;
  const parsed = AssessmentSchema.safeParse(canonical);
  if (!parsed.success) {
    throw new AppError("input.invalid", `the assessment document does not match its schema: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  // timings last, rounded to 0.1 ms, outside the canonical comparison
  return { ...parsed.data, timings: Object.fromEntries(Object.entries(timings).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, Math.round(v * 10) / 10])) };
}

/** Year on year first (the comparison assessments lead with), only where a month has data in both years. */
/** `flagged`: months flagged by the data quality checks; a comparison over one is never called significant. */
function yearOnYearFigures(y: GroupYearOnYear[] | null, flagged: readonly string[]): ChangeFigure[] {
  return (y ?? [])
    .filter((g) => g.result.comparable)
    .map(({ group, result: r }) => {
      const months = flaggedInYearOnYear(flagged, r);
      return {
        subject: group,
        from: { label: r.previous.label, count: r.previous.count! },
        to: { label: r.current.label, count: r.current.count! },
        test: r.test ? { pValue: r.test.pValue, significant: r.test.significant } : null,
        ...(months.length ? { flaggedMonths: months } : {}),
      };
    });
}

function changeFigures(t: TrendsResult | null, flagged: readonly string[]): ChangeFigure[] {
  if (!t) return [];
  const out: ChangeFigure[] = [];
  for (const g of t.groups) {
    if (!g.change) continue;
    for (const kind of ["previous", "periodsAgo"] as const) {
      const f = changeFigureFromTrend(g.change, g.group, kind, flagged);
      if (f) out.push(f);
    }
  }
  return out;
}

function peerFigures(p: PeersResult | null): PeerFigure[] {
  if (!p) return [];
  const out: PeerFigure[] = [];
  const groupName = p.groupSource === "computed" ? `a computed group of ${p.members.length} similar areas` : `the peer group of ${p.members.length}`;
  for (const g of p.groups) {
    const left = (side: { excluded: { name: string; reason: string }[] }) => (side.excluded.length ? { leftOut: side.excluded.map((e) => ({ name: e.name, reason: e.reason })) } : {});
    if (g.ons.result) {
      out.push({ ...peerFigureFromCompare(g.ons.result, `${g.group} (ONS, year ending December 2024)`), groupName, ...left(g.ons), population: "ONS mid-2022 populations (rounded to 100) from the same tables" });
    } else if (g.policeUk.result) {
      out.push({ ...peerFigureFromCompare(g.policeUk.result, `${g.group} (police.uk)`), groupName, ...left(g.policeUk), population: p.params.policePopulation });
    }
  }
  return out;
}

function priorityFigure(p: PriorityAreasServiceResult | null) {
  if (!p?.result) return null;
  const areas = p.result.areas;
  return {
    areas: areas.map((a) => ({ code: a.code, name: a.name })),
    deprived: areas.filter((a) => a.deprived).length,
    deprivation: p.params.deprivation,
    imdEdition: p.params.imdEdition,
    ...(p.overlap ? { inHotspots: p.overlap.overlap } : {}),
  };
}

function trendsSection(t: TrendsResult | null, message: string | null): Section<"trends"> {
  if (!t) return { status: "unavailable", message, notes: [], groups: null, population: null };
  const any = t.groups.some((g) => g.total !== null);
  return {
    status: any ? "ok" : "unavailable",
    message: any ? null : `no month of ${t.scope.from}..${t.scope.to} has police data for ${t.scope.area.name}`,
    notes: t.notes,
    groups: t.groups as unknown as Section<"trends">["groups"],
    population: t.population.byYear ?? null,
  };
}

function seasonalitySection(s: SeasonalityResult | null, message: string | null, group: string): Section<"seasonality"> {
  if (!s) return { status: "unavailable", message, notes: [], group, monthly: null, profile: null };
  return { status: s.status, message: s.message, notes: s.notes, group: s.group, monthly: s.monthly, profile: s.profile as unknown as Record<string, unknown> };
}

function peersSection(p: PeersResult | null, message: string | null): Section<"peers"> {
  if (!p) return { status: "unavailable", message, notes: [], level: null, groupSource: null, similarity: null, members: null, groups: null, sourcesNote: PEER_SOURCES_NOTE };
  const ok = p.groups.some((g) => g.ons.result || g.policeUk.result);
  return {
    status: ok ? "ok" : "insufficient",
    message: ok ? null : "neither police.uk nor ONS figures cover enough of the peer group",
    notes: p.notes,
    level: p.level,
    groupSource: p.groupSource,
    similarity: p.similarity as unknown as Record<string, unknown> | null,
    members: p.members as unknown as Record<string, unknown>[],
    groups: p.groups as unknown as Section<"peers">["groups"],
    sourcesNote: p.sourcesNote,
  };
}

function hotspotsSection(h: HotspotsResult | null, message: string | null): Section<"hotspots"> {
  if (!h?.gistar) return { status: "unavailable", message, notes: h?.notes ?? [], params: null, summary: null, points: null, cells: null, cellCount: null, lsoas: null };
  const g = h.gistar;
  return {
    status: "ok",
    message: null,
    notes: [...h.notes, "cells: hot and cold cells only; every cell with `safecity hotspots --json`"],
    params: { ...h.params, analysis: g.params },
    summary: g.summary,
    points: (g.points ?? null) as Record<string, unknown> | null,
    cells: g.cells.filter((c) => c.class !== "none").map((c) => ({ id: c.id, count: c.count, z: c.z, p: c.p, pAdjusted: c.pAdjusted, class: c.class })),
    cellCount: g.cells.length,
    lsoas: h.lsoas,
  };
}

function emergingSection(e: EmergingServiceResult | null, message: string | null, step: "month" | "quarter"): Section<"emerging"> {
  if (!e) return { status: "unavailable", message, notes: [], step, steps: null, stepsExcluded: [], params: null, summary: null, cells: null, cellCount: null };
  return {
    status: "ok",
    message: null,
    notes: [...e.notes, "cells: cells with a pattern only; every cell with `safecity emerging --json`"],
    step: e.step,
    steps: e.result.steps,
    stepsExcluded: e.stepsExcluded,
    params: { ...e.result.params, grid: e.cube.params, points: e.cube.points, clip: e.clip },
    summary: e.result.summary,
    cells: e.result.cells
      .filter((c) => c.category !== "no-pattern")
      .map((c) => ({ id: c.id, counts: c.counts, z: c.z, mannKendall: { s: c.mannKendall.s, z: c.mannKendall.z, p: c.mannKendall.p, tau: c.mannKendall.tau }, category: c.category })),
    cellCount: e.result.cells.length,
  };
}

function prioritySection(p: PriorityAreasServiceResult | null, message: string | null): Section<"priorityAreas"> {
  if (!p) return { status: "unavailable", message, notes: [], params: null, areas: null, excluded: [], overlap: null };
  return {
    status: p.status,
    message: p.message,
    notes: p.overlapMessage ? [...p.notes, `hotspot overlap: ${p.overlapMessage}`] : p.notes,
    params: { ...p.params, analysis: p.result?.params ?? null },
    areas: (p.result?.areas ?? null) as unknown as Record<string, unknown>[] | null,
    excluded: p.excluded,
    overlap: p.overlap as unknown as Record<string, unknown> | null,
  };
}
