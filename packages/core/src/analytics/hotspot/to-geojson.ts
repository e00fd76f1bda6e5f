import { cellToBoundary } from "h3-js";
import { fromBng } from "./bng.ts";
import { parseSquareId } from "./neighbours.ts";

export interface GeoJsonPolygonFeature<P> {
  type: "Feature";
  id: string;
  geometry: { type: "Polygon"; coordinates: [number, number][][] };
  properties: P;
}

export interface GeoJsonFeatureCollection<P> {
  type: "FeatureCollection";
  features: GeoJsonPolygonFeature<P>[];
}

/** Any gridded result: Gi*, KDE, emerging (its cells become the features' properties). */
export type GriddedResult<C extends { id: string }> =
  | { kind: "square"; cellSize?: number; cells: C[] }
  | { kind: "h3"; cells: C[] };

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/**
 * One WGS84 polygon per cell (RFC 7946: [longitude, latitude], exterior ring counter-clockwise,
 * 7 decimal places ≈ 1 cm), the cell's table row as properties. Square cells are their four BNG
 * corners projected back to WGS84 (straight edges in BNG, so very slightly curved on a map); H3 cells
 * are `cellToBoundary`.
 */
export function toGeoJSON<C extends { id: string }>(result: GriddedResult<C>): GeoJsonFeatureCollection<C> {
  const features: GeoJsonPolygonFeature<C>[] = [];
  if (result.kind === "square") {
    const size = result.cellSize;
    if (!(size && size > 0)) throw new RangeError("toGeoJSON: a square-grid result needs its cellSize");
    const corners = new Map<string, [number, number]>();
    const corner = (e: number, n: number): [number, number] => {
      const key = `${e}_${n}`;
      let c = corners.get(key);
      if (!c) {
        const [lon, lat] = fromBng(e, n);
        c = [round7(lon), round7(lat)];
        corners.set(key, c);
      }
      return c;
    };
    for (const cell of result.cells) {
      const [e, n] = parseSquareId(cell.id);
      const ring = [corner(e, n), corner(e + size, n), corner(e + size, n + size), corner(e, n + size), corner(e, n)];
      features.push({ type: "Feature", id: cell.id, geometry: { type: "Polygon", coordinates: [ring] }, properties: cell });
    }
  } else {
    for (const cell of result.cells) {
      const ring = cellToBoundary(cell.id, true).map(([lon, lat]) => [round7(lon!), round7(lat!)] as [number, number]);
      features.push({ type: "Feature", id: cell.id, geometry: { type: "Polygon", coordinates: [ring] }, properties: cell });
    }
  }
  return { type: "FeatureCollection", features };
}
