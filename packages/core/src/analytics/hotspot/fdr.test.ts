import { describe, expect, it } from "vitest";
import { adjustBenjaminiHochberg } from "./fdr.ts";

describe("adjustBenjaminiHochberg", () => {
  it("agrees with R p.adjust(c(0.01, 0.04, 0.03, 0.2, NA, 0.04, 0.5), 'BH')", () => {
    // n = 6 non-missing: sorted 0.01 0.03 0.04 0.04 0.2 0.5 -> x 6/rank: 0.06 0.09 0.06 0.06 0.24 0.5, then cummin from the top
    const got = adjustBenjaminiHochberg([0.01, 0.04, 0.03, 0.2, null, 0.04, 0.5]);
    const want = [0.06, 0.06, 0.06, 0.24, null, 0.06, 0.5];
    for (let i = 0; i < want.length; i++) {
      if (want[i] === null) expect(got[i]).toBeNull();
      else expect(got[i]).toBeCloseTo(want[i]!, 15);
    }
  });

  it("never exceeds 1 and keeps an empty input empty", () => {
    expect(adjustBenjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95]);
    expect(adjustBenjaminiHochberg([])).toEqual([]);
  });
});
