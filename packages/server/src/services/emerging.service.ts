import { AppError, type CubePoint, clipGrid, type EmergingResult, type GridCubeResult, gridCube, hotspotEmerging, monthRange, monthRuns, quarter } from "@safecity/core";
import type { Store } from "../db/database.ts";
import type { IncidentPoint } from "../db/repositories/incident-points.repository.ts";
import { type AnalysisQuery, type AnalysisScope, loadAnalysisScope } from "./analysis-scope.ts";
import { loadGroupPoints, parseGrid } from "./hotspots.service.ts";
import { type ClipParams, clipNote, loadClipBoundary, parseClip } from "./study-area-clip.ts";

export interface EmergingQuery extends AnalysisQuery {
  /** `month` (default) or `quarter`. */
  step?: string;
  /** As hotspots: `h3:<res>`, `square:<metres>`; default square with an automatic size. */
  grid?: string;
  /** As hotspots: `boundary` (default) or `none`. */
  clip?: string;
  /** Bins hot/cold on `fdr` (default, Benjamini–Hochberg over all bins) or `none` (raw p). */
  adjust?: string;
  /** `mann-kendall` (default) or `hamed-rao`. */
  trendTest?: string;
  /** `esri` (default) or `sfdep`. */
  rules?: string;
  /** `partial` (default) or `exclude`: the first step's half neighbourhood. */
  firstSteps?: string;
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined || v === "") return undefined;
  const c = v.trim().toLowerCase() as T;
  if (!allowed.includes(c)) throw new AppError("input.invalid", `--${name} must be ${allowed.join(" or ")}; got \`${v}\``);
  return c;
}

/** The emerging options, checked (undefined = the core default). */
export function parseEmergingOptions(q: EmergingQuery) {
  return {
    adjust: oneOf("adjust", q.adjust, ["fdr", "none"] as const),
    trendTest: oneOf("trend-test", q.trendTest, ["mann-kendall", "hamed-rao"] as const),
    rules: oneOf("rules", q.rules, ["esri", "sfdep"] as const),
    firstSteps: oneOf("first-steps", q.firstSteps, ["partial", "exclude"] as const),
  };
}

export interface EmergingServiceResult {
  scope: AnalysisScope;
  step: "month" | "quarter";
  /** Steps left out because a month of them has no data (a missing month is not a column of zeros). */
  stepsExcluded: string[];
  cube: Omit<GridCubeResult, "cells">;
  result: EmergingResult;
  clip: ClipParams;
  notes: string[];
}

/**
 * Emerging hot spots: a space-time cube of the area's incidents (cells × months or quarters) and
 * hotspotEmerging. Only steps whose every month has data are used: a quarter with a missing month,
 * or a missing month, is left out and named (never counted as zeros). Steps left out at either end
 * only shorten the series; a step left out between two used steps is a gap, and the analysis is
 * refused (data.missing), since "new" and "consecutive" depend on consecutive steps: the hint
 * names the latest period without a gap.
 */
export async function assessEmerging(store: Store, query: EmergingQuery, loaded?: { scope: AnalysisScope; points?: IncidentPoint[] }): Promise<EmergingServiceResult> {
  const step = (query.step ?? "month").toLowerCase();
  if (step !== "month" && step !== "quarter") throw new AppError("input.invalid", `--step must be month or quarter; got \`${query.step}\``);
  const grid = parseGrid(query.grid);
  const clip = parseClip(query.clip);
  const options = Object.fromEntries(Object.entries(parseEmergingOptions(query)).filter(([, v]) => v !== undefined));
  const scope = loaded?.scope ?? (await loadAnalysisScope(store, query));
  const points = loaded?.points ?? (await loadGroupPoints(store, scope));
  const present = new Set(scope.monthsPresent);
  const stepOf = step === "month" ? (m: string) => m : quarter;
  const allSteps = [...new Set(scope.months.map(stepOf))];
  const steps: string[] = [];
  const stepsExcluded: string[] = [];
  for (const s of allSteps) {
    const months = step === "month" ? [s] : quarterMonths(s);
    (months.every((m) => present.has(m)) ? steps : stepsExcluded).push(s);
  }
  const firstUsed = allSteps.indexOf(steps[0] ?? "");
  const lastUsed = allSteps.lastIndexOf(steps.at(-1) ?? "");
  const inside = firstUsed < 0 ? [] : stepsExcluded.filter((x) => allSteps.indexOf(x) > firstUsed && allSteps.indexOf(x) < lastUsed);
  if (inside.length) {
    const run = monthRuns(scope.monthsPresent).at(-1)!;
    throw new AppError(
      "data.missing",
      `emerging hot spots need consecutive ${step}s, and ${scope.from} to ${scope.to} has a gap: ${inside.join(", ")} ${inside.length === 1 ? "has" : "have"} no ${scope.principalForce ?? "police"} data, so "new" and "consecutive" hot spots cannot be told apart`,
      { hint: `choose a period without the gap, e.g. the latest months loaded without one: from ${run.from} to ${run.to} (--from ${run.from} --to ${run.to})` },
    );
  }
  const notes = [...scope.notes];
  if (stepsExcluded.length) notes.push(`${stepsExcluded.length} ${step}(s) left out because data is missing or the ${step} is not wholly in the period: ${stepsExcluded.join(", ")}`);
  if (points.length === 0) {
    throw new AppError("data.missing", `no ${scope.group.name.toLowerCase()} incidents in ${scope.area.name} from ${scope.from} to ${scope.to}: there is no space-time cube to analyse`, {
      hint: "check the period and crime type, and that police data covering the area is imported",
    });
  }
  const cubePoints: CubePoint[] = points.map((p) => ({ lon: p.lon, lat: p.lat, step: stepOf(p.month) }));
  const size = grid.size === undefined ? {} : grid.kind === "square" ? { cellSize: grid.size } : { resolution: grid.size };
  const cube = gridCube(cubePoints, { grid: grid.kind, steps, ...size });
  const boundary = await loadClipBoundary(store, scope, clip);
  const clipParams: ClipParams = { clip, clippedTo: boundary.clippedTo };
  let cells = cube;
  if (boundary.note) notes.push(boundary.note);
  if (boundary.geometries) {
    const c = clipGrid(cube, boundary.geometries);
    cells = c.grid;
    clipParams.cells = c.summary;
    notes.push(clipNote(c.summary));
  }
  const result = hotspotEmerging(cells, options);
  const { cells: _cells, ...cubeInfo } = cube;
  return { scope, step, stepsExcluded, cube: cubeInfo, result, clip: clipParams, notes: [...notes, ...result.notes] };
}

function quarterMonths(q: string): string[] {
  const m = /^(\d{4})-Q([1-4])$/.exec(q)!;
  const first = (Number(m[2]) - 1) * 3 + 1;
  return monthRange(`${m[1]}-${String(first).padStart(2, "0")}`, `${m[1]}-${String(first + 2).padStart(2, "0")}`);
}
