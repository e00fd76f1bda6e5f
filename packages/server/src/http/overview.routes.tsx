import { Hono } from "hono";
import { raw as html } from "hono/html";
import type { Overview } from "../services/overview.service.ts";
import { overviewCached } from "./analysis-api.ts";
import { AnalysisTabs, AreaPeriodForm, analysisSearch, cachedAreaChoices, count, pct, readAnalysisQuery, renderOnce, signed, tryAnalysis } from "./analysis-kit.tsx";
import { ScrollTable } from "./components.tsx";
import { CrimeTypeSelect } from "./crime-type-select.tsx";
import { PeriodWarning } from "./period-warning.tsx";
import type { AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

/** `/overview?area=…&from=…&to=…`: the area picker, then key messages, headline figures and data freshness. */
export function overviewRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/overview", requireRole("viewer"), async (c) => {
    const { query, errors, raw } = readAnalysisQuery(c);
    const type = (c.req.query("type") ?? "").trim().slice(0, 60);
    const run = query ? await tryAnalysis(() => overviewCached(c, { ...query, ...(type ? { type } : {}) })) : { value: null, errors: [] };
    const allErrors = [...errors, ...run.errors];
    const title = run.value ? `Overview: ${run.value.area.name}` : "Choose an area";
    return page(
      c,
      title,
      <>
        <h1 class="govuk-heading-l">{title}</h1>
        <AnalysisTabs current="/overview" raw={raw} />
        <AreaPeriodForm action="/overview" raw={raw} datalist={await cachedAreaChoices(c)} errors={allErrors}>
          <CrimeTypeSelect value={type} label="Also show a crime type" allowNone="Every group" />
        </AreaPeriodForm>
        {run.value ? html(await renderOnce(run.value, () => <OverviewBody o={run.value!} />)) : null}
      </>,
      { hasError: allErrors.length > 0, status: allErrors.length ? 400 : 200 },
    );
  });
  return app;
}

function periodLabel(from: string, to: string): string {
  return from === to ? from : `${from} to ${to}`;
}

