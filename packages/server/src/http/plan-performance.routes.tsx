import { ACTION_STATUSES, AppError, CHART_COLOURS, type CountCategory, formatValue, offTargetPercent, stackedCountSpec, targetGapSpec, targetSeriesSpec, withUnit } from "@safecity/core";
import { Hono } from "hono";
import { type MeasuredTarget, type PerformanceReport, performanceReport, performanceTable } from "../services/performance.service.ts";
import { Chart, ChartIsland, TableWithCsv } from "./analysis-kit.tsx";
import { type RenderedChart, renderChart } from "./chart-svg.ts";
import { ScrollTable } from "./components.tsx";
import { tableCsv, toCsv } from "./csv.ts";
import type { AppEnv } from "./env.ts";
import { ACTION_STATUS_LABELS, DIRECTION_LABELS, figure, PlanHeading, PlanTabs, RAG_LABELS, RagTag, signedFigure } from "./plan-components.tsx";
import { rollupTables } from "./plan-performance-tables.ts";
import { idParam } from "./plan-route-kit.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { csvResponse } from "./trends.routes.tsx";

/**
 * `/plans/:id/performance`: the quarterly performance report. Every target with its latest value,
 * change on the same period last year, direction, RAG (tag with its word and reason), significance
 * and forecast to the deadline with the interval; actions rolled up by status and RAG per priority
 * and per owner; charts (server SVG, the table beside each) and CSV downloads
 * (`/plans/:id/performance.csv?table=targets|priorities|owners`).
 */
export function planPerformanceRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/plans/:id/performance", requireRole("viewer"), async (c) => {
    const report = await performanceReport(c.var.deps.store, idParam(c, "id", "plan"));
    const charts = await performanceCharts(report);
    return page(c, `Performance: ${report.plan.title}`, <PerformancePage report={report} charts={charts} />);
  });
  app.get("/plans/:id/performance.csv", requireRole("viewer"), async (c) => {
    const report = await performanceReport(c.var.deps.store, idParam(c, "id", "plan"));
    const id = c.req.query("table") ?? "targets";
    const name = `plan-${report.plan.id}-performance-${id}.csv`;
    if (id === "targets") {
      const t = performanceTable(report);
      return csvResponse(c, toCsv(t.header, t.rows), name);
    }
    if (id === "series") {
      const rows = report.targets.flatMap((m) => m.series.map((v) => [m.target.id, m.indicator.key, m.area.code ?? m.area.name, v.period, v.value]));
      return csvResponse(c, toCsv(["target", "indicator", "area", "period", "value"], rows), name);
    }
    const t = rollupTables(report).find((x) => x.id === id);
    if (!t) throw new AppError("input.invalid", `No table \`${id}\`; choose one of targets, series, priorities, owners (\`?table=\`).`);
    return csvResponse(c, tableCsv(t), name);
  });
  return app;
}

const RAG_CATEGORIES: CountCategory[] = [
  { key: "green", label: RAG_LABELS.green, colour: CHART_COLOURS.green },
  { key: "amber", label: RAG_LABELS.amber, colour: CHART_COLOURS.orange },
  { key: "red", label: RAG_LABELS.red, colour: CHART_COLOURS.red },
  { key: "no_data", label: RAG_LABELS.no_data, colour: CHART_COLOURS.lightGrey },
];

const STATUS_COLOURS: Record<(typeof ACTION_STATUSES)[number], string> = {
  not_started: CHART_COLOURS.lightGrey,
  on_track: CHART_COLOURS.green,
  at_risk: CHART_COLOURS.orange,
  off_track: CHART_COLOURS.red,
  completed: CHART_COLOURS.blue,
  cancelled: CHART_COLOURS.grey,
};
const STATUS_CATEGORIES: CountCategory[] = ACTION_STATUSES.map((s) => ({ key: s, label: ACTION_STATUS_LABELS[s], colour: STATUS_COLOURS[s] }));

/** Above this many targets the per-target series charts are left out (the page stays small); the gap chart and the tables cover every target. */
export const MAX_SERIES_PANELS = 12;

interface PerformanceCharts {
  gap: RenderedChart | null;
  targets: RenderedChart | null;
  targetRag: RenderedChart | null;
  actionsByPriority: RenderedChart | null;
  actionsByOwner: RenderedChart | null;
}

/** "ASB reports (asb-reports)": a target's panel name, unique per target. */
function targetName(m: MeasuredTarget): string {
  return `${m.target.id}. ${m.indicator.name}`;
}

