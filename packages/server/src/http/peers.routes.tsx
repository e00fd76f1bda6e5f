import { AppError, isAppError, leftOutPhrase, peerFunnelSpec, peerRankSpec, peerVariableLabel, roleAtLeast } from "@safecity/core";
import { Hono } from "hono";
import type { PeersResult } from "../services/peers.service.ts";
import { clearPeerGroup, savePeerGroup } from "../services/peer-group.service.ts";
import { peersCached, storedPeersFor } from "./analysis-api.ts";
import { AnalysisTabs, AreaPeriodForm, Chart, ChartIsland, TableWithCsv, analysisSearch, cachedAreaChoices, fixed, readAnalysisQuery, tryAnalysis } from "./analysis-kit.tsx";
import { peersTables, slug } from "./analysis-tables.ts";
import { type RenderedChart, renderChart } from "./chart-svg.ts";
import type { FieldError } from "./components.tsx";
import { ScrollTable } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";
import { PeriodWarning } from "./period-warning.tsx";
import { tableCsv } from "./csv.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { csvResponse } from "./trends.routes.tsx";

/**
 * `/peers`: the area's position in its peer group per crime group (ranked bars with the mean ± SD
 * band, funnel plot, tables, CSV) and the peer group editor: the computed group with its variables
 * and distances, or an official list entered by an analyst and stored per area.
 */
export function peersRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/peers", requireRole("viewer"), (c) => renderPeers(c, []));
  app.post("/peers/group", requireRole("analyst"), async (c) => {
    const body = await c.req.parseBody();
    const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
    const actor = { label: c.var.user!.email, ip: c.var.deps.clientIp(c) };
    const back = analysisSearch({ area: str("area"), from: str("from") || undefined, to: str("to") || undefined });
    try {
      if (str("action") === "clear") await clearPeerGroup(c.var.deps.store, actor, c.var.deps.now(), str("area"));
      else await savePeerGroup(c.var.deps.store, actor, c.var.deps.now(), { area: str("area"), codes: str("codes"), note: str("note") });
    } catch (e) {
      if (!isAppError(e) || !["input.invalid", "area.not_found", "area.ambiguous"].includes(e.code)) throw e;
      return renderPeers(c, [{ field: "codes", message: e.hint ? `${e.message} (${e.hint})` : e.message }], str("codes"));
    }
    return c.redirect(`/peers${back}&saved=${str("action") === "clear" ? "cleared" : "saved"}#peer-group`, 303);
  });
  app.get("/peers.csv", requireRole("viewer"), async (c) => {
    const { query, errors } = readAnalysisQuery(c);
    if (!query) throw new AppError("input.invalid", errors[0]?.message ?? "choose an area (`?area=`)");
    const tables = peersTables(await peersCached(c, { ...query, ...readPeerMethod(c).method }));
    const id = c.req.query("table") ?? "members";
    const t = tables.find((x) => x.id === id);
    if (!t) throw new AppError("input.invalid", `no table \`${id}\`; one of ${tables.map((x) => x.id).join(", ")}`);
    return csvResponse(c, tableCsv(t), `peers-${t.id}.csv`);
  });
  return app;
}

async function renderPeers(c: AppContext, postErrors: FieldError[], codesValue?: string) {
  const body = c.req.method === "POST" ? await c.req.parseBody() : {};
  const fromBody = (k: string) => (typeof body[k] === "string" ? (body[k] as string).trim() : "");
  const parsed = c.req.method === "POST" ? { raw: { area: fromBody("area"), from: fromBody("from"), to: fromBody("to") } } : null;
  const q = readAnalysisQuery(c);
  const raw = parsed?.raw ?? q.raw;
  const query = parsed ? (raw.area ? { area: raw.area, ...(raw.from ? { from: raw.from } : {}), ...(raw.to ? { to: raw.to } : {}) } : null) : q.query;
  const pm = readPeerMethod(c);
  const run = query && !pm.errors.length ? await tryAnalysis(() => peersCached(c, { ...query, ...pm.method })) : { value: null, errors: [] };
  const stored = run.value ? await storedPeersFor(c, query!.area) : [];
  const allErrors = [...q.errors, ...pm.errors, ...run.errors];
  const title = run.value ? `Peers: ${run.value.scope.area.name}` : "Peers";
  const group = c.req.query("group") ?? "All crime";
  const charts = run.value ? await peerCharts(run.value, group) : null;
  const canEdit = roleAtLeast(c.var.user!.role, "analyst");
  return page(
    c,
    title,
    <>
      <h1 class="govuk-heading-l">{title}</h1>
      <AnalysisTabs current="/peers" raw={raw} />
      <AreaPeriodForm action="/peers" raw={raw} datalist={await cachedAreaChoices(c)} errors={allErrors} />
      {run.value && charts ? (
        <PeersBody
          p={run.value}
          charts={charts}
          group={group}
          search={analysisSearch(query!, pm.search)}
          raw={raw}
          stored={stored}
          canEdit={canEdit}
          csrf={c.var.csrfToken}
          errors={postErrors}
          codesValue={codesValue}
          saved={c.req.query("saved") ?? null}
        />
      ) : null}
    </>,
    { hasError: allErrors.length + postErrors.length > 0, status: allErrors.length || postErrors.length ? 400 : 200 },
  );
}

