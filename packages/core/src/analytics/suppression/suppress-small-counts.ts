/**
 * suppressSmallCounts: small-count suppression of a two-way table whose totals are published.
 *
 * Rule (also in ../README.md):
 * - Primary: every cell with 0 < count < threshold (default 5) is suppressed. Zeros are published.
 * - Published totals: each row total (unless the table has one column: it would be the cell), each
 *   column total (unless it has one row) and the grand total, all true totals.
 * - Secondary: a suppressed cell must not be derivable from the published cells and totals. With
 *   the totals known, the suppressed cells are unknowns of a linear system (one equation per
 *   published total); a cell is pinned unless some other non-negative table with the same
 *   published values differs in it. That happens exactly when the cell lies on an alternating cycle
 *   of suppressed cells (+1, -1, +1, ... around rows and columns, every -1 on a cell of 1 or more).
 *   Until no suppressed cell is pinned, for the first pinned cell (row by row): the smallest
 *   published cell (non-zero first, then zero) in its row or column that unpins it alone is
 *   suppressed; failing one, the cheapest rectangle through it (the other three corners, least total
 *   of the corners still published); failing that (one row or one column), the smallest in its row
 *   and in its column. Greedy: not the fewest cells possible, but never a derivable one.
 * - If even every cell suppressed leaves one pinned (a table of one cell, say), the totals are
 *   withheld too (all null).
 */
import type { CountTable, SuppressedTable, SuppressionReason } from "../repeat/local-incident.types.ts";
import { invalid } from "../stats/check.ts";

export function suppressSmallCounts(table: CountTable, threshold = 5): SuppressedTable {
  const { rows, columns, cells } = table;
  const R = rows.length;
  const C = columns.length;
  if (!Number.isInteger(threshold) || threshold < 1) throw invalid(`threshold must be a whole number, 1 or more; got ${threshold}`);
  if (cells.length !== R) throw invalid(`the table has ${R} row labels but ${cells.length} rows of cells`);
  cells.forEach((row, r) => {
    if (row.length !== C) throw invalid(`row ${r} (${rows[r]}) has ${row.length} cells; expected ${C}`);
    row.forEach((v, c) => {
      if (!Number.isInteger(v) || v < 0) throw invalid(`cell [${rows[r]}, ${columns[c]}] must be a count (0 or more); got ${v}`);
    });
  });

  const reasons: (SuppressionReason | null)[][] = cells.map((row) => row.map((v) => (v > 0 && v < threshold ? "primary" : null)));
  const suppressed = (r: number, c: number): boolean => reasons[r]![c] !== null;
  const cellCount = R * C;
  let withheldTotals = false;
  for (let guard = 0; guard <= cellCount; guard++) {
    const pinned = firstPinned(cells, reasons, R, C);
    if (!pinned) break;
    const [pr, pc] = pinned;
    const candidates: [number, number][] = [];
    for (let c = 0; c < C; c++) if (!suppressed(pr, c)) candidates.push([pr, c]);
    for (let r = 0; r < R; r++) if (!suppressed(r, pc)) candidates.push([r, pc]);
    if (candidates.length === 0) {
      // Nothing left in its row or column: suppress the smallest published cell anywhere, or give up on the totals.
      const any = smallest(allPublished(reasons, R, C), cells);
      if (!any) {
        withheldTotals = true;
        break;
      }
      reasons[any[0]]![any[1]] = "secondary";
      continue;
    }
    const ordered = candidates.sort((a, b) => rank(cells, a) - rank(cells, b) || a[0] - b[0] || a[1] - b[1]);
    let fixed = false;
    for (const [r, c] of ordered) {
      reasons[r]![c] = "secondary";
      if (!isPinned(cells, reasons, R, C, pr, pc)) {
        fixed = true;
        break;
      }
      reasons[r]![c] = null;
    }
    if (!fixed) {
      // The cheapest rectangle through the pinned cell: (pr,c'), (r',c'), (r',pc), its other corners.
      const rect = cheapestRectangle(cells, reasons, R, C, pr, pc);
      if (rect) {
        for (const [r, c] of rect) reasons[r]![c] = "secondary";
        continue;
      }
      const inRow = smallest(
        candidates.filter(([r]) => r === pr),
        cells,
      );
      const inCol = smallest(
        candidates.filter(([, c]) => c === pc),
        cells,
      );
      if (inRow) reasons[inRow[0]]![inRow[1]] = "secondary";
      if (inCol) reasons[inCol[0]]![inCol[1]] = "secondary";
    }
  }

  const rowTotals = cells.map((row) => row.reduce((s, v) => s + v, 0));
  const columnTotals = columns.map((_, c) => cells.reduce((s, row) => s + row[c]!, 0));
  return {
    rows: [...rows],
    columns: [...columns],
    cells: cells.map((row, r) => row.map((v, c) => (suppressed(r, c) ? null : v))),
    reasons,
    rowTotals: rowTotals.map((t) => (withheldTotals || C === 1 ? null : t)),
    columnTotals: columnTotals.map((t) => (withheldTotals || R === 1 ? null : t)),
    total: withheldTotals ? null : rowTotals.reduce((s, v) => s + v, 0),
    threshold,
  };
}

