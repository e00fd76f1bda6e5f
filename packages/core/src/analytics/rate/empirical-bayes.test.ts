import { describe, expect, it } from "vitest";
import golden from "../../../test/golden/rate/empirical-bayes.golden.json" with { type: "json" };
import { findNonFinite } from "../stats/check.ts";
import { empiricalBayesRates } from "./empirical-bayes.ts";

describe("empiricalBayesRates (Marshall 1991 global EB = spdep::EBest)", () => {
  it("matches a hand calculation", () => {
    // counts 10, 20, 30 on 1,000, 1,000, 2,000 residents: b = 60/4000 = 0.015;
    // s2 = (1000·0.005² + 1000·0.005² + 0)/4000 = 1.25e-5; b/x̄ = 0.015/(4000/3) = 1.125e-5; a = 1.25e-6
    // w = a/(a + b/x): 1/13, 1/13, 1/7; θ1 = 0.015 − 0.005/13, θ2 = 0.015 + 0.005/13, θ3 = 0.015
    const r = empiricalBayesRates([
      { code: "A", count: 10, population: 1000 },
      { code: "B", count: 20, population: 1000 },
      { code: "C", count: 30, population: 2000 },
    ]);
    expect(r.params.b).toBeCloseTo(0.015, 15);
    expect(r.params.a).toBeCloseTo(1.25e-6, 15);
    expect(r.params.varianceGuard).toBe(false);
    expect(r.params.pooledRate).toBeCloseTo(15, 12);
    expect(r.areas.map((a) => a.rate)).toEqual([10, 20, 15]);
    expect(r.areas[0]!.weight).toBeCloseTo(1 / 13, 12);
    expect(r.areas[2]!.weight).toBeCloseTo(1 / 7, 12);
    expect(r.areas[0]!.smoothedRate).toBeCloseTo(15 - 5 / 13, 10);
    expect(r.areas[1]!.smoothedRate).toBeCloseTo(15 + 5 / 13, 10);
    expect(r.areas[2]!.smoothedRate).toBeCloseTo(15, 10);
  });

  it("sets a negative prior variance to 0 and shrinks every area to the pooled rate", () => {
    // 15 and 15 per 1,000: s2 = 0, a = −b/x̄ < 0 -> 0
    const r = empiricalBayesRates([
      { code: "A", count: 15, population: 1000 },
      { code: "B", count: 30, population: 2000 },
    ]);
    expect(r.params.aUnguarded).toBeCloseTo(-0.015 / 1500, 15);
    expect(r.params.a).toBe(0);
    expect(r.params.varianceGuard).toBe(true);
    expect(r.areas.map((a) => a.smoothedRate)).toEqual([15, 15]);
    expect(r.notes.join(" ")).toMatch(/set to 0/);
  });

  it("no crime anywhere: every rate 0, no NaN (spdep gives NaN)", () => {
    const r = empiricalBayesRates([
      { code: "A", count: 0, population: 1000 },
      { code: "B", count: 0, population: 500 },
    ]);
    expect(r.areas.map((a) => a.smoothedRate)).toEqual([0, 0]);
    expect(findNonFinite(r)).toEqual([]);
  });

  it("refuses bad input, naming the area", () => {
    expect(() => empiricalBayesRates([])).toThrow(/at least one area/);
    expect(() => empiricalBayesRates([{ code: "E01000001", count: 3, population: 0 }])).toThrow(/E01000001.*positive/);
    expect(() => empiricalBayesRates([{ code: "E01000002", count: 1.5, population: 10 }])).toThrow(/E01000002.*whole number/);
  });

  for (const name of ["spread", "guard", "city"] as const) {
    it(`equals spdep::EBest ${golden.spdep} on the seeded "${name}" case`, () => {
      const g = golden[name];
      const r = empiricalBayesRates(g.counts.map((count, i) => ({ code: `L${i}`, count, population: g.populations[i]! })));
      expect(Math.abs(r.params.b - g.b)).toBeLessThan(1e-15);
      expect(Math.abs(r.params.a - g.a)).toBeLessThan(1e-15);
      expect(Math.abs(r.params.aUnguarded - g.aUnguarded)).toBeLessThan(1e-15);
      expect(r.params.varianceGuard).toBe(name === "guard");
      r.areas.forEach((a, i) => {
        expect(Math.abs(a.rate - g.raw[i]! * 1000)).toBeLessThan(1e-12);
        expect(Math.abs(a.smoothedRate - g.estmm[i]! * 1000)).toBeLessThan(1e-12);
      });
    });
  }
});