interface PeerCharts {
  source: "ONS" | "police.uk" | null;
  rank: RenderedChart | null;
  funnel: RenderedChart | null;
}

async function peerCharts(p: PeersResult, group: string): Promise<PeerCharts> {
  const g = p.groups.find((x) => x.group === group) ?? p.groups[0];
  const side = g?.ons.result ? { source: "ONS" as const, r: g.ons.result } : g?.policeUk.result ? { source: "police.uk" as const, r: g.policeUk.result } : null;
  if (!g || !side) return { source: null, rank: null, funnel: null };
  const rows = side.r.rows.map((r) => ({ code: r.code, name: r.name, rate: r.rate, population: r.population, target: r.code === p.scope.area.code, funnel: r.funnel }));
  const subject = g.group.toLowerCase();
  return {
    source: side.source,
    rank: await renderChart(peerRankSpec(rows, { mean: side.r.group.mean, sd: side.r.group.sd }, { subject })),
    funnel: await renderChart(peerFunnelSpec(rows, side.r.group.groupRate, { subject })),
  };
}

/** The area's position in words and who is left out of the ranking, for the source the charts show. */
function PeerStanding(props: { p: PeersResult; g: PeersResult["groups"][number]; source: string | null }) {
  const side = props.source === "ONS" ? props.g.ons : props.source === "police.uk" ? props.g.policeUk : null;
  if (!side?.result) return null;
  const left = leftOutPhrase(side.excluded);
  return (
    <p class="govuk-body" data-testid="peer-standing">
      {props.p.scope.area.name} has {side.result.target.standing} ({props.source === "ONS" ? `ONS, year ending ${props.g.ons.yearEnding}` : "police.uk"}).
      {left ? ` ${left}.` : ""}
    </p>
  );
}

/** `funnel` and `dispersion` from the query string (defaults: over-dispersed, multiplicative); a bad value is a field error. */
function readPeerMethod(c: AppContext): { method: { funnel?: "overdispersed" | "poisson"; dispersion?: "multiplicative" | "additive" }; search: Record<string, string>; errors: FieldError[] } {
  const funnel = c.req.query("funnel");
  const dispersion = c.req.query("dispersion");
  const errors: FieldError[] = [];
  const method: { funnel?: "overdispersed" | "poisson"; dispersion?: "multiplicative" | "additive" } = {};
  const search: Record<string, string> = {};
  if (funnel) {
    if (funnel === "overdispersed" || funnel === "poisson") {
      method.funnel = funnel;
      search.funnel = funnel;
    } else errors.push({ field: "funnel", message: "Funnel limits must be over-dispersed or exact Poisson" });
  }
  if (dispersion) {
    if (dispersion === "multiplicative" || dispersion === "additive") {
      method.dispersion = dispersion;
      search.dispersion = dispersion;
    } else errors.push({ field: "dispersion", message: "The over-dispersion model must be multiplicative or additive" });
  }
  return { method, search, errors };
}

const levelPct = (l: number) => `${Number((l * 100).toFixed(1))}%`;

/**
 * What the funnel limits say about the area, in words: its verdict, which limits were used and the
 * dispersion ratio, and when the over-dispersed limits take back a "significant" that exact Poisson
 * limits would give, that too (issue 13).
 */
