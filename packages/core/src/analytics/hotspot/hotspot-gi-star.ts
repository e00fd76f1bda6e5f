import { AppError } from "../../errors.ts";
import { adjustBenjaminiHochberg } from "./fdr.ts";
import { giStarPermutationP } from "./gi-star-permutation.ts";
import { giStarScores } from "./gi-star-scores.ts";
import type { H3GridParams, HotspotCells, PointTally, SquareGridParams } from "./grid.types.ts";
import { type HotspotClass, hotspotClass } from "./hotspot-classes.ts";
import { h3Neighbours, type NeighbourList, squareNeighbours } from "./neighbours.ts";
import { normalTwoSidedP } from "./normal.ts";

export interface HotspotGiStarOptions {
  /** Which p the classes use: "fdr" (Benjamini–Hochberg adjusted p, default) or "none" (raw p). */
  adjust?: "fdr" | "none";
  /**
   * How p is found: "normal" (default: two-sided p from the standard normal, as spdep `localG`) or
   * "permutation" (conditional permutations, the cell's own count fixed, two-sided rank p; decision 0020
   * says why it is not the default).
   */
  inference?: "permutation" | "normal";
  /** Permutations per cell (permutation inference). Default 999. */
  permutations?: number;
  /** PRNG seed (permutation inference). Default 1. */
  seed?: number;
  /** "conditional" (default: own count fixed, as spdep/sfdep) or "total" (own count permuted too). */
  permutation?: "conditional" | "total";
}

export const GI_STAR_P_NORMAL = "two-sided, standard normal";
export const GI_STAR_P_PERMUTATION = "two-sided rank p from permutations, as spdep localG_perm's 'Pr(z != E(Gi)) Sim': 2 min(r, nsim + 2 − r) / (nsim + 1), r = rank of the observed neighbourhood sum among the simulated ones (ties at their average rank)";

export interface GiStarCell {
  id: string;
  count: number;
  /** Gi* z-score; null where it is undefined (all counts equal, or one cell). */
  z: number | null;
  /** Two-sided p: from the standard normal (default) or from permutations (see params.inference). */
  p: number | null;
  /** Benjamini–Hochberg adjusted p over all cells. */
  pAdjusted: number | null;
  class: HotspotClass;
}

export interface GiStarParams {
  grid: "square" | "h3";
  cellSize?: number;
  resolution?: number;
  /** Carried over from the grid (gridSquare/gridH3), when given. */
  gridParams?: SquareGridParams | H3GridParams;
  weights: "binary, self included";
  neighbours: "queen (8 surrounding cells)" | "H3 gridDisk k=1 (6 surrounding cells)";
  inference: "permutation" | "normal";
  pValue: typeof GI_STAR_P_NORMAL | typeof GI_STAR_P_PERMUTATION;
  /** Permutation inference only. */
  permutations?: number;
  seed?: number;
  permutation?: "conditional" | "total";
  adjust: "fdr" | "none";
  classBy: "pAdjusted" | "p";
  levels: [0.9, 0.95, 0.99];
  cells: number;
  mean: number;
  /** s² = Σ(x − x̄)² / n. */
  variance: number;
}

export interface GiStarResult {
  kind: "square" | "h3";
  cellSize?: number;
  resolution?: number;
  cells: GiStarCell[];
  /** Number of cells in each class. */
  summary: Record<HotspotClass, number>;
  params: GiStarParams;
  points?: PointTally;
  notes: string[];
}

/** Neighbour lists (self included) for a grid of cells. */
export function gridNeighbours(grid: HotspotCells): NeighbourList {
  const ids = grid.cells.map((c) => c.id);
  return grid.kind === "square" ? squareNeighbours(ids, grid.cellSize) : h3Neighbours(ids);
}

/**
 * Getis-Ord Gi* hotspots on a grid of cell counts (the output of `gridSquare` or `gridH3`, or
 * counts built elsewhere, which must include the empty cells). Binary weights including self;
 * squares use queen contiguity (the 8 surrounding cells), H3 `gridDisk(k = 1)`. z as spdep
 * `localG(x, nb2listw(include.self(nb), style = "B"))`, p two-sided from the standard normal,
 * Benjamini–Hochberg FDR over all cells, classes hot/cold at 90/95/99% on the adjusted p by
 * default (`adjust: "none"` classes on the raw p). When s² = 0 (every cell has the same count,
 * or a single cell) z, p and pAdjusted are null, every class "none", and a note says why.
 */
