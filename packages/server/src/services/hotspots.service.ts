import {
  AppError,
  buildH3Grid,
  buildSquareGrid,
  clipGrid,
  type GiStarResult,
  type H3GridBuild,
  type HotspotClass,
  hotspotGiStar,
  hotspotKde,
  type KdeResult,
  type SquareGridBuild,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type ContributingImport, type IncidentPoint, incidentPoints } from "../db/repositories/incident-points.repository.ts";
import { type AnalysisQuery, type AnalysisScope, loadAnalysisScope, typeIdsOf } from "./analysis-scope.ts";
import { type ClipParams, clipNote, loadClipBoundary, parseClip, parseInference, parseWhole } from "./study-area-clip.ts";

export interface GridSpec {
  kind: "square" | "h3";
  /** Metres for squares, resolution for H3; undefined = automatic (announced in the notes). */
  size?: number;
}

export interface HotspotsQuery extends AnalysisQuery {
  /** `h3:<res>`, `square:<metres>`, `h3` or `square` (automatic size). Default `square`. */
  grid?: string;
  /** `gistar` (default) or `kde`. */
  method?: string;
  /** `boundary` (default: keep the cells that meet the area's boundary, when installed) or `none`. */
  clip?: string;
  /** Gi* p-values: `normal` (default) or `permutation` (999 conditional permutations). */
  inference?: string;
  permutations?: number | string;
  seed?: number | string;
}

/** Parses `--grid`: `h3:9`, `square:250`, `h3`, `square`. */
export function parseGrid(spec: string | undefined): GridSpec {
  if (spec === undefined || spec.trim() === "") return { kind: "square" };
  const m = /^(h3|square)(?::(\d+(?:\.\d+)?))?$/i.exec(spec.trim());
  if (!m) throw new AppError("input.invalid", `--grid must be h3:<resolution> or square:<metres>; got \`${spec}\``, { hint: "e.g. --grid h3:9 or --grid square:250" });
  const kind = m[1]!.toLowerCase() as GridSpec["kind"];
  return m[2] === undefined ? { kind } : { kind, size: Number(m[2]) };
}

/** Which LSOAs the Gi* hot cells cover, from the incidents' own LSOA codes. */
export interface HotLsoa {
  code: string;
  /** Located incidents of the LSOA in the period. */
  points: number;
  /** Of those, in hot cells (any confidence). */
  inHotCells: number;
  share: number;
}

export interface HotspotsResult {
  scope: AnalysisScope;
  method: "gistar" | "kde";
  grid: GridSpec;
  gistar: GiStarResult | null;
  kde: KdeResult | null;
  /** Gi* only: LSOAs with at least one incident in a hot cell; `hotspot` when at least half of theirs are. */
  lsoas: (HotLsoa & { hotspot: boolean })[];
  params: { method: "gistar" | "kde"; grid: string; pointsFilteredTo: "the area's LSOAs"; hotspotLsoaRule: string } & ClipParams;
  notes: string[];
}

export const HOTSPOT_LSOA_RULE = "an LSOA is a hotspot LSOA when at least 50% of its located incidents fall in Gi* hot cells (hot-90 or above, FDR-adjusted)";

const isHot = (c: HotspotClass) => c.startsWith("hot");

export interface LoadedPoints {
  points: IncidentPoint[];
}

/** Incidents of the area, period and crime group (the hotspot and emerging services share them). */
export async function loadGroupPoints(store: Store, scope: AnalysisScope, imports?: readonly ContributingImport[]): Promise<IncidentPoint[]> {
  return incidentPoints(store, scope.scope, { from: scope.from, to: scope.to, crimeTypeIds: typeIdsOf(scope.group.types), excludeForces: scope.otherForces.excludeForces }, imports);
}

