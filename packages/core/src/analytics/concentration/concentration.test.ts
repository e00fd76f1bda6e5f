import { describe, expect, it } from "vitest";
import { findNonFinite } from "../stats/check.ts";
import { AppError } from "../../errors.ts";
import { concentration } from "./concentration.ts";

describe("concentration: Gini and generalised Gini by hand", () => {
  it("[0,0,0,5]: G = 2*(4*5)/(4*5) - 5/4 = 0.75 = the maximum (N-1)/N; n >= N so G' = G", () => {
    const r = concentration([0, 0, 0, 5]);
    expect(r.gini).toBeCloseTo(0.75, 15);
    expect(r.generalisedGini).toBeCloseTo(0.75, 15);
    expect(r.maximumGini).toBe(0.75);
    expect(r.minimumGini).toBe(0);
  });

  it("[1,1,1,1]: perfectly equal, G = G' = 0", () => {
    const r = concentration([1, 1, 1, 1]);
    expect(r.gini).toBe(0);
    expect(r.generalisedGini).toBe(0);
    expect(r.lorenz).toEqual([
      { places: 0, crimes: 0 },
      { places: 0.25, crimes: 0.25 },
      { places: 0.5, crimes: 0.5 },
      { places: 0.75, crimes: 0.75 },
      { places: 1, crimes: 1 },
    ]);
  });

  it("sparse: [0,0,1,1] is as equal as 2 crimes in 4 places can be: G = 0.5, G' = 0", () => {
    // G = 2*(3*1 + 4*1)/(4*2) - 5/4 = 1.75 - 1.25 = 0.5; G' = (4/2)(0.5 - 1) + 1 = 0
    const r = concentration([0, 0, 1, 1]);
    expect(r.gini).toBeCloseTo(0.5, 15);
    expect(r.generalisedGini).toBe(0);
    expect(r.minimumGini).toBe(0.5);
    expect(r.notes[0]).toMatch(/Fewer crimes \(2\) than places \(4\)/);
  });

  it("sparse: [0,0,0,2]: G = 0.75, G' = 2(0.75 - 1) + 1 = 0.5", () => {
    const r = concentration([0, 0, 0, 2]);
    expect(r.gini).toBeCloseTo(0.75, 15);
    expect(r.generalisedGini).toBeCloseTo(0.5, 15);
  });

  it("lorenzgini's documented example: [5,2,1,0 x7] G = 0.8, G' = 0.75", () => {
    const r = concentration([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.gini).toBeCloseTo(0.8, 15);
    expect(r.generalisedGini).toBeCloseTo(0.75, 15);
    const dense = concentration([10, 8, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(dense.gini).toBeCloseTo(0.78, 15);
    expect(dense.generalisedGini).toBeCloseTo(0.78, 15);
  });
});

describe("concentration: top shares", () => {
  it("top 5% and 10% of 20 places = 1 and 2 places", () => {
    const counts = Array.from({ length: 20 }, (_, i) => ({ code: `L${String(i).padStart(2, "0")}`, count: i })); // 0..19, total 190
    const r = concentration(counts);
    expect(r.top.map((t) => [t.p, t.places, t.count, t.share, t.codes])).toEqual([
      [0.05, 1, 19, 19 / 190, ["L19"]],
      [0.1, 2, 37, 37 / 190, ["L19", "L18"]],
    ]);
    expect(r.placesWithCrime).toBe(19);
  });

  it("rounds the number of places up and reports the exact share of places", () => {
    const r = concentration([5, 4, 3, 2, 1, 0, 0], { topShares: [0.2] });
    // ceil(0.2 * 7) = 2 places: 5 + 4 = 9 of 15
    expect(r.top[0]).toMatchObject({ places: 2, placeShare: 2 / 7, count: 9, share: 0.6, codes: null });
  });

  it("samples a long Lorenz curve", () => {
    const r = concentration(Array.from({ length: 5000 }, (_, i) => i % 7), { maxLorenzPoints: 11 });
    expect(r.lorenz).toHaveLength(11);
    expect(r.lorenz[0]).toEqual({ places: 0, crimes: 0 });
    expect(r.lorenz[10]).toEqual({ places: 1, crimes: 1 });
  });
});

describe("concentration: degenerate input", () => {
  it("no crimes: shares and Gini null, never NaN", () => {
    const r = concentration([0, 0, 0]);
    expect(r.gini).toBeNull();
    expect(r.generalisedGini).toBeNull();
    expect(r.top[0]!.share).toBeNull();
    expect(findNonFinite(r)).toEqual([]);
  });
  it("one place: Gini 0, its share 100%", () => {
    const r = concentration([7]);
    expect(r.gini).toBe(0);
    expect(r.top[0]!.share).toBe(1);
  });
  it("errors", () => {
    expect(() => concentration([])).toThrow(AppError);
    expect(() => concentration([1, -1])).toThrow(/whole number/);
    expect(() => concentration([1], { topShares: [5] })).toThrow(/between 0 and 1/);
  });
});
