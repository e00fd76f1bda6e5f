// `shapefile` (BSD-3-Clause) ships no types; this is the part Safe City uses.
declare module "shapefile" {
  export function read(
    shp: ArrayBuffer | Uint8Array,
    dbf?: ArrayBuffer | Uint8Array,
    options?: { encoding?: string },
  ): Promise<{ type: "FeatureCollection"; features: { type: "Feature"; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null }[] }>;
}
