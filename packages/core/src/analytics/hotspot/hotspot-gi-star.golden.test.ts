import { describe, expect, it } from "vitest";
import { compareGolden, fmt, readCsv } from "../../../test/golden/hotspot/golden.ts";
import { hotspotGiStar } from "./hotspot-gi-star.ts";

// Goldens made by packages/core/test/golden/hotspot/gi-star.R (R spdep::localG, include.self, style "B")
// from real Southampton 2025 counts; see packages/core/test/golden/hotspot/README.md.
function rows(result: ReturnType<typeof hotspotGiStar>): Record<string, string>[] {
  return result.cells.map((c) => ({ id: c.id, z: fmt(c.z), p: fmt(c.p), pAdjusted: fmt(c.pAdjusted), class: c.class }));
}

describe("hotspotGiStar agrees with R spdep::localG on real Southampton counts", () => {
  it("square cells, 250 m, queen contiguity", () => {
    const cells = readCsv("square-southampton-250m.counts.csv").map((r) => ({ id: r.id!, count: Number(r.count) }));
    const result = hotspotGiStar({ kind: "square", cellSize: 250, cells }, { inference: "normal" });
    expect(cells.length).toBe(1452);
    expect(result.summary["hot-99"]).toBeGreaterThan(0);
    expect(compareGolden("square-southampton-250m.gistar.golden.csv", rows(result))).toEqual([]);
  });

  it("H3 cells, resolution 9, gridDisk k=1", () => {
    const cells = readCsv("h3-southampton-r9.counts.csv").map((r) => ({ id: r.id!, count: Number(r.count) }));
    const result = hotspotGiStar({ kind: "h3", resolution: 9, cells }, { inference: "normal" });
    expect(cells.length).toBe(878);
    expect(compareGolden("h3-southampton-r9.gistar.golden.csv", rows(result))).toEqual([]);
  });
});
