import { AppError } from "../../errors.ts";
import { autoCellSize, DEFAULT_CELLS_ON_SHORTER_SIDE, formatMetres, MAX_GRID_CELLS } from "./cell-size.ts";
import type { HotspotPoint, SquareGrid } from "./grid.types.ts";
import { projectPoints } from "./points.ts";

export interface GridSquareOptions {
  /** Cell size in metres. Default: automatic (see `autoCellSize`), announced in `notes`. */
  cellSize?: number;
  /** Target of the automatic rule: cells along the shorter side of the extent. Default 50. */
  cellsOnShorterSide?: number;
}

/** A square grid plus, for each located point, the input index and the cell it fell in. */
export interface SquareGridBuild {
  grid: SquareGrid;
  /** Input index of each located point. */
  source: Int32Array;
  /** Cell index (into `grid.cells`) of each located point. */
  cellOfPoint: Int32Array;
  easting: Float64Array;
  northing: Float64Array;
}

function checkPositive(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
    throw new AppError("input.invalid", `\`${name}\` must be a positive number; got \`${v}\``);
  }
}

/** `gridSquare` with the per-point cell assignment kept (for cubes and KDE). */
export function buildSquareGrid(points: readonly HotspotPoint[], opts: GridSquareOptions = {}): SquareGridBuild {
  checkPositive("cellSize", opts.cellSize);
  checkPositive("cellsOnShorterSide", opts.cellsOnShorterSide);
  const cellsOnShorterSide = opts.cellsOnShorterSide ?? DEFAULT_CELLS_ON_SHORTER_SIDE;
  const { source, easting, northing, withoutCoordinates } = projectPoints(points);
  // Round to the centimetre before assigning cells: police.uk locations often lie on whole metres
  // of BNG, i.e. exactly on a cell edge, and projection noise (< 1 mm) must not decide the side.
  for (let k = 0; k < easting.length; k++) {
    easting[k] = Math.round(easting[k]! * 100) / 100;
    northing[k] = Math.round(northing[k]! * 100) / 100;
  }
  const m = source.length;
  const notes: string[] = [];
  if (m === 0) {
    throw new AppError("data.missing", `none of the ${points.length} points has coordinates: there is nothing to grid`, {
      hint: "check the area and period selected hold located incidents",
    });
  }
  let minE = Number.POSITIVE_INFINITY;
  let minN = Number.POSITIVE_INFINITY;
  let maxE = Number.NEGATIVE_INFINITY;
  let maxN = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < m; k++) {
    const e = easting[k]!;
    const n = northing[k]!;
    if (e < minE) minE = e;
    if (e > maxE) maxE = e;
    if (n < minN) minN = n;
    if (n > maxN) maxN = n;
  }
  const auto = opts.cellSize === undefined;
  const cellSize = opts.cellSize ?? autoCellSize(maxE - minE, maxN - minN, cellsOnShorterSide);
  if (auto) notes.push(`cell size set to ${formatMetres(cellSize)} automatically`);
  const col0 = Math.floor(minE / cellSize);
  const row0 = Math.floor(minN / cellSize);
  const columns = Math.floor(maxE / cellSize) - col0 + 1;
  const rows = Math.floor(maxN / cellSize) - row0 + 1;
  if (columns * rows > MAX_GRID_CELLS) {
    throw new AppError("input.invalid", `a ${formatMetres(cellSize)} grid over these points would have ${columns * rows} cells`, {
      hint: `use a larger cell size or a smaller area (at most ${MAX_GRID_CELLS} cells)`,
    });
  }
  const counts = new Float64Array(columns * rows);
  const cellOfPoint = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const c = Math.floor(easting[k]! / cellSize) - col0;
    const r = Math.floor(northing[k]! / cellSize) - row0;
    const idx = r * columns + c;
    cellOfPoint[k] = idx;
    counts[idx]!++;
  }
  const cells = new Array(columns * rows);
  for (let r = 0; r < rows; r++) {
    const n = (row0 + r) * cellSize;
    for (let c = 0; c < columns; c++) {
      const idx = r * columns + c;
      cells[idx] = { id: `${(col0 + c) * cellSize}_${n}`, count: counts[idx]! };
    }
  }
  if (withoutCoordinates > 0) notes.push(`${withoutCoordinates} of ${points.length} points have no coordinates and are not in any cell`);
  const grid: SquareGrid = {
    kind: "square",
    cellSize,
    cells,
    extent: {
      minEasting: col0 * cellSize,
      minNorthing: row0 * cellSize,
      maxEasting: (col0 + columns) * cellSize,
      maxNorthing: (row0 + rows) * cellSize,
      columns,
      rows,
    },
    params: { grid: "square", crs: "EPSG:27700", cellSize, cellSizeSource: auto ? "auto" : "given", cellsOnShorterSide },
    points: { total: points.length, counted: m, withoutCoordinates },
    notes,
  };
  return { grid, source, cellOfPoint, easting, northing };
}

/**
 * Counts points in square cells of British National Grid (EPSG:27700). Every cell of the
 * rectangular extent of the points is listed, empty ones with count 0 (Gi* needs the zeros), rows
 * from south to north, west to east. Cell ids are `"<easting>_<northing>"` of the lower-left
 * corner; corners are multiples of the cell size, so the same cell has the same id in any run.
 * Projected coordinates are rounded to the centimetre first, so a point on an edge belongs to the
 * cell above / to the right of it (cells include their lower and left edges).
 * Points without coordinates are counted in `points.withoutCoordinates` and a note.
 */
export function gridSquare(points: readonly HotspotPoint[], opts: GridSquareOptions = {}): SquareGrid {
  return buildSquareGrid(points, opts).grid;
}
