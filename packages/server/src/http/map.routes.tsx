import type { MapTiles } from "../config.ts";
import { Hono } from "hono";
import type { MapView } from "../services/analysis-views.service.ts";
import { GI_LABELS, type MapPlaces, type MapTables, mapTables } from "../services/map-tables.service.ts";
import { mapPlacesCached } from "./analysis-api.ts";
import { AnalysisTabs, AreaPeriodForm, analysisSearch, cachedAreaChoices, readAnalysisQuery, tryAnalysis } from "./analysis-kit.tsx";
import { CrimeTypeSelect } from "./crime-type-select.tsx";
import type { AppEnv } from "./env.ts";
import { PeriodWarning } from "./period-warning.tsx";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { GI_COLOURS, MapTablesSection, Swatch } from "./map-tables.tsx";

/** Gi* class colours (also in /assets/app/map.mjs and the e2e pixel check). */
export { GI_COLOURS } from "./map-tables.tsx";


/**
 * `/map`: Gi* hotspots, KDE, emerging hot spots and priority areas on one Leaflet map (an island
 * loading GeoJSON from /api/v1), boundaries from reference data, legend; below, the tables of
 * cells, which are the whole page without JavaScript.
 */
export function mapRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/map", requireRole("viewer"), async (c) => {
    const { query, errors, raw } = readAnalysisQuery(c);
    const type = c.req.query("type") || undefined;
    const grid = c.req.query("grid") || undefined;
    const extra: Record<string, string> = { ...(type ? { type } : {}), ...(grid ? { grid } : {}) };
    const showEmpty = c.req.query("empty") === "1";
    const run = query ? await tryAnalysis(() => mapPlacesCached(c, { ...query, ...extra })) : { value: null, errors: [] };
    const allErrors = [...errors, ...run.errors];
    const title = run.value ? `Map: ${run.value.view.area.name}` : "Map";
    return page(
      c,
      title,
      <>
        <h1 class="govuk-heading-l">{title}</h1>
        <AnalysisTabs current="/map" raw={raw} />
        <AreaPeriodForm action="/map" raw={raw} datalist={await cachedAreaChoices(c)} errors={allErrors}>
          <MapOptions type={type ?? "All crime"} grid={grid ?? ""} showEmpty={showEmpty} />
        </AreaPeriodForm>
        {run.value ? (
          <MapBody
            v={run.value.view}
            places={run.value.places}
            tables={mapTables(run.value.view, run.value.places, showEmpty)}
            search={analysisSearch(query!, extra)}
            here={new URL(c.req.url).searchParams}
            tiles={c.var.deps.tiles}
          />
        ) : null}
      </>,
      { hasError: allErrors.length > 0, status: allErrors.length ? 400 : 200 },
    );
  });
  return app;
}

const GRIDS: [string, string][] = [
  ["", "Squares, size chosen from the data"],
  ["square:250", "Squares of 250 m"],
  ["square:500", "Squares of 500 m"],
  ["h3:9", "H3 hexagons, resolution 9 (about 0.1 km²)"],
  ["h3:8", "H3 hexagons, resolution 8 (about 0.7 km²)"],
];

function MapOptions(props: { type: string; grid: string; showEmpty: boolean }) {
  return (
    <div class="app-inline-form">
      <CrimeTypeSelect value={props.type} />
      <div class="govuk-form-group">
        <label class="govuk-label" for="grid">
          Grid
        </label>
        <select class="govuk-select app-select-fit" id="grid" name="grid">
          {GRIDS.map(([v, t]) => (
            <option value={v} selected={v === props.grid}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div class="govuk-form-group">
        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          <div class="govuk-checkboxes__item">
            <input class="govuk-checkboxes__input" id="empty" name="empty" type="checkbox" value="1" checked={props.showEmpty} />
            <label class="govuk-label govuk-checkboxes__label" for="empty">
              Show cells with no incidents
            </label>
          </div>
        </div>
      </div>
    </div>
  );
}

function MapBody(props: { v: MapView; places: MapPlaces; tables: MapTables; search: string; here: URLSearchParams; tiles: MapTiles | null }) {
  const { v, tiles } = props;
  const g = v.hotspots?.gistar ?? null;
  return (
    <>
      <p class="govuk-body-l" data-testid="map-period">
        {v.group} in {v.area.name}, {v.from} to {v.to}
        {g ? `; ${g.cells.length.toLocaleString("en-GB")} grid cells (${g.kind === "h3" ? `H3 resolution ${g.resolution}` : `${g.cellSize} m squares`})` : ""}
      </p>
      <PeriodWarning text={v.periodWarning} />
      <section
        id="map"
        class="app-map"
        hidden
        data-testid="map"
        data-query={props.search}
        data-tile-url={tiles?.url ?? ""}
        data-tile-attribution={tiles?.attribution ?? ""}
        aria-label={`Map of ${v.group.toLowerCase()} hot spots in ${v.area.name}. The tables below list the marked cells page by page; their CSV and GeoJSON downloads hold every one.`}
      ></section>
      <p class="govuk-body-s app-map-status" id="map-status" aria-live="polite" data-testid="map-status">
        The map needs JavaScript; the tables below list the marked cells page by page, and their downloads hold every one.
      </p>
      <h2 class="govuk-heading-s">Legend</h2>
      <ul class="govuk-list app-legend" data-testid="legend">
        {Object.entries(GI_COLOURS).map(([k, colour]) => (
          <li>
            <Swatch colour={colour} /> {GI_LABELS[k]} ({(g?.summary as Record<string, number> | undefined)?.[k] ?? 0} cells)
          </li>
        ))}
        <li>
          <Swatch colour="#000000" outline /> Priority area (LSOA ranked on crime rate and deprivation)
        </li>
        <li>
          <Swatch colour="#505a5f" outline /> Ward and LSOA boundaries (where reference data is installed)
        </li>
        <li>KDE and emerging hot spot layers can be switched on in the map's layer menu.</li>
      </ul>

      <MapTablesSection v={v} t={props.tables} places={props.places} search={props.search} here={props.here} />
      {v.notes.length ? (
        <>
          <h2 class="govuk-heading-s">Notes</h2>
          <ul class="govuk-list govuk-list--bullet govuk-body-s app-wrap-anywhere">
            {v.notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="govuk-body">
        As GeoJSON:{" "}
        <a class="govuk-link" href={`/api/v1/hotspots${props.search}`}>
          hotspots and KDE
        </a>
        ,{" "}
        <a class="govuk-link" href={`/api/v1/emerging${props.search}`}>
          emerging hot spots
        </a>
        ,{" "}
        <a class="govuk-link" href={`/api/v1/priority-areas${props.search}`}>
          priority areas
        </a>
        ,{" "}
        <a class="govuk-link" href={`/api/v1/boundaries${props.search}`}>
          boundaries
        </a>
        .
      </p>
      <link rel="stylesheet" href="/assets/leaflet/leaflet.css" />
      <script type="module" src="/assets/app/map.mjs"></script>
    </>
  );
}
