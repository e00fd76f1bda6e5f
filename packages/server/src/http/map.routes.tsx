import type { MapTiles } from "../config.ts";
import { EMERGING_CATEGORY_LABELS, type EmergingCategory } from "@safecity/core";
import { Hono } from "hono";
import type { MapView } from "../services/analysis-views.service.ts";
import { mapCached } from "./analysis-api.ts";
import { AnalysisTabs, AreaPeriodForm, analysisSearch, cachedAreaChoices, fixed, readAnalysisQuery, tryAnalysis } from "./analysis-kit.tsx";
import { ScrollTable } from "./components.tsx";
import { CrimeTypeSelect } from "./crime-type-select.tsx";
import type { AppEnv } from "./env.ts";
import { PeriodWarning } from "./period-warning.tsx";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { inWebWords } from "./web-words.ts";

/** Gi* class colours (also in /assets/app/map.mjs and the e2e pixel check). */
export const GI_COLOURS: Record<string, string> = {
  "hot-99": "#d4351c",
  "hot-95": "#f47738",
  "hot-90": "#ffdd00",
  "cold-90": "#5694ca",
  "cold-95": "#1d70b8",
  "cold-99": "#003078",
};

const GI_LABELS: Record<string, string> = {
  "hot-99": "Hot spot, 99% confidence",
  "hot-95": "Hot spot, 95% confidence",
  "hot-90": "Hot spot, 90% confidence",
  "cold-90": "Cold spot, 90% confidence",
  "cold-95": "Cold spot, 95% confidence",
  "cold-99": "Cold spot, 99% confidence",
};

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
    const run = query ? await tryAnalysis(() => mapCached(c, { ...query, ...extra })) : { value: null, errors: [] };
    const allErrors = [...errors, ...run.errors];
    const title = run.value ? `Map: ${run.value.area.name}` : "Map";
    return page(
      c,
      title,
      <>
        <h1 class="govuk-heading-l">{title}</h1>
        <AnalysisTabs current="/map" raw={raw} />
        <AreaPeriodForm action="/map" raw={raw} datalist={await cachedAreaChoices(c)} errors={allErrors}>
          <MapOptions type={type ?? "All crime"} grid={grid ?? ""} />
        </AreaPeriodForm>
        {run.value ? <MapBody v={run.value} search={analysisSearch(query!, extra)} tiles={c.var.deps.tiles} /> : null}
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

function MapOptions(props: { type: string; grid: string }) {
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
    </div>
  );
}

function Swatch(props: { colour: string; outline?: boolean }) {
  return <span class={`app-swatch app-swatch--${props.colour.slice(1)}${props.outline ? " app-swatch--outline" : ""}`} aria-hidden="true"></span>;
}

