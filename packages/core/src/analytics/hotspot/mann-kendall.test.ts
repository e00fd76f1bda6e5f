import { describe, expect, it } from "vitest";
import { mannKendall } from "./mann-kendall.ts";

describe("mannKendall by hand", () => {
  it("a rising series 1..5: S = 10, Var = 5·4·15/18, z = 9/sqrt(Var), tau = 1", () => {
    const r = mannKendall([1, 2, 3, 4, 5]);
    expect(r.s).toBe(10);
    expect(r.varS).toBeCloseTo(300 / 18, 12);
    expect(r.z).toBeCloseTo(9 / Math.sqrt(300 / 18), 12);
    expect(r.p).toBeCloseTo(0.027486336110263, 10); // 2 * pnorm(-2.2045407685)
    expect(r.tau).toBe(1);
  });

  it("ties: [1, 1, 2] has S = 2, Var = (3·2·11 − 2·1·9)/18, tau-b = 2/sqrt(2·3)", () => {
    const r = mannKendall([1, 1, 2]);
    expect(r.s).toBe(2);
    expect(r.varS).toBeCloseTo(48 / 18, 12);
    expect(r.z).toBeCloseTo(1 / Math.sqrt(48 / 18), 12);
    expect(r.tau).toBeCloseTo(2 / Math.sqrt(6), 12);
  });

  it("a falling series is the mirror image", () => {
    const up = mannKendall([3, 5, 4, 8, 9, 12]);
    const down = mannKendall([-3, -5, -4, -8, -9, -12]);
    expect(down.s).toBe(-up.s);
    expect(down.z).toBeCloseTo(-up.z, 14);
    expect(down.p).toBeCloseTo(up.p, 14);
  });

  it("constant or too short series: S = 0, z = 0, p = 1, no NaN", () => {
    for (const x of [[4, 4, 4, 4], [7], []]) {
      const r = mannKendall(x);
      expect(r).toMatchObject({ s: 0, z: 0, p: 1, tau: 0 });
    }
  });
});
