/**
 * Ward outlines and label points for the map (issue 12 item 5). The ward boundaries installed may be
 * of another vintage than the LSOA -> ward lookup (the mirror has December 2022 wards, the lookup
 * May 2024 ones: Southampton's wards all changed in 2023), so a ward of the lookup without a
 * boundary of its own is drawn as the outline of its LSOAs: ONS LSOA boundaries share their edges
 * vertex for vertex, so the edges used by exactly one of the ward's LSOAs are its outline. LSOAs
 * nest in wards best-fit, so such an outline follows LSOA edges (said in `source`). Pure: no I/O.
 */

export type Position = [number, number];
type Polygon = Position[][];

export interface BoundaryFeature {
  type: "Feature";
  id: string;
  geometry: Record<string, unknown>;
  properties: { code: string; level: string; name: string; label?: Position; source?: string };
}

/** Where a ward's or area's outline came from, as the map's legend and exports say it. */
export const SOURCE_INSTALLED = "boundary file";
export const SOURCE_LSOAS = "outline of its LSOAs (LSOAs nest in wards best-fit)";

/** The polygons of a Polygon or MultiPolygon geometry (none for anything else). */
export function polygonsOf(g: Record<string, unknown>): Polygon[] {
  if (g.type === "Polygon") return [g.coordinates as Polygon];
  if (g.type === "MultiPolygon") return g.coordinates as Polygon[];
  return [];
}

const key = (p: Position) => `${p[0]},${p[1]}`;

/**
 * The outline of polygons that share edges exactly: every edge used by one ring only (an edge two
 * rings share is inside), chained into lines. Empty for no polygons.
 */
export function dissolvedOutline(polygons: readonly Polygon[]): Position[][] {
  const uses = new Map<string, { a: Position; b: Position; n: number }>();
  for (const poly of polygons) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        const ka = key(a);
        const kb = key(b);
        if (ka === kb) continue;
        const k = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
        const seen = uses.get(k);
        if (seen) seen.n++;
        else uses.set(k, { a, b, n: 1 });
      }
    }
  }
  const edges = [...uses.values()].filter((e) => e.n === 1);
  const at = new Map<string, number[]>();
  edges.forEach((e, i) => {
    for (const p of [e.a, e.b]) {
      const k = key(p);
      const list = at.get(k);
      if (list) list.push(i);
      else at.set(k, [i]);
    }
  });
  const used = new Uint8Array(edges.length);
  const lines: Position[][] = [];
  for (let start = 0; start < edges.length; start++) {
    if (used[start]) continue;
    used[start] = 1;
    const line: Position[] = [edges[start]!.a, edges[start]!.b];
    for (;;) {
      const end = line[line.length - 1]!;
      const next = (at.get(key(end)) ?? []).find((i) => !used[i]);
      if (next === undefined) break;
      used[next] = 1;
      const e = edges[next]!;
      line.push(key(e.a) === key(end) ? e.b : e.a);
    }
    lines.push(line);
  }
  return lines;
}

/** Signed area and centroid of a ring (shoelace; in the coordinates' own units). */
function ringCentroid(ring: readonly Position[]): { area: number; c: Position } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (a === 0) return { area: 0, c: ring[0] ?? [0, 0] };
  return { area: a / 2, c: [cx / (3 * a), cy / (3 * a)] };
}

/** Whether a point is inside a polygon (even-odd over all its rings, so holes are outside). */
export function insidePolygon(p: Position, poly: Polygon): boolean {
  let inside = false;
  for (const ring of poly) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * A point inside a polygon for its name: the outer ring's centroid when that is inside, else the
 * middle of the widest stretch of the horizontal line through the centroid that is inside.
 */
export function polygonLabelPoint(poly: Polygon): Position | null {
  const outer = poly[0];
  if (!outer?.length) return null;
  const { c } = ringCentroid(outer);
  if (insidePolygon(c, poly)) return c;
  const xs: number[] = [];
  for (const ring of poly) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x0, y0] = ring[i]!;
      const [x1, y1] = ring[i + 1]!;
      if (y0 > c[1] !== y1 > c[1]) xs.push(x0 + ((c[1] - y0) * (x1 - x0)) / (y1 - y0));
    }
  }
  xs.sort((a, b) => a - b);
  let best: Position | null = null;
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1]! - xs[i]! > width) {
      width = xs[i + 1]! - xs[i]!;
      best = [(xs[i]! + xs[i + 1]!) / 2, c[1]];
    }
  }
  return best ?? outer[0]!;
}

