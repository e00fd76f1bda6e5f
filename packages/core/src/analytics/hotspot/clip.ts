import { cellToBoundary } from "h3-js";
import { AppError } from "../../errors.ts";
import { toBng } from "./bng.ts";
import { parseSquareId } from "./neighbours.ts";

/** A GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude), as the boundary files hold. */
export type BoundaryGeometry = { type: "Polygon"; coordinates: number[][][] } | { type: "MultiPolygon"; coordinates: number[][][][] };

/** The cells to clip: square ids `"<easting>_<northing>"` with their size, or H3 indexes. */
export type ClipGrid = { kind: "square"; cellSize: number; cells: readonly { id: string }[] } | { kind: "h3"; resolution?: number; cells: readonly { id: string }[] };

type Ring = Float64Array; // x0, y0, x1, y1, ... closed (last = first)
interface Poly {
  rings: Ring[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Boundary polygons in BNG metres (rings as flat arrays, closed). */
function projectBoundaries(geoms: readonly BoundaryGeometry[]): Poly[] {
  const polys: Poly[] = [];
  for (const g of geoms) {
    const list = g?.type === "Polygon" ? [g.coordinates] : g?.type === "MultiPolygon" ? g.coordinates : null;
    if (!list) throw new AppError("input.invalid", `a study-area boundary must be a GeoJSON Polygon or MultiPolygon; got \`${String((g as { type?: unknown })?.type)}\``);
    for (const polygon of list) {
      const rings: Ring[] = [];
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const ring of polygon) {
        if (ring.length < 3) continue;
        const closed = ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1];
        const m = closed ? ring.length : ring.length + 1;
        const r = new Float64Array(2 * m);
        for (let k = 0; k < m; k++) {
          const [lon, lat] = ring[k % ring.length]!;
          if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw new AppError("input.invalid", "a study-area boundary has a vertex without finite coordinates");
          const [x, y] = toBng(lon!, lat!);
          r[2 * k] = x;
          r[2 * k + 1] = y;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
        rings.push(r);
      }
      if (rings.length) polys.push({ rings, minX, minY, maxX, maxY });
    }
  }
  return polys;
}

/** Even–odd point in polygon (holes are rings too). */
function insidePoly(p: Poly, x: number, y: number): boolean {
  if (x < p.minX || x > p.maxX || y < p.minY || y > p.maxY) return false;
  let inside = false;
  for (const r of p.rings) {
    for (let k = 0; k + 3 < r.length; k += 2) {
      const x1 = r[k]!;
      const y1 = r[k + 1]!;
      const x2 = r[k + 2]!;
      const y2 = r[k + 3]!;
      if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
    }
  }
  return inside;
}

const cross = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);

