import {
  AppError,
  type PriorityAreasResult,
  type PriorityHotspotOverlapResult,
  type PriorityLsoa,
  type PriorityRateMethod,
  type DeprivationMeasure,
  deprivationLabel,
  isAppError,
  priorityAreas,
  priorityHotspotOverlap,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { imdByLsoa, lsoasOfArea } from "../db/repositories/imd.repository.ts";
import { lsoaPopulations } from "../db/repositories/population.repository.ts";
import { countsByLsoa } from "../db/repositories/rollup.repository.ts";
import { lsoaPopulationNote } from "./population-note.ts";
import { type AnalysisQuery, type AnalysisScope, loadAnalysisScope, typeIdsOf } from "./analysis-scope.ts";
import { type HotspotsResult, assessHotspots } from "./hotspots.service.ts";

export const IMD_EDITION = "2025";
export const LSOA_POPULATION_YEAR = 2021;

export interface PriorityAreasQuery extends AnalysisQuery {
  /** How many areas to list. Default 10. */
  top?: number;
  /**
   * Deprivation ranked: the IMD without its crime domain (default, decision 0023: crime is not
   * counted twice) or the published IMD ("imd"). Without ex-crime values in the store, the published IMD with a note.
   */
  deprivation?: DeprivationMeasure;
  /** Crime rate ranked: observed ("raw", default) or empirical Bayes (decision 0024). */
  rates?: PriorityRateMethod;
}

export interface LsoaCount {
  code: string;
  name: string;
  count: number;
}

export interface PriorityAreasServiceResult {
  scope: AnalysisScope;
  /** Every LSOA (2021) of the area with its count in the period (zeros included). */
  lsoaCounts: LsoaCount[];
  result: PriorityAreasResult | null;
  status: "ok" | "unavailable";
  message: string | null;
  excluded: { code: string; name: string; reason: string }[];
  overlap: (PriorityHotspotOverlapResult & { hotspotLsoas: string[] }) | null;
  overlapMessage: string | null;
  params: { imdEdition: string; deprivation: DeprivationMeasure; deprivationMeasure: string; populationYear: number; populationSource: "Census 2021 usual residents"; hotspotLsoaRule: string | null };
  notes: string[];
}

/** LSOA (2021) counts of the area over the period, zeros included, and rows on codes that are not 2021 LSOAs of it. */
export async function loadLsoaCounts(store: Store, scope: AnalysisScope): Promise<{ lsoaCounts: LsoaCount[]; unplaced: number }> {
  const lsoas = await lsoasOfArea(store, scope.scope, "2021");
  const rows = await countsByLsoa(store, scope.scope, { from: scope.from, to: scope.to, crimeTypeIds: typeIdsOf(scope.group.types), excludeForces: scope.otherForces.excludeForces });
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.lsoaCode, (sums.get(r.lsoaCode) ?? 0) + r.n);
  const known = new Set(lsoas.map((l) => l.code));
  let unplaced = 0;
  for (const [code, n] of sums) if (!known.has(code)) unplaced += n;
  return { lsoaCounts: lsoas.map((l) => ({ code: l.code, name: l.name, count: sums.get(l.code) ?? 0 })), unplaced };
}

