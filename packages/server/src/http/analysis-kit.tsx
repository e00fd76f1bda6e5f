import { AREA_QUERY_MAX_LENGTH, isAppError, isMonth } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { dataVersion } from "../db/repositories/data-version.repository.ts";
import { areaChoices } from "../services/area-choices.service.ts";
import type { AnalysisQuery } from "../services/analysis-scope.ts";
import { raw } from "hono/html";
import type { RenderedChart } from "./chart-svg.ts";
import { ErrorSummary, type FieldError, ScrollTable } from "./components.tsx";
import { fieldOfMessage, inWebWords } from "./web-words.ts";
import type { MiddlewareHandler } from "hono";
import { defaultAreaOf } from "../services/default-area.service.ts";
import { CsrfField } from "./csrf.tsx";
import type { AppContext, AppEnv } from "./env.ts";

/**
 * Shared by the analysis pages (overview, trends, peers, map): the area and period form, the
 * tabs between the pages, a per-store cache of results until the loaded data changes, and the
 * errors a user can fix (unknown area, bad month) shown on the form instead of an error page.
 */

interface StoreCache {
  version: string;
  entries: Map<string, Promise<unknown>>;
}
const caches = new WeakMap<Store, StoreCache>();
const requestVersions = new WeakMap<Request, Promise<string>>();
const MAX_ENTRIES = 300;

/** The data version, read once per request (several cached pieces share it). */
function versionFor(c: AppContext): Promise<string> {
  let v = requestVersions.get(c.req.raw);
  if (!v) {
    v = dataVersion(c.var.deps.store);
    requestVersions.set(c.req.raw, v);
  }
  return v;
}

/**
 * `compute()` once per key until the data version (import register, reference installs) changes;
 * concurrent requests for the same key share one computation. A result computed while the data
 * changed is not kept.
 */
export async function cachedForData<T>(c: AppContext, key: string, compute: () => Promise<T>): Promise<T> {
  const store = c.var.deps.store;
  const version = await versionFor(c);
  let cache = caches.get(store);
  if (!cache || cache.version !== version) {
    cache = { version, entries: new Map() };
    caches.set(store, cache);
  }
  const hit = cache.entries.get(key);
  if (hit) return hit as Promise<T>;
  const entries = cache.entries;
  const p = compute();
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, p);
  try {
    await p;
    if ((await dataVersion(store)) !== version) entries.delete(key);
  } catch {
    entries.delete(key);
  }
  return p;
}

/** The area picker's datalist, rendered once per data version (about 700 options). */
export function cachedAreaChoices(c: AppContext): Promise<string> {
  return cachedForData(c, "area-choices-html", async () => {
    const choices = await areaChoices(c.var.deps.store);
    return (
      <datalist id="area-choices">
        {choices.map((a) => (
          <option value={a.value}>{a.level === "csp" ? "Community Safety Partnership" : a.derived ? "local authority (derived from police.uk LSOA names)" : "local authority"}</option>
        ))}
      </datalist>
    ).toString();
  });
}

const rendered = new WeakMap<object, string>();

/** Renders a page fragment once per result object (results are cached, so is their HTML; hono/jsx escaped it). */
export async function renderOnce(result: object, render: () => { toString(): string | Promise<string> }): Promise<string> {
  const known = rendered.get(result);
  if (known !== undefined) return known;
  const html = await render().toString();
  rendered.set(result, html);
  return html;
}

/** What the area form shows about the user's default area (signed in with a session on an analysis page). */
export interface DefaultAreaState {
  /** The user's default area (`csp:Southampton`), or null when none is saved. */
  area: string | null;
  /** The page opened with no area asked for and shows the default. */
  used: boolean;
  /** For the "Make this my default area" form. */
  csrf: string;
  /** The page to come back to after saving. */
  back: string;
}

/** The form's state: what was asked for (or the default area), and what the form says about the default. */
export interface RawAnalysisQuery {
  area: string;
  from: string;
  to: string;
  defaultArea?: DefaultAreaState;
}

