import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { qnorm } from "../stats/normal-quantile.ts";
import { overdispersedLimits, quantileType7, rateDispersion } from "./overdispersion.ts";
import { peerCompare } from "./peer-compare.ts";

interface GoldenArea {
  code: string;
  rate: number;
  inner: [number, number];
  outer: [number, number];
  position: "above" | "below" | "within";
  beyond: number | null;
}
interface GoldenGroup {
  rows: { code: string; population: number; count: number }[];
  groupRate: number;
  z: number[];
  winsor: [number, number];
  phi: number;
  pearsonRatio: number;
  pValue: number;
  tau2: number;
  limits: Record<"multiplicative" | "additive" | "poisson", GoldenArea[]>;
}
// Written by test/golden/peer/overdispersion.reference.py (numpy/scipy, independent of this code).
const golden = JSON.parse(readFileSync(new URL("../../../test/golden/peer/overdispersion.golden.json", import.meta.url), "utf8")) as Record<"group" | "small", GoldenGroup>;
const asRows = (g: GoldenGroup) => g.rows.map((r) => ({ ...r, name: r.code }));

describe("qnorm (AS 241), values from scipy.stats.norm.ppf = R qnorm", () => {
  it("matches to 1e-15 relative", () => {
    const cases: [number, number][] = [
      [0.975, 1.959963984540054],
      [0.999, 3.090232306167813],
      [0.9, 1.2815515655446004],
      [0.3, -0.5244005127080409],
      [0.02, -2.053748910631823],
      [1e-10, -6.361340902404056],
    ];
    for (const [p, z] of cases) expect(Math.abs(qnorm(p) - z)).toBeLessThan(1e-15 * Math.max(1, Math.abs(z)) * 4);
    expect(qnorm(0.5)).toBe(0);
    expect(() => qnorm(1)).toThrow(/0 < p < 1/);
  });
});

