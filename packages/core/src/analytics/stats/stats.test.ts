import { describe, expect, it } from "vitest";
import { pbeta, qbeta } from "./beta.ts";
import { dbinom, pbinom } from "./binom.ts";
import { formatCount, formatP, formatPercent, listAnd, ordinal } from "./format.ts";
import { pgamma, ppois, qgamma, qpois } from "./gamma.ts";
import golden from "./stats.golden.json" with { type: "json" };
import { lgamma } from "./special.ts";

const fns: Record<string, (...a: number[]) => number> = {
  lgamma: (x) => lgamma(x),
  pbeta: (x, a, b) => pbeta(x, a, b),
  qbeta: (p, a, b) => qbeta(p, a, b),
  pgamma: (x, a) => pgamma(x, a),
  pgammaUpper: (x, a) => pgamma(x, a, false),
  qgamma: (p, a) => qgamma(p, a),
  ppois: (k, l) => ppois(k, l),
  qpois: (p, l) => qpois(p, l),
  dbinom: (x, n, p) => dbinom(x, n, p),
  pbinom: (x, n, p) => pbinom(x, n, p),
  pbinomUpper: (x, n, p) => pbinom(x, n, p, false),
};

describe("distribution functions agree with R to 1e-12 (relative)", () => {
  for (const c of golden.cases) {
    it(`${c.fn}(${c.args.join(", ")})`, () => {
      const got = fns[c.fn]!(...(c.args as number[]));
      expect(Math.abs(got - c.value!) / Math.abs(c.value!)).toBeLessThan(1e-12);
    });
  }
});

describe("by hand", () => {
  it("Beta(1,1) is uniform; Beta(2,1) cdf is x^2", () => {
    expect(pbeta(0.3, 1, 1)).toBeCloseTo(0.3, 15);
    expect(qbeta(0.25, 2, 1)).toBeCloseTo(0.5, 14);
  });
  it("Gamma(1) is exponential; Poisson(2) cdf at 1 is 3e^-2", () => {
    expect(qgamma(0.5, 1)).toBeCloseTo(Math.LN2, 14);
    expect(ppois(1, 2)).toBeCloseTo(3 * Math.exp(-2), 14);
    expect(qpois(0.5, 0)).toBe(0);
  });
  it("binomial 3 of 10 at 0.5 = 120/1024", () => {
    expect(dbinom(3, 10, 0.5)).toBeCloseTo(120 / 1024, 15);
    expect(pbinom(0, 10, 0.5)).toBeCloseTo(1 / 1024, 15);
  });
  it("formats", () => {
    expect(formatCount(36340)).toBe("36,340");
    expect(formatCount(1234567.891, 1)).toBe("1,234,567.9");
    expect(formatPercent(-25.11282)).toBe("25.1");
    expect(formatP(0.00049)).toBe("p < 0.001");
    expect(formatP(0.0266)).toBe("p = 0.027");
    expect([1, 2, 3, 4, 5, 11, 12, 13, 21, 22, 103].map(ordinal).join(" ")).toBe("1st 2nd 3rd 4th 5th 11th 12th 13th 21st 22nd 103rd");
    expect(listAnd(["a", "b", "c"])).toBe("a, b and c");
  });
});
