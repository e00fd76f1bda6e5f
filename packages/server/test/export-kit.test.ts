import { describe, expect, it } from "vitest";
// the browser islands' pure helpers (no DOM), run in Node
import { esc, exportFileName, svgSize, wrapText } from "../../web/src/assets/export-kit.mjs";
import { mapSvg, niceScale, pathData } from "../../web/src/assets/map-export.mjs";

describe("export file names and SVG helpers (map and chart exports)", () => {
  it("names a file by area and period like the map's table downloads", () => {
    expect(exportFileName({ area: "Southampton", from: "2025-01", to: "2025-03" }, "map", "png")).toBe("southampton_2025-01_2025-03_map.png");
    expect(exportFileName({ area: "Brighton and Hove", from: "2024-04", to: "2025-03" }, "peer-rank", "svg")).toBe("brighton-and-hove_2024-04_2025-03_peer-rank.svg");
    expect(exportFileName({ area: "Bath & North East Somerset", from: "", to: "" }, "trends", "svg")).toBe("bath-north-east-somerset_trends.svg");
    expect(exportFileName({ area: "", from: "", to: "" }, "plan-targets", "png")).toBe("plan-targets.png");
  });

  it("escapes text, wraps lines within a width, reads an SVG's size", () => {
    expect(esc(`<b a="1">&'`)).toBe("&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
    const lines = wrapText("one two three four five six seven eight nine ten", 66, 12); // 10 characters a line
    expect(lines).toEqual(["one two", "three four", "five six", "seven", "eight nine", "ten"]);
    expect(lines.every((l) => l.length <= 10)).toBe(true);
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120.5">')).toEqual({ width: 300, height: 120.5 });
    expect(svgSize('<svg viewBox="0 0 40 30">')).toEqual({ width: 40, height: 30 });
  });

  it("picks a 1-2-5 scale bar that fits, and writes path data", () => {
    // 12.5 m a pixel, at most 160 px = 2,000 m: 2 km, 160 px
    expect(niceScale(12.5, 160)).toEqual({ metres: 2000, px: 160, label: "2 km" });
    // 3 m a pixel, 100 px = 300 m: 200 m, 66.7 px
    const s = niceScale(3, 100)!;
    expect([s.metres, s.label]).toEqual([200, "200 m"]);
    expect(s.px).toBeCloseTo(66.667, 3);
    expect(niceScale(0, 100)).toBeNull();
    expect(pathData([[[0, 0], [10.04, 5.06], [3, 4]]], true)).toBe("M0 0L10 5.1L3 4Z");
  });

  it("writes a map whose text is escaped and whose attribution is always there", () => {
    const svg = mapSvg({
      width: 400,
      height: 300,
      title: "Map: All crime in A & B",
      subtitle: "Gi*",
      shapes: [{ parts: [[[0, 0], [10, 0], [10, 10]]], closed: true, fill: "#d4351c", fillOpacity: 1, stroke: null }],
      labels: [{ x: 5, y: 5, text: "<Ward>" }],
      legend: [{ colour: "#d4351c", label: "Hot spot, 99% confidence (3 cells)" }],
      metresPerPixel: 10,
      notes: [],
      attribution: "Crime: data.police.uk",
    });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="424" height="\d+"/);
    expect(svg).toContain("A &amp; B");
    expect(svg).toContain("&lt;Ward&gt;");
    expect(svg).not.toContain("<Ward>");
    expect(svg).toContain('<path d="M0 0L10 0L10 10Z" fill="#d4351c"');
    expect(svg).toContain("Crime: data.police.uk");
    expect(svg).toContain(">1 km<");
  });
});
