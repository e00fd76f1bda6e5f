import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { knoxTest } from "./knox-test.ts";

// Four points worked by hand. Distances (Euclidean / Manhattan) and day gaps:
//   A-B 5 / 7, 1 day    A-C 10 / 10, 5 days    B-C 6.708 / 9, 4 days
//   A-D 100 / 100, 1    B-D 97.08 / 101, 0     C-D 100.5 / 110, 4
const A = { x: 0, y: 0, t: 0 };
const B = { x: 3, y: 4, t: 1 };
const C = { x: 0, y: 10, t: 5 };
const D = { x: 100, y: 0, t: 1 };
const pts = [A, B, C, D];
const base = { permutations: 99, seed: 1, metric: "euclidean" } as const;

describe("knoxTest: hand-computed counts", () => {
  it("bands are [a,b): a pair at exactly a break goes to the upper band, at the last break to none", () => {
    const r = knoxTest(pts, { ...base, distanceBands: [0, 5, 10, Number.POSITIVE_INFINITY], timeBands: [0, 1, 5] });
    // [0,5): none (A-B is exactly 5). [5,10): A-B (1 day), B-C (4 days) -> both [1,5).
    // [10,Inf): A-C is 5 days = last time break -> no band; A-D [1,5); B-D [0,1); C-D [1,5).
    expect(r.observed).toEqual([
      [0, 0],
      [0, 2],
      [1, 2],
    ]);
    expect(r.distanceBands.map((b) => b.label)).toEqual(["[0,5)", "[5,10)", "[10,Inf)"]);
    expect(r.timeBands.map((b) => b.label)).toEqual(["[0,1)", "[1,5)"]);
    expect(r.notes).toContain("pairs 5 or more days apart are in no time band and are not counted");
  });

  it("Manhattan distances move B-C out of the near band", () => {
    const bands = { distanceBands: [0, 8, Number.POSITIVE_INFINITY], timeBands: [0, 2, 6] };
    const e = knoxTest(pts, { ...base, ...bands });
    const m = knoxTest(pts, { ...base, ...bands, metric: "manhattan" });
    // Euclidean [0,8): A-B (1 day), B-C (4 days); Manhattan [0,8): A-B only (B-C is 9).
    expect(e.observed).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(m.observed).toEqual([
      [1, 0],
      [2, 3],
    ]);
  });

  it("the first band includes 0: same place and same day pairs count in [0, b1)", () => {
    const r = knoxTest([A, { ...A }, { x: 50, y: 0, t: 0 }], { ...base, distanceBands: [0, 1, 100], timeBands: [0, 1] });
    expect(r.observed).toEqual([[1], [2]]);
  });

  it("a first break above 0 leaves out closer pairs, also from an open last band", () => {
    const r = knoxTest(pts, { ...base, distanceBands: [6, 50, Number.POSITIVE_INFINITY], timeBands: [0, 10] });
    // A-B (5) is below 6: out. [6,50): A-C, B-C. [50,Inf): the three D pairs.
    expect(r.observed).toEqual([[2], [3]]);
  });

  it("expected counts are the mean over permutations: exactly N_s * N_t / M in the limit (all 24 orders enumerated)", () => {
    const opts = { ...base, distanceBands: [0, 8, 20, Number.POSITIVE_INFINITY], timeBands: [0, 2, 6], permutations: 20000 };
    const r = knoxTest(pts, opts);
    // Enumerate every assignment of the 4 times to the 4 points.
    const times = pts.map((p) => p.t);
    const perms: number[][] = [];
    const permute = (rest: number[], acc: number[]): void => {
      if (!rest.length) perms.push(acc);
      for (let i = 0; i < rest.length; i++) permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, rest[i]!]);
    };
    permute(times, []);
    const sum = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    for (const order of perms) {
      const o = knoxTest(
        pts.map((p, i) => ({ ...p, t: order[i]! })),
        { ...opts, permutations: 2 },
      ).observed;
      for (let s = 0; s < o.length; s++) for (let t = 0; t < o[s]!.length; t++) sum[s]![t]! += o[s]![t]!;
    }
    const exact = sum.map((row) => row.map((v) => v / perms.length));
    for (let s = 0; s < 3; s++) for (let t = 0; t < 2; t++) expect(r.expected[s]![t]).toBeCloseTo(exact[s]![t]!, 1);
    // Knox ratio = observed / expected; p-values in (0, 1].
    expect(r.knoxRatio[0]![0]).toBeCloseTo(r.observed[0]![0]! / r.expected[0]![0]!, 12);
    for (const row of r.pValue) for (const p of row) expect(p > 0 && p <= 1).toBe(true);
  });

  it("is reproducible with a seed and differs with another", () => {
    const opts = { ...base, distanceBands: [0, 8, 20, Number.POSITIVE_INFINITY], timeBands: [0, 2, 6] };
    expect(knoxTest(pts, opts)).toEqual(knoxTest(pts, opts));
    expect(knoxTest(pts, { ...opts, seed: 2 }).expected).not.toEqual(knoxTest(pts, opts).expected);
  });

  it("p = (#permutations >= observed + 1) / (permutations + 1): tight clusters in space and time are significant", () => {
    // 30 pairs at the same place and day, the pairs far apart in space and time.
    const clustered = Array.from({ length: 60 }, (_, i) => ({ x: Math.floor(i / 2) * 1000, y: 0, t: Math.floor(i / 2) * 30 }));
    const r = knoxTest(clustered, { ...base, distanceBands: [0, 1, Number.POSITIVE_INFINITY], timeBands: [0, 1, Number.POSITIVE_INFINITY], permutations: 99 });
    expect(r.observed[0]![0]).toBe(30);
    expect(r.pValue[0]![0]).toBe(0.01);
    expect(r.knoxRatio[0]![0]).toBeGreaterThan(10);
  });

  it("refuses bad input with a message saying what to pass", () => {
    const ok = { ...base, distanceBands: [0, 100], timeBands: [0, 7] };
    expect(() => knoxTest(pts, { ...ok, distanceBands: [0, 100, 50] })).toThrow(/distanceBands must increase/);
    expect(() => knoxTest(pts, { ...ok, timeBands: [7] })).toThrow(/at least two break points/);
    expect(() => knoxTest(pts, { ...ok, distanceBands: [0, Number.POSITIVE_INFINITY, 900] })).toThrow(/only the last may be Infinity/);
    expect(() => knoxTest(pts, { ...ok, permutations: 1 })).toThrow(/2 or more/);
    const many = Array.from({ length: 21 }, (_, i) => i * 10);
    expect(() => knoxTest(pts, { ...ok, distanceBands: many, timeBands: many })).toThrow(/too many bands/);
    expect(knoxTest(pts, { ...ok, distanceBands: many.slice(0, 16), timeBands: many.slice(0, 16) }).observed).toHaveLength(15);
    expect(() => knoxTest([A], ok)).toThrow(AppError);
    expect(() => knoxTest([A, { x: Number.NaN, y: 0, t: 0 }], ok)).toThrow(/point 1/);
  });
});
