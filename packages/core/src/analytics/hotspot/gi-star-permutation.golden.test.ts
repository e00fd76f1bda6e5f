import { describe, expect, it } from "vitest";
import { readCsv } from "../../../test/golden/hotspot/golden.ts";
import { hotspotGiStar } from "./hotspot-gi-star.ts";

// Golden made by packages/core/test/golden/hotspot/gi-star-perm.R: R spdep::localG_perm (9,999
// permutations) on real Southampton 2025 counts; conditional Gi* permutation p = local G's, rank
// for rank (the script explains why). Ours uses 999 permutations and another PRNG, so the two agree
// within Monte-Carlo error, not digit for digit.
describe("permutation Gi* agrees with R spdep::localG_perm within Monte-Carlo error", () => {
  const golden = new Map(readCsv("square-southampton-250m.gistar-perm.golden.csv").map((r) => [r.id!, { p: Number(r.pSim), folded: Number(r.pFolded) }]));
  const cells = readCsv("square-southampton-250m.counts.csv").map((r) => ({ id: r.id!, count: Number(r.count) }));
  const result = hotspotGiStar({ kind: "square", cellSize: 250, cells }, { inference: "permutation", adjust: "none" });

  it("every cell's p within 4.5 standard errors (999 and 9,999 draws) plus the 2/1000 resolution", () => {
    expect(result.cells).toHaveLength(1452);
    const far: string[] = [];
    let sumAbs = 0;
    for (const c of result.cells) {
      const g = golden.get(c.id)!;
      const q = Math.min(Math.max(g.p / 2, 0.001), 0.5); // the one-sided tail the two-sided p doubles
      const se = 2 * Math.sqrt(q * (1 - q) * (1 / 999 + 1 / 9999));
      const d = Math.abs(c.p! - g.p);
      sumAbs += d;
      if (d > 4.5 * se + 0.002) far.push(`${c.id}: ours ${c.p}, spdep ${g.p}`);
    }
    expect(far).toEqual([]);
    // on average the two differ by about one standard error, not systematically
    expect(sumAbs / result.cells.length).toBeLessThan(0.02);
  });

  it("the 95% calls differ only where spdep's p is within Monte-Carlo error of 0.05", () => {
    const se05 = 2 * Math.sqrt(0.025 * 0.975 * (1 / 999 + 1 / 9999));
    const differ = result.cells.filter((c) => c.p! < 0.05 !== golden.get(c.id)!.p < 0.05);
    expect(differ.filter((c) => Math.abs(golden.get(c.id)!.p - 0.05) > 4.5 * se05 + 0.002).map((c) => c.id)).toEqual([]);
    expect(differ.length / result.cells.length).toBeLessThan(0.05);
  });
});
