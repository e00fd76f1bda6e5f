import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MapTableGeoJsonSchema } from "../src/http/map-exports.ts";
import { DIALECTS, dialectAvailability } from "./dialects.ts";
import { type AnalysisApp, openAnalysisApp } from "./support/analysis-app.ts";
import { FIXTURE_MONTHS_2025, FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025, fixtureStreetLines } from "./support/shared-data.ts";

/**
 * The map page's tables: each hot cell named by its ward and most frequent police.uk location, cells
 * with no incidents hidden unless asked, paging, and the CSV and GeoJSON downloads.
 *
 * Part 1 builds a street file whose answer is known by hand: real Southampton rows spread over the
 * city (one incident each, at least 1.5 km from the clusters) and two clusters of incidents on one
 * real police.uk point each. On a 250 m grid each cluster's cell is a Gi* hot spot, and its eight
 * empty neighbours are hot too (their neighbourhood holds the cluster): the typical cells "with no
 * incidents". Cluster A: 18 "On or near Bargate Street" in LSOA L1, 18 "On or near Above Bar Street"
 * and 4 "On or near Zebra Road" in LSOA L2, so the location is a tie broken alphabetically (Above
 * Bar Street, 18 of 40 = 45%) and the ward is L2's (22 of 40 = 55%). Cluster B: 30 incidents at a
 * location text that is a spreadsheet formula, which the CSV must neutralise.
 */

// police.uk street columns: 0 Crime ID, 1 Month, 4 Longitude, 5 Latitude, 6 Location, 7 LSOA code, 8 LSOA name, 9 Crime type
const lines = await fixtureStreetLines("2025-01");
const header = lines[0]!;
const real = lines.slice(1).map((l) => l.split(","));
const lookup = fs
  .readFileSync(path.join(FIXTURE_REFERENCE_DIR, "geography", "lookup_lsoa21_ward24_ltla24.csv"), "utf8")
  .split("\n")
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split(",").map((f) => f.replace(/^"|"$/g, "")));
// columns: lsoa21_name, lsoa21_code, ward24_name, ward24_code, ...
const wardOf = new Map(lookup.map((r) => [r[1]!, { name: r[2]!, code: r[3]! }]));

