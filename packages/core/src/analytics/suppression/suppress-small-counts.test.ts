import { describe, expect, it } from "vitest";
import type { SuppressedTable } from "../repeat/local-incident.types.ts";
import { suppressSmallCounts } from "./suppress-small-counts.ts";

/**
 * Independent check, by brute force: every non-negative integer table that agrees with what is
 * published (cells, row/column/grand totals) is enumerated; a suppressed cell is safe when it
 * takes at least two values across them.
 */
function derivableCells(out: SuppressedTable): string[] {
  const R = out.rows.length;
  const C = out.columns.length;
  const unknown: [number, number][] = [];
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) if (out.cells[r]![c] === null) unknown.push([r, c]);
  if (unknown.length === 0) return [];
  const rowLeft = out.rows.map((_, r) => (out.rowTotals[r] ?? Number.NaN) - out.cells[r]!.reduce<number>((s, v) => s + (v ?? 0), 0));
  const colLeft = out.columns.map((_, c) => (out.columnTotals[c] ?? Number.NaN) - out.cells.reduce<number>((s, row) => s + (row[c] ?? 0), 0));
  const totalLeft = (out.total ?? Number.NaN) - out.cells.flat().reduce<number>((s, v) => s + (v ?? 0), 0);
  // Without a grand total nothing bounds the unknowns: none is derivable.
  if (Number.isNaN(totalLeft)) return [];
  const seen = unknown.map(() => new Set<number>());
  const value = new Array<number>(unknown.length).fill(0);
  const rowUsed = new Array<number>(R).fill(0);
  const colUsed = new Array<number>(C).fill(0);
  let used = 0;
  const lastInRow = (k: number): boolean => unknown.slice(k + 1).every(([r]) => r !== unknown[k]![0]);
  const lastInCol = (k: number): boolean => unknown.slice(k + 1).every(([, c]) => c !== unknown[k]![1]);
  const visit = (k: number): void => {
    if (k === unknown.length) {
      if (used !== totalLeft) return;
      for (let i = 0; i < value.length; i++) seen[i]!.add(value[i]!);
      return;
    }
    const [r, c] = unknown[k]!;
    const rowCap = Number.isNaN(rowLeft[r]!) ? totalLeft - used : rowLeft[r]! - rowUsed[r]!;
    const colCap = Number.isNaN(colLeft[c]!) ? totalLeft - used : colLeft[c]! - colUsed[c]!;
    const cap = Math.min(rowCap, colCap, totalLeft - used);
    for (let v = 0; v <= cap; v++) {
      if (lastInRow(k) && !Number.isNaN(rowLeft[r]!) && rowUsed[r]! + v !== rowLeft[r]) continue;
      if (lastInCol(k) && !Number.isNaN(colLeft[c]!) && colUsed[c]! + v !== colLeft[c]) continue;
      value[k] = v;
      rowUsed[r]! += v;
      colUsed[c]! += v;
      used += v;
      visit(k + 1);
      rowUsed[r]! -= v;
      colUsed[c]! -= v;
      used -= v;
    }
  };
  visit(0);
  return unknown.filter((_, i) => seen[i]!.size < 2).map(([r, c]) => `${out.rows[r]}/${out.columns[c]}`);
}

const table = (cells: number[][]) => ({
  rows: cells.map((_, r) => `r${r}`),
  columns: cells[0]!.map((_, c) => `c${c}`),
  cells,
});

describe("suppressSmallCounts", () => {
  it("a 2x2 table with one small cell: nothing short of all four hides it", () => {
    const out = suppressSmallCounts(table([
      [3, 10],
      [12, 20],
    ]));
    expect(out.reasons).toEqual([
      ["primary", "secondary"],
      ["secondary", "secondary"],
    ]);
    expect(out.rowTotals).toEqual([13, 32]);
    expect(out.columnTotals).toEqual([15, 30]);
    expect(out.total).toBe(45);
    expect(derivableCells(out)).toEqual([]);
  });

  it("the check itself finds a cell given away by its row total", () => {
    const leaky: SuppressedTable = {
      rows: ["a", "b"],
      columns: ["x", "y"],
      cells: [
        [null, 10],
        [12, 20],
      ],
      reasons: [
        ["primary", null],
        [null, null],
      ],
      rowTotals: [13, 32],
      columnTotals: [15, 30],
      total: 45,
      threshold: 5,
    };
    expect(derivableCells(leaky)).toEqual(["a/x"]);
  });

  it("a 3x3 table: two small cells in one row hide each other only with a second row", () => {
    const cells = [
      [2, 3, 40],
      [9, 8, 30],
      [20, 25, 60],
    ];
    const out = suppressSmallCounts(table(cells));
    expect(out.reasons[0]!.slice(0, 2)).toEqual(["primary", "primary"]);
    // (0,0) and (0,1) alone are pinned by the column totals: the smallest pair below them goes too.
    expect(out.cells[1]![0]).toBeNull();
    expect(out.cells[1]![1]).toBeNull();
    expect(out.cells[0]![2]).toBe(40);
    expect(out.cells[2]).toEqual([20, 25, 60]);
    expect(derivableCells(out)).toEqual([]);
  });

  it("zeros and counts at the threshold are published", () => {
    const out = suppressSmallCounts(table([
      [0, 5],
      [12, 0],
    ]));
    expect(out.cells).toEqual([
      [0, 5],
      [12, 0],
    ]);
  });

  it("one column: row totals are the cells (not published); two cells hide each other under the column total", () => {
    const out = suppressSmallCounts({ rows: ["Jan", "Feb", "Mar"], columns: ["repeats"], cells: [[3], [10], [12]] }, 5);
    expect(out.cells).toEqual([[null], [null], [12]]);
    expect(out.rowTotals).toEqual([null, null, null]);
    expect(out.columnTotals).toEqual([25]);
    expect(derivableCells(out)).toEqual([]);
  });

  it("a table of one small cell withholds its totals", () => {
    const out = suppressSmallCounts({ rows: ["a"], columns: ["x"], cells: [[2]] });
    expect(out.cells).toEqual([[null]]);
    expect(out.total).toBeNull();
  });

  it("200 random small tables: every small count suppressed, none derivable, the rest and the totals true", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let k = 0; k < 200; k++) {
      const R = 1 + rand(4);
      const C = 1 + rand(4);
      const cells = Array.from({ length: R }, () => Array.from({ length: C }, () => (rand(3) === 0 ? rand(5) : 3 + rand(9))));
      const threshold = 3 + rand(3);
      const out = suppressSmallCounts(table(cells), threshold);
      const where = JSON.stringify({ cells, threshold, published: out.cells });
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < C; c++) {
          const v = cells[r]![c]!;
          if (v > 0 && v < threshold) expect(out.cells[r]![c], where).toBeNull();
          if (out.cells[r]![c] !== null) expect(out.cells[r]![c], where).toBe(v);
        }
      }
      if (out.total !== null) expect(out.total).toBe(cells.flat().reduce((s, v) => s + v, 0));
      expect(derivableCells(out), where).toEqual([]);
    }
  });

  it("refuses a ragged table or negative counts", () => {
    expect(() => suppressSmallCounts({ rows: ["a", "b"], columns: ["x"], cells: [[1]] })).toThrow(/2 row labels but 1 rows/);
    expect(() => suppressSmallCounts(table([[1, -2]]))).toThrow(/must be a count/);
    expect(() => suppressSmallCounts(table([[1]]), 0)).toThrow(/threshold/);
  });
});