/**
 * A label point for a set of polygons (one area's): the area-weighted centroid when one of them
 * contains it, else the label point of the largest.
 */
export function labelPoint(polygons: readonly Polygon[]): Position | null {
  let total = 0;
  let x = 0;
  let y = 0;
  let largest: Polygon | null = null;
  let largestArea = -1;
  for (const poly of polygons) {
    const { area, c } = ringCentroid(poly[0] ?? []);
    const a = Math.abs(area);
    total += a;
    x += c[0] * a;
    y += c[1] * a;
    if (a > largestArea) {
      largestArea = a;
      largest = poly;
    }
  }
  if (!largest) return null;
  if (total > 0) {
    const c: Position = [x / total, y / total];
    if (polygons.some((p) => insidePolygon(c, p))) return c;
  }
  return polygonLabelPoint(largest);
}

const round = (p: Position): Position => [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6];

/**
 * The wards of an area for the map: each ward of the LSOA -> ward lookup, with its installed
 * boundary when there is one of that code, else the outline of its LSOAs' boundaries; each with
 * its name and a label point. Wards with neither are left out. Sorted by code.
 */
export function wardFeatures(
  installed: readonly { code: string; level: string; geometry: Record<string, unknown> }[],
  lsoaWards: readonly { lsoa: string; ward: string; name: string | null }[],
  names: ReadonlyMap<string, string>,
): BoundaryFeature[] {
  const wardShape = new Map(installed.filter((b) => b.level === "ward").map((b) => [b.code, b.geometry]));
  const lsoaShape = new Map(installed.filter((b) => b.level === "lsoa").map((b) => [b.code, b.geometry]));
  const byWard = new Map<string, { name: string | null; lsoas: string[] }>();
  for (const r of lsoaWards) {
    const w = byWard.get(r.ward) ?? { name: r.name, lsoas: [] };
    w.lsoas.push(r.lsoa);
    byWard.set(r.ward, w);
  }
  for (const code of wardShape.keys()) if (!byWard.has(code)) byWard.set(code, { name: null, lsoas: [] });
  const out: BoundaryFeature[] = [];
  for (const [code, w] of [...byWard].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = w.name ?? names.get(code) ?? code;
    const own = wardShape.get(code);
    if (own) {
      const label = labelPoint(polygonsOf(own));
      out.push({ type: "Feature", id: code, geometry: own, properties: { code, level: "ward", name, ...(label ? { label: round(label) } : {}), source: SOURCE_INSTALLED } });
      continue;
    }
    const polygons = w.lsoas.flatMap((l) => polygonsOf(lsoaShape.get(l) ?? {}));
    if (!polygons.length) continue;
    const label = labelPoint(polygons);
    out.push({
      type: "Feature",
      id: code,
      geometry: { type: "MultiLineString", coordinates: dissolvedOutline(polygons) },
      properties: { code, level: "ward", name, ...(label ? { label: round(label) } : {}), source: SOURCE_LSOAS },
    });
  }
  return out;
}

/** The area's outline from its LSOAs' boundaries, for an area with no boundary of its own; null without LSOA boundaries. */
export function areaOutlineFromLsoas(area: { code: string; level: string; name: string }, lsoas: readonly { level: string; geometry: Record<string, unknown> }[]): BoundaryFeature | null {
  const polygons = lsoas.filter((b) => b.level === "lsoa").flatMap((b) => polygonsOf(b.geometry));
  if (!polygons.length) return null;
  return {
    type: "Feature",
    id: area.code,
    geometry: { type: "MultiLineString", coordinates: dissolvedOutline(polygons) },
    properties: { code: area.code, level: area.level, name: area.name, source: "outline of its LSOAs" },
  };
}
