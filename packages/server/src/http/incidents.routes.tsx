import { AppError, isAppError, type KnoxMetric, LOCAL_FLAGS } from "@safecity/core";
import { Hono, type MiddlewareHandler } from "hono";
import { type LocalReader, readableDatasets } from "../services/local-access.service.ts";
import { type LocalQuery, localNearRepeat, localRepeats, type NearRepeatResult, parseBands, type RepeatsResult } from "../services/local-analysis.service.ts";
import { releaseNearRepeat, releaseRepeats, suppressionThreshold } from "../services/local-release.ts";
import { ErrorSummary, type FieldError, ScrollTable } from "./components.tsx";
import { tableCsv } from "./csv.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { csvResponse } from "./trends.routes.tsx";

/*
 * Local incident analyses (issue 14): `/incidents/repeats`, `/incidents/near-repeat`, their CSVs
 * (small counts suppressed: a download leaves restricted scope) and `/api/v1/incidents/...`. Only
 * users granted a dataset get in: anyone else gets 403 on every one of these paths, recorded by
 * the refusal audit; every read of a dataset is audited by the service. Never cached (a cached
 * answer would be a read without its audit row).
 */

export function readerOf(c: AppContext): LocalReader {
  const u = c.var.user!;
  return { kind: "user", actor: { label: u.email, ip: c.var.deps.clientIp(c) }, userId: u.id, role: u.role };
}

/** Signed in and granted at least one dataset, or 403. */
/** 403 unless the user is granted at least one local incident dataset. */
export async function assertLocalAccess(c: AppContext): Promise<void> {
  if ((await readableDatasets(c.var.deps.store, readerOf(c))).length === 0) {
    throw new AppError("auth.forbidden", "Local incident data is restricted: an administrator grants access per dataset (safecity incidents grant).");
  }
}

function requireLocalAccess(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await assertLocalAccess(c);
    return next();
  };
}

const q = (c: AppContext, name: string, max = 80) => (c.req.query(name) ?? "").trim().slice(0, max);

export function localQuery(c: AppContext): { query: LocalQuery | null; raw: Record<string, string> } {
  const raw = { dataset: q(c, "dataset"), area: q(c, "area", 200), from: q(c, "from", 10), to: q(c, "to", 10), flag: q(c, "flag", 30), offence: q(c, "offence", 60) };
  if (!raw.from || !raw.to) return { query: null, raw };
  return { query: { dataset: raw.dataset || undefined, area: raw.area || undefined, from: raw.from, to: raw.to, flag: raw.flag || undefined, offence: raw.offence || undefined }, raw };
}

export function nearQuery(c: AppContext, base: LocalQuery) {
  const metric = q(c, "metric", 10) || "euclidean";
  if (metric !== "euclidean" && metric !== "manhattan") throw new AppError("input.invalid", "the distance must be euclidean or manhattan");
  const permutations = Number(q(c, "permutations", 5) || "99");
  return {
    ...base,
    distanceBands: parseBands(q(c, "distance", 120) || "0,100,200,300,400", "distance bands"),
    timeBands: parseBands(q(c, "time", 120) || "0,7,14,21,28", "time bands"),
    permutations: Math.min(permutations, 999),
    seed: Number(q(c, "seed", 10) || "1"),
    metric: metric as KnoxMetric,
  };
}

async function attempt<T>(run: () => Promise<T>): Promise<{ value: T | null; errors: FieldError[] }> {
  try {
    return { value: await run(), errors: [] };
  } catch (e) {
    if (isAppError(e) && (e.code === "input.invalid" || e.code === "area.not_found" || e.code === "area.ambiguous" || e.code === "data.missing")) {
      return { value: null, errors: [{ field: "from", message: e.hint ? `${e.message}: ${e.hint}` : e.message }] };
    }
    throw e;
  }
}

function Field(props: { id: string; label: string; value: string; hint?: string; width?: string }) {
  return (
    <div class="govuk-form-group">
      <label class="govuk-label" for={props.id}>
        {props.label}
      </label>
      {props.hint ? <div class="govuk-hint">{props.hint}</div> : null}
      <input class={`govuk-input ${props.width ?? "govuk-input--width-10"}`} id={props.id} name={props.id} type="text" value={props.value} autocomplete="off" spellcheck={false} />
    </div>
  );
}

