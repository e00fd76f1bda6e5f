import { cellToBoundary, cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { fromBng } from "./bng.ts";
import { type BoundaryGeometry, cellsIntersectingBoundary, clipGrid } from "./clip.ts";
import { hotspotGiStar } from "./hotspot-gi-star.ts";

// A hand-made study area drawn in BNG metres, stored as WGS84 GeoJSON as the boundary files are.
const ring = (pts: [number, number][]) => [...pts, pts[0]!].map(([e, n]) => fromBng(e, n));
const E = 440_000;
const N = 110_000;
const square5x5 = (count: (c: number, r: number) => number) => {
  const cells = [];
  for (let c = 0; c < 5; c++) for (let r = 0; r < 5; r++) cells.push({ id: `${E + 100 * c}_${N + 100 * r}`, count: count(c, r) });
  return { kind: "square" as const, cellSize: 100, cells };
};
const kept = (grid: ReturnType<typeof square5x5>, b: BoundaryGeometry[]) => {
  const f = cellsIntersectingBoundary(grid, b);
  return grid.cells.filter((_, i) => f[i]).map((c) => c.id);
};

describe("cellsIntersectingBoundary: a cell is kept when it meets the study area", () => {
  it("a rectangle ending half-way across column 2 keeps columns 0-2 (15 of 25 cells)", () => {
    const grid = square5x5(() => 0);
    const rect: BoundaryGeometry = { type: "Polygon", coordinates: [ring([[E + 10, N + 10], [E + 250, N + 10], [E + 250, N + 490], [E + 10, N + 490]])] };
    const ids = kept(grid, [rect]);
    expect(ids).toHaveLength(15);
    expect(ids.every((id) => Number(id.split("_")[0]) <= E + 200)).toBe(true);
  });

  it("a hole that swallows a whole cell drops it; the cells its edge crosses stay", () => {
    const grid = square5x5(() => 0);
    const outer = ring([[E - 50, N - 50], [E + 550, N - 50], [E + 550, N + 550], [E - 50, N + 550]]);
    const hole = ring([[E + 90, N + 90], [E + 210, N + 90], [E + 210, N + 210], [E + 90, N + 210]]);
    const ids = kept(grid, [{ type: "Polygon", coordinates: [outer, hole] }]);
    expect(ids).toHaveLength(24);
    expect(ids).not.toContain(`${E + 100}_${N + 100}`);
  });

  it("a triangle keeps exactly the cells its diagonal edge cuts or leaves inside (hand count: 15)", () => {
    // vertices (0,0), (450,0), (0,450) relative: a cell (c, r) meets it when its lower-left
    // corner does, 100 (c + r) < 450, i.e. c + r <= 4: 5 + 4 + 3 + 2 + 1 = 15 cells.
    const grid = square5x5(() => 0);
    const tri: BoundaryGeometry = { type: "MultiPolygon", coordinates: [[ring([[E, N], [E + 450, N], [E, N + 450]])]] };
    const ids = kept(grid, [tri]);
    const rel = ids.map((id) => id.split("_").map(Number)).map(([e, n]) => (e! - E) / 100 + (n! - N) / 100);
    expect(rel.every((s) => s <= 4)).toBe(true);
    expect(ids.length).toBe(15);
  });

  it("H3: a small polygon inside one hexagon keeps that hexagon only", () => {
    const h = latLngToCell(50.9, -1.4, 9);
    const [lat, lng] = cellToLatLng(h);
    const small = cellToBoundary(h).map(([a, b]) => [lng + (b - lng) * 0.5, lat + (a - lat) * 0.5]);
    const cells = gridDisk(h, 1).map((id) => ({ id, count: 0 }));
    const f = cellsIntersectingBoundary({ kind: "h3", cells }, [{ type: "Polygon", coordinates: [[...small, small[0]!]] }]);
    expect(cells.filter((_, i) => f[i]).map((c) => c.id)).toEqual([h]);
  });

  it("refuses a boundary that is not a polygon", () => {
    expect(() => cellsIntersectingBoundary(square5x5(() => 0), [{ type: "Point", coordinates: [0, 0] } as unknown as BoundaryGeometry])).toThrow(/Polygon or MultiPolygon/);
  });
});

describe("clipGrid", () => {
  it("never drops a cell holding incidents, counts what it did, and Gi* runs on the kept cells", () => {
    const grid = square5x5((c, r) => (c === 4 && r === 4 ? 3 : c + r));
    const rect: BoundaryGeometry = { type: "Polygon", coordinates: [ring([[E + 10, N + 10], [E + 250, N + 10], [E + 250, N + 490], [E + 10, N + 490]])] };
    const { grid: g, newIndex, summary } = clipGrid(grid, [rect]);
    // columns 0-2 (15 cells) plus every cell of columns 3-4 with a count > 0 (all 10 here: c + r >= 3)
    expect(summary).toEqual({ clip: "boundary", cellsBefore: 25, cellsKept: 25, keptForIncidents: 10 });
    const zeroOutside = square5x5((c, r) => (c >= 3 ? 0 : c + r + 1));
    const clipped = clipGrid(zeroOutside, [rect]);
    expect(clipped.summary.cellsKept).toBe(15);
    expect(clipped.summary.keptForIncidents).toBe(0);
    expect(newIndex[0]).toBe(0);
    expect(Array.from(clipped.newIndex).filter((k) => k < 0)).toHaveLength(10);
    const gi = hotspotGiStar(clipped.grid, { inference: "normal" });
    expect(gi.cells).toHaveLength(15);
    expect(g.cells).toHaveLength(25);
  });
});
