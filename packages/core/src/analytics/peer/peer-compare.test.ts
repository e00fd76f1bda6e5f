import { describe, expect, it } from "vitest";
import { findNonFinite } from "../stats/check.ts";
import { AppError } from "../../errors.ts";
import { funnelLimits } from "./funnel-limits.ts";
import { peerCompare } from "./peer-compare.ts";

const group = [
  { code: "A", name: "Alpha", count: 50, population: 10_000 }, // 5 per 1,000
  { code: "B", name: "Beta", count: 200, population: 20_000 }, // 10
  { code: "C", name: "Gamma", count: 450, population: 30_000 }, // 15
  { code: "D", name: "Delta", count: 800, population: 40_000 }, // 20
];

describe("funnelLimits (exact Poisson, values from R qgamma)", () => {
  it("E = 300 at 95% and 99.8%", () => {
    const inner = funnelLimits(15, 20_000, 0.95);
    const outer = funnelLimits(15, 20_000, 0.998);
    expect(inner.lower).toBeCloseTo(13.350463761648323, 10);
    expect(inner.upper).toBeCloseTo(16.797056277628528, 10);
    expect(outer.lower).toBeCloseTo(12.465571838674732, 10);
    expect(outer.upper).toBeCloseTo(17.87373488848803, 10);
  });
  it("a zero group rate has lower limit 0 and a finite upper limit", () => {
    const l = funnelLimits(0, 1000, 0.95);
    expect(l.lower).toBe(0);
    expect(l.upper).toBeCloseTo((-Math.log(0.025) / 1000) * 1000, 12); // Gamma(1) quantile
  });
});

describe("peerCompare", () => {
  it("rate, mean, SD, rank, quartile and SDs from mean by hand", () => {
    const r = peerCompare(group, "B");
    expect(r.group.mean).toBeCloseTo(12.5, 12);
    const sd = Math.sqrt((7.5 ** 2 + 2.5 ** 2 + 2.5 ** 2 + 7.5 ** 2) / 3);
    expect(r.group.sd!).toBeCloseTo(sd, 12);
    expect(r.group.groupRate).toBeCloseTo(15, 12);
    expect(r.group.band!.lower).toBeCloseTo(12.5 - sd, 12);
    expect(r.target).toMatchObject({ code: "B", rate: 10, rank: 2, of: 4, quartile: 2, quartileLabel: "second-lowest quarter", tied: 1, standing: "the 2nd lowest rate of 4, in the second-lowest quarter" });
    expect(r.target.sdFromMean!).toBeCloseTo(-2.5 / sd, 12);
    expect(r.rows.map((p) => p.code)).toEqual(["A", "B", "C", "D"]);
    expect(r.rows.map((p) => p.quartileLabel)).toEqual(["lowest quarter", "second-lowest quarter", "second-highest quarter", "highest quarter"]);
  });

  it("verdicts against the funnel limits around the pooled rate", () => {
    const r = peerCompare(group, "B");
    // B: 10 < 12.4656 (99.8% lower limit at E = 300)
    expect(r.target.position).toBe("below");
    expect(r.target.beyond).toBe(0.998);
    expect(r.target.verdict).toBe("significantly lower than the group (below the 99.8% limit)");
    const c = r.rows.find((p) => p.code === "C")!;
    expect(c.verdict).toBe("within the 95% limits: not significantly different from the group");
    const d = r.rows.find((p) => p.code === "D")!;
    expect(d.verdict).toBe("significantly higher than the group (above the 99.8% limit)");
  });

  it("an area between the 95% and 99.8% limits", () => {
    // small area of 1,000 around 15: 95% limits 8.395..24.740 (R); 26 crimes = 26 per 1,000
    const rows = [
      { code: "X", name: "X", count: 26, population: 1000 },
      { code: "Y", name: "Y", count: 1474, population: 99_000 },
    ];
    const r = peerCompare(rows, "X");
    expect(r.group.groupRate).toBeCloseTo(15, 12);
    expect(r.target.funnel.inner.upper).toBeCloseTo(24.74021887148584, 10);
    expect(r.target.verdict).toBe("higher than the group (above the 95% limit)");
  });

  it("ties share the lower rank; equal rates give SD null, never NaN", () => {
    const rows = [
      { code: "A", name: "A", count: 10, population: 1000 },
      { code: "B", name: "B", count: 20, population: 2000 },
      { code: "C", name: "C", count: 30, population: 1000 },
    ];
    const r = peerCompare(rows, "B");
    expect(r.target.rank).toBe(1);
    const same = peerCompare(rows.slice(0, 2), "A");
    expect(same.group.sd).toBeNull();
    expect(same.target.sdFromMean).toBeNull();
    expect(same.notes[0]).toMatch(/same rate/);
    const zero = peerCompare([
      { code: "A", name: "A", count: 0, population: 1000 },
      { code: "B", name: "B", count: 0, population: 2000 },
    ], "A");
    expect(findNonFinite(zero)).toEqual([]);
    expect(zero.target.position).toBe("within");
  });

  it("clear errors: zero population, single area, missing target, duplicates", () => {
    expect(() => peerCompare([{ ...group[0]!, population: 0 }, group[1]!], "A")).toThrow(/population for A \(Alpha\) must be positive/);
    expect(() => peerCompare([group[0]!], "A")).toThrow(/at least 2 areas/);
    expect(() => peerCompare(group, "Z")).toThrow(/not in the peer group/);
    expect(() => peerCompare([group[0]!, group[0]!], "A")).toThrow(AppError);
    expect(() => peerCompare([], "A")).toThrow(/none were given/);
  });
});
