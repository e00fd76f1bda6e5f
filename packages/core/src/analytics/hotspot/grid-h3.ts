import { getHexagonAreaAvg, latLngToCell, polygonToCells, UNITS } from "h3-js";
import { AppError } from "../../errors.ts";
import { autoCellSize, DEFAULT_CELLS_ON_SHORTER_SIDE, formatMetres, MAX_GRID_CELLS } from "./cell-size.ts";
import type { H3Grid, HotspotPoint } from "./grid.types.ts";
import { uniqueLocations } from "./points.ts";

export interface GridH3Options {
  /** H3 resolution 0–15. Default: automatic, announced in `notes`. */
  resolution?: number;
  /** Target of the automatic rule: cells along the shorter side of the extent. Default 50. */
  cellsOnShorterSide?: number;
}

export interface H3GridBuild {
  grid: H3Grid;
  /** Input index of each located point. */
  source: Int32Array;
  /** Cell index (into `grid.cells`) of each located point. */
  cellOfPoint: Int32Array;
}

/**
 * The automatic H3 resolution: the square cell size `autoCellSize` would choose for the extent
 * (measured in metres on a local equirectangular approximation), then the resolution whose
 * average hexagon area is closest to that square's area (on a log scale).
 */
export function autoH3Resolution(width: number, height: number, cellsOnShorterSide = DEFAULT_CELLS_ON_SHORTER_SIDE): number {
  const side = autoCellSize(width, height, cellsOnShorterSide);
  const target = Math.log(side * side);
  let best = 0;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let res = 0; res <= 15; res++) {
    const gap = Math.abs(Math.log(getHexagonAreaAvg(res, UNITS.m2)) - target);
    if (gap < bestGap) {
      bestGap = gap;
      best = res;
    }
  }
  return best;
}

/** `gridH3` with the per-point cell assignment kept (for cubes and KDE). */
export function buildH3Grid(points: readonly HotspotPoint[], opts: GridH3Options = {}): H3GridBuild {
  const res = opts.resolution;
  if (res !== undefined && !(Number.isInteger(res) && res >= 0 && res <= 15)) {
    throw new AppError("input.invalid", `\`resolution\` must be an integer from 0 to 15; got \`${res}\``);
  }
  const cos = opts.cellsOnShorterSide;
  if (cos !== undefined && !(Number.isFinite(cos) && cos > 0)) {
    throw new AppError("input.invalid", `\`cellsOnShorterSide\` must be a positive number; got \`${cos}\``);
  }
  const cellsOnShorterSide = cos ?? DEFAULT_CELLS_ON_SHORTER_SIDE;
  const { source, location, lon: locLon, lat: locLat, withoutCoordinates } = uniqueLocations(points);
  const m = source.length;
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < locLon.length; j++) {
    const lon = locLon[j]!;
    const lat = locLat[j]!;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  if (m === 0) {
    throw new AppError("data.missing", `none of the ${points.length} points has coordinates: there is nothing to grid`, {
      hint: "check the area and period selected hold located incidents",
    });
  }
  const notes: string[] = [];
  const midLat = ((minLat + maxLat) / 2) * (Math.PI / 180);
  const width = (maxLon - minLon) * 111_320 * Math.cos(midLat);
  const height = (maxLat - minLat) * 110_574;
  const auto = res === undefined;
  const resolution = res ?? autoH3Resolution(width, height, cellsOnShorterSide);
  const hexArea = getHexagonAreaAvg(resolution, UNITS.m2);
  if (auto) {
    notes.push(
      `H3 resolution set to ${resolution} automatically (average cell ${formatMetres(Math.round(Math.sqrt(hexArea)))} square equivalent)`,
    );
  }
  const estimate = (Math.max(width, 1) * Math.max(height, 1)) / hexArea;
  if (estimate > MAX_GRID_CELLS) {
    throw new AppError("input.invalid", `an H3 resolution ${resolution} grid over these points would have about ${Math.round(estimate)} cells`, {
      hint: `use a coarser resolution or a smaller area (at most ${MAX_GRID_CELLS} cells)`,
    });
  }
  // Cells of the extent (centres inside the bounding box), plus every cell holding a point.
  const ring = [
    [minLat, minLon],
    [minLat, maxLon],
    [maxLat, maxLon],
    [maxLat, minLon],
    [minLat, minLon],
  ];
  const ids = new Set<string>(maxLon > minLon && maxLat > minLat ? polygonToCells(ring, resolution) : []);
  const locCell: string[] = new Array(locLon.length);
  for (let j = 0; j < locLon.length; j++) {
    locCell[j] = latLngToCell(locLat[j]!, locLon[j]!, resolution);
    ids.add(locCell[j]!);
  }
  const sorted = [...ids].sort();
  const at = new Map<string, number>(sorted.map((id, i) => [id, i]));
  const locIndex = Int32Array.from(locCell, (h) => at.get(h)!);
  const counts = new Float64Array(sorted.length);
  const cellOfPoint = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const idx = locIndex[location[k]!]!;
    cellOfPoint[k] = idx;
    counts[idx]!++;
  }
  if (withoutCoordinates > 0) notes.push(`${withoutCoordinates} of ${points.length} points have no coordinates and are not in any cell`);
  const grid: H3Grid = {
    kind: "h3",
    resolution,
    cells: sorted.map((id, i) => ({ id, count: counts[i]! })),
    params: { grid: "h3", resolution, resolutionSource: auto ? "auto" : "given", cellsOnShorterSide },
    points: { total: points.length, counted: m, withoutCoordinates },
    notes,
  };
  return { grid, source, cellOfPoint };
}

/**
 * Counts points in H3 hexagons. Every cell whose centre lies in the points' bounding box is
 * listed (count 0 when empty; Gi* needs the zeros), plus every cell holding a point, sorted by
 * H3 index. Points without coordinates are counted in `points.withoutCoordinates` and a note.
 */
export function gridH3(points: readonly HotspotPoint[], opts: GridH3Options = {}): H3Grid {
  return buildH3Grid(points, opts).grid;
}