/** LSOAs ranked on crime rate (Census 2021 residents) and IMD 2025, and their overlap with Gi* hotspots. */
export async function assessPriorityAreas(
  store: Store,
  query: PriorityAreasQuery,
  loaded?: { scope: AnalysisScope; hotspots: HotspotsResult | null; hotspotsMessage?: string | null },
): Promise<PriorityAreasServiceResult> {
  const scope = loaded?.scope ?? (await loadAnalysisScope(store, query));
  const notes = [...scope.notes];
  const { lsoaCounts, unplaced } = await loadLsoaCounts(store, scope);
  if (unplaced > 0) notes.push(`${unplaced} incidents are on LSOA codes that are not 2021 LSOAs of the area and are not ranked`);
  if (scope.missingMonths.length) notes.push("counts cover the months present only; the ranking is relative within the area, so missing months lower every LSOA alike");
  const population = await lsoaPopulations(store, scope.scope, LSOA_POPULATION_YEAR);
  notes.push(lsoaPopulationNote(scope, LSOA_POPULATION_YEAR));
  const imd = await imdByLsoa(store, scope.scope, IMD_EDITION);
  const { measure, note: deprivationNote } = chooseDeprivation(query.deprivation, lsoaCounts, imd);
  notes.push(deprivationNote);
  const excluded: PriorityAreasServiceResult["excluded"] = [];
  const rows: PriorityLsoa[] = [];
  for (const l of lsoaCounts) {
    const pop = population.get(l.code);
    const dep = imd.get(l.code);
    if (!pop) excluded.push({ code: l.code, name: l.name, reason: `no Census ${LSOA_POPULATION_YEAR} population` });
    else if (!dep || dep.decile === null) excluded.push({ code: l.code, name: l.name, reason: `no IMD ${IMD_EDITION} decile (English indices only)` });
    else if (measure === "imd") rows.push({ code: l.code, name: l.name, count: l.count, population: pop, imdDecile: dep.decile, ...(dep.rank !== null ? { imdRank: dep.rank } : {}) });
    else rows.push({ code: l.code, name: l.name, count: l.count, population: pop, imdDecile: dep.decileExCrime!, imdRank: dep.rankExCrime! });
  }
  const params = { imdEdition: IMD_EDITION, deprivation: measure, deprivationMeasure: deprivationLabel(measure, IMD_EDITION), populationYear: LSOA_POPULATION_YEAR, populationSource: "Census 2021 usual residents" as const, hotspotLsoaRule: null as string | null };
  if (rows.length === 0) {
    const message = lsoaCounts.length === 0
      ? `no 2021 LSOAs are known for ${scope.area.name}: install reference data`
      : `none of the ${lsoaCounts.length} LSOAs has both a Census 2021 population and an IMD ${IMD_EDITION} decile`;
    return { scope, lsoaCounts, result: null, status: "unavailable", message, excluded, overlap: null, overlapMessage: null, params, notes };
  }
  const result = priorityAreas(rows, { ...priorityOptions(query), deprivation: measure, imdEdition: IMD_EDITION });
  let hotspots = loaded?.hotspots;
  let overlapMessage = loaded?.hotspotsMessage ?? null;
  if (hotspots === undefined) {
    try {
      hotspots = await assessHotspots(store, query, { scope });
    } catch (e) {
      if (!isAppError(e)) throw e;
      hotspots = null;
      overlapMessage = e.message;
    }
  }
  let overlap: PriorityAreasServiceResult["overlap"] = null;
  if (hotspots?.gistar) {
    const hotspotLsoas = hotspots.lsoas.filter((l) => l.hotspot).map((l) => l.code);
    overlap = { ...priorityHotspotOverlap(result.areas.map((a) => a.code), hotspotLsoas), hotspotLsoas };
    params.hotspotLsoaRule = hotspots.params.hotspotLsoaRule;
  } else if (hotspots === null && !overlapMessage) overlapMessage = "no Gi* hotspots were computed";
  return { scope, lsoaCounts, result, status: "ok", message: null, excluded, overlap, overlapMessage, params, notes: [...notes, ...result.notes] };
}

/**
 * The measure ranked and the note saying so: the IMD without its crime domain unless asked for the
 * published IMD, or unless an LSOA of the area that has a published decile lacks the ex-crime one
 * (a store installed before migration 0014, or from a file that is not the whole national ranking).
 * One measure for the whole area: mixing the two would rank unlike with unlike.
 */
export function chooseDeprivation(
  asked: DeprivationMeasure | undefined,
  lsoas: readonly { code: string }[],
  imd: ReadonlyMap<string, { decile: number | null; decileExCrime: number | null; rankExCrime: number | null }>,
): { measure: DeprivationMeasure; note: string } {
  const wanted = asked ?? "imd-without-crime";
  if (wanted !== "imd-without-crime" && wanted !== "imd") throw new AppError("input.invalid", `deprivation must be imd-without-crime or imd; got \`${String(wanted)}\``);
  if (wanted === "imd") {
    return { measure: "imd", note: `Deprivation: ${deprivationLabel("imd", IMD_EDITION)}, as asked; with crime rate it counts crime twice (the default ranks on the IMD without its crime domain).` };
  }
  const published = lsoas.map((l) => imd.get(l.code)).filter((d) => d !== undefined && d.decile !== null);
  const lacking = published.filter((d) => d!.decileExCrime === null || d!.rankExCrime === null).length;
  if (published.length > 0 && lacking === 0) {
    return { measure: "imd-without-crime", note: `Deprivation: ${deprivationLabel("imd-without-crime", IMD_EDITION)}, national ranks and deciles, so crime is not counted twice; the published IMD is an option (deprivation imd).` };
  }
  return {
    measure: "imd",
    note: `Deprivation: ${deprivationLabel("imd", IMD_EDITION)}: the IMD without its crime domain is not in this store for ${lacking} of ${published.length} LSOAs (it needs the whole national IoD ${IMD_EDITION} file with its domain ranks: run \`safecity reference install\` again), so crime is counted twice in this ranking.`,
  };
}

export function requirePriority(r: PriorityAreasServiceResult): PriorityAreasResult {
  if (!r.result) throw new AppError("data.missing", r.message ?? "no priority areas");
  return r.result;
}

/** The core options a query asks for (top N, which crime rate is ranked). */
function priorityOptions(query: PriorityAreasQuery): { top?: number; rates?: PriorityRateMethod } {
  return { ...(query.top !== undefined ? { top: query.top } : {}), ...(query.rates !== undefined ? { rates: query.rates } : {}) };
}
