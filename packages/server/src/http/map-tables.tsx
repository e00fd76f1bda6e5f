import { EMERGING_CATEGORY_LABELS, type EmergingCategory } from "@safecity/core";
import type { MapView } from "../services/analysis-views.service.ts";
import { type MapPlaces, type MapTables, type PlacedRow, percent } from "../services/map-tables.service.ts";
import { fixed } from "./analysis-kit.tsx";
import { ScrollTable } from "./components.tsx";
import { Pagination } from "./pagination.tsx";
import { inWebWords } from "./web-words.ts";

/**
 * Rows per page of the map's tables, so the page stays short enough to read and print (under
 * 5,000 px at 1,280 px wide for Southampton's year): the Gi* cells 10, the priority areas 5, the
 * emerging hot spot cells 10 in a folded table.
 */
export const MAP_TABLE_PAGE_SIZE = { gistar: 10, priority: 5, emerging: 10 } as const;

/** Gi* class colours (also in /assets/app/map.mjs and the e2e pixel check). */
export const GI_COLOURS: Record<string, string> = {
  "hot-99": "#d4351c",
  "hot-95": "#f47738",
  "hot-90": "#ffdd00",
  "cold-90": "#5694ca",
  "cold-95": "#1d70b8",
  "cold-99": "#003078",
};

export function Swatch(props: { colour: string; outline?: boolean }) {
  return <span class={`app-swatch app-swatch--${props.colour.slice(1)}${props.outline ? " app-swatch--outline" : ""}`} aria-hidden="true"></span>;
}

/** The page of a table asked for (`?gpage=3`), within 1..pages. */
function pageOf(here: URLSearchParams, param: string, rows: number, size: number): { page: number; pages: number; size: number } {
  const pages = Math.max(1, Math.ceil(rows / size));
  const n = Number(here.get(param));
  return { page: Number.isInteger(n) && n >= 1 ? Math.min(n, pages) : 1, pages, size };
}

function slice<T>(rows: readonly T[], p: { page: number; size: number }): T[] {
  return rows.slice((p.page - 1) * p.size, p.page * p.size);
}

function hrefWith(here: URLSearchParams, set: Record<string, string | null>, anchor: string): string {
  const p = new URLSearchParams(here);
  for (const [k, v] of Object.entries(set)) {
    if (v === null) p.delete(k);
    else p.set(k, v);
  }
  return `/map?${p.toString()}#${anchor}`;
}

function Showing(props: { p: { page: number; size: number }; rows: number; what: string }) {
  const { page, size } = props.p;
  if (props.rows <= size) return null;
  const first = (page - 1) * size + 1;
  const last = Math.min(props.rows, page * size);
  return (
    <p class="govuk-body-s" data-testid="showing">
      Showing {props.what} {first} to {last} of {props.rows.toLocaleString("en-GB")}.
    </p>
  );
}

/** The place cells: ward (with its share when not all the cell's incidents), and the cell id below for reproducibility. */
function PlaceHeader(props: { r: PlacedRow }) {
  const { r } = props;
  return (
    <th scope="row" class="govuk-table__header" data-cell={r.cell}>
      {r.count === 0 ? "No incidents in the cell" : (r.ward ?? "Ward not known")}
      {r.count > 0 && r.ward && r.wardShare !== null && r.wardShare < 1 ? ` (${percent(r.wardShare)})` : ""}
      <span class="govuk-body-s app-block app-nowrap">Cell {r.cell}</span>
    </th>
  );
}

function StreetCell(props: { r: PlacedRow }) {
  const { r } = props;
  return <td class="govuk-table__cell">{r.street === null ? "" : `${r.street} (${percent(r.streetShare)})`}</td>;
}