/** Gi* (or KDE) hotspots of the area's incidents on a square or H3 grid. */
export async function assessHotspots(store: Store, query: HotspotsQuery, loaded?: { scope: AnalysisScope; points?: IncidentPoint[] }): Promise<HotspotsResult> {
  const grid = parseGrid(query.grid);
  const method = (query.method ?? "gistar").toLowerCase();
  if (method !== "gistar" && method !== "kde") throw new AppError("input.invalid", `--method must be gistar or kde; got \`${query.method}\``);
  const clip = parseClip(query.clip);
  const inference = parseInference(query.inference);
  const permutations = parseWhole("permutations", query.permutations, 99, 99_999);
  const seed = parseWhole("seed", query.seed, 0, 2 ** 32 - 1);
  const scope = loaded?.scope ?? (await loadAnalysisScope(store, query));
  const points = loaded?.points ?? (await loadGroupPoints(store, scope));
  const notes = [...scope.notes];
  if (points.length === 0) {
    throw new AppError("data.missing", `no ${scope.group.name.toLowerCase()} incidents in ${scope.area.name} from ${scope.from} to ${scope.to}: there are no hotspots to find`, {
      hint: "check the period and crime type, and that police data covering the area is imported",
    });
  }
  const gridOpts = grid.kind === "square" ? (grid.size !== undefined ? { cellSize: grid.size } : {}) : grid.size !== undefined ? { resolution: grid.size } : {};
  const boundary = await loadClipBoundary(store, scope, clip);
  if (boundary.note) notes.push(boundary.note);
  const clipParams: ClipParams = { clip, clippedTo: boundary.clippedTo };
  const params = { method: method as "gistar" | "kde", grid: grid.size === undefined ? `${grid.kind} (automatic size)` : `${grid.kind}:${grid.size}`, pointsFilteredTo: "the area's LSOAs" as const, hotspotLsoaRule: HOTSPOT_LSOA_RULE, ...clipParams };
  if (method === "kde") {
    const full = hotspotKde(points, { grid: grid.kind, ...gridOpts });
    let kde = full;
    if (boundary.geometries) {
      const c = clipGrid(full.kind === "square" ? { kind: "square", cellSize: full.cellSize!, cells: full.cells } : { kind: "h3", cells: full.cells }, boundary.geometries);
      kde = { ...full, cells: c.grid.cells };
      params.cells = c.summary;
      notes.push(clipNote(c.summary));
    }
    return { scope, method: "kde", grid, gistar: null, kde, lsoas: [], params, notes: [...notes, ...kde.notes] };
  }
  const built: SquareGridBuild | H3GridBuild = grid.kind === "square" ? buildSquareGrid(points, gridOpts) : buildH3Grid(points, gridOpts);
  let cellGrid = built.grid;
  let newIndex: Int32Array | null = null;
  if (boundary.geometries) {
    const c = clipGrid(built.grid, boundary.geometries);
    cellGrid = c.grid;
    newIndex = c.newIndex;
    params.cells = c.summary;
    notes.push(clipNote(c.summary));
  }
  const gistar = hotspotGiStar(cellGrid, { inference, ...(permutations !== undefined ? { permutations } : {}), ...(seed !== undefined ? { seed } : {}) });
  const byLsoa = new Map<string, { points: number; inHotCells: number }>();
  for (let k = 0; k < built.source.length; k++) {
    const code = points[built.source[k]!]!.lsoaCode;
    if (!code) continue;
    const e = byLsoa.get(code) ?? { points: 0, inHotCells: 0 };
    e.points++;
    const cell = newIndex ? newIndex[built.cellOfPoint[k]!]! : built.cellOfPoint[k]!;
    if (isHot(gistar.cells[cell]!.class)) e.inHotCells++;
    byLsoa.set(code, e);
  }
  const lsoas = [...byLsoa.entries()]
    .filter(([, e]) => e.inHotCells > 0)
    .map(([code, e]) => ({ code, points: e.points, inHotCells: e.inHotCells, share: e.inHotCells / e.points, hotspot: e.inHotCells * 2 >= e.points }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  return { scope, method: "gistar", grid, gistar, kde: null, lsoas, params, notes: [...notes, ...gistar.notes] };
}
