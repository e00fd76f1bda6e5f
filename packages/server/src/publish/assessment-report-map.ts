import { parseSquareId, toBng, toGeoJSON } from "@safecity/core";
import type { ReportMap } from "./assessment-report.ts";

/**
 * A static SVG map (no script, no tiles): boundaries and grid cells projected to British National
 * Grid (metres, so squares stay square), north up, scaled to fit `width`. Square cells are drawn
 * from their ids (the corner's easting and northing); H3 cells from their outline. Boundaries are
 * WGS84 GeoJSON Polygons or MultiPolygons; highlighted ones are filled. Text is escaped by the caller
 * (the SVG holds none but the title).
 */

type Ring = [number, number][];

function polygons(geometry: Record<string, unknown>): Ring[][] {
  const coords = geometry.coordinates as unknown;
  if (geometry.type === "Polygon") return [coords as Ring[]];
  if (geometry.type === "MultiPolygon") return coords as Ring[][];
  return [];
}

export function mapSvg(map: ReportMap, opts: { width?: number; title: string; escape: (s: string) => string }): string {
  const width = opts.width ?? 680;
  const bngBoundaries = map.boundaries.map((b) => ({ ...b, rings: polygons(b.geometry).flatMap((poly) => poly.map((ring) => ring.map(([lon, lat]) => toBng(lon, lat)))) }));
  const cells: { rings: [number, number][][]; colour: string }[] = [];
  if (map.grid?.kind === "square") {
    const s = map.grid.cellSize;
    for (const c of map.cells) {
      const [e, n] = parseSquareId(c.id);
      cells.push({ rings: [[[e, n], [e + s, n], [e + s, n + s], [e, n + s]]], colour: c.colour });
    }
  } else if (map.grid?.kind === "h3") {
    const fc = toGeoJSON({ kind: "h3", cells: map.cells });
    for (const f of fc.features) cells.push({ rings: f.geometry.coordinates.map((r) => r.map(([lon, lat]) => toBng(lon, lat))), colour: f.properties.colour });
  }
  const all = [...bngBoundaries.flatMap((b) => b.rings.flat()), ...cells.flatMap((c) => c.rings.flat())];
  if (all.length === 0) return `<p class="map-empty">No boundaries or cells to draw (install reference data for boundaries).</p>`;
  let [x0, y0, x1, y1] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const [x, y] of all) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const pad = Math.max(x1 - x0, y1 - y0, 1) * 0.02;
  [x0, y0, x1, y1] = [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
  const scale = width / (x1 - x0);
  const height = Math.max(1, Math.round((y1 - y0) * scale));
  const pt = ([x, y]: [number, number]) => `${((x - x0) * scale).toFixed(1)} ${((y1 - y) * scale).toFixed(1)}`;
  const path = (rings: [number, number][][]) => rings.map((r) => `M${r.map(pt).join("L")}Z`).join("");
  const highlight = new Set(map.highlight);
  const out: string[] = [];
  for (const b of bngBoundaries.filter((b) => highlight.has(b.code))) out.push(`<path d="${path(b.rings)}" fill="#d4351c" fill-opacity="0.75" stroke="#0b0c0c" stroke-width="0.8"/>`);
  for (const c of cells) out.push(`<path d="${path(c.rings)}" fill="${c.colour}" stroke="none"/>`);
  for (const b of bngBoundaries.filter((b) => !highlight.has(b.code))) {
    const outer = b.level !== "ward" && b.level !== "lsoa";
    out.push(`<path d="${path(b.rings)}" fill="none" stroke="${outer ? "#0b0c0c" : "#505a5f"}" stroke-width="${outer ? 1.6 : 0.5}"/>`);
  }
  // scale bar: a round number of kilometres near a fifth of the width
  const km = [0.5, 1, 2, 5, 10, 20, 50].find((k) => k * 1000 * scale >= width / 6) ?? 50;
  const bar = km * 1000 * scale;
  out.push(
    `<g font-family="Arial,sans-serif" font-size="11" fill="#0b0c0c"><rect x="10" y="${height - 18}" width="${bar.toFixed(1)}" height="4" fill="#0b0c0c"/><text x="10" y="${height - 22}">${km} km</text><text x="${width - 14}" y="16" text-anchor="middle" font-weight="bold">N</text><path d="M${width - 14} 20l-5 10h10z" fill="#0b0c0c"/></g>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${opts.escape(opts.title)}">${out.join("")}</svg>`;
}