export function hotspotGiStar(
  grid: HotspotCells & { params?: SquareGridParams | H3GridParams; notes?: readonly string[]; points?: PointTally },
  opts: HotspotGiStarOptions = {},
): GiStarResult {
  const adjust = opts.adjust ?? "fdr";
  if (adjust !== "fdr" && adjust !== "none") {
    throw new AppError("input.invalid", `\`adjust\` must be "fdr" or "none"; got \`${String(adjust)}\``);
  }
  const inference = opts.inference ?? "normal";
  if (inference !== "permutation" && inference !== "normal") {
    throw new AppError("input.invalid", `\`inference\` must be "permutation" or "normal"; got \`${String(inference)}\``);
  }
  const permutations = opts.permutations ?? 999;
  if (!(Number.isInteger(permutations) && permutations >= 99 && permutations <= 99_999)) {
    throw new AppError("input.invalid", `\`permutations\` must be a whole number from 99 to 99,999; got \`${permutations}\``);
  }
  const seed = opts.seed ?? 1;
  const scheme = opts.permutation ?? "conditional";
  if (scheme !== "conditional" && scheme !== "total") throw new AppError("input.invalid", `\`permutation\` must be "conditional" or "total"; got \`${String(scheme)}\``);
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new AppError("input.invalid", `\`seed\` must be a whole number from 0 to 2^32 - 1; got \`${seed}\``);
  const n = grid.cells.length;
  if (n === 0) {
    throw new AppError("data.missing", "there are no cells to analyse", { hint: "grid some located incidents first" });
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = grid.cells[i]!.count;
    if (!Number.isFinite(c) || c < 0) {
      throw new AppError("input.invalid", `cell \`${grid.cells[i]!.id}\` has count \`${c}\`; counts must be finite and >= 0`);
    }
    x[i] = c;
  }
  const nb = gridNeighbours(grid);
  const { z, mean, variance } = giStarScores(x, nb);
  const notes = [...(grid.notes ?? [])];
  const zs: (number | null)[] = Array.from(z, (v) => (Number.isNaN(v) ? null : v));
  if (n === 1) notes.push("only one cell: Gi* needs several cells, so z and p are null");
  else if (!(variance > 0)) notes.push(`every cell has the same count (${mean}): s² = 0, Gi* is undefined, so z and p are null`);
  else {
    const undefinedCells = zs.filter((v) => v === null).length;
    if (undefinedCells > 0) {
      notes.push(`${undefinedCells} cells neighbour every cell of the grid: their Gi* is undefined (z and p null)`);
    }
  }
  let ps: (number | null)[];
  if (inference === "normal") ps = zs.map((v) => (v === null ? null : normalTwoSidedP(v)));
  else {
    const perm = giStarPermutationP(x, nb, (i) => zs[i] === null, { permutations, seed, scheme });
    ps = Array.from(perm.twoSided, (v) => (Number.isNaN(v) ? null : v));
  }
  const pAdj = adjustBenjaminiHochberg(ps);
  const summary: Record<HotspotClass, number> = {
    "hot-99": 0, "hot-95": 0, "hot-90": 0, none: 0, "cold-90": 0, "cold-95": 0, "cold-99": 0,
  };
  const cells: GiStarCell[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const cls = hotspotClass(zs[i]!, adjust === "fdr" ? pAdj[i]! : ps[i]!);
    summary[cls]++;
    cells[i] = { id: grid.cells[i]!.id, count: x[i]!, z: zs[i]!, p: ps[i]!, pAdjusted: pAdj[i]!, class: cls };
  }
  const params: GiStarParams = {
    grid: grid.kind,
    ...(grid.kind === "square" ? { cellSize: grid.cellSize } : { resolution: grid.resolution }),
    ...(grid.params ? { gridParams: grid.params } : {}),
    weights: "binary, self included",
    neighbours: grid.kind === "square" ? "queen (8 surrounding cells)" : "H3 gridDisk k=1 (6 surrounding cells)",
    inference,
    pValue: inference === "normal" ? GI_STAR_P_NORMAL : GI_STAR_P_PERMUTATION,
    ...(inference === "permutation" ? { permutations, seed, permutation: scheme } : {}),
    adjust,
    classBy: adjust === "fdr" ? "pAdjusted" : "p",
    levels: [0.9, 0.95, 0.99],
    cells: n,
    mean,
    variance,
  };
  return {
    kind: grid.kind,
    ...(grid.kind === "square" ? { cellSize: grid.cellSize } : { resolution: grid.resolution }),
    cells,
    summary,
    params,
    ...(grid.points ? { points: grid.points } : {}),
    notes,
  };
}