function PeerSignificance(props: { g: PeersResult["groups"][number]; area: string }) {
  const side = props.g.ons.result ? { source: `ONS, year ending ${props.g.ons.yearEnding}`, r: props.g.ons.result } : props.g.policeUk.result ? { source: "police.uk", r: props.g.policeUk.result } : null;
  if (!side) return null;
  const { r } = side;
  const t = r.target;
  const d = r.dispersion;
  const od = r.funnelMethod.used !== "poisson";
  const poissonSaysMore = od && t.poisson.position !== "within" && (t.position === "within" || (t.beyond ?? 0) < (t.poisson.beyond ?? 0));
  return (
    <div class="govuk-inset-text" data-testid="peer-significance">
      <p class="govuk-body">
        <strong>
          {props.area} ({side.source}): {t.verdict}.
        </strong>
      </p>
      <p class="govuk-body">
        Funnel limits: {r.funnelMethod.label}, at {levelPct(r.params.levels[0])} and {levelPct(r.params.levels[1])} around the group's pooled rate.
        {d
          ? ` The rates of the group vary ${fixed(d.phi, 1)} times as much as chance alone would make them (dispersion ratio φ from winsorised z-scores; Pearson ratio ${fixed(d.pearsonRatio, 1)}${r.funnelMethod.model === "additive" ? `; between-area variance τ² = ${fixed(d.tau2, 3)}` : ""}).`
          : ""}
        {od ? " The limits allow for that spread, so only a difference beyond the usual variation between similar areas counts as significant." : ""}
      </p>
      {poissonSaysMore ? (
        <p class="govuk-body" data-testid="peer-significance-poisson">
          Against exact Poisson limits, which assume no variation between areas beyond chance, {props.area} would be {t.poisson.position} the {levelPct(t.poisson.beyond!)} limit; under the
          over-dispersed limits it is {t.position === "within" ? "not significantly different from the group" : `only ${t.position} the ${levelPct(t.beyond!)} limit`}.
        </p>
      ) : null}
    </div>
  );
}

