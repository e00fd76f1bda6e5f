import { describe, expect, it } from "vitest";
import { compareGolden, fmt, readCsv } from "../../../test/golden/hotspot/golden.ts";
import { hotspotEmerging } from "./hotspot-emerging.ts";

// Golden made by packages/core/test/golden/hotspot/emerging.R, an independent implementation
// (spdep::localG on the stacked cube, Mann–Kendall and the categories written in R), from real
// Southampton 2025 counts per month on a 500 m grid.
function rows(result: ReturnType<typeof hotspotEmerging>, steps: string[]): Record<string, string>[] {
  return result.cells.map((c) => ({
    id: c.id,
    category: c.category,
    mkS: String(c.mannKendall.s),
    mkZ: fmt(c.mannKendall.z),
    mkP: fmt(c.mannKendall.p),
    mkTau: fmt(c.mannKendall.tau),
    ...Object.fromEntries(steps.map((s, t) => [`z${s}`, fmt(c.z[t]!)])),
  }));
}

describe("hotspotEmerging agrees with the independent R implementation on a real cube", () => {
  it("Southampton, 500 m cells x 12 months", () => {
    const input = readCsv("cube-southampton-500m.counts.csv");
    const steps = Object.keys(input[0]!).slice(3);
    const cells = input.map((r) => ({ id: r.id!, counts: steps.map((s) => Number(r[s])) }));
    const result = hotspotEmerging({ kind: "square", cellSize: 500, steps, cells });
    expect(result.cells.length).toBe(391);
    // the real cube shows several categories, not just "no-pattern"
    expect(Object.values(result.summary).filter((v) => v > 0).length).toBeGreaterThanOrEqual(5);
    expect(compareGolden("cube-southampton-500m.emerging.golden.csv", rows(result, steps))).toEqual([]);
  });

  it("Southampton, H3 resolution 8 x 12 months", () => {
    const input = readCsv("cube-southampton-h3r8.counts.csv");
    const steps = Object.keys(input[0]!).slice(3);
    const cells = input.map((r) => ({ id: r.id!, counts: steps.map((s) => Number(r[s])) }));
    const result = hotspotEmerging({ kind: "h3", resolution: 8, steps, cells });
    expect(result.cells.length).toBe(130);
    expect(compareGolden("cube-southampton-h3r8.emerging.golden.csv", rows(result, steps))).toEqual([]);
  });
});
