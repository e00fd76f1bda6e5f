import { describe, expect, it } from "vitest";
import { findNonFinite } from "../stats/check.ts";
import { AppError } from "../../errors.ts";
import { empiricalBayesRates } from "../rate/empirical-bayes.ts";
import { priorityAreas } from "./priority-areas.ts";
import { priorityHotspotOverlap } from "./priority-hotspot-overlap.ts";

const lsoas = [
  { code: "A", name: "Southampton 001A", count: 100, population: 1000, imdDecile: 1, imdRank: 50 }, // 100 per 1,000
  { code: "B", name: "Southampton 002A", count: 50, population: 1000, imdDecile: 5, imdRank: 15000 }, // 50
  { code: "C", name: "Southampton 003A", count: 80, population: 2000, imdDecile: 2, imdRank: 3000 }, // 40
  { code: "D", name: "Southampton 004A", count: 10, population: 1000, imdDecile: 9, imdRank: 30000 }, // 10
];

describe("priorityAreas", () => {
  it("scores = mean of Hazen percentile ranks, computed by hand", () => {
    const r = priorityAreas(lsoas);
    // crime percentiles: D .125, C .375, B .625, A .875; deprivation: D .125, B .375, C .625, A .875
    expect(r.ranked.map((a) => [a.code, a.crimePercentile, a.deprivationPercentile, a.score])).toEqual([
      ["A", 0.875, 0.875, 0.875],
      ["B", 0.625, 0.375, 0.5],
      ["C", 0.375, 0.625, 0.5], // ties with B on score; B has the higher rate
      ["D", 0.125, 0.125, 0.125],
    ]);
    expect(r.ranked.map((a) => a.deprived)).toEqual([true, false, true, false]);
    expect(r.params).toMatchObject({ top: 10, maxDeprivedDecile: 2, weights: { crime: 0.5, imd: 0.5 }, deprivationBy: "IMD rank" });
    expect(r.notes).toContain("Only 4 LSOAs given: all are returned.");
  });

  it("top N with plain-English reasons", () => {
    const r = priorityAreas(lsoas, { top: 2 });
    expect(r.areas.map((a) => a.reason)).toEqual([
      "Crime rate 100.0 per 1,000 residents (highest of 4); IMD decile 1 (in the most deprived 10% in England)",
      "Crime rate 50.0 per 1,000 residents (2nd highest of 4); IMD decile 5",
    ]);
  });

  it("falls back to deciles when a rank is missing; weights change the order", () => {
    const noRank = lsoas.map(({ imdRank: _drop, ...rest }) => rest);
    const r = priorityAreas(noRank);
    expect(r.params.deprivationBy).toBe("IMD decile");
    const crimeOnly = priorityAreas(lsoas, { weights: { crime: 1, imd: 0 } });
    expect(crimeOnly.ranked.map((a) => a.code)).toEqual(["A", "B", "C", "D"]);
    const imdOnly = priorityAreas(lsoas, { weights: { crime: 0, imd: 1 } });
    expect(imdOnly.ranked.map((a) => a.code)).toEqual(["A", "C", "B", "D"]);
  });

  it("degenerate: one LSOA, no crimes, bad input", () => {
    const one = priorityAreas([lsoas[0]!]);
    expect(one.areas[0]!.score).toBe(0.5);
    const none = priorityAreas(lsoas.map((l) => ({ ...l, count: 0 })));
    expect(none.notes).toContain("No crimes in any LSOA: the ranking rests on deprivation alone.");
    expect(findNonFinite(none)).toEqual([]);
    expect(() => priorityAreas([])).toThrow(AppError);
    expect(() => priorityAreas([{ ...lsoas[0]!, population: 0 }])).toThrow(/population for A/);
    expect(() => priorityAreas([{ ...lsoas[0]!, imdDecile: 11 }])).toThrow(/decile/);
  });
});

describe("priorityAreas: observed or empirical Bayes rates (decision 0024)", () => {
  // E: 3 crimes among 20 residents (150 per 1,000), the highest observed rate but on very few residents
  const withSmall = [...lsoas, { code: "E", name: "Southampton 005A", count: 3, population: 20, imdDecile: 10, imdRank: 40000 }];
  it("observed rates by default; the smoothed rate beside each and the note on the other choice", () => {
    const r = priorityAreas(withSmall, { top: 2 });
    expect(r.params.rates).toBe("raw");
    const e = r.ranked.find((a) => a.code === "E")!;
    expect(e.rate).toBe(150);
    expect(e.rateRank).toBe(1);
    const eb = empiricalBayesRates(withSmall);
    expect(r.ranked.map((a) => a.smoothedRate).sort()).toEqual(eb.areas.map((a) => a.smoothedRate).sort());
    expect(r.params.empiricalBayes.pooledRate).toBeCloseTo((243 / 5020) * 1000, 12);
    // observed: A .9; E (.9 crime, .1 dep), B (.5, .5), C (.3, .7) tie at .5, E has the highest rate -> A, E;
    // smoothed: E is 2nd highest (.7 crime) -> .4, so A, B
    expect(r.areas.map((a) => a.code)).toEqual(["A", "E"]);
    expect(r.notes).toContain("Ranked on observed crime rates per 1,000 residents; ranked on smoothed (empirical Bayes) rates, 1 of the 2 listed would differ.");
  });

  it("ranks the smoothed rates when asked and says so in the reason", () => {
    const r = priorityAreas(withSmall, { top: 2, rates: "empirical-bayes" });
    expect(r.params.rates).toBe("empirical-bayes");
    const e = r.ranked.find((a) => a.code === "E")!;
    // E's smoothed rate sits between A's (~97) and B's (~50): 2nd highest
    expect(e.smoothedRate).toBeLessThan(r.ranked.find((a) => a.code === "A")!.smoothedRate);
    expect(e.smoothedRate).toBeGreaterThan(r.ranked.find((a) => a.code === "B")!.smoothedRate);
    expect(e.rateRank).toBe(2);
    expect(r.areas[0]!.reason).toMatch(/^Smoothed crime rate \d+\.\d per 1,000 residents \(highest of 5; observed 100\.0\); IMD decile 1/);
    expect(r.notes.at(-1)).toMatch(/^Ranked on empirical Bayes crime rates \(Marshall 1991.*48\.4 per 1,000.*\); ranked on observed rates, 1 of the 2 listed would differ\.$/);
    expect(() => priorityAreas(lsoas, { rates: "smooth" as never })).toThrow(/raw.*empirical-bayes/);
  });
});

describe("priorityHotspotOverlap", () => {
  it("by hand", () => {
    const r = priorityHotspotOverlap(["A", "B", "C", "C"], ["B", "C", "X"]);
    expect(r).toMatchObject({ both: ["B", "C"], priorityOnly: ["A"], hotspotOnly: ["X"], overlap: 2 });
    expect(r.shareOfPriority).toBeCloseTo(2 / 3, 15);
    expect(r.shareOfHotspots).toBeCloseTo(2 / 3, 15);
    expect(r.jaccard).toBe(0.5);
  });
  it("empty lists give nulls and notes", () => {
    const r = priorityHotspotOverlap([], []);
    expect([r.shareOfPriority, r.shareOfHotspots, r.jaccard]).toEqual([null, null, null]);
    expect(r.notes).toEqual(["No priority areas given.", "No hotspots given."]);
  });
});