/**
 * The rectangle (pr,pc), (pr,c), (r,c), (r,pc) whose published corners add up to the least (a zero
 * costs 0.5: hiding it gives little cover), with (r,c) at least 1 so the pinned cell can move by
 * one around it; the corners to suppress, or null when the table has no second row or column.
 */
function cheapestRectangle(
  cells: CountTable["cells"],
  reasons: (SuppressionReason | null)[][],
  R: number,
  C: number,
  pr: number,
  pc: number,
): [number, number][] | null {
  let best: [number, number][] | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let r = 0; r < R; r++) {
    if (r === pr) continue;
    for (let c = 0; c < C; c++) {
      if (c === pc) continue;
      const corners: [number, number][] = [
        [pr, c],
        [r, c],
        [r, pc],
      ];
      if (cells[pr]![pc]! >= 1 ? cells[r]![c]! < 1 : cells[pr]![c]! < 1 || cells[r]![pc]! < 1) continue;
      const add = corners.filter(([a, b]) => reasons[a]![b] === null);
      const cost = add.reduce((sum, [a, b]) => sum + (cells[a]![b]! === 0 ? 0.5 : cells[a]![b]!), 0);
      if (cost < bestCost) {
        bestCost = cost;
        best = add;
      }
    }
  }
  return best && best.length > 0 ? best : null;
}

/** Non-zero cells first (smallest first), zeros last: hiding a zero gives little cover. */
function rank(cells: CountTable["cells"], [r, c]: [number, number]): number {
  const v = cells[r]![c]!;
  return v === 0 ? Number.MAX_SAFE_INTEGER : v;
}

function smallest(list: [number, number][], cells: CountTable["cells"]): [number, number] | null {
  let best: [number, number] | null = null;
  for (const p of list) if (!best || rank(cells, p) < rank(cells, best)) best = p;
  return best;
}

function allPublished(reasons: (SuppressionReason | null)[][], R: number, C: number): [number, number][] {
  const out: [number, number][] = [];
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) if (reasons[r]![c] === null) out.push([r, c]);
  return out;
}

function firstPinned(
  cells: CountTable["cells"],
  reasons: (SuppressionReason | null)[][],
  R: number,
  C: number,
): [number, number] | null {
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) if (reasons[r]![c] !== null && isPinned(cells, reasons, R, C, r, c)) return [r, c];
  }
  return null;
}

/**
 * Whether suppressed cell (r, c) is determined by the published cells and totals. Vertices are the
 * rows and the columns; when a dimension's totals are not published (one column: no row totals)
 * its vertices merge into one (only the grand total binds them). A suppressed cell is an edge: it
 * may go up (row -> column) always, down (column -> row) when it is 1 or more. The cell is free iff
 * it can go down (its column reaches its row) or up (its row reaches its column) without it.
 */
export function isPinned(
  cells: CountTable["cells"],
  reasons: readonly (readonly (SuppressionReason | null)[])[],
  R: number,
  C: number,
  r0: number,
  c0: number,
): boolean {
  const rowVertex = (r: number): number => (C === 1 ? 0 : r);
  const colVertex = (c: number): number => (R === 1 ? R : R + c);
  const V = R + C;
  const arcs: number[][] = Array.from({ length: V }, () => []);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (reasons[r]![c] === null || (r === r0 && c === c0)) continue;
      arcs[rowVertex(r)]!.push(colVertex(c));
      if (cells[r]![c]! >= 1) arcs[colVertex(c)]!.push(rowVertex(r));
    }
  }
  const reaches = (a: number, b: number): boolean => {
    const seen = new Uint8Array(V);
    const stack = [a];
    seen[a] = 1;
    while (stack.length) {
      const v = stack.pop()!;
      if (v === b) return true;
      for (const w of arcs[v]!) {
        if (!seen[w]) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    return false;
  };
  const canGoDown = cells[r0]![c0]! >= 1 && reaches(rowVertex(r0), colVertex(c0));
  const canGoUp = reaches(colVertex(c0), rowVertex(r0));
  return !(canGoDown || canGoUp);
}
