import { cellToLatLng, getHexagonAreaAvg, UNITS } from "h3-js";
import { AppError } from "../../errors.ts";
import { toBng } from "./bng.ts";
import { formatMetres } from "./cell-size.ts";
import { buildH3Grid } from "./grid-h3.ts";
import { buildSquareGrid } from "./grid-square.ts";
import type { H3GridParams, HotspotPoint, PointTally, SquareGridParams } from "./grid.types.ts";
import { parseSquareId } from "./neighbours.ts";
import { projectPoints, uniqueLocations } from "./points.ts";

export interface HotspotKdeOptions {
  /** "square" (default) or "h3": the same grid `gridSquare`/`gridH3` would build with these options. */
  grid?: "square" | "h3";
  cellSize?: number;
  resolution?: number;
  cellsOnShorterSide?: number;
  /** Kernel radius in metres (the quartic kernel is zero beyond it). Default: see `kdeBandwidth`. */
  bandwidth?: number;
  /** Multiplies the automatic bandwidth (as sfhotspot's `bandwidth_adjust`): < 1 for sharper surfaces. Default 1. */
  bandwidthAdjust?: number;
}

export interface KdeCell {
  id: string;
  count: number;
  /** Estimated points per km² at the cell centre. */
  density: number;
}

export interface KdeResult {
  kind: "square" | "h3";
  cellSize?: number;
  resolution?: number;
  cells: KdeCell[];
  params: {
    gridParams: SquareGridParams | H3GridParams;
    kernel: "quartic (biweight): K(d) = 3 / (π r²) (1 − d²/r²)² for d < r";
    bandwidth: number;
    bandwidthSource: "given" | "auto";
    bandwidthAdjust: number;
    unit: "points per km²";
  };
  points: PointTally;
  notes: string[];
}

/** 1D ratio of the canonical bandwidths of the biweight and Gaussian kernels (Marron & Nolan): 35^(1/5) / (1/(4π))^(1/10). */
export const QUARTIC_PER_GAUSSIAN = 2.6226;

function sdAndIqr(v: Float64Array): number {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i]! - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const sorted = Float64Array.from(v).sort();
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, n - 1)] ?? 0) - sorted[lo]!);
  };
  const iqr = q(0.75) - q(0.25);
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  return spread;
}

/**
 * The default KDE bandwidth (kernel radius r, metres): Silverman's normal-reference rule
 * h = 1.06 min(sd, IQR/1.34) n^(−1/5) on eastings and on northings, averaged, converted to the
 * quartic kernel's radius r = 2.6226 h (equivalent kernels), rounded to the metre, and never less than
 * one cell size (for H3, the side of the square of the average hexagon area).
 */
export function kdeBandwidth(easting: Float64Array, northing: Float64Array, cellSize: number): number {
  const n = easting.length;
  const spread = (sdAndIqr(easting) + sdAndIqr(northing)) / 2;
  const h = 1.06 * spread * n ** -0.2;
  return Math.max(cellSize, Math.round(QUARTIC_PER_GAUSSIAN * h));
}

/**
 * Kernel density of points with the quartic (biweight) kernel, evaluated at the centres of the
 * same grid `gridSquare`/`gridH3` builds (distances in BNG metres). `density` is points per km²:
 * Σ_i 3 / (π r²) (1 − d_i²/r²)² × 10^6 over the points within r of the centre.
 */
