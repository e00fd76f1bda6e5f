import { buildH3Grid, buildSquareGrid, EMERGING_CATEGORY_LABELS, quarter, toGeoJSON } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type IncidentPlaceCount, incidentPlaceCounts, wardOfLsoa } from "../db/repositories/incident-places.repository.ts";
import { typeIdsOf } from "./analysis-scope.ts";
import type { MapView } from "./analysis-views.service.ts";

/**
 * The map page's tables (Gi* hot and cold cells, emerging hot spots, priority areas, densest KDE
 * cells) with each cell named by its ward and its most frequent police.uk location, built once per
 * map view; the page, its CSV and its GeoJSON exports all read these rows, so they agree.
 */

export interface Ward {
  code: string;
  name: string;
}

/** Where a grid cell's incidents are: the ward and the police.uk location holding most of them. */
export interface CellPlace {
  /** Located incidents of the cell counted here (the cell's count in the analysis). */
  incidents: number;
  /** The 2024 ward holding most of the cell's incidents (ties: name order); null when no ward is known for its LSOAs. */
  ward: Ward | null;
  wardIncidents: number;
  /** The most frequent police.uk `Location` (ties: alphabetical), e.g. `On or near Above Bar Street`. */
  street: string | null;
  streetIncidents: number;
}

export const CELL_PLACE_METHOD =
  "each cell is named by the 2024 ward holding most of its incidents (the ward of each incident's LSOA, ONS LSOA 2021 to ward 2024 lookup) and by the most frequent police.uk location among them (ties in alphabetical order), with the share of the cell's incidents each holds; police.uk locations are anonymised to a nearby map point";

export interface GridOf {
  kind: "square" | "h3";
  cellSize?: number | undefined;
  resolution?: number | undefined;
}

/**
 * Names the cells of a grid: each counted point is placed in its cell by the core grid functions
 * (the same cell ids as the analysis, since square corners are multiples of the cell size and H3
 * indexes are global), then the cell's ward and location modes are taken. `months`: only these.
 */
export function placesOfCells(rows: readonly IncidentPlaceCount[], grid: GridOf, wards: ReadonlyMap<string, Ward>, months?: ReadonlySet<string>): Map<string, CellPlace> {
  const used = months ? rows.filter((r) => months.has(r.month)) : rows;
  const out = new Map<string, CellPlace>();
  if (used.length === 0) return out;
  const built = grid.kind === "square" ? buildSquareGrid(used, { cellSize: grid.cellSize! }) : buildH3Grid(used, { resolution: grid.resolution! });
  const tallies = new Map<string, { n: number; wards: Map<string, number>; streets: Map<string, number> }>();
  for (let k = 0; k < built.source.length; k++) {
    const r = used[built.source[k]!]!;
    const id = built.grid.cells[built.cellOfPoint[k]!]!.id;
    let t = tallies.get(id);
    if (!t) {
      t = { n: 0, wards: new Map(), streets: new Map() };
      tallies.set(id, t);
    }
    t.n += r.n;
    const w = wards.get(r.lsoaCode)?.code ?? "";
    t.wards.set(w, (t.wards.get(w) ?? 0) + r.n);
    t.streets.set(r.location, (t.streets.get(r.location) ?? 0) + r.n);
  }
  const wardByCode = new Map([...wards.values()].map((w) => [w.code, w]));
  for (const [id, t] of tallies) {
    const ward = mode(t.wards, (code) => wardByCode.get(code)?.name ?? "\uffff");
    const street = mode(t.streets, (s) => s);
    out.set(id, {
      incidents: t.n,
      ward: ward && ward.key !== "" ? wardByCode.get(ward.key)! : null,
      wardIncidents: ward?.n ?? 0,
      street: street?.key ?? null,
      streetIncidents: street?.n ?? 0,
    });
  }
  return out;
}

/** The key with the largest count; ties go to the first by `sortKey` (then by key). */
function mode(counts: ReadonlyMap<string, number>, sortKey: (key: string) => string): { key: string; n: number } | null {
  let best: { key: string; n: number } | null = null;
  for (const [key, n] of counts) {
    if (!best || n > best.n || (n === best.n && (sortKey(key) < sortKey(best.key) || (sortKey(key) === sortKey(best.key) && key < best.key)))) best = { key, n };
  }
  return best;
}

export interface MapPlaces {
  gistar: Map<string, CellPlace>;
  kde: Map<string, CellPlace>;
  emerging: Map<string, CellPlace>;
  /** Ward of each priority LSOA. */
  lsoaWards: Map<string, Ward>;
  method: string;
}

