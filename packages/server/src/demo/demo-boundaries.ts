import type { World } from "../generate/world.ts";

/**
 * Outlines for the demo city's map: each LSOA, ward and local authority (and its CSP, and the
 * force area) drawn as the convex hull of the generated map points inside it, enlarged a little so
 * no point sits on the line. Synthetic areas have no surveyed boundaries; hulls of the places
 * where their crimes are mapped are an honest stand-in (they may overlap, as the point clouds do).
 */

type Point = readonly [number, number];

/** Andrew's monotone chain: the convex hull, counter-clockwise, without repeating the first point. */
export function convexHull(points: readonly Point[]): Point[] {
  const ps = [...new Map(points.map((p) => [`${p[0]},${p[1]}`, p])).values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (ps.length < 3) return ps;
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of ps) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (const p of [...ps].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * A GeoJSON Polygon around the points: their hull enlarged about the points' mean (a homothety, so
 * it still holds every point) until its vertices are on average `widen` further out; for points on
 * a line or fewer than 3, their bounding box widened by `widen`.
 */
export function outline(points: readonly Point[], widen = 0.0015): { type: "Polygon"; coordinates: number[][][] } {
  const hull = convexHull(points);
  let ring: number[][];
  if (hull.length < 3) {
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs) - widen, Math.max(...xs) + widen, Math.min(...ys) - widen, Math.max(...ys) + widen];
    ring = [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ];
  } else {
    const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
    const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
    const meanRadius = hull.reduce((s, [x, y]) => s + Math.hypot(x - cx, y - cy), 0) / hull.length;
    const k = 1 + widen / meanRadius;
    ring = hull.map(([x, y]) => [cx + (x - cx) * k, cy + (y - cy) * k]);
  }
  ring = ring.map(([x, y]) => [round(x!), round(y!)]);
  return { type: "Polygon", coordinates: [[...ring, ring[0]!]] };
}

const round = (x: number) => Math.round(x * 1e7) / 1e7;

/** The LSOA code and lon/lat of every map point of the world (from its pre-encoded CSV bytes). */
export function worldPoints(world: World): { code: string; point: Point }[] {
  const decoder = new TextDecoder();
  const out: { code: string; point: Point }[] = [];
  const re = /^(-?[\d.]+),(-?[\d.]+),(?:"(?:[^"]|"")*"|[^,]*),([EW]\d{8}),/;
  for (let i = 0; i < world.pointCount; i++) {
    const text = decoder.decode(world.pointBytes.subarray(world.pointOffsets[i]!, world.pointOffsets[i + 1]!));
    const m = re.exec(text);
    if (m) out.push({ code: m[3]!, point: [Number(m[1]), Number(m[2])] });
  }
  return out;
}

/** Boundaries by area code: LSOAs, wards, local authorities and CSPs (same outline), and the force area. */
export function demoBoundaries(
  world: World,
  opts: { wardOf: ReadonlyMap<string, string>; ladOf: ReadonlyMap<string, { lad: string; csp: string }>; pfaCode: string },
): Map<string, { level: string; geometry: string }> {
  const groups = new Map<string, { level: string; points: Point[] }>();
  const add = (code: string, level: string, p: Point) => {
    const g = groups.get(code) ?? { level, points: [] };
    if (g.points.length === 0) groups.set(code, g);
    g.points.push(p);
  };
  for (const { code, point } of worldPoints(world)) {
    const ward = opts.wardOf.get(code);
    const la = opts.ladOf.get(code);
    if (!ward || !la) continue;
    add(code, "lsoa", point);
    add(ward, "ward", point);
    add(la.lad, "lad", point);
    add(la.csp, "csp", point);
    add(opts.pfaCode, "pfa", point);
  }
  const out = new Map<string, { level: string; geometry: string }>();
  for (const [code, g] of groups) {
    const widen = g.level === "lsoa" ? 0.0015 : g.level === "ward" ? 0.002 : 0.004;
    out.set(code, { level: g.level, geometry: JSON.stringify(outline(g.points, widen)) });
  }
  return out;
}
