import { type ConcentrationResult, concentration } from "@safecity/core";
import type { LsoaCount } from "./priority-areas.service.ts";

export interface ConcentrationSection {
  /** Over the area's 2021 LSOAs (zeros included). */
  lsoas: ConcentrationResult | null;
  /** Over the cells of the Gi* grid (zeros included). */
  cells: ConcentrationResult | null;
  notes: string[];
}

/** Concentration of crime over LSOAs and over grid cells (the counts are loaded by the callers). */
export function assessConcentration(lsoaCounts: readonly LsoaCount[] | null, cellCounts: readonly { id: string; count: number }[] | null): ConcentrationSection {
  const notes: string[] = [];
  const lsoas = lsoaCounts?.length ? concentration(lsoaCounts.map((l) => ({ code: l.code, count: l.count }))) : null;
  if (!lsoas) notes.push("no LSOAs are known for the area: no concentration over LSOAs");
  const cells = cellCounts?.length ? concentration(cellCounts.map((c) => ({ code: c.id, count: c.count }))) : null;
  if (!cells) notes.push("no grid cells (no located incidents): no concentration over cells");
  return { lsoas, cells, notes };
}