/** Reads the view's incidents grouped by point, location, LSOA and month (one query) and names the cells of each grid. */
export async function mapPlaces(store: Store, v: MapView): Promise<MapPlaces> {
  const scope = v.hotspots?.scope ?? v.kde?.scope ?? v.emerging?.scope ?? null;
  const priorityCodes = (v.priority?.result?.areas ?? []).map((a) => a.code);
  const empty = { gistar: new Map(), kde: new Map(), emerging: new Map(), method: CELL_PLACE_METHOD };
  if (!scope) return { ...empty, lsoaWards: await wardOfLsoa(store, priorityCodes) };
  const rows = await incidentPlaceCounts(store, scope.scope, { from: scope.from, to: scope.to, crimeTypeIds: typeIdsOf(scope.group.types) });
  const wards = await wardOfLsoa(store, [...new Set([...rows.map((r) => r.lsoaCode), ...priorityCodes])]);
  const g = v.hotspots?.gistar;
  const k = v.kde?.kde;
  const e = v.emerging;
  let emergingMonths: Set<string> | undefined;
  if (e) {
    const steps = new Set(e.result.steps);
    emergingMonths = new Set(scope.months.filter((m) => steps.has(e.step === "month" ? m : quarter(m))));
  }
  return {
    gistar: g ? placesOfCells(rows, g, wards) : new Map(),
    kde: k ? placesOfCells(rows, k, wards) : new Map(),
    emerging: e ? placesOfCells(rows, e.result, wards, emergingMonths) : new Map(),
    lsoaWards: new Map(priorityCodes.filter((c) => wards.has(c)).map((c) => [c, wards.get(c)!])),
    method: CELL_PLACE_METHOD,
  };
}

// ---- The tables ----

/** The Gi* classes in words (the map's legend and tables, and the downloads). */
export const GI_LABELS: Record<string, string> = {
  "hot-99": "Hot spot, 99% confidence",
  "hot-95": "Hot spot, 95% confidence",
  "hot-90": "Hot spot, 90% confidence",
  "cold-90": "Cold spot, 90% confidence",
  "cold-95": "Cold spot, 95% confidence",
  "cold-99": "Cold spot, 99% confidence",
};

export interface PlacedRow {
  cell: string;
  ward: string | null;
  wardCode: string | null;
  /** Share (0..1) of the cell's incidents in that ward. */
  wardShare: number | null;
  street: string | null;
  streetShare: number | null;
  count: number;
}

export interface GiRow extends PlacedRow {
  class: string;
  classLabel: string;
  z: number | null;
  p: number | null;
}

export interface EmergingRow extends PlacedRow {
  pattern: string;
  patternLabel: string;
  trendTau: number | null;
  trendP: number | null;
}

export interface KdeRow extends PlacedRow {
  density: number;
}

export interface PriorityRow {
  rank: number;
  lsoa: string;
  lsoaName: string;
  ward: string | null;
  wardCode: string | null;
  count: number;
  rate: number;
  /** Global empirical Bayes rate per 1,000 (decision 0024); which of the two was ranked is in the view's priority params. */
  smoothedRate: number;
  /** Decile of the deprivation measure ranked (the IMD without its crime domain by default: decision 0023). */
  deprivationDecile: number;
  inHotspot: boolean;
}

export interface MapTables {
  gistar: { rows: GiRow[]; hiddenEmpty: { hot: number; cold: number } } | null;
  emerging: { rows: EmergingRow[]; hiddenEmpty: number } | null;
  kde: KdeRow[];
  priority: PriorityRow[];
  /** Whether cells with no incidents are listed. */
  showEmpty: boolean;
}

function placed(id: string, count: number, p: CellPlace | undefined): PlacedRow {
  // The place tallies count the same located incidents as the analysis; the shares are of the cell's own count.
  return {
    cell: id,
    ward: p?.ward?.name ?? null,
    wardCode: p?.ward?.code ?? null,
    wardShare: p && p.incidents > 0 && p.ward ? p.wardIncidents / p.incidents : null,
    street: p?.street ?? null,
    streetShare: p && p.incidents > 0 && p.street !== null ? p.streetIncidents / p.incidents : null,
    count,
  };
}

export const KDE_ROWS = 20;

/** The rows of every map table; cells with no incidents are left out (and counted) unless `showEmpty`. */
export function mapTables(v: MapView, places: MapPlaces, showEmpty: boolean): MapTables {
  const g = v.hotspots?.gistar ?? null;
  let gistar: MapTables["gistar"] = null;
  if (g) {
    const marked = g.cells.filter((x) => x.class !== "none").sort((a, b) => (b.z ?? 0) - (a.z ?? 0) || (a.id < b.id ? -1 : 1));
    const hiddenEmpty = { hot: 0, cold: 0 };
    const rows: GiRow[] = [];
    for (const x of marked) {
      if (x.count === 0 && !showEmpty) {
        hiddenEmpty[x.class.startsWith("hot") ? "hot" : "cold"]++;
        continue;
      }
      rows.push({ ...placed(x.id, x.count, places.gistar.get(x.id)), class: x.class, classLabel: GI_LABELS[x.class] ?? x.class, z: x.z, p: x.pAdjusted });
    }
    gistar = { rows, hiddenEmpty };
  }
  let emerging: MapTables["emerging"] = null;
  if (v.emerging) {
    let hidden = 0;
    const rows: EmergingRow[] = [];
    for (const x of v.emerging.result.cells) {
      if (x.category === "no-pattern") continue;
      const count = x.counts.reduce((s, n) => s + n, 0);
      if (count === 0 && !showEmpty) {
        hidden++;
        continue;
      }
      rows.push({
        ...placed(x.id, count, places.emerging.get(x.id)),
        pattern: x.category,
        patternLabel: EMERGING_CATEGORY_LABELS[x.category],
        trendTau: x.mannKendall.tau,
        trendP: x.mannKendall.p,
      });
    }
    emerging = { rows, hiddenEmpty: hidden };
  }
  const kde = v.kde?.kde
    ? [...v.kde.kde.cells]
        .sort((a, b) => b.density - a.density || (a.id < b.id ? -1 : 1))
        .slice(0, KDE_ROWS)
        .map((x) => ({ ...placed(x.id, x.count, places.kde.get(x.id)), density: x.density }))
    : [];
  const overlap = new Set(v.priority?.overlap?.hotspotLsoas ?? []);
  const priority = (v.priority?.result?.areas ?? []).map((a) => {
    const w = places.lsoaWards.get(a.code);
    return { rank: a.rank, lsoa: a.code, lsoaName: a.name, ward: w?.name ?? null, wardCode: w?.code ?? null, count: a.count, rate: a.rate, smoothedRate: a.smoothedRate, deprivationDecile: a.imdDecile, inHotspot: overlap.has(a.code) };
  });
  return { gistar, emerging, kde, priority, showEmpty };
}

