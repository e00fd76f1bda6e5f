import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import golden from "./poisson-test.golden.json" with { type: "json" };
import { binomTestTwoSided, poissonTest } from "./poisson-test.ts";

/** |a - b| <= 1e-9 · max(1, |b|): absolute for p-values, relative for large ratios. */
function close(actual: number | null | undefined, expected: number | null, label: string) {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs((actual as number) - expected), `${label}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(tol);
}

describe("poissonTest agrees with R poisson.test", () => {
  expect(golden.cases.length).toBeGreaterThanOrEqual(10);
  for (const c of golden.cases) {
    it(`(${c.x1}, ${c.x2}) over (${c.t1}, ${c.t2}) at ${c.confLevel}`, () => {
      const r = poissonTest(c.x1, c.t1, c.x2, c.t2, { confLevel: c.confLevel });
      close(r.pValue, c.pValue, "p");
      close(r.rateRatio, c.rateRatio, "rate ratio");
      close(r.confInt?.lower, c.lower, "lower");
      close(r.confInt?.upper, c.upper, "upper");
      close(r.expectedCount1, c.expectedCount1, "expected count 1");
    });
  }
});

describe("poissonTest by hand", () => {
  it("0 vs 5 with equal exposure: p = 2 * 0.5^5 = 0.0625", () => {
    const r = poissonTest(0, 1, 5, 1);
    expect(r.pValue).toBeCloseTo(0.0625, 15);
    expect(r.rateRatio).toBe(0);
    // upper limit: pi_U solves (1 - pi)^5 = 0.025 -> pi_U = 1 - 0.025^(1/5); ratio = pi/(1-pi)
    const piU = 1 - 0.025 ** (1 / 5);
    expect(r.confInt!.upper!).toBeCloseTo(piU / (1 - piU), 12);
    expect(r.verdict).toBe("no significant change (p = 0.063)");
  });

  it("equal counts over equal exposure: p = 1, ratio 1, no change", () => {
    const r = poissonTest(3, 1, 3, 1);
    expect(r.pValue).toBe(1);
    expect(r.rateRatio).toBe(1);
    expect(r.direction).toBe("no change");
  });

  it("the seed's fall 36,340 -> 27,214 is significant", () => {
    const r = poissonTest(27214, 1, 36340, 1);
    expect(r.direction).toBe("fall");
    expect(r.significant).toBe(true);
    expect(r.verdict).toBe("a statistically significant fall (p < 0.001)");
    expect(r.params).toEqual({
      confLevel: 0.95,
      alpha: 0.05,
      nullRatio: 1,
      alternative: "two.sided",
      method: "exact conditional binomial test (R poisson.test)",
    });
  });

  it("a rise reads as a rise with a 3 dp p-value", () => {
    const r = poissonTest(500, 1, 430, 1);
    expect(r.direction).toBe("rise");
    expect(r.verdict).toMatch(/^a statistically significant rise \(p = 0\.0\d\d\)$/);
  });

  it("binomial two-sided p for 2 of 10 at 0.5 sums both tails: (1+10+45)*2/1024", () => {
    expect(binomTestTwoSided(2, 10, 0.5)).toBeCloseTo((56 * 2) / 1024, 15);
  });

  it("no crimes at all gives p = 1 and no ratio, never NaN", () => {
    const r = poissonTest(0, 1, 0, 1);
    expect(r.pValue).toBe(1);
    expect(r.rateRatio).toBeNull();
    expect(r.confInt).toBeNull();
    expect(r.verdict).toBe("no crimes in either period");
    expect(r.notes.length).toBe(1);
  });

  it("rejects negative, fractional counts and non-positive exposure", () => {
    expect(() => poissonTest(-1, 1, 2, 1)).toThrow(AppError);
    expect(() => poissonTest(1.5, 1, 2, 1)).toThrow(/whole number/);
    expect(() => poissonTest(1, 0, 2, 1)).toThrow(/positive/);
    expect(() => poissonTest(1, 1, 2, 1, { confLevel: 95 })).toThrow(/between 0 and 1/);
  });
});
