import { AppError, type AreaRef, type DeprivationMeasure, type GeoJsonFeatureCollection, toGeoJSON } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { areaNames, boundariesByCode, boundariesWithinArea, lsoaWards } from "../db/repositories/boundary.repository.ts";
import { areaOutlineFromLsoas, type BoundaryFeature, wardFeatures } from "./ward-outlines.ts";
import { type AnalysisQuery, loadAnalysisScope, loadAreaPopulation } from "./analysis-scope.ts";
import { assessEmerging, type EmergingServiceResult } from "./emerging.service.ts";
import { assessHotspots, type HotspotsResult, loadGroupPoints } from "./hotspots.service.ts";
import { comparisonsByGroup, type GroupComparisons } from "./period-comparisons.service.ts";
import { assessPeers, type PeersQuery, type PeersResult } from "./peers.service.ts";
import { assessPriorityAreas, type PriorityAreasServiceResult } from "./priority-areas.service.ts";
import { assessSeasonality, type SeasonalityResult } from "./seasonality.service.ts";
import { assessTrends, type TrendsResult } from "./trends.service.ts";

/**
 * What the analysis pages (and their /api/v1 endpoints) show, each from the analysis services on
 * one loaded scope: trends with the seasonal profile; peers; and for the map Gi* hotspots, KDE,
 * emerging hot spots and priority areas with the boundaries to draw them on.
 */

export interface TrendsView {
  trends: TrendsResult;
  seasonality: SeasonalityResult;
  /** Year on year, same quarter last year, rolling 12 months, financial and calendar years, per group. */
  comparisons: GroupComparisons[];
}

export async function trendsView(store: Store, query: AnalysisQuery & { period?: string }): Promise<TrendsView> {
  const scope = await loadAnalysisScope(store, query);
  const population = await loadAreaPopulation(store, scope);
  const trends = await assessTrends(store, { ...query, allGroups: true }, { scope, population });
  const seasonality = await assessSeasonality(store, query, { scope });
  const comparisons = await comparisonsByGroup(store, scope);
  return { trends, seasonality, comparisons };
}

/** JSON form of `trendsView` (TrendsSchema). */
export function trendsJson(v: TrendsView) {
  const s = v.trends.scope;
  return {
    area: s.area,
    from: s.from,
    to: s.to,
    missingMonths: s.missingMonths,
    periodWarning: s.warning,
    period: v.trends.params.period,
    groups: v.trends.groups.map((g) => ({ ...g, series: g.series as unknown as Record<string, unknown>, change: g.change as unknown as Record<string, unknown> | null })),
    seasonality: { group: v.seasonality.group, status: v.seasonality.status, message: v.seasonality.message, profile: v.seasonality.profile as unknown as Record<string, unknown> },
    comparisons: v.comparisons.map((c) => ({
      group: c.group,
      yearOnYear: c.yearOnYear as unknown as Record<string, unknown>,
      sameQuarterLastYear: c.sameQuarterLastYear as unknown as Record<string, unknown>,
      rolling12: c.rolling12,
      financialYears: c.financialYears as unknown as Record<string, unknown>[],
      calendarYears: c.calendarYears as unknown as Record<string, unknown>[],
    })),
    notes: v.trends.notes,
  };
}

export async function peersView(store: Store, query: AnalysisQuery & Pick<PeersQuery, "funnel" | "dispersionModel" | "quartiles"> & { peers?: readonly string[] }): Promise<PeersResult> {
  return assessPeers(store, { ...query, allGroups: query.type === undefined });
}

export function peersJson(p: PeersResult) {
  return {
    area: p.scope.area,
    from: p.scope.from,
    to: p.scope.to,
    periodWarning: p.scope.warning,
    level: p.level,
    groupSource: p.groupSource,
    savedGroup: p.savedGroup,
    similarity: p.similarity as unknown as Record<string, unknown> | null,
    members: p.members as unknown as Record<string, unknown>[],
    groups: p.groups as unknown as Record<string, unknown>[],
    sourcesNote: p.sourcesNote,
    method: p.method,
    notes: p.notes,
  };
}

