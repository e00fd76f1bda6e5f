import { describe, expect, it } from "vitest";
import { compareGolden, fmt, readCsv } from "../../../test/golden/hotspot/golden.ts";
import { hotspotEmerging } from "./hotspot-emerging.ts";

// Golden made by packages/core/test/golden/hotspot/emerging.R, an independent implementation
// (spdep::localG on the stacked cube, Mann–Kendall, Hamed–Rao and the categories written in R),
// from real Southampton 2025 counts per month on a 500 m grid: `category` with FDR-adjusted bins
// (the default), `categoryRawP` with raw p (adjust "none"), `categoryHamedRao` with FDR bins and
// the Hamed–Rao trend test.
type Cube = Parameters<typeof hotspotEmerging>[0];
function rows(cube: Cube, steps: string[]): Record<string, string>[] {
  const result = hotspotEmerging(cube);
  const raw = hotspotEmerging(cube, { adjust: "none" });
  const hr = hotspotEmerging(cube, { trendTest: "hamed-rao" });
  return result.cells.map((c, i) => ({
    id: c.id,
    category: c.category,
    categoryRawP: raw.cells[i]!.category,
    categoryHamedRao: hr.cells[i]!.category,
    hrZ: fmt(hr.cells[i]!.mannKendall.z),
    hrP: fmt(hr.cells[i]!.mannKendall.p),
    hrCorrection: fmt(hr.cells[i]!.mannKendall.correction ?? null),
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
    const cube: Cube = { kind: "square", cellSize: 500, steps, cells };
    const result = hotspotEmerging(cube);
    expect(result.cells.length).toBe(391);
    expect(result.params).toMatchObject({ adjust: "fdr", trendTest: "mann-kendall", rules: "esri", firstSteps: "partial", partialSteps: [steps[0]] });
    // the real cube shows several categories, not just "no-pattern"
    expect(Object.values(result.summary).filter((v) => v > 0).length).toBeGreaterThanOrEqual(4);
    expect(compareGolden("cube-southampton-500m.emerging.golden.csv", rows(cube, steps))).toEqual([]);
  });

  it("Southampton, H3 resolution 8 x 12 months", () => {
    const input = readCsv("cube-southampton-h3r8.counts.csv");
    const steps = Object.keys(input[0]!).slice(3);
    const cells = input.map((r) => ({ id: r.id!, counts: steps.map((s) => Number(r[s])) }));
    const cube: Cube = { kind: "h3", resolution: 8, steps, cells };
    expect(cube.cells.length).toBe(130);
    expect(compareGolden("cube-southampton-h3r8.emerging.golden.csv", rows(cube, steps))).toEqual([]);
  });
});