function Exports(props: { table: string; search: string; showEmpty: boolean; what: string }) {
  const q = `${props.search}${props.showEmpty ? "&empty=1" : ""}`;
  return (
    <p class="govuk-body-s" data-testid={`export-${props.table}`}>
      Download {props.what}:{" "}
      <a class="govuk-link" href={`/api/v1/map-tables/${props.table}${q}&format=csv`} download>
        CSV
      </a>
      ,{" "}
      <a class="govuk-link" href={`/api/v1/map-tables/${props.table}${q}&format=geojson`} download>
        GeoJSON
      </a>{" "}
      (every row, not only this page)
    </p>
  );
}

function HiddenEmpty(props: { n: number; detail: string; here: URLSearchParams; anchor: string }) {
  if (props.n === 0) return null;
  return (
    <p class="govuk-body" data-testid="hidden-empty">
      {props.n.toLocaleString("en-GB")} {props.n === 1 ? "cell" : "cells"} with no incidents {props.n === 1 ? "is" : "are"} not listed{props.detail}.{" "}
      <a class="govuk-link" href={hrefWith(props.here, { empty: "1", gpage: null, epage: null }, props.anchor)}>
        Show cells with no incidents
      </a>
    </p>
  );
}

/** `hot-99` -> `Hot, 99%`: the legend above says what the classes are. */
const shortClass = (c: string) => `${c.startsWith("hot") ? "Hot" : "Cold"}, ${c.slice(c.indexOf("-") + 1)}%`;

const p3 = (p: number | null) => (p === null ? "" : p < 0.001 ? "< 0.001" : p.toFixed(3));

/**
 * The map's tables: Gi* hot and cold cells, priority areas, emerging hot spots (paged with plain
 * links, so they work without JavaScript; the emerging and KDE tables folded); each
 * cell named by its ward and most frequent police.uk location, with CSV and GeoJSON downloads.
 */