export interface MapView {
  area: AreaRef;
  from: string;
  to: string;
  group: string;
  /** The scope's warning about missing months (shown at the top of the page); null when none. */
  periodWarning: string | null;
  hotspots: HotspotsResult | null;
  hotspotsMessage: string | null;
  kde: HotspotsResult | null;
  emerging: EmergingServiceResult | null;
  emergingMessage: string | null;
  priority: PriorityAreasServiceResult | null;
  /** Area, ward and LSOA boundaries (WGS84) where reference data has them. */
  boundaries: GeoJsonFeatureCollection<BoundaryProperties>;
  names: Map<string, string>;
  notes: string[];
}

/** A boundary's properties: wards and an outline made from LSOAs carry a label point (ward names) and where the shape came from. */
type BoundaryProperties = BoundaryFeature["properties"];

async function orMessage<T>(run: () => Promise<T>): Promise<{ value: T | null; message: string | null }> {
  try {
    return { value: await run(), message: null };
  } catch (e) {
    if (e instanceof AppError && (e.code === "data.missing" || e.code === "input.invalid")) return { value: null, message: e.message };
    throw e;
  }
}

export async function mapView(store: Store, query: AnalysisQuery & { grid?: string; clip?: string; inference?: string; deprivation?: DeprivationMeasure }): Promise<MapView> {
  const scope = await loadAnalysisScope(store, query);
  const points = await loadGroupPoints(store, scope);
  const hot = await orMessage(() => assessHotspots(store, { ...query, method: "gistar" }, { scope, points }));
  const kde = await orMessage(() => assessHotspots(store, { ...query, method: "kde" }, { scope, points }));
  const emerging = await orMessage(() => assessEmerging(store, query, { scope, points }));
  const priority = await assessPriorityAreas(store, query, { scope, hotspots: hot.value, hotspotsMessage: hot.message });
  const own = scope.area.code ? await boundariesByCode(store, [scope.area.code]) : [];
  const within = await boundariesWithinArea(store, scope.scope);
  const all = [...own, ...within];
  const names = await areaNames(store, [...all.map((b) => b.code), ...priority.lsoaCounts.map((l) => l.code)]);
  for (const l of priority.lsoaCounts) names.set(l.code, l.name);
  // wards of the lookup's vintage, drawn from their LSOAs where no boundary of that code is installed; the area's outline likewise
  const lookup = await lsoaWards(store, scope.scope);
  const wards = wardFeatures(within, lookup, names);
  // the area's outline from its LSOAs when every LSOA has a boundary (the cells are clipped to those; an authority's own file is often generalised)
  const lsoaShapes = new Set(within.filter((b) => b.level === "lsoa").map((b) => b.code));
  const allLsoas = lookup.length > 0 && lookup.every((r) => lsoaShapes.has(r.lsoa));
  const outline = !own.length || allLsoas ? areaOutlineFromLsoas({ code: scope.area.code ?? "area", level: scope.area.level, name: scope.area.name }, within) : null;
  return {
    area: scope.area,
    from: scope.from,
    to: scope.to,
    group: scope.group.name,
    periodWarning: scope.warning,
    hotspots: hot.value,
    hotspotsMessage: hot.message,
    kde: kde.value,
    emerging: emerging.value,
    emergingMessage: emerging.message,
    priority,
    boundaries: {
      type: "FeatureCollection",
      features: [
        ...all
          .filter((b) => b.level !== "ward" && !(outline && b.code === outline.id))
          .map((b) => ({
            type: "Feature" as const,
            id: b.code,
            geometry: b.geometry as never,
            properties: { code: b.code, level: b.level, name: names.get(b.code) ?? b.code },
          })),
        ...(outline ? [outline] : []),
        ...wards,
      ] as GeoJsonFeatureCollection<BoundaryProperties>["features"],
    },
    names,
    notes: scope.notes,
  };
}

