import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import type { SpaceTimeCube } from "./grid-cube.ts";
import { hotspotEmerging } from "./hotspot-emerging.ts";

describe("hotspotEmerging by hand", () => {
  // Two neighbouring 100 m cells, 3 steps: A = [1, 3, 2], B = [0, 0, 0]. n = 6 bins, mean 1,
  // s² = (0 + 4 + 1 + 1 + 1 + 1) / 6 = 4/3. Both cells have the same neighbourhood (A and B).
  const cube: SpaceTimeCube = {
    kind: "square",
    cellSize: 100,
    steps: ["2025-01", "2025-02", "2025-03"],
    cells: [
      { id: "0_0", counts: [1, 3, 2] },
      { id: "100_0", counts: [0, 0, 0] },
    ],
  };
  const r = hotspotEmerging(cube);
  const sd = Math.sqrt(64 / 30); // sqrt(s² (n W − W²)/(n − 1)) for W = 2 and for W = 4: both (4/3)(8/5)

  it("step 1 sees only itself: W = 2, z = (1 − 2) / sqrt(64/30)", () => {
    expect(r.cells[0]!.z[0]).toBeCloseTo(-1 / sd, 12);
  });

  it("later steps add the previous step: W = 4; step 2 z = (4 − 4)/sd = 0, step 3 z = (5 − 4)/sd", () => {
    expect(r.cells[0]!.z[1]).toBeCloseTo(0, 12);
    expect(r.cells[0]!.z[2]).toBeCloseTo(1 / sd, 12);
    expect(r.cells[1]!.z).toEqual(r.cells[0]!.z);
  });

  it("timeWindow 0 is Gi* per step on the cube's mean and variance", () => {
    const r0 = hotspotEmerging(cube, { timeWindow: 0 });
    expect(r0.cells[0]!.z[1]).toBeCloseTo((3 - 2) / sd, 12);
    expect(r0.params.timeWindow).toBe(0);
  });

  it("reports counts, p, the Mann–Kendall statistic, the parameters and a short-series note", () => {
    expect(r.cells[0]!.counts).toEqual([1, 3, 2]);
    expect(r.cells[0]!.mannKendall.s).toBe(3); // z-series rising: −0.68, 0, 0.68: three rising pairs
    expect(r.params).toMatchObject({ timeWindow: 1, alpha: 0.05, trendAlpha: 0.05, adjust: "fdr", trendTest: "mann-kendall", firstSteps: "partial", mean: 1 });
    expect(r.params.variance).toBeCloseTo(4 / 3, 14);
    expect(r.notes.join(" ")).toMatch(/only 3 time steps/);
  });
});

/** A side x side grid of 100 m cells over `steps` steps, background count 1 per cell and step. */
function cube5(steps: number, burst: (cell: number, t: number) => number, side = 5): SpaceTimeCube {
  const cells = [];
  for (let k = 0; k < side * side; k++) {
    cells.push({ id: `${(k % side) * 100}_${Math.floor(k / side) * 100}`, counts: Array.from({ length: steps }, (_, t) => 1 + burst(k, t)) });
  }
  return { kind: "square", cellSize: 100, steps: Array.from({ length: steps }, (_, t) => `s${t}`), cells };
}

describe("hotspotEmerging on small cubes built by hand", () => {
  it("a burst in one corner cell at the final step makes it a new hot spot", () => {
    const r = hotspotEmerging(cube5(12, (k, t) => (k === 0 && t === 11 ? 30 : 0)));
    expect(r.cells[0]!.category).toBe("new-hotspot");
    expect(r.cells[24]!.category).toBe("no-pattern");
    expect(r.summary["new-hotspot"]).toBeGreaterThanOrEqual(1);
  });

  it("a corner that is busy at every step and growing is an intensifying hot spot", () => {
    const r = hotspotEmerging(cube5(12, (k, t) => (k === 0 ? 40 + 4 * t : 0), 10));
    expect(r.cells[0]!.category).toBe("intensifying-hotspot");
    expect(r.cells[0]!.mannKendall.z).toBeGreaterThan(0);
  });

  it("degenerate input: one step is an AppError; equal counts give null z, no NaN, no pattern and a note", () => {
    expect(() => hotspotEmerging(cube5(1, () => 0))).toThrow(AppError);
    const flat = hotspotEmerging(cube5(12, () => 0));
    expect(flat.cells.every((c) => c.category === "no-pattern" && c.z.every((v) => v === null))).toBe(true);
    expect(flat.notes.join(" ")).toMatch(/same count/);
    expect(JSON.stringify(flat)).not.toMatch(/NaN/);
  });

  it("checks its input", () => {
    const bad = cube5(3, () => 0);
    bad.cells[2]!.counts = [1, 2];
    expect(() => hotspotEmerging(bad)).toThrow(/has 2 counts; the cube has 3 steps/);
    expect(() => hotspotEmerging(cube5(3, () => 0), { timeWindow: -1 })).toThrow(/timeWindow/);
    expect(() => hotspotEmerging(cube5(3, () => 0), { alpha: 5 })).toThrow(/alpha/);
  });
});

describe("hotspotEmerging options: first steps, trend test, rules", () => {
  it("firstSteps \"exclude\" leaves the partial first step out of the categories and the trend; the default keeps it and says so", () => {
    const cube = cube5(12, (k, t) => (k === 0 && t === 11 ? 30 : 0));
    const kept = hotspotEmerging(cube);
    expect(kept.params.partialSteps).toEqual(["s0"]);
    expect(kept.notes.join(" ")).toMatch(/first step's bins have no earlier step/);
    const ex = hotspotEmerging(cube, { firstSteps: "exclude" });
    expect(ex.params.firstSteps).toBe("exclude");
    expect(ex.cells[0]!.z).toHaveLength(12); // z and p are still reported for every step
    expect(ex.cells[0]!.category).toBe("new-hotspot");
    expect(ex.notes.join(" ")).toMatch(/left out of the categories/);
    expect(() => hotspotEmerging(cube5(2, () => 0), { firstSteps: "exclude" })).toThrow(/at least 2/);
  });

  it("trendTest \"hamed-rao\" reports the correction factor; the options are checked", () => {
    const r = hotspotEmerging(cube5(12, (k, t) => (k === 0 ? 40 + 4 * t : 0), 10), { trendTest: "hamed-rao" });
    expect(r.params.trendTest).toBe("hamed-rao");
    expect(r.cells[0]!.mannKendall.correction).toBeGreaterThan(0);
    expect(() => hotspotEmerging(cube5(3, () => 0), { trendTest: "sen" as "hamed-rao" })).toThrow(/trendTest/);
    expect(() => hotspotEmerging(cube5(3, () => 0), { rules: "arcgis" as "esri" })).toThrow(/rules/);
    expect(() => hotspotEmerging(cube5(3, () => 0), { firstSteps: "drop" as "exclude" })).toThrow(/firstSteps/);
  });
});