/**
 * Loads the signed-in user's default area (issue 12 item 6) for the analysis pages' GET requests,
 * so `readAnalysisQuery` can open a page asked for no area on it (one primary-key read).
 */
export function loadDefaultArea(): MiddlewareHandler<AppEnv> {
  const paths = new Set<string>(ANALYSIS_PAGES.map((p) => p.path));
  return async (c, next) => {
    const user = c.var.user;
    if (c.req.method === "GET" && user && c.var.authVia === "session" && paths.has(c.req.path)) c.set("defaultArea", await defaultAreaOf(c.var.deps.store, user.id));
    return next();
  };
}

/**
 * The page's query: area, from, to (empty strings dropped); null area when none was chosen. A page
 * asked for no `area` parameter at all opens on the user's default area when one is saved (an
 * `area` sent empty from the form still shows the picker).
 */
export function readAnalysisQuery(c: AppContext): { query: AnalysisQuery | null; errors: FieldError[]; raw: RawAnalysisQuery } {
  const asked = c.req.query("area");
  const saved = c.var.defaultArea;
  const useDefault = asked === undefined && !!saved;
  const raw: RawAnalysisQuery = { area: useDefault ? saved!.area : (asked ?? "").trim(), from: (c.req.query("from") ?? "").trim(), to: (c.req.query("to") ?? "").trim() };
  if (saved !== undefined && c.var.user) {
    const url = new URL(c.req.url);
    raw.defaultArea = { area: saved?.area ?? null, used: useDefault, csrf: c.var.csrfToken, back: `${url.pathname}${url.search}` };
  }
  const errors: FieldError[] = [];
  // Capped before anything looks at them (area search, "did you mean"); the form shows the start only.
  if (raw.area.length > AREA_QUERY_MAX_LENGTH) {
    errors.push({ field: "area", message: `Enter an area name or code of at most ${AREA_QUERY_MAX_LENGTH} characters (you entered ${raw.area.length})` });
    raw.area = raw.area.slice(0, AREA_QUERY_MAX_LENGTH);
  }
  for (const key of ["from", "to"] as const) if (raw[key].length > 20) raw[key] = raw[key].slice(0, 20);
  if (raw.from && !isMonth(raw.from)) errors.push({ field: "from", message: `Enter the first month as YYYY-MM, for example 2025-01 (you entered ${raw.from})` });
  if (raw.to && !isMonth(raw.to)) errors.push({ field: "to", message: `Enter the last month as YYYY-MM, for example 2025-12 (you entered ${raw.to})` });
  if (!errors.length && raw.from && raw.to && raw.from > raw.to) errors.push({ field: "from", message: "The first month must be before the last month" });
  if (!raw.area || errors.length) return { query: null, errors, raw };
  return { query: { area: raw.area, ...(raw.from ? { from: raw.from } : {}), ...(raw.to ? { to: raw.to } : {}) }, errors, raw };
}

const USER_ERRORS = new Set(["input.invalid", "area.not_found", "area.ambiguous", "data.missing"]);

/** Runs an analysis; an error the user can fix comes back as a form error, in the web's words, on the field it is about. */
export async function tryAnalysis<T>(run: () => Promise<T>): Promise<{ value: T | null; errors: FieldError[] }> {
  try {
    return { value: await run(), errors: [] };
  } catch (e) {
    if (isAppError(e) && USER_ERRORS.has(e.code)) {
      const text = e.hint ? `${e.message}: ${e.hint}` : e.message;
      return { value: null, errors: [{ field: fieldOfMessage(text), message: inWebWords(text) }] };
    }
    throw e;
  }
}

/** `?area=…&from=…&to=…` for links between the analysis pages. */
export function analysisSearch(q: { area: string; from?: string | undefined; to?: string | undefined }, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  p.set("area", q.area);
  if (q.from) p.set("from", q.from);
  if (q.to) p.set("to", q.to);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return `?${p.toString()}`;
}

export const ANALYSIS_PAGES = [
  { path: "/overview", text: "Overview" },
  { path: "/trends", text: "Trends" },
  { path: "/peers", text: "Peers" },
  { path: "/map", text: "Map" },
] as const;