const located = real.filter((r) => r[4] !== "" && r[9] !== "Anti-social behaviour" && wardOf.has(r[7]!));
const metres = (a: string[], b: string[]) => {
  const dLat = (Number(a[5]) - Number(b[5])) * 111_000;
  const dLon = (Number(a[4]) - Number(b[4])) * 111_000 * Math.cos((Number(a[5]) * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
};
const A = located[0]!;
const B = located.find((r) => metres(r, A) > 3000)!;
// L2: an LSOA in another ward than A's own (L1).
const L1 = A[7]!;
const L2 = [...wardOf.keys()].find((c) => wardOf.get(c)!.code !== wardOf.get(L1)!.code && c.startsWith("E01") && located.some((r) => r[7] === c))!;
const L2name = located.find((r) => r[7] === L2)![8]!;
const scattered: string[][] = [];
for (const r of located) {
  if (scattered.length >= 60) break;
  if (metres(r, A) > 1500 && metres(r, B) > 1500 && scattered.every((s) => metres(s, r) > 400)) scattered.push(r);
}
const FORMULA = "=HYPERLINK(\"http://x\")";
let id = 0;
const row = (at: string[], location: string, lsoa: string, lsoaName: string) =>
  [`${(++id).toString(16).padStart(64, "0")}`, "2025-01", "Hampshire Constabulary", "Hampshire Constabulary", at[4], at[5], location, lsoa, lsoaName, "Burglary", "Under investigation", ""].join(",");
const file = [
  header,
  ...Array.from({ length: 18 }, () => row(A, "On or near Bargate Street", L1, A[8]!)),
  ...Array.from({ length: 18 }, () => row(A, "On or near Above Bar Street", L2, L2name)),
  ...Array.from({ length: 4 }, () => row(A, "On or near Zebra Road", L2, L2name)),
  ...Array.from({ length: 30 }, () => row(B, `"${FORMULA.replace(/"/g, '""')}"`, B[7]!, B[8]!)),
  ...scattered.map((r) => row(r, r[6]!, r[7]!, r[8]!)),
].join("\n");

const Q = "area=Southampton&from=2025-01&to=2025-01&grid=square:250";

/** RFC 4180 lines to fields (quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split("\r\n")
    .map((l) => [...l.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!)));
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`map tables on ${dialect}`, () => {
    describe("two hand-made clusters", () => {
      let h: AnalysisApp;
      let tmp: string;
      beforeAll(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-map-tables-"));
        const dir = path.join(tmp, "2025-01");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "2025-01-hampshire-street.csv"), file);
        h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [path.join(dir, "2025-01-hampshire-street.csv")] });
      }, 180_000);
      afterAll(async () => {
        await h?.close();
        fs.rmSync(tmp, { recursive: true, force: true });
      });

      it("names cluster A's cell by L2's ward (55%) and the alphabetically first of the tied locations (45%), the cell id below", async () => {
        const b = await h.signedIn("viewer@council.gov.uk");
        const { res, html } = await b.get(`/map?${Q}`);
        expect(res.status).toBe(200);
        const table = /<table class="govuk-table" data-testid="gistar-cells">([\s\S]*?)<\/table>/.exec(html)![1]!;
        const rows = [...table.matchAll(/<tr class="govuk-table__row" data-class="([^"]+)">([\s\S]*?)<\/tr>/g)];
        // Only the two cluster cells have incidents among the hot cells; the scattered singles are not hot.
        const withA = rows.find((r) => r[2]!.includes("Above Bar Street"))!;
        expect(withA, table).toBeDefined();
        expect(withA[1]).toMatch(/^hot-/);
        expect(withA[2]).toContain(`${wardOf.get(L2)!.name} (55%)`);
        expect(withA[2]).toContain("On or near Above Bar Street (45%)");
        expect(withA[2]).toMatch(/Cell \d+_\d+/);
        expect(withA[2]).toContain(">40<");
        const withB = rows.find((r) => r[2]!.includes("HYPERLINK"))!;
        // escaped in HTML, the whole cell's share
        expect(withB[2]).toContain("=HYPERLINK(&quot;http://x&quot;) (100%)");
        expect(withB[2]).toContain(`${wardOf.get(B[7]!)!.name}<`);
      });

      it("hides the hot cells with no incidents and says how many; shows them when asked", async () => {
        const b = await h.signedIn("viewer@council.gov.uk");
        const all = (await b.get(`/api/v1/hotspots?${Q}`)).html;
        const cells = (JSON.parse(all) as { gistar: { features: { properties: { class: string; count: number } }[] } }).gistar.features.map((f) => f.properties);
        const markedEmpty = cells.filter((c) => c.class !== "none" && c.count === 0);
        const markedWith = cells.filter((c) => c.class !== "none" && c.count > 0);
        // the eight neighbours of each cluster at least
        expect(markedEmpty.length).toBeGreaterThanOrEqual(16);
        const hotEmpty = markedEmpty.filter((c) => c.class.startsWith("hot")).length;
        const coldEmpty = markedEmpty.length - hotEmpty;
        const page = (await b.get(`/map?${Q}`)).html;
        const hidden = /<p class="govuk-body" data-testid="hidden-empty">([\s\S]*?)<\/p>/.exec(page)![1]!;
        expect(hidden).toContain(`${markedEmpty.length} cells with no incidents are not listed (${hotEmpty} hot, ${coldEmpty} cold`);
        expect(hidden).toContain("empty=1");
        const listed = (html: string) => [...(/data-testid="gistar-cells">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? "").matchAll(/data-class=/g)].length;
        expect(listed(page)).toBe(Math.min(10, markedWith.length));
        const shown = (await b.get(`/map?${Q}&empty=1`)).html;
        expect(shown).not.toContain('data-testid="hidden-empty"');
        expect(shown).toContain('id="empty" name="empty" type="checkbox" value="1" checked');
        expect(shown).toContain("No incidents in the cell");
        // every marked cell, page by page
        const csv = parseCsv((await b.get(`/api/v1/map-tables/gistar?${Q}&empty=1`)).html);
        expect(csv.length - 1).toBe(markedEmpty.length + markedWith.length);
        const hiddenCsv = parseCsv((await b.get(`/api/v1/map-tables/gistar?${Q}`)).html);
        expect(hiddenCsv.length - 1).toBe(markedWith.length);
      });

      it("exports the Gi* table as CSV and GeoJSON named by area and period, formula-safe, with the page's figures", async () => {
        const b = await h.signedIn("viewer@council.gov.uk");
        const { res, html: text } = await b.get(`/api/v1/map-tables/gistar?${Q}&format=csv`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
        expect(res.headers.get("content-disposition")).toBe('attachment; filename="southampton_2025-01_2025-01_gistar_hotspots.csv"');
        const csv = parseCsv(text);
        expect(csv[0]).toEqual(["cell", "ward", "ward_code", "ward_share", "street", "street_share", "count", "class", "z", "p"]);
        const a = csv.find((r) => r[4] === "On or near Above Bar Street")!;
        expect(a.slice(1, 7)).toEqual([wardOf.get(L2)!.name, wardOf.get(L2)!.code, "0.55", "On or near Above Bar Street", "0.45", "40"]);
        const bRow = csv.find((r) => r[4]!.includes("HYPERLINK"))!;
        expect(bRow[4]).toBe(`'${FORMULA}`);
        expect(bRow[6]).toBe("30");
        expect(text).not.toMatch(/(^|,)=HYPERLINK/m);

        const g = await b.get(`/api/v1/map-tables/gistar?${Q}&format=geojson`);
        expect(g.res.headers.get("content-type")).toBe("application/geo+json; charset=utf-8");
        expect(g.res.headers.get("content-disposition")).toBe('attachment; filename="southampton_2025-01_2025-01_gistar_hotspots.geojson"');
        const fc = MapTableGeoJsonSchema.parse(JSON.parse(g.html));
        expect(fc.features.map((f) => f.id)).toEqual(csv.slice(1).map((r) => r[0]));
        const fa = fc.features.find((f) => f.id === a[0])!;
        expect(fa.properties).toMatchObject({ ward: wardOf.get(L2)!.name, ward_share: 0.55, street: "On or near Above Bar Street", street_share: 0.45, count: 40 });
        expect(fa.properties.class).toBe(a[7]);
        expect(fa.geometry?.type).toBe("Polygon");
        // the figures are the hotspots endpoint's
        const hs = JSON.parse((await b.get(`/api/v1/hotspots?${Q}`)).html) as { gistar: { features: { id: string; properties: { count: number; z: number; pAdjusted: number } }[] } };
        const ha = hs.gistar.features.find((f) => f.id === a[0])!;
        expect(Number(a[6])).toBe(ha.properties.count);
        expect(Number(a[8])).toBeCloseTo(ha.properties.z, 4);
        expect(Number(a[9])).toBe(ha.properties.pAdjusted);
      });

      it("refuses an unknown table or format with 400", async () => {
        const b = await h.signedIn("viewer@council.gov.uk");
        expect((await b.get(`/api/v1/map-tables/kde?${Q}`)).res.status).toBe(400);
        expect((await b.get(`/api/v1/map-tables/gistar?${Q}&format=xlsx`)).res.status).toBe(400);
      });
    });

    describe("Southampton 2025-01..03 (the fixture)", () => {
      let h: AnalysisApp;
      beforeAll(async () => {
        h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [FIXTURE_SOUTHAMPTON_2025] });
      }, 180_000);
      afterAll(() => h?.close());
      const F = "area=Southampton&from=2025-01&to=2025-03";

      it("pages the tables 10 rows at a time; the pages together are the download", async () => {
        const b = await h.signedIn("viewer@council.gov.uk");
        const csv = parseCsv((await b.get(`/api/v1/map-tables/gistar?${F}`)).html).slice(1);
        expect(csv.length).toBeGreaterThan(10);
        const pages = Math.ceil(csv.length / 10);
        const seen: string[] = [];
        for (let p = 1; p <= pages; p++) {
          const html = (await b.get(`/map?${F}&gpage=${p}`)).html;
          const table = /data-testid="gistar-cells">([\s\S]*?)<\/table>/.exec(html)![1]!;
          for (const m of table.matchAll(/data-cell="([^"]+)"/g)) seen.push(m[1]!);
          if (p === 1) {
            expect(html).toContain(`Showing cells 1 to 10 of ${csv.length}`);
            expect(html).toContain(`href="/map?${F.replace(/&/g, "&amp;")}&amp;gpage=2#gistar"`);
          }
        }
        expect(seen).toEqual(csv.map((r) => r[0]));
        // a page past the end shows the last
        expect((await b.get(`/map?${F}&gpage=999`)).html).toContain(`of ${csv.length}`);

        const pr = await b.get(`/api/v1/map-tables/priority?${F}&format=csv`);
        expect(pr.res.headers.get("content-disposition")).toBe('attachment; filename="southampton_2025-01_2025-03_priority_areas.csv"');
        const prRows = parseCsv(pr.html);
        expect(prRows[0]).toEqual(["rank", "lsoa", "lsoa_name", "ward", "ward_code", "count", "rate_per_1000", "smoothed_rate_per_1000", "deprivation_decile", "in_hotspot"]);
        for (const r of prRows.slice(1)) expect(r[3], r[1]).toBe(wardOf.get(r[1]!)?.name);
        const prGeo = MapTableGeoJsonSchema.parse(JSON.parse((await b.get(`/api/v1/map-tables/priority?${F}&format=geojson`)).html));
        expect(prGeo.features.map((f) => f.id)).toEqual(prRows.slice(1).map((r) => r[1]));
        expect(prGeo.features.every((f) => f.geometry !== null)).toBe(true);
        const em = await b.get(`/api/v1/map-tables/emerging?${F}&format=geojson`);
        expect(em.res.headers.get("content-disposition")).toBe('attachment; filename="southampton_2025-01_2025-03_emerging_hotspots.geojson"');
      });

      it("every listed cell's location and ward shares are of its own incidents, and its count is the Gi* count", async () => {
        const b = await h.signedIn("viewer@council.gov.uk");
        const csv = parseCsv((await b.get(`/api/v1/map-tables/gistar?${F}`)).html).slice(1);
        const hs = JSON.parse((await b.get(`/api/v1/hotspots?${F}`)).html) as { gistar: { features: { id: string; properties: { count: number } }[] } };
        const count = new Map(hs.gistar.features.map((f) => [f.id, f.properties.count]));
        const streets = new Set((await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).flatMap((ls) => ls.slice(1).map((l) => l.split(",")[6])));
        for (const r of csv) {
          expect(Number(r[6]), r[0]).toBe(count.get(r[0]!));
          // shares are whole numbers of incidents out of the cell's count
          for (const s of [r[3], r[5]]) expect(Math.abs(Number(s) * Number(r[6]) - Math.round(Number(s) * Number(r[6]))), r.join()).toBeLessThan(0.01);
          expect(streets.has(r[4]), r[4]).toBe(true);
          expect([...wardOf.values()].some((w) => w.code === r[2]), r[2]).toBe(true);
        }
      });
    });
  });
}
