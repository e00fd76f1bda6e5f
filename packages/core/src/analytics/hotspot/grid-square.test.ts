import { describe, expect, it } from "vitest";
import { readCsv } from "../../../test/golden/hotspot/golden.ts";
import { HAMPSHIRE_2025, needsSharedData, readPolicePoints } from "../../../test/golden/hotspot/police-points.ts";
import { AppError } from "../../errors.ts";
import { fromBng, toBng } from "./bng.ts";
import { autoCellSize } from "./cell-size.ts";
import { gridSquare } from "./grid-square.ts";

/** A point at BNG (e, n), given to the grid as WGS84 like police.uk rows. */
function at(e: number, n: number) {
  const [lon, lat] = fromBng(e, n);
  return { lon, lat };
}

describe("toBng / fromBng", () => {
  it("agree with PROJ 9 (R sf::st_transform to EPSG:27700) to a centimetre", () => {
    // R: st_transform(st_sfc(st_point(c(-1.4044, 50.9097)), crs = 4326), 27700)
    const [e, n] = toBng(-1.4044, 50.9097);
    expect(Math.abs(e - 441971.544833)).toBeLessThan(0.01);
    expect(Math.abs(n - 112416.7465659)).toBeLessThan(0.01);
    const [e2, n2] = toBng(-1.0913, 50.7989);
    expect(Math.abs(e2 - 464136.032284)).toBeLessThan(0.01);
    expect(Math.abs(n2 - 100319.8503652)).toBeLessThan(0.01);
  });

  it("round-trip to 5 mm (proj4 inverts the Helmert shift approximately)", () => {
    const [lon, lat] = fromBng(441971.5448, 112416.7458);
    const [e, n] = toBng(lon, lat);
    expect(Math.abs(e - 441971.5448) + Math.abs(n - 112416.7458)).toBeLessThan(0.005);
  });
});

describe("autoCellSize", () => {
  it("shorter side / 50, rounded down to 1, 2, 2.5 or 5 x 10^k", () => {
    expect(autoCellSize(20_000, 12_500)).toBe(250);
    expect(autoCellSize(12_000, 8_000)).toBe(100); // 160 -> 100
    expect(autoCellSize(100_000, 80_000)).toBe(1000); // 1600 -> 1000
    expect(autoCellSize(300_000, 215_000)).toBe(2500); // 4300 -> 2500
    expect(autoCellSize(0, 5_000)).toBe(100); // a line: the longer side
    expect(autoCellSize(0, 0)).toBe(100); // one place
    expect(autoCellSize(10_000, 10_000, 20)).toBe(500);
  });
});

describe("gridSquare", () => {
  it("counts points in cells keyed by the lower-left corner, empty cells included", () => {
    const g = gridSquare([at(1010, 2020), at(1050, 2090), at(1240, 2260), { lon: null, lat: null }, { lat: 51 }], { cellSize: 100 });
    expect(g.extent).toMatchObject({ minEasting: 1000, minNorthing: 2000, maxEasting: 1300, maxNorthing: 2300, columns: 3, rows: 3 });
    expect(g.cells).toHaveLength(9);
    expect(g.cells[0]).toEqual({ id: "1000_2000", count: 2 });
    expect(g.cells.find((c) => c.id === "1200_2200")!.count).toBe(1);
    expect(g.cells.filter((c) => c.count === 0)).toHaveLength(7);
    expect(g.points).toEqual({ total: 5, counted: 3, withoutCoordinates: 2 });
    expect(g.notes).toEqual(["2 of 5 points have no coordinates and are not in any cell"]);
    expect(g.params).toEqual({ grid: "square", crs: "EPSG:27700", cellSize: 100, cellSizeSource: "given", cellsOnShorterSide: 50 });
  });

  it("chooses and announces the cell size when not given", () => {
    const g = gridSquare([at(400_000, 100_000), at(420_000, 112_500)]);
    expect(g.cellSize).toBe(250);
    expect(g.params.cellSizeSource).toBe("auto");
    expect(g.notes).toContain("cell size set to 250 m automatically");
  });

  it("errors clearly on no located points, bad sizes and oversized grids", () => {
    expect(() => gridSquare([{ lon: null, lat: null }])).toThrow(AppError);
    expect(() => gridSquare([at(0, 0)], { cellSize: -5 })).toThrow(/positive number/);
    expect(() => gridSquare([at(300_000, 100_000), at(600_000, 900_000)], { cellSize: 10 })).toThrow(/would have \d+ cells/);
  });

  // The golden was computed (and checked in R) from the whole year: the full archive is needed.
  it.skipIf(needsSharedData("the square-grid golden is the whole Southampton 2025 year from ../shared/data"))("reproduces the committed golden counts from the real Southampton 2025 rows", () => {
    const points = readPolicePoints(HAMPSHIRE_2025).filter((p) => p.lsoaName.startsWith("Southampton "));
    expect(points).toHaveLength(33_610);
    const g = gridSquare(points, { cellSize: 250 });
    const golden = readCsv("square-southampton-250m.counts.csv");
    expect(g.cells.map((c) => `${c.id}:${c.count}`)).toEqual(golden.map((r) => `${r.id}:${r.count}`));
    expect(g.cells.reduce((s, c) => s + c.count, 0)).toBe(g.points.counted);
  });
});
