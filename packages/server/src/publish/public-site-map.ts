/**
 * The public site's map of priority areas: boundaries (GeoJSON, WGS84) projected once into SVG
 * path data (equirectangular, x scaled by cos(mid-latitude), north up), rounded to 0.1 px so the
 * stored model is small and the drawing deterministic. Pure: the service reads the boundaries.
 */

export interface PublicMapShape {
  code: string;
  name: string;
  /** SVG path data in the map's pixel space. */
  d: string;
  /** Positions of the priorities that target this area (empty: context only). */
  priorities: number[];
}

export interface PublicMap {
  width: number;
  height: number;
  shapes: PublicMapShape[];
  /** Priorities that target the whole partnership area (drawn as every shape's context). */
  wholeArea: { priority: number; name: string }[];
}

export interface MapBoundary {
  code: string;
  name: string;
  geometry: Record<string, unknown>;
}

type Ring = number[][];

function rings(geometry: Record<string, unknown>): Ring[] {
  const coords = geometry.coordinates as unknown;
  if (geometry.type === "Polygon") return coords as Ring[];
  if (geometry.type === "MultiPolygon") return (coords as Ring[][]).flat();
  return [];
}

const WIDTH = 640;
const PAD = 8;

/** Projects `boundaries` to a map `WIDTH` px wide; null when none has a polygon. */
export function projectMap(boundaries: readonly MapBoundary[], prioritiesOf: (code: string) => number[], wholeArea: PublicMap["wholeArea"]): PublicMap | null {
  const all = boundaries.map((b) => ({ b, rings: rings(b.geometry).filter((r) => r.length >= 3) })).filter((x) => x.rings.length > 0);
  if (all.length === 0) return null;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const { rings: rs } of all)
    for (const r of rs)
      for (const [x, y] of r) {
        if (x! < minX) minX = x!;
        if (x! > maxX) maxX = x!;
        if (y! < minY) minY = y!;
        if (y! > maxY) maxY = y!;
      }
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = (WIDTH - 2 * PAD) / spanX;
  const height = Math.round(spanY * scale + 2 * PAD);
  const px = (x: number) => ((x - minX) * k * scale + PAD).toFixed(1);
  const py = (y: number) => ((maxY - y) * scale + PAD).toFixed(1);
  const shapes = all
    .map(({ b, rings: rs }) => ({
      code: b.code,
      name: b.name,
      d: rs.map((r) => `M${r.map(([x, y]) => `${px(x!)} ${py(y!)}`).join("L")}Z`).join(""),
      priorities: prioritiesOf(b.code),
    }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { width: WIDTH, height, shapes, wholeArea };
}