describe("rateDispersion and the over-dispersed limits: hand calculation", () => {
  // Five areas of 10,000 residents with 65, 90, 100, 110 and 135 crimes: pooled rate θ0 = 500/50,000
  // = 10 per 1,000, so E = 100 for each, V = θ0·1000/n = 1 (per 1,000)², z = (O − 100)/10:
  //   z = −3.5, −1, 0, 1, 3.5.
  // 10th percentile (type 7): h = 4 × 0.1 = 0.4 -> −3.5 + 0.4 × (−1 + 3.5) = −2.5; 90th: 1 + 0.6 × 2.5 = 2.5.
  // Winsorised z = −2.5, −1, 0, 1, 2.5: φ = (6.25 + 1 + 0 + 1 + 6.25)/5 = 14.5/5 = 2.9.
  // Pearson ratio = (12.25 + 1 + 0 + 1 + 12.25)/4 = 26.5/4 = 6.625.
  // Additive: w = 1/V = 1 each, Σw = 5, Σw² = 5: τ² = (5 × 2.9 − 4)/(5 − 5/5) = 10.5/4 = 2.625.
  // Multiplicative 95% limits: 10 ± 1.959964 × √2.9 = 10 ± 3.337698 -> 6.662302 .. 13.337698;
  //   99.8%: 10 ± 3.090232 × √2.9 = 10 ± 5.262476 -> 4.737524 .. 15.262476.
  // Additive 95%: 10 ± 1.959964 × √(1 + 2.625) = 10 ± 1.959964 × 1.903943 = 10 ± 3.731660 -> 6.268340 .. 13.731660.
  // E (13.5 per 1,000): above the exact Poisson 99.8% limit (13.29), above the multiplicative 95%
  // limit only, within the additive 95% limits.
  const rows = ["A", "B", "C", "D", "E"].map((code, i) => ({ code, name: code, population: 10_000, count: [65, 90, 100, 110, 135][i]! }));

  it("z-scores, winsorising, φ, Pearson ratio and τ²", () => {
    const d = rateDispersion(rows, 10)!;
    expect(d.z).toEqual([-3.5, -1, 0, 1, 3.5]);
    expect(d.winsor.lower).toBeCloseTo(-2.5, 14);
    expect(d.winsor.upper).toBeCloseTo(2.5, 14);
    expect(d.zWinsorised.map((z) => Number(z.toFixed(12)))).toEqual([-2.5, -1, 0, 1, 2.5]);
    expect(d.phi).toBeCloseTo(2.9, 14);
    expect(d.pearsonRatio).toBeCloseTo(6.625, 14);
    expect(d.tau2).toBeCloseTo(2.625, 13);
    expect(quantileType7([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it("multiplicative and additive limits", () => {
    const d = rateDispersion(rows, 10)!;
    const m95 = overdispersedLimits(10, 10_000, 0.95, d, "multiplicative");
    expect(m95.lower).toBeCloseTo(6.662302, 6);
    expect(m95.upper).toBeCloseTo(13.337698, 6);
    const m998 = overdispersedLimits(10, 10_000, 0.998, d, "multiplicative");
    expect(m998.upper).toBeCloseTo(15.262476, 6);
    expect(overdispersedLimits(10, 10_000, 0.95, d, "additive").upper).toBeCloseTo(13.73166, 6);
  });

  it("verdicts: Poisson says 'significantly higher', multiplicative 'higher (95%)', additive 'not significantly different'", () => {
    expect(peerCompare(rows, "E", { funnel: "poisson" }).target.verdict).toBe("significantly higher than the group (above the 99.8% limit)");
    const m = peerCompare(rows, "E");
    expect(m.target.verdict).toBe("higher than the group (above the 95% over-dispersed limit)");
    expect(m.params.funnel).toBe("over-dispersed (Spiegelhalter 2005, multiplicative, φ = 2.90)");
    expect(m.target.zAdjusted!).toBeCloseTo(3.5 / Math.sqrt(2.9), 12);
    expect(m.target.poisson).toMatchObject({ position: "above", beyond: 0.998 });
    const a = peerCompare(rows, "E", { dispersionModel: "additive" });
    expect(a.funnelMethod.used).toBe("overdispersed-additive");
    expect(a.params.funnel).toBe("over-dispersed (Spiegelhalter 2005, additive, τ² = 2.63)");
    expect(a.target.verdict).toBe("within the 95% over-dispersed limits: not significantly different from the group");
    expect(a.target.zAdjusted!).toBeCloseTo(3.5 / Math.sqrt(3.625), 12);
  });

  it("no over-dispersion (φ <= 1): exact Poisson limits, said in the result", () => {
    // counts 99, 100, 101: z = −0.1, 0, 0.1, φ < 1
    const flat = ["A", "B", "C"].map((code, i) => ({ code, name: code, population: 10_000, count: [99, 100, 101][i]! }));
    const r = peerCompare(flat, "A");
    expect(r.dispersion!.phi).toBeLessThan(1);
    expect(r.funnelMethod).toMatchObject({ requested: "overdispersed", used: "poisson", label: "exact Poisson" });
    expect(r.target.funnel).toEqual(r.target.poisson.funnel);
    expect(r.notes.join(" ")).toMatch(/no over-dispersion \(φ = 0\.0\d\): the exact Poisson limits are used/);
    const zero = peerCompare(flat.map((x) => ({ ...x, count: 0 })), "A");
    expect(zero.dispersion).toBeNull();
    expect(zero.target.z).toBeNull();
    expect(zero.funnelMethod.used).toBe("poisson");
  });

  it("refuses an unknown method or model with the choices", () => {
    expect(() => peerCompare(rows, "A", { funnel: "normal" as never })).toThrow(/"overdispersed" or "poisson"/);
    expect(() => peerCompare(rows, "A", { dispersionModel: "both" as never })).toThrow(/"multiplicative" or "additive"/);
  });
});

describe("against the independent numpy/scipy reference (15-area group and the hand-calculation group)", () => {
  for (const key of ["group", "small"] as const) {
    const g = golden[key];
    it(`${key}: dispersion, limits and positions for every model`, () => {
      const d = rateDispersion(g.rows, g.groupRate)!;
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
      expect(rel(d.phi, g.phi)).toBeLessThan(1e-12);
      expect(rel(d.pearsonRatio, g.pearsonRatio)).toBeLessThan(1e-12);
      expect(rel(d.tau2, g.tau2)).toBeLessThan(1e-12);
      expect(rel(d.winsor.lower, g.winsor[0])).toBeLessThan(1e-12);
      expect(rel(d.winsor.upper, g.winsor[1])).toBeLessThan(1e-12);
      if (g.pValue > 1e-300) expect(Math.abs(Math.log(d.pValue) - Math.log(g.pValue))).toBeLessThan(1e-8);
      for (const [i, z] of d.z.entries()) expect(rel(z, g.z[i]!)).toBeLessThan(1e-12);
      for (const model of ["multiplicative", "additive", "poisson"] as const) {
        const r = model === "poisson" ? peerCompare(asRows(g), g.rows[0]!.code, { funnel: "poisson" }) : peerCompare(asRows(g), g.rows[0]!.code, { dispersionModel: model });
        expect(rel(r.group.groupRate, g.groupRate)).toBeLessThan(1e-14);
        for (const ref of g.limits[model]) {
          const p = r.rows.find((x) => x.code === ref.code)!;
          expect(rel(p.funnel.inner.lower, ref.inner[0])).toBeLessThan(1e-9);
          expect(rel(p.funnel.inner.upper, ref.inner[1])).toBeLessThan(1e-9);
          expect(rel(p.funnel.outer.lower, ref.outer[0])).toBeLessThan(1e-9);
          expect(rel(p.funnel.outer.upper, ref.outer[1])).toBeLessThan(1e-9);
          expect({ code: p.code, position: p.position, beyond: p.beyond }).toEqual({ code: ref.code, position: ref.position, beyond: ref.beyond });
        }
      }
    });
  }

  it("the 15-area group: 9 areas significant at 99.8% under Poisson, none under the over-dispersed limits (φ = 17.3)", () => {
    const g = golden.group;
    const count = (model: "poisson" | "multiplicative") => g.limits[model].filter((a) => a.beyond === 0.998).length;
    expect(count("poisson")).toBe(9);
    expect(count("multiplicative")).toBe(0);
    expect(g.phi).toBeCloseTo(17.2533, 4);
  });
});
