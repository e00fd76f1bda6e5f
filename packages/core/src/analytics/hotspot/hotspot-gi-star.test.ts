import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { hotspotGiStar } from "./hotspot-gi-star.ts";
import { hotspotClass } from "./hotspot-classes.ts";

/** 3 x 3 cells of 100 m, lower-left corner (0, 0), counts listed south row first. */
function grid3(counts: number[]) {
  const cells = counts.map((count, k) => ({ id: `${(k % 3) * 100}_${Math.floor(k / 3) * 100}`, count }));
  return { kind: "square" as const, cellSize: 100, cells };
}

describe("hotspotGiStar by hand", () => {
  // 9 cells, a 9 in the centre: n = 9, mean 1, s² = (8² + 8 × 1²) / 9 = 8.
  const result = hotspotGiStar(grid3([0, 0, 0, 0, 9, 0, 0, 0, 0]));
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