/** Closed segments ab and cd meet (touching counts). */
function segmentsMeet(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = cross(cx, cy, dx, dy, ax, ay);
  const d2 = cross(cx, cy, dx, dy, bx, by);
  const d3 = cross(ax, ay, bx, by, cx, cy);
  const d4 = cross(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    Math.min(px, qx) <= rx && rx <= Math.max(px, qx) && Math.min(py, qy) <= ry && ry <= Math.max(py, qy);
  return (d1 === 0 && on(cx, cy, dx, dy, ax, ay)) || (d2 === 0 && on(cx, cy, dx, dy, bx, by)) || (d3 === 0 && on(ax, ay, bx, by, cx, cy)) || (d4 === 0 && on(ax, ay, bx, by, dx, dy));
}

/** Point inside or on a convex polygon (vertices in order, either orientation, not closed). */
function inConvex(v: Float64Array, x: number, y: number): boolean {
  const m = v.length / 2;
  let pos = false;
  let neg = false;
  for (let k = 0; k < m; k++) {
    const j = (k + 1) % m;
    const c = cross(v[2 * k]!, v[2 * k + 1]!, v[2 * j]!, v[2 * j + 1]!, x, y);
    if (c > 0) pos = true;
    else if (c < 0) neg = true;
    if (pos && neg) return false;
  }
  return true;
}

/** The cell's polygon in BNG metres (flat, not closed). */
function cellPolygon(grid: ClipGrid, id: string): Float64Array {
  if (grid.kind === "square") {
    const [e, n] = parseSquareId(id);
    const s = grid.cellSize;
    return Float64Array.of(e, n, e + s, n, e + s, n + s, e, n + s);
  }
  const ring = cellToBoundary(id); // [lat, lng] pairs
  const v = new Float64Array(ring.length * 2);
  ring.forEach(([lat, lng], k) => {
    const [x, y] = toBng(lng, lat);
    v[2 * k] = x;
    v[2 * k + 1] = y;
  });
  return v;
}

/**
 * Which cells intersect the study area (the union of `boundaries`, WGS84 GeoJSON polygons), in
 * British National Grid: a cell is kept when any boundary edge meets it (touching counts) or, when
 * none does, when its centre lies inside the boundary (then the whole cell does). Boundary edges are
 * bucketed on a grid of about one cell, so the cost is about cells + edges. Returns one flag per cell.
 */
export function cellsIntersectingBoundary(grid: ClipGrid, boundaries: readonly BoundaryGeometry[]): Uint8Array {
  const polys = projectBoundaries(boundaries);
  if (polys.length === 0) throw new AppError("input.invalid", "the study-area boundary has no polygon to clip to");
  const shapes = grid.cells.map((c) => cellPolygon(grid, c.id));
  let bucket = grid.kind === "square" ? grid.cellSize : 0;
  if (!(bucket > 0)) {
    const v = shapes[0];
    bucket = v ? Math.max(1, Math.hypot(v[0]! - v[6]!, v[1]! - v[7]!)) : 1;
  }
  const key = (bx: number, by: number) => `${bx},${by}`;
  const edges = new Map<string, number[]>(); // bucket -> [x1, y1, x2, y2, ...]
  for (const p of polys) {
    for (const r of p.rings) {
      for (let k = 0; k + 3 < r.length; k += 2) {
        const x1 = r[k]!;
        const y1 = r[k + 1]!;
        const x2 = r[k + 2]!;
        const y2 = r[k + 3]!;
        for (let bx = Math.floor(Math.min(x1, x2) / bucket); bx <= Math.floor(Math.max(x1, x2) / bucket); bx++) {
          for (let by = Math.floor(Math.min(y1, y2) / bucket); by <= Math.floor(Math.max(y1, y2) / bucket); by++) {
            const list = edges.get(key(bx, by));
            if (list) list.push(x1, y1, x2, y2);
            else edges.set(key(bx, by), [x1, y1, x2, y2]);
          }
        }
      }
    }
  }
  const keep = new Uint8Array(shapes.length);
  for (let c = 0; c < shapes.length; c++) {
    const v = shapes[c]!;
    const m = v.length / 2;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let cx = 0;
    let cy = 0;
    for (let k = 0; k < m; k++) {
      minX = Math.min(minX, v[2 * k]!);
      maxX = Math.max(maxX, v[2 * k]!);
      minY = Math.min(minY, v[2 * k + 1]!);
      maxY = Math.max(maxY, v[2 * k + 1]!);
      cx += v[2 * k]! / m;
      cy += v[2 * k + 1]! / m;
    }
    let hit = false;
    for (let bx = Math.floor(minX / bucket); bx <= Math.floor(maxX / bucket) && !hit; bx++) {
      for (let by = Math.floor(minY / bucket); by <= Math.floor(maxY / bucket) && !hit; by++) {
        const list = edges.get(key(bx, by));
        if (!list) continue;
        for (let e = 0; e < list.length && !hit; e += 4) {
          const x1 = list[e]!;
          const y1 = list[e + 1]!;
          const x2 = list[e + 2]!;
          const y2 = list[e + 3]!;
          if (Math.max(x1, x2) < minX || Math.min(x1, x2) > maxX || Math.max(y1, y2) < minY || Math.min(y1, y2) > maxY) continue;
          if (inConvex(v, x1, y1) || inConvex(v, x2, y2)) hit = true;
          else {
            for (let k = 0; k < m && !hit; k++) {
              const j = (k + 1) % m;
              if (segmentsMeet(x1, y1, x2, y2, v[2 * k]!, v[2 * k + 1]!, v[2 * j]!, v[2 * j + 1]!)) hit = true;
            }
          }
        }
      }
    }
    if (!hit) hit = polys.some((p) => insidePoly(p, cx, cy));
    keep[c] = hit ? 1 : 0;
  }
  return keep;
}

export interface ClipSummary {
  clip: "boundary" | "none";
  cellsBefore: number;
  cellsKept: number;
  /** Cells outside the boundary kept because they hold incidents (never dropped: the boundary may be generalised). */
  keptForIncidents: number;
}

/**
 * Keeps the cells that intersect the study area, plus any cell holding incidents (`hasIncidents`),
 * so no counted incident is ever dropped. Returns the kept indexes and a summary for `params`.
 */
export function clipCells(grid: ClipGrid, boundaries: readonly BoundaryGeometry[], hasIncidents: (i: number) => boolean): { kept: number[]; summary: ClipSummary } {
  const flags = cellsIntersectingBoundary(grid, boundaries);
  const kept: number[] = [];
  let keptForIncidents = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) kept.push(i);
    else if (hasIncidents(i)) {
      kept.push(i);
      keptForIncidents++;
    }
  }
  return { kept, summary: { clip: "boundary", cellsBefore: flags.length, cellsKept: kept.length, keptForIncidents } };
}

/** One line for the notes: what clipping did. */
export function clipNote(s: ClipSummary): string {
  const dropped = s.cellsBefore - s.cellsKept;
  return `grid clipped to the study area's boundary: ${dropped} of ${s.cellsBefore} cells lie wholly outside it and are left out (not counted as zero crime)${s.keptForIncidents ? `; ${s.keptForIncidents} cells outside it are kept because they hold incidents` : ""}`;
}

/**
 * `clipCells` applied to a grid: the same grid with only the kept cells (in their order), the new
 * index of each old cell (−1 when left out) and the summary. A cell holds incidents when its
 * `count` (or any of its `counts`) is above zero.
 */
export function clipGrid<G extends ClipGrid & { cells: readonly ({ id: string; count: number } | { id: string; counts: readonly number[] })[] }>(
  grid: G,
  boundaries: readonly BoundaryGeometry[],
): { grid: G; newIndex: Int32Array; summary: ClipSummary } {
  const held = (i: number) => {
    const c = grid.cells[i]!;
    return "count" in c ? c.count > 0 : c.counts.some((v) => v > 0);
  };
  const { kept, summary } = clipCells(grid, boundaries, held);
  const newIndex = new Int32Array(grid.cells.length).fill(-1);
  kept.forEach((old, k) => {
    newIndex[old] = k;
  });
  return { grid: { ...grid, cells: kept.map((i) => grid.cells[i]!) }, newIndex, summary };
}
