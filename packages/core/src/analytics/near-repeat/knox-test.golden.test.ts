import { describe, expect, it } from "vitest";
import { readCsv } from "../../../test/golden/hotspot/golden.ts";
import { knoxTest } from "./knox-test.ts";

// Goldens from packages/core/test/golden/near-repeat/knox.R: an independent base-R Knox count
// (dist() + findInterval(), not NearRepeat itself) with the exact expected counts N_s * N_t / M,
// on 1,200 generated burglaries with near repeats planted (knox-points.csv, make-points.ts).
const dir = "../near-repeat/";
const points = readCsv(`${dir}knox-points.csv`).map((r) => ({ x: Number(r.x), y: Number(r.y), t: Number(r.t) }));

const cases = [
  { name: "euclidean", metric: "euclidean", distanceBands: [0, 1, 100, 200, 400, Number.POSITIVE_INFINITY], timeBands: [0, 7, 14, 28, Number.POSITIVE_INFINITY] },
  { name: "manhattan", metric: "manhattan", distanceBands: [0, 100, 200, 400], timeBands: [0, 7, 14, 28] },
  { name: "offset", metric: "euclidean", distanceBands: [50, 150, 300], timeBands: [3, 10, 30.5] },
] as const;

describe("knoxTest agrees with the base-R reference (knox.R)", () => {
  it("reads the 1,200 points", () => expect(points).toHaveLength(1200));

  for (const c of cases) {
    it(`${c.name}: observed counts exactly, the permutation mean near the exact expectation`, () => {
      const permutations = 999;
      const r = knoxTest(points, { distanceBands: c.distanceBands, timeBands: c.timeBands, metric: c.metric, permutations, seed: 20260101 });
      const golden = readCsv(`${dir}knox-${c.name}.golden.csv`);
      expect(golden).toHaveLength(r.distanceBands.length * r.timeBands.length);
      for (const g of golden) {
        const where = `[${g.distance_from},${g.distance_to}) x [${g.time_from},${g.time_to})`;
        const s = r.distanceBands.findIndex((b) => b.label === `[${g.distance_from},${g.distance_to})`);
        const t = r.timeBands.findIndex((b) => b.label === `[${g.time_from},${g.time_to})`);
        expect(s, where).toBeGreaterThanOrEqual(0);
        expect(t, where).toBeGreaterThanOrEqual(0);
        expect(r.observed[s]![t], where).toBe(Number(g.observed));
        // Monte-Carlo mean of 999 permutations: within 5 standard errors (variance taken as the
        // exact mean, Poisson-like, plus 1 for cells near 0) of the exact expectation.
        const exact = Number(g.expected);
        const tolerance = 5 * Math.sqrt((exact + 1) / permutations);
        expect(Math.abs(r.expected[s]![t]! - exact), `${where}: ${r.expected[s]![t]} vs ${exact}`).toBeLessThan(tolerance);
      }
    });
  }
});
