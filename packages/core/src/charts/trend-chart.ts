import { CHART_COLOURS, CHART_CONFIG, type VegaLiteSpec } from "./chart-spec.ts";

export interface TrendChartRow {
  group: string;
  /** YYYY-MM */
  month: string;
  /** null: the month is not loaded (a gap in the line, never a zero). */
  count: number | null;
}

/**
 * trendChartSpec: monthly counts, one small line chart per crime group (own y scale, starting at
 * zero), months with no data left as gaps, a tooltip on each point (interactive view). Default
 * width 260 per panel, 2 columns.
 */
export function trendChartSpec(rows: readonly TrendChartRow[], opts: { title?: string; width?: number; columns?: number } = {}): VegaLiteSpec {
  const groups = [...new Set(rows.map((r) => r.group))];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: opts.title ?? "Monthly recorded incidents by crime group",
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: rows.map((r) => ({ group: r.group, month: `${r.month}-01`, count: r.count })) },
    columns: opts.columns ?? 2,
    facet: { field: "group", type: "nominal", sort: groups, header: { title: null } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: opts.width ?? 260,
      height: 120,
      mark: { type: "line", point: { size: 18 }, color: CHART_COLOURS.blue, invalid: "break-paths-show-domains" },
      encoding: {
        x: { field: "month", type: "temporal", timeUnit: "yearmonth", title: null, axis: { format: "%b %y", labelAngle: 0, tickCount: 4 } },
        y: { field: "count", type: "quantitative", title: "Incidents", scale: { zero: true } },
        tooltip: [
          { field: "group", type: "nominal", title: "Crime group" },
          { field: "month", type: "temporal", timeUnit: "yearmonth", title: "Month", format: "%B %Y" },
          { field: "count", type: "quantitative", title: "Incidents", format: "," },
        ],
      },
    },
    config: CHART_CONFIG,
  };
}

export interface SeasonalChartRow {
  /** "January" … */
  name: string;
  /** 100 = the average month (seasonalProfile); null when the calendar month has no data. */
  index: number | null;
}

/** seasonalChartSpec: the seasonal index by calendar month as bars around 1 (the average month). */
export function seasonalChartSpec(rows: readonly SeasonalChartRow[], opts: { subject?: string; width?: number } = {}): VegaLiteSpec {
  const order = rows.map((r) => r.name);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Seasonal index of ${opts.subject ?? "incidents"} by calendar month (100 = an average month)`,
    width: opts.width ?? 560,
    height: 180,
    data: { values: rows.filter((r) => r.index !== null).map((r) => ({ name: r.name.slice(0, 3), index: r.index })) },
    layer: [
      {
        mark: { type: "bar", color: CHART_COLOURS.blue },
        encoding: {
          x: { field: "name", type: "ordinal", sort: order.map((n) => n.slice(0, 3)), title: null, axis: { labelAngle: 0 } },
          y: { field: "index", type: "quantitative", title: "Seasonal index", scale: { zero: true } },
          tooltip: [
            { field: "name", type: "ordinal", title: "Month" },
            { field: "index", type: "quantitative", title: "Seasonal index", format: ".2f" },
          ],
        },
      },
      { mark: { type: "rule", color: CHART_COLOURS.grey, strokeDash: [4, 3] }, encoding: { y: { datum: 100 } } },
    ],
    config: CHART_CONFIG,
  };
}
