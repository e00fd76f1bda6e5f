import { describe, expect, it } from "vitest";
import { normalTwoSidedP, normalUpperTail } from "./normal.ts";

// R: sprintf("%.17g", pnorm(z, lower.tail = FALSE))
const R_UPPER: [number, number][] = [
  [0, 0.5],
  [1e-20, 0.5],
  [0.3, 0.38208857781104733],
  [-0.3, 0.61791142218895267],
  [0.67448975, 0.25000000006231027],
  [0.7, 0.24196365222307298],
  [-1.2, 0.88493032977829178],
  [1.959963984540054, 0.025000000000000012],
  [3, 0.0013498980316300946],
  [5.6, 1.071759025831093e-8],
  [5.7, 5.9903714010635279e-9],
  [-8, 0.99999999999999933],
  [10, 7.6198530241605269e-24],
  [20, 2.7536241186062337e-89],
  [37, 5.7255712225245771e-300],
  [38, 0],
];

describe("normalUpperTail", () => {
  it.each(R_UPPER)("P(Z > %d) agrees with R pnorm to 1e-14 relative", (z, want) => {
    const got = normalUpperTail(z);
    if (want === 0) expect(got).toBe(0);
    else expect(Math.abs(got - want) / want).toBeLessThan(1e-14);
  });

  it("two-sided p is symmetric and at most 1", () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 15);
    expect(normalTwoSidedP(-1.959963984540054)).toBe(normalTwoSidedP(1.959963984540054));
    expect(normalTwoSidedP(0)).toBe(1);
  });
});
