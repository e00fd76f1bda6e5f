import { CHART_COLOURS, CHART_CONFIG, type VegaLiteSpec } from "./chart-spec.ts";

export interface PeerChartRow {
  code: string;
  name: string;
  rate: number;
  population: number;
  /** The area being compared. */
  target: boolean;
  funnel?: { inner: { lower: number; upper: number }; outer: { lower: number; upper: number } };
}

/**
 * peerRankSpec: rate per 1,000 of every area in the peer group, lowest first, the area highlighted,
 * the group mean as a line and mean ± 1 SD as a shaded band.
 */
export function peerRankSpec(rows: readonly PeerChartRow[], group: { mean: number; sd: number | null }, opts: { subject?: string; width?: number } = {}): VegaLiteSpec {
  const sorted = [...rows].sort((a, b) => a.rate - b.rate);
  const band = group.sd !== null ? [{ mark: { type: "rect", color: CHART_COLOURS.paleBlue, opacity: 0.7 }, data: { values: [{ lo: group.mean - group.sd, hi: group.mean + group.sd }] }, encoding: { x: { field: "lo", type: "quantitative" }, x2: { field: "hi" } } }] : [];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Rate per 1,000 residents of ${opts.subject ?? "crime"} in each area of the peer group, lowest first, with the group mean and mean ± 1 standard deviation`,
    width: opts.width ?? 560,
    height: { step: 18 },
    data: { values: sorted.map((r) => ({ name: r.name, rate: r.rate, target: r.target ? "This area" : "Peer" })) },
    layer: [
      ...band,
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "name", type: "nominal", sort: sorted.map((r) => r.name), title: null },
          x: { field: "rate", type: "quantitative", title: "Rate per 1,000 residents" },
          color: { field: "target", type: "nominal", scale: { domain: ["This area", "Peer"], range: [CHART_COLOURS.orange, CHART_COLOURS.blue] }, legend: { title: null, orient: "bottom" } },
          tooltip: [
            { field: "name", type: "nominal", title: "Area" },
            { field: "rate", type: "quantitative", title: "Rate per 1,000", format: ".1f" },
          ],
        },
      },
      { mark: { type: "rule", color: CHART_COLOURS.darkBlue, strokeWidth: 2 }, data: { values: [{ mean: group.mean }] }, encoding: { x: { field: "mean", type: "quantitative" } } },
    ],
    config: CHART_CONFIG,
  };
}

/**
 * peerFunnelSpec: rate against population for every area, with the 95% and 99.8% funnel limits
 * around the pooled group rate (the limits at each area's population, joined), the area highlighted.
 */
export function peerFunnelSpec(rows: readonly PeerChartRow[], centre: number, opts: { subject?: string; width?: number } = {}): VegaLiteSpec {
  const byPop = [...rows].filter((r) => r.funnel).sort((a, b) => a.population - b.population);
  const limits = byPop.flatMap((r) => [
    { population: r.population, rate: r.funnel!.inner.lower, limit: "95% lower" },
    { population: r.population, rate: r.funnel!.inner.upper, limit: "95% upper" },
    { population: r.population, rate: r.funnel!.outer.lower, limit: "99.8% lower" },
    { population: r.population, rate: r.funnel!.outer.upper, limit: "99.8% upper" },
  ]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Funnel plot of ${opts.subject ?? "crime"}: rate per 1,000 against population, with 95% and 99.8% limits around the group rate`,
    width: opts.width ?? 560,
    height: 260,
    layer: [
      {
        data: { values: limits },
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "population", type: "quantitative", title: "Residents", scale: { zero: false } },
          y: { field: "rate", type: "quantitative", title: "Rate per 1,000 residents", scale: { zero: false } },
          detail: { field: "limit" },
          strokeDash: { field: "limit", type: "nominal", scale: { domain: ["95% lower", "95% upper", "99.8% lower", "99.8% upper"], range: [[4, 3], [4, 3], [1, 0], [1, 0]] }, legend: null },
          color: { value: CHART_COLOURS.grey },
        },
      },
      { data: { values: [{ centre }] }, mark: { type: "rule", color: CHART_COLOURS.darkBlue }, encoding: { y: { field: "centre", type: "quantitative" } } },
      {
        data: { values: rows.map((r) => ({ name: r.name, population: r.population, rate: r.rate, target: r.target ? "This area" : "Peer" })) },
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          x: { field: "population", type: "quantitative" },
          y: { field: "rate", type: "quantitative" },
          color: { field: "target", type: "nominal", scale: { domain: ["This area", "Peer"], range: [CHART_COLOURS.orange, CHART_COLOURS.blue] }, legend: { title: null, orient: "bottom" } },
          tooltip: [{ field: "name" }, { field: "rate", format: ".1f" }, { field: "population", format: "," }],
        },
      },
    ],
    config: CHART_CONFIG,
  };
}