/** `38%`: a share as shown on the page and in the exports. */
export function percent(share: number | null): string {
  return share === null ? "" : `${Math.round(share * 100)}%`;
}

// ---- Exports ----

export type MapExportTable = "gistar" | "emerging" | "priority";

const EXPORT_STEM: Record<MapExportTable, string> = { gistar: "gistar_hotspots", emerging: "emerging_hotspots", priority: "priority_areas" };

/** `southampton_2025-01_2025-12_gistar_hotspots.csv`: the area, the period and the table. */
export function exportFileName(v: MapView, table: MapExportTable, format: "csv" | "geojson"): string {
  const area = v.area.name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${area || "area"}_${v.from}_${v.to}_${EXPORT_STEM[table]}.${format}`;
}

type Cell = string | number | boolean | null;

/** Header and rows of an exported table (the page's columns, shares as fractions 0..1). */
export function exportRows(t: MapTables, table: MapExportTable): { header: string[]; ids: string[]; rows: Cell[][] } {
  const placeCols = ["ward", "ward_code", "ward_share", "street", "street_share", "count"];
  const place = (r: PlacedRow): Cell[] => [r.ward, r.wardCode, round(r.wardShare, 4), r.street, round(r.streetShare, 4), r.count];
  if (table === "gistar") {
    const rows = t.gistar?.rows ?? [];
    return { header: ["cell", ...placeCols, "class", "z", "p"], ids: rows.map((r) => r.cell), rows: rows.map((r) => [r.cell, ...place(r), r.class, round(r.z, 4), r.p]) };
  }
  if (table === "emerging") {
    const rows = t.emerging?.rows ?? [];
    return {
      header: ["cell", ...placeCols, "class", "trend_tau", "trend_p"],
      ids: rows.map((r) => r.cell),
      rows: rows.map((r) => [r.cell, ...place(r), r.pattern, round(r.trendTau, 4), r.trendP]),
    };
  }
  return {
    header: ["rank", "lsoa", "lsoa_name", "ward", "ward_code", "count", "rate_per_1000", "smoothed_rate_per_1000", "deprivation_decile", "in_hotspot"],
    ids: t.priority.map((r) => r.lsoa),
    rows: t.priority.map((r) => [r.rank, r.lsoa, r.lsoaName, r.ward, r.wardCode, r.count, round(r.rate, 4), round(r.smoothedRate, 4), r.deprivationDecile, r.inHotspot]),
  };
}

function round(n: number | null, dp: number): number | null {
  return n === null || !Number.isFinite(n) ? null : Number(n.toFixed(dp));
}

/** The table as GeoJSON (WGS84): one feature per row, the row's columns as its properties, the cell or LSOA shape as its geometry. */
export function exportGeoJson(v: MapView, t: MapTables, table: MapExportTable) {
  const { header, ids, rows } = exportRows(t, table);
  const props = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null])));
  let geometries: Map<string, unknown>;
  if (table === "priority") {
    geometries = new Map(v.boundaries.features.filter((f) => f.properties.level === "lsoa").map((f) => [f.id, f.geometry]));
  } else {
    const grid = table === "gistar" ? v.hotspots?.gistar : v.emerging?.result;
    const fc = grid ? toGeoJSON(grid.kind === "square" ? { kind: "square", cellSize: grid.cellSize!, cells: ids.map((id) => ({ id })) } : { kind: "h3", cells: ids.map((id) => ({ id })) }) : null;
    geometries = new Map((fc?.features ?? []).map((f) => [f.id, f.geometry]));
  }
  return {
    type: "FeatureCollection" as const,
    name: table,
    area: { code: v.area.code, name: v.area.name },
    from: v.from,
    to: v.to,
    crimeType: v.group,
    features: ids.map((id, i) => ({ type: "Feature" as const, id, geometry: (geometries.get(id) ?? null) as Record<string, unknown> | null, properties: props[i]! })),
  };
}
