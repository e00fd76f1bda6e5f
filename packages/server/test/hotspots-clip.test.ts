import fs from "node:fs";
import path from "node:path";
import { AssessmentSchema, cellsIntersectingBoundary } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessArea } from "../src/services/assessment.service.ts";
import { assessEmerging } from "../src/services/emerging.service.ts";
import { assessHotspots } from "../src/services/hotspots.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "./support/shared-data.ts";

/**
 * Issue 13 items 1, 3, 4 through the services, on the committed fixtures (Southampton 2025-01..03 and
 * the Hampshire LSOA 2021 boundaries): grids clipped to the area's LSOA boundaries by default, the
 * earlier bounding box with clip "none", the note when no boundary is installed, the methods recorded.
 */
const southamptonLsoas = (
  JSON.parse(fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, "boundaries/boundaries_lsoa21_hampshire_pfa.geojson"), "utf8")) as {
    features: { properties: { ltla24_name: string }; geometry: { type: "MultiPolygon"; coordinates: number[][][][] } }[];
  }
).features
  .filter((f) => f.properties.ltla24_name === "Southampton")
  .map((f) => f.geometry);
const Q = { area: "Southampton", from: "2025-01", to: "2025-03", grid: "square:250" };

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`hotspot grids clipped to the study area on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => new Date("2026-01-01T00:00:00Z") });
      await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test", now: () => new Date("2026-01-01T00:00:00Z") });
    }, 180_000);
    afterAll(() => store?.destroy());

    it("Gi*: keeps exactly the bounding-box cells that meet an LSOA of Southampton, plus any cell with incidents; says so", async () => {
      const none = await assessHotspots(store, { ...Q, clip: "none" });
      const clipped = await assessHotspots(store, Q);
      const all = none.gistar!.cells;
      const flags = cellsIntersectingBoundary({ kind: "square", cellSize: 250, cells: all }, southamptonLsoas);
      const expected = all.filter((c, i) => flags[i] || c.count > 0).map((c) => c.id);
      expect(clipped.gistar!.cells.map((c) => c.id)).toEqual(expected);
      expect(expected.length).toBeLessThan(all.length); // the sea and the New Forest side are gone
      expect(clipped.params).toMatchObject({ clip: "boundary", clippedTo: "the area's LSOA boundaries", cells: { cellsBefore: all.length, cellsKept: expected.length } });
      expect(clipped.notes.join(" ")).toMatch(/grid clipped to the study area's boundary: \d+ of \d+ cells/);
      // no incident is lost: the clipped grid holds every located incident, as the bounding box did
      const total = (cells: { count: number }[]) => cells.reduce((s, c) => s + c.count, 0);
      expect(total(clipped.gistar!.cells)).toBe(total(all));
      expect(none.params).toMatchObject({ clip: "none", clippedTo: null });
      expect(clipped.gistar!.params.inference).toBe("normal");
    });

    it("KDE and emerging hot spots are clipped the same way; the emerging bins are on FDR by default", async () => {
      const kde = await assessHotspots(store, { ...Q, method: "kde" });
      const gi = await assessHotspots(store, Q);
      expect(kde.kde!.cells.map((c) => c.id)).toEqual(gi.gistar!.cells.map((c) => c.id));
      const em = await assessEmerging(store, { ...Q, grid: "square:500" });
      const emNone = await assessEmerging(store, { ...Q, grid: "square:500", clip: "none" });
      expect(em.result.cells.length).toBeLessThan(emNone.result.cells.length);
      expect(em.clip.clippedTo).toBe("the area's LSOA boundaries");
      expect(em.result.params.adjust).toBe("fdr");
      const raw = await assessEmerging(store, { ...Q, grid: "square:500", adjust: "none", trendTest: "hamed-rao", rules: "sfdep", firstSteps: "exclude" });
      expect(raw.result.params).toMatchObject({ adjust: "none", trendTest: "hamed-rao", rules: "sfdep", firstSteps: "exclude" });
    });

    it("permutation inference through the service: seeded, reported; bad options are AppErrors", async () => {
      const a = await assessHotspots(store, { ...Q, inference: "permutation", permutations: "199", seed: "7" });
      expect(a.gistar!.params).toMatchObject({ inference: "permutation", permutations: 199, seed: 7 });
      const b = await assessHotspots(store, { ...Q, inference: "permutation", permutations: 199, seed: 7 });
      expect(b.gistar!.cells.map((c) => c.p)).toEqual(a.gistar!.cells.map((c) => c.p));
      await expect(assessHotspots(store, { ...Q, clip: "sea" })).rejects.toThrow(/--clip must be boundary or none/);
      await expect(assessHotspots(store, { ...Q, inference: "bayes" })).rejects.toThrow(/--inference must be permutation or normal/);
      await expect(assessHotspots(store, { ...Q, inference: "permutation", permutations: "5" })).rejects.toThrow(/--permutations must be a whole number from 99/);
      await expect(assessEmerging(store, { ...Q, trendTest: "sen" })).rejects.toThrow(/--trend-test must be mann-kendall or hamed-rao/);
    });

    it("the assessment document records the method choices", async () => {
      const doc = await assessArea(store, { ...Q });
      expect(AssessmentSchema.safeParse(doc).success).toBe(true);
      expect(doc.parameters.hotspotMethod).toEqual({ inference: "normal", permutations: null, seed: null, clip: "boundary", clippedTo: "the area's LSOA boundaries" });
      expect(doc.parameters.emergingMethod).toMatchObject({ adjust: "fdr", trendTest: "mann-kendall", rules: "esri", firstSteps: "partial", clip: "boundary" });
    });

    it("with no boundary installed the grid is not clipped and the note says so (last: it deletes the boundaries)", async () => {
      await store.db.deleteFrom("boundary").execute();
      const r = await assessHotspots(store, Q);
      expect(r.params).toMatchObject({ clip: "boundary", clippedTo: null });
      expect(r.notes.join(" ")).toMatch(/no boundary of Southampton or of all its LSOAs is installed, so the grid is not clipped/);
      const none = await assessHotspots(store, { ...Q, clip: "none" });
      expect(r.gistar!.cells.length).toBe(none.gistar!.cells.length);
    });
  });
}
