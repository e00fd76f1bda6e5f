import { getResolution, gridDisk, isValidCell } from "h3-js";
import { AppError } from "../../errors.ts";

/**
 * Neighbour lists in compressed form: the neighbours of cell i (self included) are
 * `index[offsets[i]] .. index[offsets[i + 1] - 1]`. Built from a hash of cell ids, so O(n).
 */
export interface NeighbourList {
  offsets: Int32Array;
  index: Int32Array;
}

/** Splits a square cell id `"<easting>_<northing>"` into numbers; throws AppError on another shape. */
export function parseSquareId(id: string): [number, number] {
  const cut = id.indexOf("_");
  const e = cut > 0 ? Number(id.slice(0, cut)) : Number.NaN;
  const n = cut > 0 ? Number(id.slice(cut + 1)) : Number.NaN;
  if (!Number.isFinite(e) || !Number.isFinite(n)) {
    throw new AppError("input.invalid", `square cell id must be "<easting>_<northing>"; got \`${id}\``);
  }
  return [e, n];
}

// Column/row packed into one number: rows and columns are below 2^24 for any grid over Great Britain.
const SHIFT = 2 ** 24;
const OFFSET = 2 ** 23;
function squareKey(col: number, row: number): number {
  return (col + OFFSET) * SHIFT + (row + OFFSET);
}

/**
 * Queen contiguity on a square grid, self included: each cell's neighbours are itself and those of
 * the 8 surrounding cells present in `ids` (a distance band of one cell diagonal). Equivalent to
 * spdep `include.self(cell2nb(nrow, ncol, "queen"))` on a full rectangular grid.
 */
export function squareNeighbours(ids: readonly string[], cellSize: number): NeighbourList {
  const n = ids.length;
  const cols = new Float64Array(n);
  const rows = new Float64Array(n);
  const at = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const [e, no] = parseSquareId(ids[i]!);
    const c = Math.round(e / cellSize);
    const r = Math.round(no / cellSize);
    if (Math.abs(c * cellSize - e) > 1e-6 * cellSize || Math.abs(r * cellSize - no) > 1e-6 * cellSize) {
      throw new AppError("input.invalid", `square cell id \`${ids[i]}\` is not on a ${cellSize} m grid`, {
        hint: "cell ids are the lower-left corner, a multiple of the cell size",
      });
    }
    const key = squareKey(c, r);
    if (at.has(key)) throw new AppError("input.invalid", `square cell id \`${ids[i]}\` appears twice`);
    at.set(key, i);
    cols[i] = c;
    rows[i] = r;
  }
  const offsets = new Int32Array(n + 1);
  const index = new Int32Array(n * 9);
  let k = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = k;
    const c = cols[i]!;
    const r = rows[i]!;
    for (let dc = -1; dc <= 1; dc++) {
      for (let dr = -1; dr <= 1; dr++) {
        const j = at.get(squareKey(c + dc, r + dr));
        if (j !== undefined) index[k++] = j;
      }
    }
  }
  offsets[n] = k;
  return { offsets, index: index.slice(0, k) };
}

/** H3 neighbours, self included: `gridDisk(cell, 1)` restricted to the cells present in `ids`. */
export function h3Neighbours(ids: readonly string[]): NeighbourList {
  const n = ids.length;
  const at = new Map<string, number>();
  let resolution: number | undefined;
  for (let i = 0; i < n; i++) {
    if (!isValidCell(ids[i]!)) throw new AppError("input.invalid", `\`${ids[i]}\` is not a valid H3 cell index`);
    const r = getResolution(ids[i]!);
    if (resolution === undefined) resolution = r;
    else if (r !== resolution) {
      throw new AppError("input.invalid", `H3 cells must share one resolution; \`${ids[i]}\` is ${r}, the first cell ${resolution}`);
    }
    if (at.has(ids[i]!)) throw new AppError("input.invalid", `H3 cell id \`${ids[i]}\` appears twice`);
    at.set(ids[i]!, i);
  }
  const offsets = new Int32Array(n + 1);
  const index = new Int32Array(n * 7);
  let k = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = k;
    const disk = gridDisk(ids[i]!, 1);
    const found: number[] = [];
    for (const h of disk) {
      const j = at.get(h);
      if (j !== undefined) found.push(j);
    }
    found.sort((a, b) => a - b);
    for (const j of found) index[k++] = j;
  }
  offsets[n] = k;
  return { offsets, index: index.slice(0, k) };
}