async function performanceCharts(r: PerformanceReport): Promise<PerformanceCharts> {
  const measured = r.targets.filter((m) => m.performance.latest !== null);
  const gaps = measured
    .map((m) => ({ target: targetName(m), offPercent: offTargetPercent(m.performance.latest!.value, m.performance.goal, m.indicator.polarity), rag: m.performance.rag }))
    .filter((g) => Number.isFinite(g.offPercent));
  const points = r.targets.length > MAX_SERIES_PANELS ? [] : r.targets.flatMap((m) => [
    ...m.series.map((v) => ({ target: targetName(m), period: v.period, value: v.value, kind: "actual" as const })),
    ...(m.performance.forecast ? [{ target: targetName(m), period: m.performance.forecast.period, value: m.performance.forecast.value, kind: "forecast" as const, lower: m.performance.forecast.lower, upper: m.performance.forecast.upper }] : []),
  ]);
  const priorityName = (p: PerformanceReport["byPriority"][number]) => `${p.position}. ${p.title}`;
  const hasActions = r.overall.actions > 0;
  return {
    gap: gaps.length ? await renderChart(targetGapSpec(gaps, RAG_CATEGORIES)) : null,
    targets: points.length ? await renderChart(targetSeriesSpec(points, r.targets.map((m) => ({ target: targetName(m), goal: m.performance.goal })))) : null,
    targetRag: r.overall.targets
      ? await renderChart(
          stackedCountSpec(
            r.byPriority.flatMap((p) => RAG_CATEGORIES.map((k) => ({ group: priorityName(p), category: k.key, count: p.rollup.targetsByRag[k.key as "green"] }))),
            RAG_CATEGORIES,
            { description: "Targets by RAG per priority", countTitle: "Targets" },
          ),
        )
      : null,
    actionsByPriority: hasActions
      ? await renderChart(
          stackedCountSpec(
            r.byPriority.flatMap((p) => ACTION_STATUSES.map((s) => ({ group: priorityName(p), category: s, count: p.rollup.actionsByStatus[s] }))),
            STATUS_CATEGORIES,
            { description: "Key actions by status per priority", countTitle: "Key actions" },
          ),
        )
      : null,
    actionsByOwner: hasActions
      ? await renderChart(
          stackedCountSpec(
            r.byOwner.flatMap((o) => ACTION_STATUSES.map((s) => ({ group: o.name, category: s, count: o.rollup.actionsByStatus[s] }))),
            STATUS_CATEGORIES,
            { description: "Key actions by status per owner organisation", countTitle: "Key actions" },
          ),
        )
      : null,
  };
}

