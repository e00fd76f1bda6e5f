import { AppError, seasonalChartSpec, trendChartSpec } from "@safecity/core";
import { Hono } from "hono";
import type { TrendsView } from "../services/analysis-views.service.ts";
import { trendsCached } from "./analysis-api.ts";
import { raw as html } from "hono/html";
import { AnalysisTabs, AreaPeriodForm, Chart, ChartIsland, TableWithCsv, analysisSearch, cachedAreaChoices, readAnalysisQuery, renderOnce, tryAnalysis } from "./analysis-kit.tsx";
import { CrimeTypeSelect } from "./crime-type-select.tsx";
import { PeriodWarning } from "./period-warning.tsx";
import { Folded } from "./plan-form-kit.tsx";
import { trendsTables } from "./analysis-tables.ts";
import { type RenderedChart, renderChart } from "./chart-svg.ts";
import { tableCsv } from "./csv.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

/** `/trends`: monthly line charts by crime group and the seasonal profile (SVG from the server), each with its table and CSV. */
export function trendsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/trends", requireRole("viewer"), async (c) => {
    const { query, errors, raw } = readAnalysisQuery(c);
    const type = (c.req.query("type") ?? "").trim().slice(0, 60);
    const run = query ? await tryAnalysis(() => trendsCached(c, { ...query, ...(type ? { type } : {}) })) : { value: null, errors: [] };
    const allErrors = [...errors, ...run.errors];
    const title = run.value ? `Trends: ${run.value.trends.scope.area.name}` : "Trends";
    // The body (two vega charts, six tables) is rendered once per cached result: the result is kept per
    // (data version, area, from, to, type), and the body depends on nothing else.
    const v = run.value;
    const search = query ? analysisSearch(query, type ? { type } : {}) : "";
    const body = v ? await renderOnce(v, () => ({ toString: async () => (<TrendsBody v={v} charts={await trendCharts(v)} search={search} />).toString() })) : null;
    return page(
      c,
      title,
      <>
        <h1 class="govuk-heading-l">{title}</h1>
        <AnalysisTabs current="/trends" raw={raw} />
        <AreaPeriodForm action="/trends" raw={raw} datalist={await cachedAreaChoices(c)} errors={allErrors}>
          <CrimeTypeSelect value={type} label="Also show a crime type (and its seasonal profile)" allowNone="Every group (seasonal profile of All crime)" />
        </AreaPeriodForm>
        {body === null ? null : html(body)}
      </>,
      { hasError: allErrors.length > 0, status: allErrors.length ? 400 : 200 },
    );
  });
  app.get("/trends.csv", requireRole("viewer"), async (c) => {
    const { query, errors } = readAnalysisQuery(c);
    if (!query) throw new AppError("input.invalid", errors[0]?.message ?? "choose an area (`?area=`)");
    const type = (c.req.query("type") ?? "").trim().slice(0, 60);
    const tables = trendsTables(await trendsCached(c, { ...query, ...(type ? { type } : {}) }));
    const id = c.req.query("table") ?? "monthly";
    const t = tables.find((x) => x.id === id);
    if (!t) throw new AppError("input.invalid", `no table \`${id}\`; one of ${tables.map((x) => x.id).join(", ")}`);
    return csvResponse(c, tableCsv(t), `trends-${t.id}.csv`);
  });
  return app;
}

export function csvResponse(c: AppContext, body: string, fileName: string): Response {
  return c.body(body, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"` });
}

async function trendCharts(v: TrendsView): Promise<{ trend: RenderedChart; season: RenderedChart | null }> {
  const rows = v.trends.groups.flatMap((g) => g.monthly.map((m) => ({ group: g.group, month: m.month, count: m.count })));
  const trend = await renderChart(trendChartSpec(rows));
  const p = v.seasonality.profile;
  const season = p.sufficient ? await renderChart(seasonalChartSpec(p.index.map((r) => ({ name: r.name, index: r.index })), { subject: v.seasonality.group.toLowerCase() })) : null;
  return { trend, season };
}

function TrendsBody(props: { v: TrendsView; charts: { trend: RenderedChart; season: RenderedChart | null }; search: string }) {
  const { v, charts } = props;
  const s = v.trends.scope;
  const [monthly, change, seasonal, comparisons, years, rolling] = trendsTables(v);
  const csv = (id: string) => `/trends.csv${props.search}&table=${id}`;
  return (
    <>
      <p class="govuk-body-l" data-testid="trends-period">
        {s.area.name}, {s.from} to {s.to}
      </p>
      <PeriodWarning text={s.warning} />
      {s.missingMonths.length ? (
        <div class="govuk-inset-text" data-testid="trends-missing">
          {s.missingMonths.length} month(s) have no police data loaded and are gaps in the lines, not zeros: {s.missingMonths.join(", ")}.
        </div>
      ) : null}
      <h2 class="govuk-heading-m">Monthly incidents by crime group</h2>
      <Chart id="trends" about={{ area: s.area.name, from: s.from, to: s.to }} chart={charts.trend} description={`Line charts of monthly recorded incidents in ${s.area.name} for each crime group, ${s.from} to ${s.to}`} />
      <TableWithCsv t={monthly!} csvHref={csv("monthly")} hideFirstColumn />
      <h2 class="govuk-heading-m">Change in the latest {v.trends.params.period}</h2>
      <TableWithCsv t={change!} csvHref={csv("change")} hideFirstColumn />
      <h2 class="govuk-heading-m">Year on year, same quarter last year, financial and calendar years</h2>
      <p class="govuk-body">
        These reach back before the period chosen (up to six years of the data loaded). Each compares only months with data in both periods; a month with no police
        file is left out of both, never counted as zero.
      </p>
      <TableWithCsv t={comparisons!} csvHref={csv("comparisons")} hideFirstColumn />
      <Folded summary="Financial and calendar years (up to 5)" testId="years-folded">
        <TableWithCsv t={years!} csvHref={csv("years")} hideFirstColumn />
      </Folded>
      <Folded summary="Rolling 12-month totals by month" testId="rolling12-folded">
        <TableWithCsv t={rolling!} csvHref={csv("rolling12")} hideFirstColumn />
      </Folded>
      <h2 class="govuk-heading-m">Seasonal profile</h2>
      {charts.season ? (
        <Chart id="seasonal" about={{ area: s.area.name, from: s.from, to: s.to }} chart={charts.season} description={`Bar chart of the seasonal index of ${v.seasonality.group.toLowerCase()} by calendar month`} />
      ) : (
        <p class="govuk-body" data-testid="seasonal-insufficient">
          {v.seasonality.message}
        </p>
      )}
      {v.seasonality.profile.peakSummary ? <p class="govuk-body">{v.seasonality.profile.peakSummary.text}</p> : null}
      {charts.season ? <TableWithCsv t={seasonal!} csvHref={csv("seasonal")} hideFirstColumn /> : null}
      {v.trends.notes.length ? (
        <>
          <h2 class="govuk-heading-s">Notes</h2>
          <ul class="govuk-list govuk-list--bullet govuk-body-s app-wrap-anywhere">
            {v.trends.notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href={`/api/v1/trends${props.search}`}>
          These figures as JSON
        </a>
      </p>
      <ChartIsland />
    </>
  );
}
