import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../../test/golden/hotspot/golden.ts";
import { HAMPSHIRE_2025, needsSharedData, readPolicePoints } from "../../../test/golden/hotspot/police-points.ts";
import { AppError } from "../../errors.ts";
import { autoH3Resolution, gridH3 } from "./grid-h3.ts";
import { hotspotGiStar } from "./hotspot-gi-star.ts";

describe("gridH3", () => {
  const centre = latLngToCell(50.9097, -1.4044, 9);
  const ring = gridDisk(centre, 1);
  const pts = [
    ...ring.map((h) => {
      const [lat, lon] = cellToLatLng(h);
      return { lon, lat };
    }),
    { lon: cellToLatLng(centre)[1], lat: cellToLatLng(centre)[0] },
    { lon: null, lat: 50 },
  ];

  it("counts points per H3 cell, sorted by index, with empty cells of the extent and a tally", () => {
    const g = gridH3(pts, { resolution: 9 });
    expect(g.cells.find((c) => c.id === centre)!.count).toBe(2);
    for (const h of ring) expect(g.cells.find((c) => c.id === h)!.count).toBeGreaterThanOrEqual(1);
    expect(g.cells.map((c) => c.id)).toEqual([...g.cells.map((c) => c.id)].sort());
    expect(g.cells.reduce((s, c) => s + c.count, 0)).toBe(8);
    expect(g.points).toEqual({ total: 9, counted: 8, withoutCoordinates: 1 });
    expect(g.params).toMatchObject({ grid: "h3", resolution: 9, resolutionSource: "given" });
  });

  it("lists the empty cells whose centres fall in the points' bounding box", () => {
    const g = gridH3([{ lon: -1.41, lat: 50.9 }, { lon: -1.39, lat: 50.915 }], { resolution: 9 });
    const empty = g.cells.filter((c) => c.count === 0);
    expect(empty.length).toBeGreaterThan(5);
    for (const c of empty) {
      const [lat, lon] = cellToLatLng(c.id);
      expect(lon >= -1.41 && lon <= -1.39 && lat >= 50.9 && lat <= 50.915).toBe(true);
    }
  });

  it("chooses and announces a resolution when not given: the hexagon area closest to the auto square cell", () => {
    expect(autoH3Resolution(12_500, 20_000)).toBe(9); // 250 m square ~ 0.0625 km²; res 9 averages 0.105 km², res 10 0.015 km²
    expect(autoH3Resolution(50_000, 80_000)).toBe(8); // 1 km square; res 8 averages 0.737 km²
    const g = gridH3(pts);
    expect(g.params.resolutionSource).toBe("auto");
    expect(g.notes[0]).toMatch(/^H3 resolution set to \d+ automatically/);
  });

  it("Gi* on an H3 grid uses gridDisk(k = 1) neighbours", () => {
    // 7 cells: the centre has all 7 (self included), each ring cell 4 (self, centre, 2 ring neighbours).
    const cells = [centre, ...ring.filter((h) => h !== centre)].map((id, i) => ({ id, count: i === 0 ? 7 : 1 }));
    // n = 7, mean 13/7, s² = Σ(x − mean)²/7; a ring cell: lx = 7 + 3 = 10, W = 4.
    const mean = 13 / 7;
    const s2 = ((7 - mean) ** 2 + 6 * (1 - mean) ** 2) / 7;
    const r = hotspotGiStar({ kind: "h3", resolution: 9, cells });
    expect(r.cells[1]!.z).toBeCloseTo((10 - 4 * mean) / Math.sqrt((s2 * (7 * 4 - 16)) / 6), 12);
    expect(r.cells[0]!.z).toBeNull(); // neighbours every cell
  });

  it("errors clearly", () => {
    expect(() => gridH3([{ lon: null, lat: null }])).toThrow(AppError);
    expect(() => gridH3(pts, { resolution: 16 })).toThrow(/0 to 15/);
    expect(() => gridH3([{ lon: -5, lat: 50 }, { lon: 1, lat: 56 }], { resolution: 12 })).toThrow(/would have about \d+ cells/);
  });

  // The golden was computed (and checked in R) from the whole year: the full archive is needed.
  it.skipIf(needsSharedData("the H3 golden is the whole Southampton 2025 year from ../shared/data"))("reproduces the committed golden H3 counts from the real Southampton 2025 rows", () => {
    const points = readPolicePoints(HAMPSHIRE_2025).filter((p) => p.lsoaName.startsWith("Southampton "));
    const g = gridH3(points, { resolution: 9 });
    const golden = readCsv("h3-southampton-r9.counts.csv");
    expect(g.cells.map((c) => `${c.id}:${c.count}`)).toEqual(golden.map((r) => `${r.id}:${r.count}`));
    expect(g.cells.reduce((s, c) => s + c.count, 0)).toBe(33_610);
  });
});