function PeersBody(props: {
  p: PeersResult;
  charts: PeerCharts;
  group: string;
  search: string;
  raw: { area: string; from: string; to: string };
  stored: string[];
  canEdit: boolean;
  csrf: string;
  errors: FieldError[];
  codesValue: string | undefined;
  saved: string | null;
}) {
  const { p, charts } = props;
  const tables = peersTables(p);
  const g = p.groups.find((x) => x.group === props.group) ?? p.groups[0];
  const csv = (id: string) => `/peers.csv${props.search}&table=${id}`;
  const groupTables = g ? tables.filter((t) => t.id.startsWith(`${slug(g.group)}-`)) : [];
  const err = props.errors[0]?.message;
  return (
    <>
      <p class="govuk-body-l" data-testid="peers-summary">
        {p.scope.area.name} among {p.members.length - 1} {p.groupSource === "given" ? "peers from the official list" : "similar areas (computed)"}
      </p>
      <PeriodWarning text={p.scope.warning} />
      {props.saved ? (
        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" data-testid="peer-saved">
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">{props.saved === "cleared" ? "The official list was removed; peers are computed." : "The peer group was saved."}</p>
          </div>
        </div>
      ) : null}
      <form method="get" action="/peers" class="app-inline-form">
        <input type="hidden" name="area" value={props.raw.area} />
        {props.raw.from ? <input type="hidden" name="from" value={props.raw.from} /> : null}
        {props.raw.to ? <input type="hidden" name="to" value={props.raw.to} /> : null}
        <div class="govuk-form-group">
          <label class="govuk-label" for="group">
            Crime group
          </label>
          <select class="govuk-select" id="group" name="group">
            {p.groups.map((x) => (
              <option value={x.group} selected={x.group === g?.group}>
                {x.group}
              </option>
            ))}
          </select>
        </div>
        <div class="govuk-form-group">
          <label class="govuk-label" for="funnel">
            Funnel limits
          </label>
          <select class="govuk-select" id="funnel" name="funnel">
            <option value="overdispersed" selected={p.method.funnel === "overdispersed"}>
              Over-dispersed (Spiegelhalter 2005)
            </option>
            <option value="poisson" selected={p.method.funnel === "poisson"}>
              Exact Poisson
            </option>
          </select>
        </div>
        <div class="govuk-form-group">
          <label class="govuk-label" for="dispersion">
            Over-dispersion model
          </label>
          <select class="govuk-select" id="dispersion" name="dispersion">
            <option value="multiplicative" selected={p.method.dispersionModel === "multiplicative"}>
              Multiplicative (φ)
            </option>
            <option value="additive" selected={p.method.dispersionModel === "additive"}>
              Additive random effects (τ²)
            </option>
          </select>
        </div>
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
          Show group
        </button>
      </form>
      {g ? (
        <>
          <h2 class="govuk-heading-m">
            {g.group}: rate per 1,000 residents ({charts.source === "ONS" ? `ONS, year ending ${g.ons.yearEnding}` : charts.source ?? "no figures"})
          </h2>
          <PeerStanding p={p} g={g} source={charts.source} />
          {charts.rank ? <Chart id="peer-rank" about={{ area: p.scope.area.name, from: p.scope.from, to: p.scope.to }} chart={charts.rank} description={`Bar chart ranking the peer group on ${g.group.toLowerCase()} per 1,000 residents, ${p.scope.area.name} highlighted, with the group mean and mean ± 1 standard deviation`} /> : null}
          {charts.funnel ? (
            <Chart
              id="peer-funnel"
              about={{ area: p.scope.area.name, from: p.scope.from, to: p.scope.to }}
              chart={charts.funnel}
              description={`Funnel plot of ${g.group.toLowerCase()} rate against population with 95% and 99.8% ${(g.ons.result ?? g.policeUk.result)?.funnelMethod.used === "poisson" ? "exact Poisson" : "over-dispersed"} limits around the group rate`}
            />
          ) : null}
          {charts.rank || charts.funnel ? <ChartIsland /> : null}
          <PeerSignificance g={g} area={p.scope.area.name} />
          {!charts.rank ? <p class="govuk-body">{g.ons.message ?? g.policeUk.message ?? "Neither source covers enough of the peer group."}</p> : null}
          {groupTables.map((t) => (
            <TableWithCsv t={t} csvHref={csv(t.id)} hideFirstColumn />
          ))}
        </>
      ) : null}
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">Why police.uk and ONS figures differ</span>
        </summary>
        <div class="govuk-details__text">{p.sourcesNote}</div>
      </details>

      <h2 class="govuk-heading-m" id="peer-group">
        Peer group
      </h2>
      <p class="govuk-body">
        {p.groupSource === "given"
          ? "This is the official list entered by an analyst."
          : `Computed: the ${p.members.length - 1} areas nearest to ${p.scope.area.name} on the variables below (z-scores, Euclidean distance).`}
      </p>
      <TableWithCsv t={tables[0]!} csvHref={csv("members")} hideFirstColumn />
      {p.similarity ? (
        <ScrollTable label="Variables used">
          <table class="govuk-table" data-testid="similarity-variables">
            <caption class="govuk-table__caption govuk-table__caption--s">Variables used for the computed group</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Variable</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">{p.scope.area.name}</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Mean of all areas</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">z</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {p.similarity.variables.map((v) => (
                <tr class="govuk-table__row">
                  <th scope="row" class="govuk-table__header">
                    {peerVariableLabel(v.name)} <span class="govuk-body-s app-block">{v.name}</span>
                  </th>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{fixed(v.targetValue, 2)}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{fixed(v.mean, 2)}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{fixed(v.targetZ, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {props.canEdit && p.scope.area.code ? (
        <form method="post" action="/peers/group" data-testid="peer-editor" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="area" value={props.raw.area} />
          {props.raw.from ? <input type="hidden" name="from" value={props.raw.from} /> : null}
          {props.raw.to ? <input type="hidden" name="to" value={props.raw.to} /> : null}
          {props.errors.length ? (
            <div class="govuk-error-summary" data-module="govuk-error-summary">
              <div role="alert">
                <h2 class="govuk-error-summary__title">There is a problem</h2>
                <div class="govuk-error-summary__body">
                  <ul class="govuk-list govuk-error-summary__list">
                    <li>
                      <a href="#codes">{err}</a>
                    </li>
                  </ul>
                </div>
              </div>
            </div>
          ) : null}
          <div class={`govuk-form-group${err ? " govuk-form-group--error" : ""}`}>
            <h3 class="govuk-label-wrapper">
              <label class="govuk-label govuk-label--s" for="codes">
                Official peer group (Most Similar Group)
              </label>
            </h3>
            <div class="govuk-hint" id="codes-hint">
              ONS codes of the peers, separated by commas or new lines ({p.level === "lad" ? "local authorities, like E06000044" : "CSPs"}). Saved for {p.scope.area.name} and used instead of the computed group.
            </div>
            {err ? (
              <p class="govuk-error-message" id="codes-error">
                <span class="govuk-visually-hidden">Error:</span> {err}
              </p>
            ) : null}
            <textarea class={`govuk-textarea${err ? " govuk-textarea--error" : ""}`} id="codes" name="codes" rows={4} aria-describedby={`codes-hint${err ? " codes-error" : ""}`}>
              {props.codesValue ?? props.stored.join(", ")}
            </textarea>
          </div>
          <div class="govuk-button-group">
            <button type="submit" class="govuk-button" data-module="govuk-button" name="action" value="save" data-testid="peer-save">
              Save official list
            </button>
            {props.stored.length ? (
              <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button" name="action" value="clear" data-testid="peer-clear">
                Use the computed group
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
      {p.notes.length ? (
        <>
          <h2 class="govuk-heading-s">Notes</h2>
          <ul class="govuk-list govuk-list--bullet govuk-body-s app-wrap-anywhere">
            {p.notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href={`/api/v1/peers${props.search}`}>
          These figures as JSON
        </a>
      </p>
    </>
  );
}
