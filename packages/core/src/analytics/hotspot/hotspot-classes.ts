/** Gi* classes: hot or cold at 99/95/90% confidence (p < 0.01, 0.05, 0.10), otherwise "none". */
export type HotspotClass = "hot-99" | "hot-95" | "hot-90" | "cold-99" | "cold-95" | "cold-90" | "none";

export const HOTSPOT_CLASSES: readonly HotspotClass[] = ["hot-99", "hot-95", "hot-90", "none", "cold-90", "cold-95", "cold-99"];

/** Class of one cell from its z (sign) and p (the adjusted p by default). Null z or p gives "none". */
export function hotspotClass(z: number | null, p: number | null): HotspotClass {
  if (z === null || p === null || z === 0) return "none";
  const side = z > 0 ? "hot" : "cold";
  if (p < 0.01) return `${side}-99`;
  if (p < 0.05) return `${side}-95`;
  if (p < 0.1) return `${side}-90`;
  return "none";
}
