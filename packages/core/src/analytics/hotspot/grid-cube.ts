import { AppError } from "../../errors.ts";
import { buildH3Grid } from "./grid-h3.ts";
import { buildSquareGrid } from "./grid-square.ts";
import type { H3GridParams, HotspotPoint, PointTally, SquareGridParams } from "./grid.types.ts";

/** A point with the time step it belongs to (a month `YYYY-MM`, a quarter `YYYY-Qn`, ...). */
export interface CubePoint extends HotspotPoint {
  step: string;
}

export interface CubeCell {
  id: string;
  /** One count per step, in the order of `steps`. */
  counts: number[];
}

/** Cells × time steps of counts: the input of `hotspotEmerging`. */
export type SpaceTimeCube =
  | { kind: "square"; cellSize: number; steps: string[]; cells: CubeCell[] }
  | { kind: "h3"; resolution: number; steps: string[]; cells: CubeCell[] };

export interface GridCubeOptions {
  /** "square" (default) or "h3". */
  grid?: "square" | "h3";
  cellSize?: number;
  resolution?: number;
  cellsOnShorterSide?: number;
  /**
   * The time steps, in order. Default: the distinct steps of the points, sorted. Pass the full
   * list when some steps may have no points (a missing month is then a column of zeros: make sure
   * the data really is complete, the function cannot tell).
   */
  steps?: readonly string[];
}

export type GridCubeResult = SpaceTimeCube & {
  params: (SquareGridParams | H3GridParams) & { steps: string[]; stepsSource: "given" | "data" };
  points: PointTally & { outsideSteps: number };
  notes: string[];
};

/**
 * Builds a space-time cube: the grid (`gridSquare` or `gridH3`, same rules and defaults) over all
 * the points, then each cell's count per step. Points without coordinates, or whose step is not in
 * `steps`, are counted and reported, never dropped silently.
 */
export function gridCube(points: readonly CubePoint[], opts: GridCubeOptions = {}): GridCubeResult {
  const kind = opts.grid ?? "square";
  if (kind !== "square" && kind !== "h3") {
    throw new AppError("input.invalid", `\`grid\` must be "square" or "h3"; got \`${String(kind)}\``);
  }
  const stepsSource = opts.steps ? "given" : "data";
  const steps = opts.steps ? [...opts.steps] : [...new Set(points.map((p) => p.step))].sort();
  const stepAt = new Map(steps.map((s, i) => [s, i]));
  if (stepAt.size !== steps.length) throw new AppError("input.invalid", "`steps` lists a step twice");
  const inSteps = points.filter((p) => stepAt.has(p.step));
  const outsideSteps = points.length - inSteps.length;
  const gridOpts = { cellSize: opts.cellSize, resolution: opts.resolution, cellsOnShorterSide: opts.cellsOnShorterSide };
  const built = kind === "square" ? buildSquareGrid(inSteps, gridOpts) : buildH3Grid(inSteps, gridOpts);
  const { grid, source, cellOfPoint } = built;
  const t = steps.length;
  const flat = new Float64Array(grid.cells.length * t);
  for (let k = 0; k < source.length; k++) flat[cellOfPoint[k]! * t + stepAt.get(inSteps[source[k]!]!.step)!]!++;
  const cells: CubeCell[] = grid.cells.map((c, i) => ({ id: c.id, counts: Array.from(flat.subarray(i * t, (i + 1) * t)) }));
  const notes = [...grid.notes];
  if (outsideSteps > 0) notes.push(`${outsideSteps} points fall outside the steps analysed and are not counted`);
  const perStep = new Float64Array(t);
  for (const c of cells) for (let s = 0; s < t; s++) perStep[s]! += c.counts[s]!;
  const empty = steps.filter((_, s) => perStep[s] === 0);
  if (empty.length > 0) notes.push(`no points at all in ${empty.join(", ")}: check those steps' data is present`);
  const params = { ...grid.params, steps, stepsSource } as GridCubeResult["params"];
  const tally = { ...grid.points, total: points.length, outsideSteps };
  return grid.kind === "square"
    ? { kind: "square", cellSize: grid.cellSize, steps, cells, params, points: tally, notes }
    : { kind: "h3", resolution: grid.resolution, steps, cells, params, points: tally, notes };
}
