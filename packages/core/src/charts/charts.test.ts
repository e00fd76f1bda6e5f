import { describe, expect, it } from "vitest";
import { peerFunnelSpec, peerRankSpec, seasonalChartSpec, trendChartSpec } from "./index.ts";

const values = (spec: Record<string, unknown>) => (spec.data as { values: Record<string, unknown>[] }).values;

describe("chart specs", () => {
  it("trendChartSpec: one panel per group in the given order, a missing month stays null (a gap, not a zero)", () => {
    const spec = trendChartSpec([
      { group: "Burglary", month: "2025-01", count: 3 },
      { group: "Burglary", month: "2025-02", count: null },
      { group: "All crime", month: "2025-01", count: 10 },
    ]);
    expect((spec.facet as { sort: string[] }).sort).toEqual(["Burglary", "All crime"]);
    expect(values(spec)).toEqual([
      { group: "Burglary", month: "2025-01-01", count: 3 },
      { group: "Burglary", month: "2025-02-01", count: null },
      { group: "All crime", month: "2025-01-01", count: 10 },
    ]);
    expect(((spec.spec as { mark: { invalid: string } }).mark).invalid).toBe("break-paths-show-domains");
    // the interactive view's tooltip on each point: group, month, count
    const tooltip = (spec.spec as { encoding: { tooltip: { field: string; format?: string }[] } }).encoding.tooltip;
    expect(tooltip.map((t) => t.field)).toEqual(["group", "month", "count"]);
    expect(tooltip[1]!.format).toBe("%B %Y");
  });

  it("seasonalChartSpec: calendar months in order, months without data left out, a rule at 100 (the average month)", () => {
    const spec = seasonalChartSpec([
      { name: "January", index: 120 },
      { name: "February", index: null },
      { name: "March", index: 80 },
    ]);
    expect(values(spec)).toEqual([
      { name: "Jan", index: 120 },
      { name: "Mar", index: 80 },
    ]);
    const layers = spec.layer as { encoding: { x?: { sort: string[] }; y: { datum?: number } } }[];
    expect(layers[0]!.encoding.x!.sort).toEqual(["Jan", "Feb", "Mar"]);
    expect(layers[1]!.encoding.y.datum).toBe(100);
  });

  const rows = [
    { code: "B", name: "Bee", rate: 30, population: 100_000, target: false, funnel: { inner: { lower: 20, upper: 40 }, outer: { lower: 15, upper: 45 } } },
    { code: "A", name: "Ay", rate: 10, population: 50_000, target: true, funnel: { inner: { lower: 18, upper: 42 }, outer: { lower: 12, upper: 48 } } },
  ];

  it("peerRankSpec: lowest rate first, the area marked, band = mean ± SD, mean rule", () => {
    const spec = peerRankSpec(rows, { mean: 20, sd: 14.1 });
    expect(values(spec)).toEqual([
      { name: "Ay", rate: 10, target: "This area" },
      { name: "Bee", rate: 30, target: "Peer" },
    ]);
    const layers = spec.layer as { data?: { values: Record<string, number>[] } }[];
    expect(layers[0]!.data!.values).toEqual([{ lo: 20 - 14.1, hi: 20 + 14.1 }]);
    expect(layers[2]!.data!.values).toEqual([{ mean: 20 }]);
    // no SD (one area): no band
    expect((peerRankSpec(rows, { mean: 20, sd: null }).layer as unknown[]).length).toBe(2);
  });

  it("peerFunnelSpec: the four limits at each area's population, by population, and the centre", () => {
    const spec = peerFunnelSpec(rows, 21.5);
    const layers = spec.layer as { data: { values: Record<string, unknown>[] } }[];
    expect(layers[0]!.data.values.filter((v) => v.limit === "99.8% upper")).toEqual([
      { population: 50_000, rate: 48, limit: "99.8% upper" },
      { population: 100_000, rate: 45, limit: "99.8% upper" },
    ]);
    expect(layers[0]!.data.values).toHaveLength(8);
    expect(layers[1]!.data.values).toEqual([{ centre: 21.5 }]);
    expect(layers[2]!.data.values.map((v) => v.target)).toEqual(["Peer", "This area"]);
  });
});
