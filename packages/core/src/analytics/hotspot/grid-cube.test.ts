import { describe, expect, it } from "vitest";
import { fromBng } from "./bng.ts";
import { gridCube } from "./grid-cube.ts";

function at(e: number, n: number, step: string) {
  const [lon, lat] = fromBng(e, n);
  return { lon, lat, step };
}

describe("gridCube", () => {
  const pts = [
    at(1010, 2010, "2025-01"),
    at(1020, 2020, "2025-03"),
    at(1120, 2020, "2025-03"),
    { lon: null, lat: null, step: "2025-01" },
    at(1120, 2020, "2024-12"),
  ];

  it("counts per cell and step, in the order of the steps given, zeros for empty steps, with notes", () => {
    const c = gridCube(pts, { cellSize: 100, steps: ["2025-01", "2025-02", "2025-03"] });
    expect(c.steps).toEqual(["2025-01", "2025-02", "2025-03"]);
    expect(c.cells).toEqual([
      { id: "1000_2000", counts: [1, 0, 1] },
      { id: "1100_2000", counts: [0, 0, 1] },
    ]);
    expect(c.points).toEqual({ total: 5, counted: 3, withoutCoordinates: 1, outsideSteps: 1 });
    expect(c.notes).toContain("1 points fall outside the steps analysed and are not counted");
    expect(c.notes).toContain("no points at all in 2025-02: check those steps' data is present");
    expect(c.params).toMatchObject({ grid: "square", cellSize: 100, stepsSource: "given" });
  });

  it("takes the steps from the data, sorted, when not given; H3 too", () => {
    const c = gridCube(pts, { grid: "h3", resolution: 9 });
    expect(c.steps).toEqual(["2024-12", "2025-01", "2025-03"]);
    expect(c.kind).toBe("h3");
    expect(c.cells.reduce((s, cell) => s + cell.counts.reduce((a, b) => a + b, 0), 0)).toBe(4);
  });
});