function TargetsPerformanceTable(props: { report: PerformanceReport; csvHref: string }) {
  const rows = props.report.targets;
  if (!rows.length) return <p class="govuk-body">This plan has no targets yet.</p>;
  return (
    <div class="app-data-table" data-testid="table-targets">
      <ScrollTable label="Targets">
        <table class="govuk-table" data-testid="performance-targets">
          <caption class="govuk-table__caption govuk-table__caption--s">Targets: latest value, change on the same period last year, RAG, significance and forecast</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Target</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Goal</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Latest</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Change</th>
              <th scope="col" class="govuk-table__header">Direction</th>
              <th scope="col" class="govuk-table__header">RAG</th>
              <th scope="col" class="govuk-table__header">Significance</th>
              <th scope="col" class="govuk-table__header">Forecast at the deadline</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {rows.map((m) => {
              const p = m.performance;
              const unit = m.indicator.unit;
              return (
                <tr class="govuk-table__row" data-target-id={m.target.id} data-rag={p.rag}>
                  <th scope="row" class="govuk-table__header app-wrap-anywhere">
                    {targetName(m)}
                    <span class="govuk-body-s app-block">
                      {m.priorityTitle ?? "Plan-wide"} · {m.area.name} · by {m.target.deadline}
                    </span>
                  </th>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{withUnit(figure(p.goal), unit)}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{p.latest ? `${withUnit(figure(p.latest.value), unit)} (${p.latest.period})` : "No data"}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">
                    {p.change
                      ? `${withUnit(signedFigure(p.change.absolute), unit, "change")}${p.change.percent === null ? "" : ` (${signedFigure(Math.round(p.change.percent * 10) / 10)}%)`} on ${p.change.from.period}`
                      : ""}
                  </td>
                  <td class="govuk-table__cell">{DIRECTION_LABELS[p.direction]}</td>
                  <td class="govuk-table__cell">
                    <RagTag rag={p.rag} />
                    <span class="govuk-body-s app-block">{p.ragReason}</span>
                  </td>
                  <td class="govuk-table__cell govuk-body-s">{p.significance ? `${p.significance.significant ? "Significant" : "Not significant"} (p = ${p.significance.pValue.toPrecision(2)})` : "Not tested"}</td>
                  <td class="govuk-table__cell govuk-body-s">
                    {p.forecast
                      ? `${withUnit(formatValue(p.forecast.value), unit)} in ${p.forecast.period} (${Math.round(p.forecast.level * 100)}% interval ${formatValue(p.forecast.lower)} to ${formatValue(p.forecast.upper)})`
                      : "None"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
      <p class="govuk-body-s">
        <a class="govuk-link" href={props.csvHref} download>
          Download this table as CSV<span class="govuk-visually-hidden">: targets</span>
        </a>
      </p>
    </div>
  );
}

/** The values behind the targets chart, one row per target and period. */
function SeriesTable(props: { report: PerformanceReport; csvHref: string }) {
  return (
    <details class="govuk-details">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">The values behind this chart</span>
      </summary>
      <div class="govuk-details__text">
        <ScrollTable label="Indicator values by period">
          <table class="govuk-table" data-testid="series-values">
            <caption class="govuk-visually-hidden">Indicator values by period</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Target</th>
                <th scope="col" class="govuk-table__header">Period</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {props.report.targets.flatMap((m) =>
                m.series.map((v) => (
                  <tr class="govuk-table__row">
                    <td class="govuk-table__cell app-wrap-anywhere">{targetName(m)}</td>
                    <td class="govuk-table__cell">{v.period}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{figure(v.value)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </ScrollTable>
        <p class="govuk-body-s">
          <a class="govuk-link" href={props.csvHref} download>
            Download these values as CSV
          </a>
        </p>
      </div>
    </details>
  );
}

function PerformancePage(props: { report: PerformanceReport; charts: PerformanceCharts }) {
  const { report: r, charts } = props;
  const csv = (table: string) => `/plans/${r.plan.id}/performance.csv?table=${table}`;
  const [priorities, owners] = rollupTables(r);
  const o = r.overall;
  const notes = r.targets.flatMap((m) => m.notes.map((n) => `${targetName(m)}: ${n}`));
  const anyChart = charts.gap || charts.targets || charts.targetRag || charts.actionsByPriority || charts.actionsByOwner;
  return (
    <>
      <PlanHeading plan={r.plan} sub="Performance" />
      <PlanTabs planId={r.plan.id} current="performance" />
      <p class="govuk-body-l" data-testid="performance-summary">
        {o.targets} {o.targets === 1 ? "target" : "targets"}: {o.targetsByRag.green} green, {o.targetsByRag.amber} amber, {o.targetsByRag.red} red, {o.targetsByRag.no_data} without data.{" "}
        {o.actions} key {o.actions === 1 ? "action" : "actions"}: {ACTION_STATUSES.map((s) => `${o.actionsByStatus[s]} ${ACTION_STATUS_LABELS[s].toLowerCase()}`).join(", ")}.
      </p>

      <h2 class="govuk-heading-m">Targets</h2>
      {charts.gap ? <Chart id="plan-target-gap" chart={charts.gap} description="How far each target's latest value is from its goal, as a percent of the goal (0 is on or better than target), coloured by RAG" /> : null}
      <TargetsPerformanceTable report={r} csvHref={csv("targets")} />
      {charts.targets ? (
        <Chart id="plan-targets" chart={charts.targets} description="Each target's indicator by period, its goal (dashed line) and the forecast at the deadline with its 95% prediction interval" />
      ) : r.targets.length > MAX_SERIES_PANELS ? (
        <p class="govuk-body" data-testid="series-note">
          With more than {MAX_SERIES_PANELS} targets the series are not drawn; each target's latest, change and forecast are in the table above and every value in the{" "}
          <a class="govuk-link" href={csv("series")} download>
            series CSV
          </a>
          .
        </p>
      ) : null}
      {charts.targets ? <SeriesTable report={r} csvHref={csv("series")} /> : null}

      <h2 class="govuk-heading-m">Roll-up per priority</h2>
      {charts.targetRag ? <Chart id="plan-target-rag" chart={charts.targetRag} description="Targets by RAG per priority (stacked bars)" /> : null}
      {charts.actionsByPriority ? <Chart id="plan-actions-priority" chart={charts.actionsByPriority} description="Key actions by status per priority (stacked bars)" /> : null}
      <TableWithCsv t={priorities!} csvHref={csv("priorities")} />

      <h2 class="govuk-heading-m">Roll-up per owner</h2>
      {charts.actionsByOwner ? <Chart id="plan-actions-owner" chart={charts.actionsByOwner} description="Key actions by status per owner organisation (stacked bars)" /> : null}
      {owners!.rows.length ? <TableWithCsv t={owners!} csvHref={csv("owners")} /> : <p class="govuk-body">No key actions yet.</p>}
      {anyChart ? <ChartIsland /> : null}

      {notes.length ? (
        <>
          <h2 class="govuk-heading-s">Notes on the data</h2>
          <ul class="govuk-list govuk-list--bullet govuk-body-s app-wrap-anywhere">
            {notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href={`/api/v1/plans/${r.plan.id}/performance`}>
          This report as JSON
        </a>
      </p>
    </>
  );
}
