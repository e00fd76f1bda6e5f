import { AppError, type BoundaryGeometry, type ClipSummary, clipNote } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { studyAreaBoundaries } from "../db/repositories/boundary.repository.ts";
import type { AnalysisScope } from "./analysis-scope.ts";

export type ClipMode = "boundary" | "none";

/** `--clip boundary|none` (default boundary). */
export function parseClip(v: string | undefined): ClipMode {
  const c = (v ?? "boundary").trim().toLowerCase();
  if (c !== "boundary" && c !== "none") throw new AppError("input.invalid", `--clip must be boundary or none; got \`${v}\``, { hint: "boundary keeps only the cells that meet the area (default); none keeps the whole bounding box" });
  return c;
}

/** `--inference normal|permutation` (default normal; decision 0020). */
export function parseInference(v: string | undefined): "permutation" | "normal" {
  const c = (v ?? "normal").trim().toLowerCase();
  if (c !== "permutation" && c !== "normal") throw new AppError("input.invalid", `--inference must be permutation or normal; got \`${v}\``);
  return c;
}

/** A whole number option within limits, or undefined when not given. */
export function parseWhole(name: string, v: string | number | undefined, min: number, max: number): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  if (!(Number.isInteger(n) && n >= min && n <= max)) throw new AppError("input.invalid", `--${name} must be a whole number from ${min} to ${max}; got \`${v}\``);
  return n;
}

/** What the grid was clipped to, for `params`. */
export interface ClipParams {
  clip: ClipMode;
  /** "the area's LSOA boundaries", "the area's own boundary", or null (not clipped). */
  clippedTo: string | null;
  cells?: ClipSummary;
}

/** The study area's boundary to clip to, or null with the note saying why the grid is not clipped. */
export async function loadClipBoundary(store: Store, scope: AnalysisScope, mode: ClipMode): Promise<{ geometries: BoundaryGeometry[] | null; clippedTo: string | null; note: string | null }> {
  if (mode === "none") return { geometries: null, clippedTo: null, note: "grid not clipped (--clip none): cells of the bounding box outside the area count as zero crime" };
  const found = await studyAreaBoundaries(store, scope.scope, scope.area.code);
  if (!found) {
    return {
      geometries: null,
      clippedTo: null,
      note: `no boundary of ${scope.area.name} or of all its LSOAs is installed, so the grid is not clipped: cells of the bounding box outside the area (sea, neighbouring districts) count as zero crime; install the boundaries (safecity reference install) to clip`,
    };
  }
  const polygons = found.geometries.filter((g) => g.type === "Polygon" || g.type === "MultiPolygon") as unknown as BoundaryGeometry[];
  return { geometries: polygons, clippedTo: found.source === "lsoa" ? "the area's LSOA boundaries" : "the area's own boundary", note: null };
}

export { clipNote };
