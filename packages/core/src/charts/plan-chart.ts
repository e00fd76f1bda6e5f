import { CHART_COLOURS, CHART_CONFIG, type VegaLiteSpec } from "./chart-spec.ts";

/** One point of a target's indicator series, or its forecast at the deadline (with the interval). */
export interface TargetSeriesPoint {
  /** The panel: the target's name, e.g. "ASB reports (asb-reports)". */
  target: string;
  /** `YYYY-MM`, `YYYY-Qn` or `YYYY/YY`: shown in order as given. */
  period: string;
  value: number;
  kind: "actual" | "forecast";
  lower?: number;
  upper?: number;
}

/**
 * targetSeriesSpec: one small chart per target: the indicator's values by period (line), the goal
 * (dashed rule) and, when there is one, the forecast at the deadline with its prediction interval
 * (point and error bar). Periods are ordinal (any period type), in the order given per target.
 */
export function targetSeriesSpec(points: readonly TargetSeriesPoint[], goals: readonly { target: string; goal: number }[], opts: { width?: number; columns?: number } = {}): VegaLiteSpec {
  const goalOf = new Map(goals.map((g) => [g.target, g.goal]));
  const targets = [...new Set([...goals.map((g) => g.target), ...points.map((p) => p.target)])];
  const values = points.map((p) => ({
    target: p.target,
    period: p.period,
    value: p.value,
    kind: p.kind === "forecast" ? "Forecast" : "Actual",
    lower: p.lower ?? null,
    upper: p.upper ?? null,
    goal: goalOf.get(p.target) ?? null,
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: "Each target's indicator by period with its goal (dashed line) and the forecast to the deadline with its 95% prediction interval",
    data: { values },
    columns: opts.columns ?? 2,
    facet: { field: "target", type: "nominal", sort: targets, header: { title: null, labelLimit: 260 } },
    resolve: { scale: { y: "independent", x: "independent" } },
    spec: {
      width: opts.width ?? 260,
      height: 120,
      layer: [
        {
          transform: [{ filter: { field: "kind", equal: "Actual" } }],
          mark: { type: "line", point: { size: 18 }, color: CHART_COLOURS.blue },
          encoding: {
            x: { field: "period", type: "ordinal", title: null, sort: null, axis: { labelAngle: -45 } },
            y: { field: "value", type: "quantitative", title: null, scale: { zero: false } },
            tooltip: [
              { field: "period", type: "ordinal", title: "Period" },
              { field: "value", type: "quantitative", title: "Value", format: ",.2~f" },
            ],
          },
        },
        {
          mark: { type: "rule", color: CHART_COLOURS.green, strokeDash: [5, 3], strokeWidth: 2 },
          encoding: { y: { aggregate: "max", field: "goal", type: "quantitative" } },
        },
        {
          transform: [{ filter: { field: "kind", equal: "Forecast" } }],
          mark: { type: "errorbar", color: CHART_COLOURS.orange, ticks: true },
          encoding: {
            x: { field: "period", type: "ordinal", sort: null },
            y: { field: "lower", type: "quantitative" },
            y2: { field: "upper" },
          },
        },
        {
          transform: [{ filter: { field: "kind", equal: "Forecast" } }],
          mark: { type: "point", shape: "diamond", filled: true, size: 60, color: CHART_COLOURS.orange },
          encoding: {
            x: { field: "period", type: "ordinal", sort: null },
            y: { field: "value", type: "quantitative" },
            tooltip: [
              { field: "period", type: "ordinal", title: "Deadline" },
              { field: "value", type: "quantitative", title: "Forecast", format: ",.2~f" },
              { field: "lower", type: "quantitative", title: "Lower", format: ",.2~f" },
              { field: "upper", type: "quantitative", title: "Upper", format: ",.2~f" },
            ],
          },
        },
      ],
    },
    config: CHART_CONFIG,
  };
}

/** A category of a stacked count chart, in legend order, with its colour. */
export interface CountCategory {
  key: string;
  label: string;
  colour: string;
}

/**
 * stackedCountSpec: horizontal bars, one per group (a priority, an owner), stacked by category
 * (action status, RAG colour) in the given order and colours; groups in the order given. Counts of
 * zero are left out of the data (no empty segments).
 */
export function stackedCountSpec(
  rows: readonly { group: string; category: string; count: number }[],
  categories: readonly CountCategory[],
  opts: { description: string; countTitle: string; width?: number },
): VegaLiteSpec {
  const labelOf = new Map(categories.map((c) => [c.key, c.label]));
  const order = new Map(categories.map((c, i) => [c.key, i]));
  const groups = [...new Set(rows.map((r) => r.group))];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: opts.description,
    width: opts.width ?? 520,
    height: { step: 22 },
    data: {
      values: rows.filter((r) => r.count > 0).map((r) => ({ group: r.group, category: labelOf.get(r.category) ?? r.category, order: order.get(r.category) ?? categories.length, count: r.count })),
    },
    mark: { type: "bar" },
    encoding: {
      y: { field: "group", type: "nominal", sort: groups, title: null, axis: { labelLimit: 220 } },
      x: { field: "count", type: "quantitative", title: opts.countTitle, stack: "zero", axis: { tickMinStep: 1, format: "d" } },
      color: {
        field: "category",
        type: "nominal",
        scale: { domain: categories.map((c) => c.label), range: categories.map((c) => c.colour) },
        legend: { title: null, orient: "bottom", columns: 3 },
      },
      order: { field: "order", type: "quantitative" },
      tooltip: [
        { field: "group", type: "nominal", title: "Group" },
        { field: "category", type: "nominal", title: "Category" },
        { field: "count", type: "quantitative", title: "Count" },
      ],
    },
    config: CHART_CONFIG,
  };
}

/**
 * targetGapSpec: one bar per target, how far its latest value is on the wrong side of its goal as a
 * percent of the goal (0: on or better than target), coloured by RAG (legend with the words), in
 * the order given. Compact for any number of targets (the report's first chart).
 */
export function targetGapSpec(rows: readonly { target: string; offPercent: number; rag: string }[], categories: readonly CountCategory[], opts: { width?: number } = {}): VegaLiteSpec {
  const labelOf = new Map(categories.map((c) => [c.key, c.label]));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: "How far each target's latest value is from its goal (percent of the goal; 0 is on or better than target), coloured by RAG",
    width: opts.width ?? 480,
    height: { step: 18 },
    data: { values: rows.map((r) => ({ target: r.target, offPercent: r.offPercent, rag: labelOf.get(r.rag) ?? r.rag })) },
    mark: { type: "bar" },
    encoding: {
      y: { field: "target", type: "nominal", sort: rows.map((r) => r.target), title: null, axis: { labelLimit: 260 } },
      x: { field: "offPercent", type: "quantitative", title: "Off target (% of the goal)", scale: { zero: true } },
      color: { field: "rag", type: "nominal", scale: { domain: categories.map((c) => c.label), range: categories.map((c) => c.colour) }, legend: { title: "RAG", orient: "bottom" } },
      tooltip: [
        { field: "target", type: "nominal", title: "Target" },
        { field: "offPercent", type: "quantitative", title: "Off target %", format: ".1f" },
        { field: "rag", type: "nominal", title: "RAG" },
      ],
    },
    config: CHART_CONFIG,
  };
}