function OverviewBody(props: { o: Overview }) {
  const { o } = props;
  const f = o.freshness;
  const search = analysisSearch({ area: o.area.code ?? `${o.area.level}:${o.area.name}`, from: o.from, to: o.to });
  return (
    <>
      <p class="govuk-body-l" data-testid="overview-period">
        {o.area.name} ({o.area.level === "csp" ? "Community Safety Partnership" : o.area.level === "lad" ? "local authority" : o.area.level === "custom" ? "custom area" : o.area.level}
        {o.area.code ? `, ${o.area.code}` : ""}), {periodLabel(o.from, o.to)}
      </p>
      <PeriodWarning text={o.periodWarning} />
      <h2 class="govuk-heading-m">Key messages</h2>
      {o.keyMessages.length ? (
        <ul class="govuk-list govuk-list--bullet" data-testid="key-messages">
          {o.keyMessages.map((m) => (
            <li>{m.text}</li>
          ))}
        </ul>
      ) : (
        <p class="govuk-body">There are no figures to describe for this area and period.</p>
      )}

      <h2 class="govuk-heading-m">Headline figures</h2>
      <p class="govuk-body">
        Year on year compares the 12 months to the period's last month with the 12 before, over the months with data in both years. Change compares the latest complete{" "}
        {o.trendPeriod} with the one before. Both use the exact Poisson test. Position is where the area's rate per 1,000 residents stands in its peer group ({o.peerGroup.members}{" "}
        areas, {o.peerGroup.source === "given" ? "the official list" : "computed"}), counted from the highest or the lowest rate.
      </p>
      <ScrollTable label="Headline figures">
        <table class="govuk-table" data-testid="headlines">
          <caption class="govuk-table__caption govuk-table__caption--s">Recorded crime and anti-social behaviour, {periodLabel(o.from, o.to)}</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Crime group</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                {f.missingMonths.length ? `Total of the ${f.monthsCovered.length} month${f.monthsCovered.length === 1 ? "" : "s"} with data` : "Total in period"}
              </th>
              <th scope="col" class="govuk-table__header">Year on year</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Latest</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Previous</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Change</th>
              <th scope="col" class="govuk-table__header">Significance</th>
              <th scope="col" class="govuk-table__header">Peer group position</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {o.headlines.map((h) => (
              <tr class="govuk-table__row" data-group={h.group}>
                <th scope="row" class="govuk-table__header">
                  {h.group}
                </th>
                <td class="govuk-table__cell govuk-table__cell--numeric">{count(h.total)}</td>
                <td class="govuk-table__cell" data-testid="year-on-year">
                  {h.yearOnYear?.change != null ? (
                    <>
                      {count(h.yearOnYear.current.count)} vs {count(h.yearOnYear.previous.count)}: {signed(h.yearOnYear.change)} ({h.yearOnYear.changePct === null ? "from 0" : pct(h.yearOnYear.changePct)})
                      <span class="govuk-body-s app-block">
                        {h.yearOnYear.current.label} against {h.yearOnYear.previous.label}; {h.yearOnYear.significance}
                      </span>
                    </>
                  ) : (
                    (h.yearOnYear?.reason ?? "")
                  )}
                </td>
                <td class="govuk-table__cell govuk-table__cell--numeric">
                  {h.latest ? (
                    <>
                      {count(h.latest.count)} <span class="govuk-body-s app-block">{h.latest.period}</span>
                    </>
                  ) : (
                    ""
                  )}
                </td>
                <td class="govuk-table__cell govuk-table__cell--numeric">
                  {h.previous ? (
                    <>
                      {count(h.previous.count)} <span class="govuk-body-s app-block">{h.previous.period}</span>
                    </>
                  ) : (
                    ""
                  )}
                </td>
                <td class="govuk-table__cell govuk-table__cell--numeric">
                  {h.change !== null ? `${signed(h.change)} (${h.changePct === null ? "from 0" : pct(h.changePct)})` : ""}
                </td>
                <td class="govuk-table__cell">{h.significance ?? h.reason ?? ""}</td>
                <td class="govuk-table__cell">
                  {h.peer ? (
                    <>
                      {h.peer.standing}
                      <span class="govuk-body-s app-block">
                        {h.peer.rate.toFixed(1)} per 1,000 vs mean {h.peer.groupMean.toFixed(1)} ({h.peer.source})
                      </span>
                    </>
                  ) : (
                    "not available"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>

      <h2 class="govuk-heading-m">Data freshness</h2>
      <dl class="govuk-summary-list" data-testid="freshness">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Police force</dt>
          <dd class="govuk-summary-list__value">{f.principalForce ?? "no police data for this area"}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Latest month loaded</dt>
          <dd class="govuk-summary-list__value" data-testid="latest-month">
            {f.latestMonth ?? "none"}
            {f.latestMonth && f.latestMonth > o.to ? ` (after this period, which ends ${o.to})` : ""}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Months of the period with data</dt>
          <dd class="govuk-summary-list__value">
            {f.monthsCovered.length} of {f.monthsCovered.length + f.missingMonths.length} ({f.importedFiles} files)
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Missing months</dt>
          <dd class="govuk-summary-list__value app-wrap-anywhere" data-testid="missing-months">
            {f.missingMonths.length ? `${f.missingMonths.join(", ")} (unknown, not zero)` : "none"}
          </dd>
        </div>
      </dl>
      {o.notes.length ? (
        <>
          <h2 class="govuk-heading-s">Notes</h2>
          <ul class="govuk-list govuk-list--bullet govuk-body-s app-wrap-anywhere">
            {o.notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href={`/api/v1/overview${search}`}>
          These figures as JSON
        </a>
      </p>
    </>
  );
}
