/** Default of the automatic cell-size rule: about this many cells along the shorter side of the extent. */
export const DEFAULT_CELLS_ON_SHORTER_SIDE = 50;

/** Upper bound on the number of cells a grid may have; beyond it the caller gets an AppError with a hint. */
export const MAX_GRID_CELLS = 2_000_000;

/**
 * The automatic cell size (after sfhotspot): the shorter side of the points' extent (in metres)
 * divided by `cellsOnShorterSide`, rounded down to a "nice" size 1, 2, 2.5 or 5 × 10^k metres
 * (at least 1 m). When the extent is a line the longer side is used; a single location gives 100 m.
 */
export function autoCellSize(width: number, height: number, cellsOnShorterSide = DEFAULT_CELLS_ON_SHORTER_SIDE): number {
  const shorter = Math.min(width, height) > 0 ? Math.min(width, height) : Math.max(width, height);
  if (!(shorter > 0)) return 100;
  const raw = shorter / cellsOnShorterSide;
  if (raw <= 1) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  let best = pow;
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow <= raw * (1 + 1e-12)) best = m * pow;
  return best;
}

/** Formats metres as the notes print them: `250 m`, `2.5 km`. */
export function formatMetres(m: number): string {
  return m >= 1000 ? `${m / 1000} km` : `${m} m`;
}
