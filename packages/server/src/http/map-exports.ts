import { MapQuerySchema } from "@safecity/core";
import { z } from "zod";
import type { MapView } from "../services/analysis-views.service.ts";
import { exportFileName, exportGeoJson, exportRows, type MapExportTable, type MapPlaces, mapTables } from "../services/map-tables.service.ts";
import { toCsv } from "./csv.ts";

/** `/api/v1/map-tables/{table}`: the map page's tables as files (see `mapTableFile`). */
export const MapTableParamsSchema = z.object({
  table: z.enum(["gistar", "emerging", "priority"]).describe("`gistar` (Gi* hot and cold cells), `emerging` (emerging hot spot cells with a pattern) or `priority` (priority LSOAs)"),
});

export const MapTableQuerySchema = MapQuerySchema.omit({ cells: true }).extend({
  format: z.enum(["csv", "geojson"]).optional().describe("`csv` (default) or `geojson` (WGS84; the same columns as properties)"),
  empty: z.enum(["0", "1"]).optional().describe("`1`: list cells with no incidents too (the page's 'show cells with no incidents'); default 0, as the page"),
});

export const MapTableGeoJsonSchema = z
  .object({
    type: z.literal("FeatureCollection"),
    name: z.string(),
    area: z.object({ code: z.string().nullable(), name: z.string() }),
    from: z.string(),
    to: z.string(),
    crimeType: z.string(),
    features: z.array(
      z.object({
        type: z.literal("Feature"),
        id: z.string(),
        geometry: z.record(z.string(), z.unknown()).nullable(),
        properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
      }),
    ),
  })
  .meta({ id: "MapTableGeoJson" });

/**
 * One map table as a download named by the area and period
 * (`southampton_2025-01_2025-12_gistar_hotspots.csv`): the rows and figures of the page's table
 * (all of them, not one page), with the same rule for cells with no incidents.
 */
export function mapTableFile(v: MapView, places: MapPlaces, table: MapExportTable, format: "csv" | "geojson", showEmpty: boolean): Response {
  const tables = mapTables(v, places, showEmpty);
  const name = exportFileName(v, table, format);
  const headers = { "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "private, no-store" };
  if (format === "geojson") {
    return new Response(JSON.stringify(exportGeoJson(v, tables, table)), { status: 200, headers: { ...headers, "Content-Type": "application/geo+json; charset=utf-8" } });
  }
  const { header, rows } = exportRows(tables, table);
  return new Response(toCsv(header, rows), { status: 200, headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
}
