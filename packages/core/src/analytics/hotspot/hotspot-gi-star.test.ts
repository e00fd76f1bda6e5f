import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { hotspotClass } from "./hotspot-classes.ts";
import { hotspotGiStar } from "./hotspot-gi-star.ts";

/** 3 x 3 cells of 100 m, lower-left corner (0, 0), counts listed south row first. */
function grid3(counts: number[]) {
  const cells = counts.map((count, k) => ({ id: `${(k % 3) * 100}_${Math.floor(k / 3) * 100}`, count }));
  return { kind: "square" as const, cellSize: 100, cells };
}

describe("hotspotGiStar by hand", () => {
  // 9 cells, a 9 in the centre: n = 9, mean 1, s² = (8² + 8 × 1²) / 9 = 8.
  const result = hotspotGiStar(grid3([0, 0, 0, 0, 9, 0, 0, 0, 0]), { inference: "normal" });
  const byId = new Map(result.cells.map((c) => [c.id, c]));

  it("corner cell: W = 4, z = (9 − 4) / sqrt(8 (9·4 − 16) / 8) = 5 / sqrt(20)", () => {
    expect(byId.get("0_0")!.z).toBeCloseTo(5 / Math.sqrt(20), 12);
  });

  it("edge cell: W = 6, z = (9 − 6) / sqrt(8 (9·6 − 36) / 8) = 3 / sqrt(18)", () => {
    expect(byId.get("100_0")!.z).toBeCloseTo(3 / Math.sqrt(18), 12);
    expect(byId.get("100_0")!.p).toBeCloseTo(0.4795001221869535, 12); // 2 * pnorm(-3 / sqrt(18))
  });

  it("centre cell neighbours every cell (n S1 − W² = 0): z is null and a note says so", () => {
    expect(byId.get("100_100")!.z).toBeNull();
    expect(byId.get("100_100")!.class).toBe("none");
    expect(result.notes.join(" ")).toMatch(/1 cells neighbour every cell/);
  });

  it("reports mean, variance and the parameters used", () => {
    expect(result.params.mean).toBe(1);
    expect(result.params.variance).toBe(8);
    expect(result.params).toMatchObject({ grid: "square", cellSize: 100, adjust: "fdr", classBy: "pAdjusted" });
    expect(result.summary.none).toBe(9);
  });

  it("all counts equal: s² = 0, every z null, no NaN anywhere, a note", () => {
    const flat = hotspotGiStar(grid3([2, 2, 2, 2, 2, 2, 2, 2, 2]));
    expect(flat.cells.every((c) => c.z === null && c.p === null && c.pAdjusted === null && c.class === "none")).toBe(true);
    expect(flat.notes.join(" ")).toMatch(/same count \(2\): s² = 0/);
    expect(JSON.stringify(flat)).not.toMatch(/NaN/);
  });

  it("a single cell gives null z with a note", () => {
    const one = hotspotGiStar({ kind: "square", cellSize: 100, cells: [{ id: "0_0", count: 5 }] });
    expect(one.cells[0]!.z).toBeNull();
    expect(one.notes[0]).toMatch(/only one cell/);
  });

  it("rejects no cells, negative counts, bad ids and duplicates with AppError", () => {
    expect(() => hotspotGiStar({ kind: "square", cellSize: 100, cells: [] })).toThrow(AppError);
    expect(() => hotspotGiStar(grid3([0, 0, 0, 0, -1, 0, 0, 0, 0]))).toThrow(/counts must be finite and >= 0/);
    expect(() => hotspotGiStar({ kind: "square", cellSize: 100, cells: [{ id: "a-b", count: 1 }] })).toThrow(/<easting>_<northing>/);
    expect(() => hotspotGiStar({ kind: "square", cellSize: 100, cells: [{ id: "50_0", count: 1 }] })).toThrow(/not on a 100 m grid/);
    expect(() => hotspotGiStar({ kind: "square", cellSize: 100, cells: [{ id: "0_0", count: 1 }, { id: "0_0", count: 1 }] })).toThrow(
      /appears twice/,
    );
    expect(() => hotspotGiStar({ kind: "h3", resolution: 9, cells: [{ id: "zzz", count: 1 }] })).toThrow(/not a valid H3/);
  });

  it("classes on the raw p when adjust is none", () => {
    const big = { kind: "square" as const, cellSize: 100, cells: [] as { id: string; count: number }[] };
    for (let c = 0; c < 10; c++) for (let r = 0; r < 10; r++) big.cells.push({ id: `${c * 100}_${r * 100}`, count: c < 2 && r < 2 ? 30 : 1 });
    const fdr = hotspotGiStar(big);
    const raw = hotspotGiStar(big, { adjust: "none" });
    const hot = (res: typeof fdr) => res.cells.filter((c) => c.class.startsWith("hot")).length;
    expect(hot(raw)).toBeGreaterThanOrEqual(hot(fdr));
    expect(raw.cells.find((c) => c.id === "0_0")!.class).toBe("hot-99");
  });
});

describe("hotspotClass", () => {
  it("cuts at 0.01, 0.05 and 0.10 on either side", () => {
    expect(hotspotClass(3, 0.009)).toBe("hot-99");
    expect(hotspotClass(2, 0.01)).toBe("hot-95");
    expect(hotspotClass(-2, 0.049)).toBe("cold-95");
    expect(hotspotClass(-1.7, 0.09)).toBe("cold-90");
    expect(hotspotClass(1.5, 0.1)).toBe("none");
    expect(hotspotClass(null, null)).toBe("none");
  });
});