/** Links to the other analysis pages for the same area and period. */
export function AnalysisTabs(props: { current: string; raw: RawAnalysisQuery }) {
  if (!props.raw.area) return null;
  const search = analysisSearch({ area: props.raw.area, from: props.raw.from, to: props.raw.to });
  return (
    <nav aria-label="Analysis pages" class="app-analysis-tabs">
      <ul class="govuk-list app-inline-list">
        {ANALYSIS_PAGES.map((p) =>
          p.path === props.current ? (
            <li>
              <strong aria-current="page">{p.text}</strong>
            </li>
          ) : (
            <li>
              <a class="govuk-link" href={`${p.path}${search}`}>
                {p.text}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}

/** The area and period form (GET): an input with a datalist of CSPs and local authorities, and two months. */
export function AreaPeriodForm(props: { action: string; raw: RawAnalysisQuery; datalist: string; errors: FieldError[]; children?: unknown }) {
  const err = (f: string) => props.errors.find((e) => e.field === f)?.message;
  const field = (id: "area" | "from" | "to", label: string, hint: string, width: string, list?: string) => (
    <div class={`govuk-form-group${err(id) ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label" for={id}>
        {label}
      </label>
      <div class="govuk-hint" id={`${id}-hint`}>
        {hint}
      </div>
      {err(id) ? (
        <p class="govuk-error-message" id={`${id}-error`}>
          <span class="govuk-visually-hidden">Error:</span> {err(id)}
        </p>
      ) : null}
      <input
        class={`govuk-input ${width}${err(id) ? " govuk-input--error" : ""}`}
        id={id}
        name={id}
        type="text"
        value={props.raw[id]}
        list={list}
        autocomplete="off"
        spellcheck={false}
        aria-describedby={`${id}-hint${err(id) ? ` ${id}-error` : ""}`}
      />
    </div>
  );
  return (
    <>
      <ErrorSummary errors={props.errors} />
      <form method="get" action={props.action} class="app-area-form" data-testid="area-form">
        {field("area", "Area", "A Community Safety Partnership or local authority (csp:Southampton), a code (E06000045), a ward (ward:Bevois) or LSOA codes separated by commas (a custom area)", "govuk-!-width-two-thirds", "area-choices")}
        {raw(props.datalist)}
        <div class="app-inline-form">
          {field("from", "From month", "For example 2025-01; leave both months empty for the latest 12 complete months loaded", "govuk-input--width-10")}
          {field("to", "To month", "For example 2025-12; empty for the last month loaded", "govuk-input--width-10")}
        </div>
        {props.children as never}
        <button type="submit" class="govuk-button" data-module="govuk-button" data-testid="area-submit">
          Show
        </button>
      </form>
      {props.raw.defaultArea ? <DefaultAreaLine state={props.raw.defaultArea} area={props.raw.area} errors={props.errors} /> : null}
    </>
  );
}

/**
 * Under the area form: that the page shows the user's default area, or a button making the area
 * shown the default (when it is not already; nothing while the form has errors).
 */
function DefaultAreaLine(props: { state: DefaultAreaState; area: string; errors: FieldError[] }) {
  const { state } = props;
  if (state.used) {
    return (
      <p class="govuk-body-s" data-testid="default-area-used">
        Showing your default area, {state.area}.{" "}
        <a class="govuk-link" href="/account#default-area">
          Change your default area
        </a>
      </p>
    );
  }
  if (!props.area || props.errors.length || props.area.toLowerCase() === state.area?.toLowerCase()) return null;
  return (
    <form method="post" action="/account/default-area" class="app-default-area-form" data-testid="make-default-area">
      <CsrfField token={state.csrf} />
      <input type="hidden" name="area" value={props.area} />
      <input type="hidden" name="next" value={state.back} />
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
        Make this my default area
      </button>
    </form>
  );
}

/** "1,234" or "no data". */
export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? "no data" : n.toLocaleString("en-GB");
}

/** "+12.3%" / "−4.0%" / "". */
export function pct(n: number | null | undefined): string {
  if (n === null || n === undefined) return "";
  return `${n > 0 ? "+" : n < 0 ? "−" : ""}${Math.abs(n).toFixed(1)}%`;
}

export function signed(n: number | null | undefined): string {
  if (n === null || n === undefined) return "";
  return `${n > 0 ? "+" : n < 0 ? "−" : ""}${Math.abs(n).toLocaleString("en-GB")}`;
}

export function fixed(n: number | null | undefined, dp = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? "" : n.toFixed(dp);
}

/** One formatter for every table cell: `toLocaleString` with options builds a new one per call (~20 µs each). */
const CELL_NUMBER = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 });

/** A DataTable as a GOV.UK table in a scroll box, with its CSV download link. */
export function TableWithCsv(props: { t: import("./csv.ts").DataTable; csvHref: string; hideFirstColumn?: boolean }) {
  const { t } = props;
  const skip = props.hideFirstColumn ? 1 : 0;
  const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "number" ? CELL_NUMBER.format(v) : String(v));
  return (
    <div class="app-data-table" data-testid={`table-${t.id}`}>
      <ScrollTable label={t.caption}>
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--s">{t.caption}</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              {t.header.slice(skip).map((h, i) => (
                <th scope="col" class={`govuk-table__header${t.numeric?.[i + skip] ? " govuk-table__header--numeric" : ""}`}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {t.rows.map((r) => (
              <tr class="govuk-table__row">
                {r.slice(skip).map((v, i) =>
                  i === 0 ? (
                    <th scope="row" class="govuk-table__header">
                      {cell(v)}
                    </th>
                  ) : (
                    <td class={`govuk-table__cell${t.numeric?.[i + skip] ? " govuk-table__cell--numeric" : ""}`}>{cell(v)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <p class="govuk-body-s">
        <a class="govuk-link" href={props.csvHref} download>
          Download this table as CSV<span class="govuk-visually-hidden">: {t.caption}</span>
        </a>
      </p>
    </div>
  );
}

/**
 * A server-rendered chart: the SVG from vega (escaped by vega; no inline style or script),
 * described for screen readers, shown without JavaScript, never scaled down (a box that scrolls
 * sideways when the screen is narrower than the chart, so its 12 px labels stay 12 px). Its wrapper carries the Vega-Lite spec
 * in `data-vega-lite` (an attribute, escaped by hono/jsx); `ChartIsland` (once per page) makes it
 * interactive.
 */
export function Chart(props: { chart: RenderedChart; description: string; id: string; about?: { area: string; from: string; to: string } }) {
  // `about`: the area and period, for the names and captions of the chart's SVG/PNG exports (charts.mjs)
  return (
    <figure class="app-chart" data-testid={`chart-${props.id}`} data-area={props.about?.area} data-from={props.about?.from} data-to={props.about?.to}>
      {/* Drawn at its own size (text 12 px or more): on a narrow screen the chart scrolls sideways in this box, never the page (tabindex: axe scrollable-region-focusable) */}
      <section class="app-chart-scroll" aria-label={`Chart: ${props.description}`} tabindex={0}>
        <div role="img" aria-label={props.description} data-vega-lite={JSON.stringify(props.chart.spec)}>
          {raw(props.chart.svg)}
        </div>
      </section>
      <figcaption class="govuk-body-s">{props.description}. The table below has the figures.</figcaption>
    </figure>
  );
}

/**
 * The chart island, once on a page with charts: vega, vega-lite and vega-embed (UMD builds from
 * node_modules, ~830 kB, deferred so they run in order before the module) and
 * /assets/app/charts.mjs, which swaps each SVG for an interactive view (CSP-safe, no eval).
 */
export function ChartIsland() {
  return (
    <>
      <script defer src="/assets/vega/vega.min.js"></script>
      <script defer src="/assets/vega-lite/vega-lite.min.js"></script>
      <script defer src="/assets/vega-embed/vega-embed.min.js"></script>
      <script type="module" src="/assets/app/charts.mjs"></script>
    </>
  );
}