function LocalForm(props: { action: string; raw: Record<string, string>; datasets: string[]; errors: FieldError[]; children?: unknown }) {
  const r = props.raw;
  return (
    <>
      <ErrorSummary errors={props.errors} />
      <div class="govuk-warning-text">
        <span class="govuk-warning-text__icon" aria-hidden="true">
          !
        </span>
        <strong class="govuk-warning-text__text">
          <span class="govuk-visually-hidden">Warning</span>
          Restricted: these figures include small counts. Share only the CSV downloads, which suppress counts under {suppressionThreshold()}.
        </strong>
      </div>
      <form method="get" action={props.action} data-testid="local-form">
        <div class="govuk-form-group">
          <label class="govuk-label" for="dataset">
            Dataset
          </label>
          <select class="govuk-select" id="dataset" name="dataset">
            {props.datasets.map((d) => (
              <option value={d} selected={d === r.dataset}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <Field id="area" label="Area (optional)" value={r.area ?? ""} hint="A code or name; empty for the whole dataset" width="govuk-!-width-one-half" />
        <div class="app-inline-form">
          <Field id="from" label="From" value={r.from ?? ""} hint="YYYY-MM-DD or YYYY-MM" />
          <Field id="to" label="To" value={r.to ?? ""} hint="YYYY-MM-DD or YYYY-MM" />
        </div>
        <div class="govuk-form-group">
          <label class="govuk-label" for="flag">
            Flag
          </label>
          <select class="govuk-select" id="flag" name="flag">
            <option value="">Any</option>
            {LOCAL_FLAGS.map((f) => (
              <option value={f} selected={f === r.flag}>
                {f}
              </option>
            ))}
          </select>
        </div>
        {props.children as never}
        <button type="submit" class="govuk-button" data-module="govuk-button">
          Show
        </button>
      </form>
    </>
  );
}

const pctText = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

function search(c: AppContext): string {
  const u = new URL(c.req.url);
  return u.search;
}

function RepeatsBody(props: { r: RepeatsResult; csv: string }) {
  const m = props.r.measures;
  return (
    <>
      <h2 class="govuk-heading-m">Repeat victimisation</h2>
      {props.r.scope.leftOutWithoutLsoa ? <div class="govuk-inset-text">{props.r.scope.leftOutWithoutLsoa} incidents of the period have no LSOA code and are not in the area.</div> : null}
      <dl class="govuk-summary-list" data-testid="repeats-summary">
        {[
          ["Incidents", `${m.incidents} (${m.withoutVictimKey} without a victim identifier)`],
          ["Incidence", `${m.incidence.value} (${m.incidence.low.toFixed(1)} to ${m.incidence.high.toFixed(1)})`],
          ["Prevalence (victims)", String(m.prevalence)],
          ["Concentration (incidents per victim)", m.concentration === null ? "–" : m.concentration.toFixed(2)],
          [`Victims with a repeat within ${m.repeatWindowDays} days`, `${m.repeatVictims.count} of ${m.repeatVictims.total} (${pctText(m.repeatVictims.share)})`],
          ["Repeat incidents", `${m.repeatIncidents.count} of ${m.repeatIncidents.total} (${pctText(m.repeatIncidents.share)})`],
        ].map(([k, v]) => (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{k}</dt>
            <dd class="govuk-summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      <h2 class="govuk-heading-m">Time to repeat</h2>
      <table class="govuk-table" data-testid="time-to-repeat">
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Days since the previous incident</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Repeats</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Share</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {m.timeToRepeat.map((b) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell">{b.label}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{b.count}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{pctText(b.share.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 class="govuk-heading-m">Month by month</h2>
      <ScrollTable label="Repeats by month">
        <table class="govuk-table" data-testid="repeats-monthly">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Month</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Incidents</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Repeats</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Repeat share</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {m.monthly.map((x) => (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell">{x.month}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{x.incidents}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{x.repeats}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{pctText(x.repeatShare.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <p class="govuk-body">
        <a class="govuk-link" href={props.csv}>
          Download the monthly table for sharing (CSV, small counts suppressed)
        </a>
      </p>
    </>
  );
}

function NearRepeatBody(props: { r: NearRepeatResult; csv: string }) {
  const k = props.r.knox;
  const shade = (ratio: number | null, p: number) => (p <= 0.05 && ratio !== null && ratio > 1 ? (ratio >= 1.5 ? "app-heat-3" : ratio >= 1.2 ? "app-heat-2" : "app-heat-1") : "");
  return (
    <>
      <h2 class="govuk-heading-m">Near-repeat heat map</h2>
      <p class="govuk-body">
        {k.n} incidents with a point{props.r.leftOutWithoutPoint ? ` (${props.r.leftOutWithoutPoint} without one left out)` : ""}; {k.metric} distance; {k.permutations} permutations, seed {k.seed}. Each cell: pairs
        observed, the Knox ratio (observed / expected) and its p-value. Cells in bold are significant at 5% with more pairs than expected. Bands include their lower edge and exclude the upper, as R's NearRepeat.
      </p>
      <ScrollTable label="Knox ratios by distance and time">
        <table class="govuk-table" data-testid="knox-table">
          <caption class="govuk-table__caption govuk-table__caption--s">Distance (metres) by time (days)</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Distance \ time</th>
              {k.timeBands.map((b) => (
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                  {b.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {k.distanceBands.map((d, i) => (
              <tr class="govuk-table__row">
                <th scope="row" class="govuk-table__header">
                  {d.label}
                </th>
                {k.timeBands.map((_, j) => {
                  const ratio = k.knoxRatio[i]![j]!;
                  const p = k.pValue[i]![j]!;
                  const cls = shade(ratio, p);
                  const text = `${k.observed[i]![j]} · ${ratio === null ? "–" : ratio.toFixed(2)} · p ${p.toFixed(3)}`;
                  return <td class={`govuk-table__cell govuk-table__cell--numeric ${cls}`}>{cls ? <strong>{text}</strong> : text}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <p class="govuk-body">
        <a class="govuk-link" href={props.csv}>
          Download the observed pairs for sharing (CSV, small counts suppressed)
        </a>
      </p>
    </>
  );
}

export function incidentsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const gate = [requireRole("viewer"), requireLocalAccess()] as const;
  const names = async (c: AppContext) => (await readableDatasets(c.var.deps.store, readerOf(c))).map((d) => d.name);

  app.get("/incidents/repeats", ...gate, async (c) => {
    const { query, raw } = localQuery(c);
    const run = query ? await attempt(() => localRepeats(c.var.deps.store, readerOf(c), query, c.var.deps.now())) : { value: null, errors: [] };
    return page(
      c,
      "Repeat victimisation",
      <>
        <h1 class="govuk-heading-l">Repeat victimisation</h1>
        <LocalForm action="/incidents/repeats" raw={raw} datasets={await names(c)} errors={run.errors} />
        {run.value ? <RepeatsBody r={run.value} csv={`/incidents/repeats.csv${search(c)}`} /> : null}
      </>,
      { hasError: run.errors.length > 0, status: run.errors.length ? 400 : 200 },
    );
  });

  app.get("/incidents/near-repeat", ...gate, async (c) => {
    const { query, raw } = localQuery(c);
    const extra = { distance: q(c, "distance", 120) || "0,100,200,300,400", time: q(c, "time", 120) || "0,7,14,21,28", seed: q(c, "seed", 10) || "1", permutations: q(c, "permutations", 5) || "99" };
    const run = query ? await attempt(() => localNearRepeat(c.var.deps.store, readerOf(c), nearQuery(c, query), c.var.deps.now())) : { value: null, errors: [] };
    return page(
      c,
      "Near repeats",
      <>
        <h1 class="govuk-heading-l">Near repeats</h1>
        <LocalForm action="/incidents/near-repeat" raw={raw} datasets={await names(c)} errors={run.errors}>
          <Field id="distance" label="Distance bands (metres)" value={extra.distance} width="govuk-!-width-one-half" />
          <Field id="time" label="Time bands (days)" value={extra.time} width="govuk-!-width-one-half" />
          <Field id="permutations" label="Permutations" value={extra.permutations} />
          <Field id="seed" label="Seed" value={extra.seed} />
        </LocalForm>
        {run.value ? <NearRepeatBody r={run.value} csv={`/incidents/near-repeat.csv${search(c)}`} /> : null}
      </>,
      { hasError: run.errors.length > 0, status: run.errors.length ? 400 : 200 },
    );
  });

  app.get("/incidents/repeats.csv", ...gate, async (c) => {
    const { query } = localQuery(c);
    if (!query) throw new AppError("input.invalid", "give from and to");
    const r = await localRepeats(c.var.deps.store, readerOf(c), query, c.var.deps.now());
    const rel = releaseRepeats(r.scope, r.measures, suppressionThreshold());
    const cell = (v: number | null) => (v === null ? `<${rel.threshold}` : v);
    const rows = rel.monthly.rows.map((month, i) => [month, ...rel.monthly.cells[i]!.map(cell)]);
    return csvResponse(c, tableCsv({ id: "monthly", caption: "Repeats by month", header: ["month", ...rel.monthly.columns], rows }), "repeats-monthly.csv");
  });

  app.get("/incidents/near-repeat.csv", ...gate, async (c) => {
    const { query } = localQuery(c);
    if (!query) throw new AppError("input.invalid", "give from and to");
    const r = await localNearRepeat(c.var.deps.store, readerOf(c), nearQuery(c, query), c.var.deps.now());
    const rel = releaseNearRepeat(r.scope, r.knox, suppressionThreshold());
    const rows = rel.observed.rows.map((d, i) => [d, ...rel.observed.cells[i]!.map((v) => (v === null ? `<${rel.threshold}` : v))]);
    return csvResponse(c, tableCsv({ id: "observed", caption: "Near-repeat pairs", header: ["distance", ...rel.observed.columns], rows }), "near-repeat-pairs.csv");
  });

  return app;
}
