import { AppError } from "../../errors.ts";
import { type ClassifyEmergingOptions, classifyEmerging, EMERGING_CATEGORIES, type EmergingCategory } from "./classify-emerging.ts";
import { adjustBenjaminiHochberg } from "./fdr.ts";
import type { SpaceTimeCube } from "./grid-cube.ts";
import { type MannKendallResult, mannKendall } from "./mann-kendall.ts";
import { mannKendallHamedRao } from "./mann-kendall-hamed-rao.ts";
import { h3Neighbours, squareNeighbours } from "./neighbours.ts";
import { normalTwoSidedP } from "./normal.ts";

export interface HotspotEmergingOptions extends ClassifyEmergingOptions {
  /** Previous steps in each bin's neighbourhood (space-time window). Default 1. */
  timeWindow?: number;
  /** p used to call a bin hot/cold: "fdr" (Benjamini–Hochberg over all bins, default, as hotspots) or "none" (raw two-sided p, as sfdep and Esri). */
  adjust?: "none" | "fdr";
  /** The trend test of each cell's z-series: "mann-kendall" (default) or "hamed-rao" (variance corrected for autocorrelation, Hamed and Rao 1998). */
  trendTest?: "mann-kendall" | "hamed-rao";
  /**
   * The first `timeWindow` steps have no earlier steps, so their bins' neighbourhood is shorter
   * (half the bins of later steps when timeWindow = 1): "partial" (default, as Esri and sfdep:
   * Gi* with their own, smaller weight total) or "exclude" (those steps get z and p but are left
   * out of the categories and the trend test). The window looks back only, so the last step's
   * neighbourhood is always complete.
   */
  firstSteps?: "partial" | "exclude";
}

export interface EmergingCell {
  id: string;
  counts: number[];
  /** Space-time Gi* z per step (null where undefined). */
  z: (number | null)[];
  /** Two-sided p per step (BH-adjusted over all bins when `adjust: "fdr"`, the default). */
  p: (number | null)[];
  /** The trend test (Hamed–Rao: z and p after the variance correction, `correction` = n/n*). */
  mannKendall: { s: number; z: number; p: number; tau: number; correction?: number };
  category: EmergingCategory;
}

export interface EmergingResult {
  kind: "square" | "h3";
  cellSize?: number;
  resolution?: number;
  steps: string[];
  cells: EmergingCell[];
  summary: Record<EmergingCategory, number>;
  params: {
    grid: "square" | "h3";
    cellSize?: number;
    resolution?: number;
    steps: string[];
    timeWindow: number;
    weights: "binary, self included";
    neighbours: string;
    alpha: number;
    trendAlpha: number;
    adjust: "none" | "fdr";
    trendTest: "mann-kendall" | "hamed-rao";
    mannKendall: "normal approximation, ties and continuity corrected, on z rounded to 1e-9" | "Hamed and Rao (1998) variance correction (significant lags of the detrended ranks' autocorrelation), ties and continuity corrected, on z rounded to 1e-9";
    rules: "esri" | "sfdep";
    firstSteps: "partial" | "exclude";
    /** Steps whose bins' neighbourhood is partial (the first `timeWindow`). */
    partialSteps: string[];
    /** Mean and s² over every bin of the cube. */
    mean: number;
    variance: number;
  };
  notes: string[];
}

/**
 * Emerging hot spot analysis (Esri; R sfdep::emerging_hotspot_analysis). For each cell × step bin,
 * Gi* with binary weights including self over space-time neighbours: the cell's spatial
 * neighbours (queen for squares, gridDisk k=1 for H3, self included) at the same step and at the
 * `timeWindow` previous steps (fewer at the start of the series). The Gi* mean and s² are taken
 * over all bins of the cube, as spdep::localG on the stacked cube with a space-time neighbour
 * list. Then the Mann–Kendall test on each cell's z-series and the 17 categories of
 * `classifyEmerging`.
 */