describe("hotspotGiStar with conditional permutation inference, by hand", () => {
  // 9 cells, a 9 in the centre. A corner cell keeps its own 0 and draws its 3 other neighbours from
  // the 8 other cells (one 9, seven 0s): the sum ties the observed 9 when the 9 is drawn (P = 3/8),
  // else it is 0 (below). The observed sum's average rank is lt + 1 + eq/2, so the two-sided p =
  // 2 (nsim + 2 − rank)/(nsim + 1) ≈ (eq + 2)/1000 ≈ 3/8. An edge cell draws 5 of 8: P = 5/8, lt ≈
  // 3/8 nsim, so rank ≈ 3/8 nsim + 1 + 5/16 nsim is past the middle and p ≈ 2 (nsim + 2 − rank)/1000 ≈ 5/8.
  // Monte-Carlo standard error sqrt(P(1 − P)/999) < 0.016: 4 SE allowed.
  const perm = { inference: "permutation" } as const;
  const result = hotspotGiStar(grid3([0, 0, 0, 0, 9, 0, 0, 0, 0]), perm);
  const byId = new Map(result.cells.map((c) => [c.id, c]));
  const se = (q: number) => Math.sqrt((q * (1 - q)) / 999);

  it("corner cell: p ≈ P(the 9 is drawn) = 3/8", () => {
    expect(Math.abs(byId.get("0_0")!.p! - 0.375)).toBeLessThan(4 * se(0.375));
  });

  it("edge cell: p ≈ 1 − 3/8 (the tie mass sits in the middle of the ranks)", () => {
    expect(Math.abs(byId.get("100_0")!.p! - 0.625)).toBeLessThan(4 * se(0.375));
  });

  it("says which inference it used, the permutations and the seed; the same seed gives the same p", () => {
    expect(result.params).toMatchObject({ inference: "permutation", permutations: 999, seed: 1, permutation: "conditional" });
    expect(result.params.pValue).toMatch(/Pr\(z != E\(Gi\)\) Sim/);
    const again = hotspotGiStar(grid3([0, 0, 0, 0, 9, 0, 0, 0, 0]), perm);
    expect(again.cells.map((c) => c.p)).toEqual(result.cells.map((c) => c.p));
    const other = hotspotGiStar(grid3([0, 0, 0, 0, 9, 0, 0, 0, 0]), { ...perm, seed: 2 });
    expect(other.cells.map((c) => c.p)).not.toEqual(result.cells.map((c) => c.p));
  });

  it("a lone busy cell: conditional tests its neighbours (not hot, its neighbours are); total tests the whole neighbourhood (hot)", () => {
    // 20 x 20 cells of 100 m: one cell of 50, a sparse lattice of 1s (columns 0, 3, 6, ..., rows 0, 4, 8, ...), else 0.
    const cells = [];
    for (let c = 0; c < 20; c++) for (let r = 0; r < 20; r++) cells.push({ id: `${c * 100}_${r * 100}`, count: c === 10 && r === 10 ? 50 : c % 3 === 0 && r % 4 === 0 ? 1 : 0 });
    const grid = { kind: "square" as const, cellSize: 100, cells };
    const cond = new Map(hotspotGiStar(grid, { ...perm, adjust: "none" }).cells.map((c) => [c.id, c]));
    // the busy cell's own 50 is fixed, its 8 neighbours are 0: every simulated sum is >= 50, so it is not significant
    expect(cond.get("1000_1000")!.class).toBe("none");
    // its neighbour (9, 10) holds 0 and sees the 50: a simulation reaches 50 only by drawing it, P = 8/399, p ≈ 2 × 0.02
    expect(cond.get("900_1000")!.p!).toBeLessThan(0.1);
    expect(cond.get("900_1000")!.class.startsWith("hot")).toBe(true);
    const total = new Map(hotspotGiStar(grid, { ...perm, adjust: "none", permutation: "total" }).cells.map((c) => [c.id, c]));
    // total: the 9 counts come from all 400 cells, a sum >= 50 needs the 50 among them: P = 9/400, p ≈ 0.045
    expect(Math.abs(total.get("1000_1000")!.p! - 0.045)).toBeLessThan(4 * se(0.0225) * 2);
    expect(total.get("1000_1000")!.class.startsWith("hot")).toBe(true);
  });

  it("refuses bad inference options", () => {
    expect(() => hotspotGiStar(grid3([0, 1, 0, 0, 9, 0, 0, 0, 0]), { inference: "exact" as "normal" })).toThrow(/inference/);
    expect(() => hotspotGiStar(grid3([0, 1, 0, 0, 9, 0, 0, 0, 0]), { ...perm, permutations: 10 })).toThrow(/permutations/);
    expect(() => hotspotGiStar(grid3([0, 1, 0, 0, 9, 0, 0, 0, 0]), { ...perm, seed: -1 })).toThrow(/seed/);
    expect(() => hotspotGiStar(grid3([0, 1, 0, 0, 9, 0, 0, 0, 0]), { ...perm, permutation: "half" as "total" })).toThrow(/permutation/);
  });
});