export function hotspotKde(points: readonly HotspotPoint[], opts: HotspotKdeOptions = {}): KdeResult {
  const kind = opts.grid ?? "square";
  if (kind !== "square" && kind !== "h3") throw new AppError("input.invalid", `\`grid\` must be "square" or "h3"; got \`${String(kind)}\``);
  if (opts.bandwidth !== undefined && !(Number.isFinite(opts.bandwidth) && opts.bandwidth > 0)) {
    throw new AppError("input.invalid", `\`bandwidth\` must be a positive number of metres; got \`${opts.bandwidth}\``);
  }
  const gridOpts = { cellSize: opts.cellSize, resolution: opts.resolution, cellsOnShorterSide: opts.cellsOnShorterSide };
  const grid = kind === "square" ? buildSquareGrid(points, gridOpts).grid : buildH3Grid(points, gridOpts).grid;
  const { easting, northing } = projectPoints(points);
  // cell centres in BNG
  const ncell = grid.cells.length;
  const ce = new Float64Array(ncell);
  const cn = new Float64Array(ncell);
  let cellSize: number;
  if (grid.kind === "square") {
    cellSize = grid.cellSize;
    grid.cells.forEach((c, i) => {
      const [e, n] = parseSquareId(c.id);
      ce[i] = e + cellSize / 2;
      cn[i] = n + cellSize / 2;
    });
  } else {
    grid.cells.forEach((c, i) => {
      const [lat, lon] = cellToLatLng(c.id);
      [ce[i], cn[i]] = toBng(lon, lat);
    });
    cellSize = Math.sqrt(getHexagonAreaAvg(grid.resolution, UNITS.m2)); // side of the square of equal area
  }
  const auto = opts.bandwidth === undefined;
  const adjust = opts.bandwidthAdjust ?? 1;
  if (!(Number.isFinite(adjust) && adjust > 0)) throw new AppError("input.invalid", `\`bandwidthAdjust\` must be a positive number; got \`${adjust}\``);
  const r = opts.bandwidth ?? Math.max(cellSize, Math.round(adjust * kdeBandwidth(easting, northing, cellSize)));
  const notes = [...grid.notes];
  if (auto) notes.push(`bandwidth set to ${formatMetres(r)} automatically`);
  // distinct locations with weights (police.uk locations are snapped, so there are far fewer)
  const unique = uniqueLocations(points);
  const weightOf = new Float64Array(unique.lon.length);
  for (let k = 0; k < unique.location.length; k++) weightOf[unique.location[k]!]!++;
  // bucket the cell centres in squares of side r; a location reaches only the 3 x 3 buckets around it
  const buckets = new Map<number, number[]>();
  const bkey = (bx: number, by: number) => (bx + 2 ** 20) * 2 ** 22 + (by + 2 ** 20);
  for (let i = 0; i < ncell; i++) {
    const key = bkey(Math.floor(ce[i]! / r), Math.floor(cn[i]! / r));
    const list = buckets.get(key);
    if (list) list.push(i);
    else buckets.set(key, [i]);
  }
  const density = new Float64Array(ncell);
  const r2 = r * r;
  const scale = (3 / (Math.PI * r2)) * 1e6;
  for (let j = 0; j < weightOf.length; j++) {
    const [e, n] = toBng(unique.lon[j]!, unique.lat[j]!);
    const w = weightOf[j]!;
    const bx = Math.floor(e / r);
    const by = Math.floor(n / r);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const list = buckets.get(bkey(bx + dx, by + dy));
        if (!list) continue;
        for (const i of list) {
          const d2 = (ce[i]! - e) ** 2 + (cn[i]! - n) ** 2;
          if (d2 < r2) {
            const u = 1 - d2 / r2;
            density[i]! += w * scale * u * u;
          }
        }
      }
    }
  }
  return {
    kind: grid.kind,
    ...(grid.kind === "square" ? { cellSize: grid.cellSize } : { resolution: grid.resolution }),
    cells: grid.cells.map((c, i) => ({ id: c.id, count: c.count, density: density[i]! })),
    params: {
      gridParams: grid.params,
      kernel: "quartic (biweight): K(d) = 3 / (π r²) (1 − d²/r²)² for d < r",
      bandwidth: r,
      bandwidthSource: auto ? "auto" : "given",
      bandwidthAdjust: auto ? adjust : 1,
      unit: "points per km²",
    },
    points: grid.points,
    notes,
  };
}
