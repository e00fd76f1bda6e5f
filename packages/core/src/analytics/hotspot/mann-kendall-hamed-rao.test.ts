import { describe, expect, it } from "vitest";
import { mannKendall } from "./mann-kendall.ts";
import { mannKendallHamedRao } from "./mann-kendall-hamed-rao.ts";

// The Southampton golden (hotspot-emerging.golden.test.ts) checks 391 + 130 real z-series against an
// independent R implementation; these are hand-checkable cases.
describe("mannKendallHamedRao", () => {
  it("no significant autocorrelation in the detrended ranks: the correction is 1 and the test is Mann–Kendall's", () => {
    // strictly rising: Sen's slope 1, detrended series constant, ranks all tied: no autocorrelation
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const hr = mannKendallHamedRao(x);
    const mk = mannKendall(x);
    expect(hr.correction).toBe(1);
    expect(hr.senSlope).toBe(1);
    expect(hr.z).toBe(mk.z);
    expect(hr.p).toBe(mk.p);
  });

  it("a slow oscillation around a trend: positive lag autocorrelation inflates Var(S) (correction > 1), so p rises", () => {
    const x = Array.from({ length: 24 }, (_, t) => 0.2 * t + 3 * Math.sin((2 * Math.PI * t) / 12));
    const hr = mannKendallHamedRao(x);
    const mk = mannKendall(x);
    expect(hr.s).toBe(mk.s);
    expect(hr.correction).toBeGreaterThan(1);
    expect(hr.varS).toBeCloseTo(mk.varS * hr.correction, 9);
    expect(hr.p).toBeGreaterThan(mk.p);
  });
});
