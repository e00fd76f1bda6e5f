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

  it("verdicts against the exact Poisson limits around the pooled rate (funnel: poisson)", () => {
    const r = peerCompare(group, "B", { funnel: "poisson" });
    expect(r.funnelMethod.used).toBe("poisson");
    expect(r.params.funnel).toBe("exact Poisson");
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
    const r = peerCompare(rows, "X", { funnel: "poisson" });
    expect(r.group.groupRate).toBeCloseTo(15, 12);
    expect(r.target.funnel.inner.upper).toBeCloseTo(24.74021887148584, 10);
    expect(r.target.verdict).toBe("higher than the group (above the 95% limit)");
  });

  it("by default the same group is judged against over-dispersed limits, and none of it is significant", () => {
    // z = (O − E)/√E at 15 per 1,000: A −100/√150 = −8.165, B −100/√300 = −5.774, C 0, D 200/√600 = 8.165;
    // winsorised to the 10th/90th percentiles (−7.448, 5.715): φ = (55.466 + 33.333 + 0 + 32.667)/4 = 30.366,
    // so B's 99.8% limits widen from 12.47..17.87 (Poisson) to 15 ± 3.0902·√(30.37 × 15000/20000) = 0.25..29.75
    const r = peerCompare(group, "B");
    expect(r.funnelMethod).toMatchObject({ requested: "overdispersed", model: "multiplicative", used: "overdispersed-multiplicative" });
    expect(r.dispersion!.phi).toBeCloseTo(30.3664141349725, 10);
    expect(r.target.funnel.outer.upper).toBeCloseTo(15 + 3.090232306167813 * Math.sqrt(r.dispersion!.phi * 0.75), 10);
    expect(r.rows.map((p) => p.position)).toEqual(["within", "within", "within", "within"]);
    expect(r.target.verdict).toBe("within the 95% over-dispersed limits: not significantly different from the group");
    expect(r.target.poisson).toMatchObject({ position: "below", beyond: 0.998 });
    expect(r.notes.join(" ")).toMatch(/30\.4 times as much as chance/);
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

  it("quartile rules: by rank 15 areas split 3/4/4/4 and a tie takes the lower quarter; iquanta cut points split 4/4/3/4", () => {
    // rates 1..15 per 1,000: rank rule ceil(4r/15): ranks 1-3 -> 1, 4-7 -> 2, 8-11 -> 3, 12-15 -> 4.
    // iquanta: type-7 cut points at positions 1 + 14p: Q1 = 4.5, Q2 = 8, Q3 = 11.5, so rates 1-4 -> 1,
    // 5-8 -> 2 (8 <= Q2), 9-11 -> 3, 12-15 -> 4.
    const rows15 = Array.from({ length: 15 }, (_, i) => ({ code: `A${String(i + 1).padStart(2, "0")}`, name: `A${i + 1}`, count: i + 1, population: 1000 }));
    const split = (qs: number[]) => [1, 2, 3, 4].map((q) => qs.filter((x) => x === q).length);
    expect(split(peerCompare(rows15, "A01").rows.map((p) => p.quartile))).toEqual([3, 4, 4, 4]);
    const iq = peerCompare(rows15, "A01", { quartiles: "iquanta" });
    expect(split(iq.rows.map((p) => p.quartile))).toEqual([4, 4, 3, 4]);
    expect(iq.params).toMatchObject({ quartileRule: "iquanta", quartile: expect.stringMatching(/QUARTILE\.INC/) });
    // the 3rd and 4th areas tied at 3 per 1,000: both rank 3, both in the lowest quarter by rank
    const tiedRows = rows15.map((r) => (r.code === "A04" ? { ...r, count: 3 } : r));
    const t = peerCompare(tiedRows, "A04");
    expect(t.target).toMatchObject({ rank: 3, quartile: 1 });
    expect(peerCompare(tiedRows, "A04", { quartiles: "iquanta" }).target.quartile).toBe(1);
    expect(() => peerCompare(rows15, "A01", { quartiles: "deciles" as never })).toThrow(/"rank" or "iquanta"/);
  });

  it("clear errors: zero population, single area, missing target, duplicates", () => {
    expect(() => peerCompare([{ ...group[0]!, population: 0 }, group[1]!], "A")).toThrow(/population for A \(Alpha\) must be positive/);
    expect(() => peerCompare([group[0]!], "A")).toThrow(/at least 2 areas/);
    expect(() => peerCompare(group, "Z")).toThrow(/not in the peer group/);
    expect(() => peerCompare([group[0]!, group[0]!], "A")).toThrow(AppError);
    expect(() => peerCompare([], "A")).toThrow(/none were given/);
  });
});