export function hotspotEmerging(cube: SpaceTimeCube, opts: HotspotEmergingOptions = {}): EmergingResult {
  const timeWindow = opts.timeWindow ?? 1;
  const alpha = opts.alpha ?? 0.05;
  const trendAlpha = opts.trendAlpha ?? 0.05;
  const adjust = opts.adjust ?? "fdr";
  const trendTest = opts.trendTest ?? "mann-kendall";
  const rules = opts.rules ?? "esri";
  const firstSteps = opts.firstSteps ?? "partial";
  if (trendTest !== "mann-kendall" && trendTest !== "hamed-rao") throw new AppError("input.invalid", `\`trendTest\` must be "mann-kendall" or "hamed-rao"; got \`${String(trendTest)}\``);
  if (rules !== "esri" && rules !== "sfdep") throw new AppError("input.invalid", `\`rules\` must be "esri" or "sfdep"; got \`${String(rules)}\``);
  if (firstSteps !== "partial" && firstSteps !== "exclude") throw new AppError("input.invalid", `\`firstSteps\` must be "partial" or "exclude"; got \`${String(firstSteps)}\``);
  if (!(Number.isInteger(timeWindow) && timeWindow >= 0)) {
    throw new AppError("input.invalid", `\`timeWindow\` must be a whole number >= 0; got \`${timeWindow}\``);
  }
  for (const [name, v] of [["alpha", alpha], ["trendAlpha", trendAlpha]] as const) {
    if (!(v > 0 && v < 1)) throw new AppError("input.invalid", `\`${name}\` must be between 0 and 1; got \`${v}\``);
  }
  if (adjust !== "none" && adjust !== "fdr") throw new AppError("input.invalid", `\`adjust\` must be "none" or "fdr"; got \`${String(adjust)}\``);
  const T = cube.steps.length;
  const N = cube.cells.length;
  if (T < 2) {
    throw new AppError("input.invalid", `emerging hot spot analysis needs at least 2 time steps; got ${T}`, {
      hint: "widen the period or use a shorter step (months rather than quarters)",
    });
  }
  if (N === 0) throw new AppError("data.missing", "there are no cells to analyse", { hint: "grid some located incidents first" });
  const x = new Float64Array(N * T); // bin (i, t) at i * T + t
  for (let i = 0; i < N; i++) {
    const c = cube.cells[i]!;
    if (c.counts.length !== T) {
      throw new AppError("input.invalid", `cell \`${c.id}\` has ${c.counts.length} counts; the cube has ${T} steps`);
    }
    for (let t = 0; t < T; t++) {
      const v = c.counts[t]!;
      if (!Number.isFinite(v) || v < 0) throw new AppError("input.invalid", `cell \`${c.id}\` has count \`${v}\`; counts must be finite and >= 0`);
      x[i * T + t] = v;
    }
  }
  const ids = cube.cells.map((c) => c.id);
  const nb = cube.kind === "square" ? squareNeighbours(ids, cube.cellSize) : h3Neighbours(ids);
  const n = N * T;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += x[k]!;
  const mean = sum / n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (x[k]! - mean) ** 2;
  const variance = ss / n;
  // Spatial lag per step, then summed over the time window.
  const lag = new Float64Array(n);
  for (let i = 0; i < N; i++) {
    const a = nb.offsets[i]!;
    const b = nb.offsets[i + 1]!;
    for (let k = a; k < b; k++) {
      const j = nb.index[k]!;
      for (let t = 0; t < T; t++) lag[i * T + t]! += x[j * T + t]!;
    }
  }
  const zFlat = new Float64Array(n);
  for (let i = 0; i < N; i++) {
    const spatial = nb.offsets[i + 1]! - nb.offsets[i]!;
    for (let t = 0; t < T; t++) {
      let lx = 0;
      const from = Math.max(0, t - timeWindow);
      for (let s = from; s <= t; s++) lx += lag[i * T + s]!;
      const w = spatial * (t - from + 1);
      const denom = variance * ((n * w - w * w) / (n - 1));
      zFlat[i * T + t] = denom > 0 ? (lx - w * mean) / Math.sqrt(denom) : Number.NaN;
    }
  }
  const zAll: (number | null)[] = Array.from(zFlat, (v) => (Number.isNaN(v) ? null : v));
  const pRaw = zAll.map((v) => (v === null ? null : normalTwoSidedP(v)));
  const pAll = adjust === "fdr" ? adjustBenjaminiHochberg(pRaw) : pRaw;
  const notes: string[] = [];
  if (!(variance > 0)) notes.push(`every bin has the same count (${mean}): Gi* is undefined, z and p are null and no pattern is found`);
  const partial = Math.min(timeWindow, T);
  const skip = firstSteps === "exclude" ? partial : 0;
  if (T - skip < 2) {
    throw new AppError("input.invalid", `leaving out the first ${skip} step(s) leaves ${T - skip}: the categories need at least 2`, { hint: "use firstSteps \"partial\" or a longer period" });
  }
  if (T - skip < 10) notes.push(`only ${T - skip} time steps classified: the 90% rules and the trend test have little power below 10 steps`);
  if (partial > 0) {
    notes.push(
      firstSteps === "partial"
        ? `the first ${partial === 1 ? "step's" : `${partial} steps'`} bins have no earlier step in their neighbourhood (${cube.steps.slice(0, partial).join(", ")}): their Gi* uses their own, smaller weight total`
        : `the first ${partial === 1 ? "step" : `${partial} steps`} (${cube.steps.slice(0, partial).join(", ")}) have a partial neighbourhood and are left out of the categories and the trend test`,
    );
  }
  const summary = Object.fromEntries(EMERGING_CATEGORIES.map((c) => [c, 0])) as Record<EmergingCategory, number>;
  const cells: EmergingCell[] = new Array(N);
  for (let i = 0; i < N; i++) {
    const z = zAll.slice(i * T, (i + 1) * T);
    const p = pAll.slice(i * T, (i + 1) * T);
    const zc = z.slice(skip);
    const series = zc.map((v) => (v === null ? 0 : Math.round(v * 1e9) / 1e9));
    const mk: MannKendallResult & { correction?: number } = trendTest === "hamed-rao" ? mannKendallHamedRao(series) : mannKendall(series);
    const category = classifyEmerging(zc, p.slice(skip), mk, { alpha, trendAlpha, rules });
    summary[category]++;
    cells[i] = {
      id: ids[i]!,
      counts: Array.from(x.subarray(i * T, (i + 1) * T)),
      z,
      p,
      mannKendall: { s: mk.s, z: mk.z, p: mk.p, tau: mk.tau, ...(mk.correction !== undefined ? { correction: mk.correction } : {}) },
      category,
    };
  }
  const geometry = cube.kind === "square" ? { cellSize: cube.cellSize } : { resolution: cube.resolution };
  return {
    kind: cube.kind,
    ...geometry,
    steps: [...cube.steps],
    cells,
    summary,
    params: {
      grid: cube.kind,
      ...geometry,
      steps: [...cube.steps],
      timeWindow,
      weights: "binary, self included",
      neighbours: `${cube.kind === "square" ? "queen" : "H3 gridDisk k=1"} at the same step and the ${timeWindow} previous step(s)`,
      alpha,
      trendAlpha,
      adjust,
      trendTest,
      mannKendall:
        trendTest === "hamed-rao"
          ? "Hamed and Rao (1998) variance correction (significant lags of the detrended ranks' autocorrelation), ties and continuity corrected, on z rounded to 1e-9"
          : "normal approximation, ties and continuity corrected, on z rounded to 1e-9",
      rules,
      firstSteps,
      partialSteps: cube.steps.slice(0, partial),
      mean,
      variance,
    },
    notes,
  };
}