function gridOf<C extends { id: string }>(r: { kind: "square" | "h3"; cellSize?: number; cells: C[] }, cells: C[]) {
  return r.kind === "square" ? toGeoJSON({ kind: "square", ...(r.cellSize !== undefined ? { cellSize: r.cellSize } : {}), cells }) : toGeoJSON({ kind: "h3", cells });
}

/** Hotspots JSON (HotspotsSchema): every Gi* cell and every KDE cell as GeoJSON features. */
export function hotspotsJson(v: MapView, cells: "all" | "marked" = "all") {
  if (!v.hotspots?.gistar) throw new AppError("data.missing", v.hotspotsMessage ?? "no hotspots");
  const g = v.hotspots.gistar;
  const giCells = cells === "all" ? g.cells : g.cells.filter((c) => c.class !== "none");
  const kdeMax = v.kde?.kde ? Math.max(0, ...v.kde.kde.cells.map((c) => c.density)) : 0;
  const kdeCells = v.kde?.kde ? (cells === "all" ? v.kde.kde.cells : v.kde.kde.cells.filter((c) => c.density >= 0.05 * kdeMax)) : [];
  return {
    area: v.area,
    from: v.from,
    to: v.to,
    grid: v.hotspots.params.grid,
    summary: g.summary,
    params: { ...v.hotspots.params, analysis: g.params } as Record<string, unknown>,
    gistar: gridOf(g, giCells) as unknown as { type: "FeatureCollection"; features: { type: "Feature"; id: string; geometry: Record<string, unknown>; properties: Record<string, unknown> }[] },
    kde: v.kde?.kde ? (gridOf(v.kde.kde, kdeCells) as unknown as { type: "FeatureCollection"; features: { type: "Feature"; id: string; geometry: Record<string, unknown>; properties: Record<string, unknown> }[] }) : null,
    lsoas: v.hotspots.lsoas as unknown as Record<string, unknown>[],
    notes: v.hotspots.notes,
  };
}

type Fc = { type: "FeatureCollection"; features: { type: "Feature"; id: string; geometry: Record<string, unknown>; properties: Record<string, unknown> }[] };

/** Emerging JSON (EmergingSchema): cells with their category, counts and z per step. */
export function emergingJson(v: MapView, only: "all" | "marked" = "all") {
  if (!v.emerging) throw new AppError("data.missing", v.emergingMessage ?? "no emerging hot spot analysis");
  const r = v.emerging.result;
  const cells = (only === "all" ? r.cells : r.cells.filter((c) => c.category !== "no-pattern")).map((c) => ({ id: c.id, category: c.category, counts: c.counts, z: c.z, trendTau: c.mannKendall.tau, trendP: c.mannKendall.p }));
  return {
    area: v.area,
    step: v.emerging.step,
    steps: r.steps,
    stepsExcluded: v.emerging.stepsExcluded,
    summary: r.summary as unknown as Record<string, number>,
    params: r.params as unknown as Record<string, unknown>,
    cells: gridOf({ kind: r.kind, ...(r.cellSize !== undefined ? { cellSize: r.cellSize } : {}), cells }, cells) as unknown as Fc,
    notes: v.emerging.notes,
  };
}

/** Priority areas JSON (PriorityAreasSchema): ranked LSOAs and their boundaries. */
export function priorityJson(v: MapView) {
  const p = v.priority!;
  const codes = new Set((p.result?.areas ?? []).map((a) => a.code));
  return {
    area: v.area,
    status: p.status,
    message: p.message,
    areas: (p.result?.areas ?? []) as unknown as Record<string, unknown>[],
    overlap: p.overlap as unknown as Record<string, unknown> | null,
    boundaries: { type: "FeatureCollection" as const, features: v.boundaries.features.filter((f) => codes.has(f.id)) } as unknown as Fc,
    params: p.params as unknown as Record<string, unknown>,
    notes: p.notes,
  };
}