function MapBody(props: { v: MapView; search: string; tiles: MapTiles | null }) {
  const { v, tiles } = props;
  const g = v.hotspots?.gistar ?? null;
  const marked = g ? g.cells.filter((x) => x.class !== "none").sort((a, b) => (b.z ?? 0) - (a.z ?? 0)) : [];
  const emergingCells = v.emerging ? v.emerging.result.cells.filter((x) => x.category !== "no-pattern") : [];
  const kde = v.kde?.kde ? [...v.kde.kde.cells].sort((a, b) => b.density - a.density).slice(0, 20) : [];
  const priority = v.priority?.result?.areas ?? [];
  const overlap = new Set(v.priority?.overlap?.hotspotLsoas ?? []);
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
        aria-label={`Map of ${v.group.toLowerCase()} hot spots in ${v.area.name}. The tables below list every marked cell.`}
      ></section>
      <p class="govuk-body-s app-map-status" id="map-status" aria-live="polite" data-testid="map-status">
        The map needs JavaScript; the tables below list every marked cell.
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

      <h2 class="govuk-heading-m">Gi* hot and cold spots</h2>
      {g ? (
        <>
          <p class="govuk-body">
            Getis-Ord Gi* on a grid of {g.kind === "h3" ? `H3 hexagons (resolution ${g.resolution})` : `${g.cellSize} m squares`}
            {v.hotspots?.params.clippedTo ? ` clipped to ${v.hotspots.params.clippedTo}` : " (not clipped to the area's boundary)"}, p-values{" "}
            {g.params.inference === "permutation" ? `from ${g.params.permutations} permutations` : "from the normal approximation"} adjusted for false discovery rate; {marked.length} of{" "}
            {g.cells.length.toLocaleString("en-GB")} cells are marked. {g.kind === "h3" ? "Cell ids are H3 indexes." : "Cell ids are British National Grid eastings and northings of the cell's corner."}
          </p>
          <ScrollTable label="Gi* hot and cold cells">
            <table class="govuk-table" data-testid="gistar-cells">
              <caption class="govuk-table__caption govuk-table__caption--s">Marked cells, strongest first</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Cell</th>
                  <th scope="col" class="govuk-table__header">Class</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">z</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">p (adjusted)</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {marked.map((x) => (
                  <tr class="govuk-table__row" data-class={x.class}>
                    <th scope="row" class="govuk-table__header app-nowrap">
                      {x.id}
                    </th>
                    <td class="govuk-table__cell">
                      <Swatch colour={GI_COLOURS[x.class]!} /> {GI_LABELS[x.class]}
                    </td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{x.count}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{fixed(x.z, 2)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{x.pAdjusted === null ? "" : x.pAdjusted < 0.001 ? "< 0.001" : x.pAdjusted.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : (
        <p class="govuk-body">{v.hotspotsMessage}</p>
      )}

      <h2 class="govuk-heading-m">Priority areas</h2>
      {priority.length ? (
        <ScrollTable label="Priority areas">
          <table class="govuk-table" data-testid="priority-areas">
            <caption class="govuk-table__caption govuk-table__caption--s">LSOAs ranked on crime rate and deprivation (IMD {v.priority?.params.imdEdition})</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rank</th>
                <th scope="col" class="govuk-table__header">LSOA</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rate per 1,000</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">IMD decile</th>
                <th scope="col" class="govuk-table__header">In a hotspot</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {priority.map((a) => (
                <tr class="govuk-table__row">
                  <td class="govuk-table__cell govuk-table__cell--numeric">{a.rank}</td>
                  <th scope="row" class="govuk-table__header">
                    {a.name} <span class="govuk-body-s app-block">{a.code}</span>
                  </th>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{a.count}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{a.rate.toFixed(1)}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{a.imdDecile}</td>
                  <td class="govuk-table__cell">{overlap.has(a.code) ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p class="govuk-body">{v.priority?.message ? inWebWords(v.priority.message) : "No priority areas."}</p>
      )}

      <h2 class="govuk-heading-m">Emerging hot spots</h2>
      {v.emerging ? (
        <>
          <p class="govuk-body">
            {v.emerging.result.steps.length} {v.emerging.step}s analysed
            {v.emerging.stepsExcluded.length ? ` (left out for missing data: ${v.emerging.stepsExcluded.join(", ")})` : ""}; {emergingCells.length} cells have a pattern.
          </p>
          <ul class="govuk-list" data-testid="emerging-summary">
            {Object.entries(v.emerging.result.summary)
              .filter(([k, n]) => n > 0 && k !== "no-pattern")
              .map(([k, n]) => (
                <li>
                  {EMERGING_CATEGORY_LABELS[k as EmergingCategory]}: {n} cells
                </li>
              ))}
          </ul>
          <ScrollTable label="Emerging hot spot cells">
            <table class="govuk-table" data-testid="emerging-cells">
              <caption class="govuk-table__caption govuk-table__caption--s">Cells with a pattern</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Cell</th>
                  <th scope="col" class="govuk-table__header">Pattern</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Trend (Kendall's tau)</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {emergingCells.map((x) => (
                  <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header app-nowrap">
                      {x.id}
                    </th>
                    <td class="govuk-table__cell">{EMERGING_CATEGORY_LABELS[x.category]}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{x.counts.reduce((s, n) => s + n, 0)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{fixed(x.mannKendall.tau, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : (
        <p class="govuk-body">{v.emergingMessage ? inWebWords(v.emergingMessage) : null}</p>
      )}

      <h2 class="govuk-heading-m">Densest cells (KDE)</h2>
      {kde.length ? (
        <ScrollTable label="Densest KDE cells">
          <table class="govuk-table" data-testid="kde-cells">
            <caption class="govuk-table__caption govuk-table__caption--s">The 20 cells with the highest kernel density (incidents per km²)</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Cell</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Density per km²</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {kde.map((x) => (
                <tr class="govuk-table__row">
                  <th scope="row" class="govuk-table__header app-nowrap">
                    {x.id}
                  </th>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{x.count}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{x.density.toFixed(0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p class="govuk-body">No KDE surface.</p>
      )}
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
