import { peerFunnelSpec, peerRankSpec, seasonalChartSpec, trendChartSpec } from "@safecity/core";
import { describe, expect, it } from "vitest";
import { chartSvg } from "../src/http/chart-svg.ts";

describe("server-side SVG charts", () => {
  it("renders every spec builder to SVG with no inline style or script (CSP), escaping text", async () => {
    const rows = [
      { code: "A", name: "<script>alert(1)</script> & Co", rate: 10, population: 50_000, target: true, funnel: { inner: { lower: 8, upper: 12 }, outer: { lower: 7, upper: 13 } } },
      { code: "B", name: "Bee", rate: 12, population: 90_000, target: false, funnel: { inner: { lower: 8.5, upper: 11.5 }, outer: { lower: 7.5, upper: 12.5 } } },
    ];
    const specs = [
      trendChartSpec([
        { group: "All crime", month: "2025-01", count: 5 },
        { group: "All crime", month: "2025-02", count: null },
        { group: "All crime", month: "2025-03", count: 7 },
      ]),
      seasonalChartSpec([{ name: "January", index: 1.1 }, { name: "February", index: 0.9 }]),
      peerRankSpec(rows, { mean: 11, sd: 1.4 }),
      peerFunnelSpec(rows, 11.2),
    ];
    for (const spec of specs) {
      const svg = await chartSvg(spec);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).not.toMatch(/style=|<script|on\w+=/);
    }
    const rank = await chartSvg(specs[2]!);
    expect(rank).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co");
    // cached: the same spec gives the same string object back
    expect(await chartSvg(specs[2]!)).toBe(rank);
  });
});