export function MapTablesSection(props: { v: MapView; t: MapTables; places: MapPlaces; search: string; here: URLSearchParams }) {
  const { v, t, here } = props;
  const g = v.hotspots?.gistar ?? null;
  const gi = t.gistar;
  const gp = pageOf(here, "gpage", gi?.rows.length ?? 0, MAP_TABLE_PAGE_SIZE.gistar);
  const pp = pageOf(here, "ppage", t.priority.length, MAP_TABLE_PAGE_SIZE.priority);
  const em = t.emerging;
  const ep = pageOf(here, "epage", em?.rows.length ?? 0, MAP_TABLE_PAGE_SIZE.emerging);
  const marked = g ? g.cells.filter((x) => x.class !== "none").length : 0;
  const hidden = gi ? gi.hiddenEmpty.hot + gi.hiddenEmpty.cold : 0;
  return (
    <>
      <h2 class="govuk-heading-m" id="gistar">
        Gi* hot and cold spots
      </h2>
      {g && gi ? (
        <>
          <p class="govuk-body">
            Getis-Ord Gi* on a grid of {g.kind === "h3" ? `H3 hexagons (resolution ${g.resolution})` : `${g.cellSize} m squares`}
            {v.hotspots?.params.clippedTo ? ` clipped to ${v.hotspots.params.clippedTo}` : " (not clipped to the area's boundary)"}, p-values{" "}
            {g.params.inference === "permutation" ? `from ${g.params.permutations} permutations` : "from the normal approximation"} adjusted for false discovery rate; {marked} of{" "}
            {g.cells.length.toLocaleString("en-GB")} cells are marked. A cell is named by the ward holding most of its incidents (its share when not all) and its most frequent
            police.uk location (an anonymised nearby point) with its share.{" "}
            {g.kind === "h3" ? "Cell ids are H3 indexes." : "Cell ids are British National Grid eastings and northings of the cell's corner."}
          </p>
          <HiddenEmpty
            n={hidden}
            detail={` (${gi.hiddenEmpty.hot} hot, ${gi.hiddenEmpty.cold} cold)`}
            here={here}
            anchor="gistar"
          />
          {gi.rows.length ? (
            <>
              <Showing p={gp} rows={gi.rows.length} what="cells" />
              <ScrollTable label="Gi* hot and cold cells">
                <table class="govuk-table" data-testid="gistar-cells">
                  <caption class="govuk-table__caption govuk-table__caption--s">Marked cells, strongest hot spots first</caption>
                  <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                      <th scope="col" class="govuk-table__header">Ward</th>
                      <th scope="col" class="govuk-table__header">Most frequent location</th>
                      <th scope="col" class="govuk-table__header">Class (confidence)</th>
                      <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                      <th scope="col" class="govuk-table__header govuk-table__header--numeric">z</th>
                      <th scope="col" class="govuk-table__header govuk-table__header--numeric">p (adjusted)</th>
                    </tr>
                  </thead>
                  <tbody class="govuk-table__body">
                    {slice(gi.rows, gp).map((x) => (
                      <tr class="govuk-table__row" data-class={x.class}>
                        <PlaceHeader r={x} />
                        <StreetCell r={x} />
                        <td class="govuk-table__cell">
                          <Swatch colour={GI_COLOURS[x.class]!} /> {shortClass(x.class)}
                        </td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{x.count}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{fixed(x.z, 2)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{p3(x.p)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
              <Pagination page={gp.page} pages={gp.pages} href={(n) => hrefWith(here, { gpage: String(n) }, "gistar")} label="Gi* cells pages" testId="gistar-pages" />
            </>
          ) : (
            <p class="govuk-body">No marked cell has incidents.</p>
          )}
          <Exports table="gistar" search={props.search} showEmpty={t.showEmpty} what="the Gi* table" />
        </>
      ) : (
        <p class="govuk-body">{v.hotspotsMessage}</p>
      )}

      <h2 class="govuk-heading-m" id="priority">
        Priority areas
      </h2>
      {t.priority.length ? (
        <>
          <Showing p={pp} rows={t.priority.length} what="areas" />
          <ScrollTable label="Priority areas">
            <table class="govuk-table" data-testid="priority-areas">
              <caption class="govuk-table__caption govuk-table__caption--s">LSOAs ranked on {v.priority?.result?.params.rates === "empirical-bayes" ? "the smoothed (empirical Bayes) crime rate" : "the observed crime rate"} and deprivation ({v.priority?.result?.params.deprivationMeasure ?? `IMD ${v.priority?.params.imdEdition}`})</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rank</th>
                  <th scope="col" class="govuk-table__header">LSOA</th>
                  <th scope="col" class="govuk-table__header">Ward</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rate per 1,000</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Smoothed rate per 1,000</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Deprivation decile</th>
                  <th scope="col" class="govuk-table__header">In a hotspot</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {slice(t.priority, pp).map((a) => (
                  <tr class="govuk-table__row">
                    <td class="govuk-table__cell govuk-table__cell--numeric">{a.rank}</td>
                    <th scope="row" class="govuk-table__header">
                      {a.lsoaName} <span class="govuk-body-s app-block">{a.lsoa}</span>
                    </th>
                    <td class="govuk-table__cell">{a.ward ?? "not known"}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{a.count}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{a.rate.toFixed(1)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{a.smoothedRate.toFixed(1)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{a.deprivationDecile}</td>
                    <td class="govuk-table__cell">{a.inHotspot ? "yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <Pagination page={pp.page} pages={pp.pages} href={(n) => hrefWith(here, { ppage: String(n) }, "priority")} label="Priority areas pages" testId="priority-pages" />
          <Exports table="priority" search={props.search} showEmpty={t.showEmpty} what="the priority areas" />
        </>
      ) : (
        <p class="govuk-body">{v.priority?.message ? inWebWords(v.priority.message) : "No priority areas."}</p>
      )}

      <h2 class="govuk-heading-m" id="emerging">
        Emerging hot spots
      </h2>
      {v.emerging && em ? (
        <>
          <p class="govuk-body">
            {v.emerging.result.steps.length} {v.emerging.step}s analysed
            {v.emerging.stepsExcluded.length ? ` (left out for missing data: ${v.emerging.stepsExcluded.join(", ")})` : ""};{" "}
            {v.emerging.result.cells.filter((x) => x.category !== "no-pattern").length} cells have a pattern. Cells are named as in the Gi* table, from the incidents of the{" "}
            {v.emerging.step}s analysed.
          </p>
          <p class="govuk-body" data-testid="emerging-summary">
            {Object.entries(v.emerging.result.summary)
              .filter(([k, n]) => n > 0 && k !== "no-pattern")
              .map(([k, n]) => `${EMERGING_CATEGORY_LABELS[k as EmergingCategory]}: ${n} ${n === 1 ? "cell" : "cells"}`)
              .join("; ")}
          </p>
          <HiddenEmpty n={em.hiddenEmpty} detail="" here={here} anchor="emerging" />
          {em.rows.length ? (
            <details class="govuk-details" data-testid="emerging-details" open={here.has("epage")}>
              <summary class="govuk-details__summary">
                <span class="govuk-details__summary-text">The {em.rows.length.toLocaleString("en-GB")} cells with a pattern, named by ward and location</span>
              </summary>
              <div class="govuk-details__text">
              <Showing p={ep} rows={em.rows.length} what="cells" />
              <ScrollTable label="Emerging hot spot cells">
                <table class="govuk-table" data-testid="emerging-cells">
                  <caption class="govuk-table__caption govuk-table__caption--s">Cells with a pattern</caption>
                  <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                      <th scope="col" class="govuk-table__header">Ward</th>
                      <th scope="col" class="govuk-table__header">Most frequent location</th>
                      <th scope="col" class="govuk-table__header">Pattern</th>
                      <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                      <th scope="col" class="govuk-table__header govuk-table__header--numeric">Trend (Kendall's tau)</th>
                    </tr>
                  </thead>
                  <tbody class="govuk-table__body">
                    {slice(em.rows, ep).map((x) => (
                      <tr class="govuk-table__row">
                        <PlaceHeader r={x} />
                        <StreetCell r={x} />
                        <td class="govuk-table__cell">{x.patternLabel}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{x.count}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{fixed(x.trendTau, 2)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
              <Pagination page={ep.page} pages={ep.pages} href={(n) => hrefWith(here, { epage: String(n) }, "emerging")} label="Emerging hot spot cells pages" testId="emerging-pages" />
              </div>
            </details>
          ) : null}
          <Exports table="emerging" search={props.search} showEmpty={t.showEmpty} what="the emerging hot spot table" />
        </>
      ) : (
        <p class="govuk-body">{v.emergingMessage ? inWebWords(v.emergingMessage) : null}</p>
      )}

      <h2 class="govuk-heading-m" id="kde">
        Densest cells (KDE)
      </h2>
      {t.kde.length ? (
        <details class="govuk-details" data-testid="kde-details">
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">The {t.kde.length} cells with the highest kernel density</span>
          </summary>
          <div class="govuk-details__text">
            <ScrollTable label="Densest KDE cells">
              <table class="govuk-table" data-testid="kde-cells">
                <caption class="govuk-table__caption govuk-table__caption--s">The {t.kde.length} cells with the highest kernel density (incidents per km²)</caption>
                <thead class="govuk-table__head">
                  <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">Ward</th>
                    <th scope="col" class="govuk-table__header">Most frequent location</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Density per km²</th>
                  </tr>
                </thead>
                <tbody class="govuk-table__body">
                  {t.kde.map((x) => (
                    <tr class="govuk-table__row">
                      <PlaceHeader r={x} />
                      <StreetCell r={x} />
                      <td class="govuk-table__cell govuk-table__cell--numeric">{x.count}</td>
                      <td class="govuk-table__cell govuk-table__cell--numeric">{x.density.toFixed(0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </div>
        </details>
      ) : (
        <p class="govuk-body">No KDE surface.</p>
      )}
    </>
  );
}
