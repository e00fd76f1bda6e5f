import fs from "node:fs";
import path from "node:path";
import { BoundariesSchema, HotspotsSchema, OverviewSchema, PeersSchema, PriorityAreasSchema, TrendsSchema } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailability } from "./dialects.ts";
import { type AnalysisApp, BASE, INJECTION, openAnalysisApp, openInjectionApp } from "./support/analysis-app.ts";
import { FIXTURE_MONTHS_2025, FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025, fixtureStreetLines } from "./support/shared-data.ts";

/**
 * The analysis pages and endpoints over the committed fixtures (Southampton 2025-01..03 and the
 * reference subset): what a fresh clone can check. Expected figures are counted here from the
 * fixture files. The full-year figures are in http-analysis.test.ts (needs ../shared/data).
 */
const Q = "area=Southampton&from=2025-01&to=2025-03";
const ASB = "Anti-social behaviour";
// police.uk street columns: 1 Month, 4 Longitude, 9 Crime type
const rows = (await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).flatMap((lines) => lines.slice(1).map((l) => l.split(",")));
const allCrime = (month: string) => rows.filter((r) => r[1] === month && r[9] !== ASB).length;
/** LSOA shapes in the fixture mirror: the 2021 ones and the few 2011 codes 2021 lacks. */
const lsoaBoundaries = ["boundaries_lsoa21_hampshire_pfa.geojson", "boundaries_lsoa11_hampshire_pfa.geojson"]
  .map((f) => (JSON.parse(fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, "boundaries", f), "utf8")) as { features: unknown[] }).features.length)
  .reduce((a, b) => a + b, 0);

/** Southampton's wards in the fixture lookup (LSOA 2021 -> ward May 2024), in code order. */
const wardNames = [
  ...new Map(
    fs
      .readFileSync(path.join(FIXTURE_REFERENCE_DIR, "geography", "lookup_lsoa21_ward24_ltla24.csv"), "utf8")
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map((v) => v.replace(/"/g, "")))
      .filter((r) => r[5] === "E06000045")
      .sort((a, b) => (a[3]! < b[3]! ? -1 : 1))
      .map((r) => [r[3]!, r[2]!]),
  ).values(),
];

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`analysis pages over the committed fixtures on ${dialect}`, () => {
    let h: AnalysisApp;
    let app: AnalysisApp["app"];
    const signedIn = (email: string) => h.signedIn(email);
    const api = (p: string, who?: string) => h.api(p, who);

    beforeAll(async () => {
      h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [FIXTURE_SOUTHAMPTON_2025] });
      ({ app } = h);
    }, 180_000);
    afterAll(() => h?.close());

    it("keeps pages and endpoints behind sign-in", async () => {
      for (const p of ["/overview", "/trends", "/peers", "/map", "/trends.csv"]) {
        const res = await app.request(`${BASE}${p}?${Q}`);
        expect(res.status, p).toBe(303);
        expect(res.headers.get("location"), p).toBe(`/login?next=${encodeURIComponent(`${p}?${Q}`)}`);
      }
      for (const e of ["overview", "trends", "peers", "hotspots", "priority-areas", "boundaries"]) expect((await app.request(`${BASE}/api/v1/${e}?${Q}`)).status, e).toBe(401);
    });

    it("overview and trends: the latest quarter and each month as the CSV rows count them, in the page, the API and the CSV", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const q1 = FIXTURE_MONTHS_2025.reduce((s, m) => s + allCrime(m), 0);
      const overview = await b.get(`/overview?${Q}`);
      expect(overview.res.status).toBe(200);
      expect(overview.html).toContain('<h1 class="govuk-heading-l">Overview: Southampton</h1>');
      const row = /<tr class="govuk-table__row" data-group="All crime">([\s\S]*?)<\/tr>/.exec(overview.html)![1]!;
      expect(row).toContain(q1.toLocaleString("en-GB"));
      const o = OverviewSchema.parse((await api(`/api/v1/overview?${Q}`)).body);
      expect(o.headlines.find((x) => x.group === "All crime")).toMatchObject({ latest: { period: "2025-Q1", count: q1 } });
      expect(o.freshness).toMatchObject({ latestMonth: "2025-03", missingMonths: [], importedFiles: 3 });

      const trends = await b.get(`/trends?${Q}`);
      expect(trends.res.status).toBe(200);
      expect(trends.html).toMatch(/<svg[^>]*class="marks"/);
      expect(trends.html).toContain('data-testid="table-monthly"');
      const t = TrendsSchema.parse((await api(`/api/v1/trends?${Q}`)).body);
      expect(t.groups.find((g) => g.group === "All crime")!.monthly).toEqual(FIXTURE_MONTHS_2025.map((m) => ({ month: m, count: allCrime(m) })));
      const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const csv = await (await app.request(`${BASE}/trends.csv?${Q}&table=monthly`, { headers: { cookie } })).text();
      for (const m of FIXTURE_MONTHS_2025) expect(csv).toContain(`Southampton,${m},`);
      expect(csv.split("\r\n").filter((l) => l.startsWith("Southampton,2025-01,"))[0]).toContain(`,${allCrime("2025-01")}`);
    });

    it("neutralises a formula in a CSV cell (an area named =cmd|' /C calc'!A0)", async () => {
      // Without reference data: with it, the upload's unknown LSOA would create no area (issue 16).
      const inj = await openInjectionApp(dialect);
      const b = await inj.signedIn("viewer@council.gov.uk");
      const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const area = encodeURIComponent(`lad:${INJECTION}`);
      const res = await inj.app.request(`${BASE}/trends.csv?area=${area}&from=2025-01&to=2025-01&table=monthly`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const lines = (await res.text()).split("\r\n").filter(Boolean);
      expect(lines[1]!.startsWith(`'${INJECTION},2025-01,`)).toBe(true);
      for (const l of lines) expect(l).not.toMatch(/^[=+\-@\t\r]/);
      await inj.close();
    });

    it("peers: the computed group from the fixture's indicators, then the official list an analyst stores", async () => {
      const viewer = await signedIn("viewer@council.gov.uk");
      const page = await viewer.get(`/peers?${Q}`);
      expect(page.res.status).toBe(200);
      // Portsmouth is the only other authority with LSOA rows (so every indicator) in the fixture mirror.
      expect(page.html).toContain("among 1 similar areas (computed)");
      expect(page.html).not.toContain('data-testid="peer-editor"');
      const analyst = await signedIn("analyst@council.gov.uk");
      expect((await analyst.get(`/peers?${Q}`)).html).toContain('data-testid="peer-editor"');
      const bad = await analyst.post("/peers/group", { area: "E06000045", codes: "E06000044, E99999999", action: "save" });
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("unknown peer code(s): E99999999");
      const saved = await analyst.post("/peers/group", { area: "Southampton", from: "2025-01", to: "2025-03", codes: "E06000044 E06000026, E07000148", action: "save" });
      expect(saved.res.status).toBe(303);
      const p = PeersSchema.parse((await api(`/api/v1/peers?${Q}`)).body);
      expect(p.groupSource).toBe("given");
      expect(p.members.map((m) => m.code)).toEqual(["E06000045", "E06000044", "E06000026", "E07000148"]);
      await analyst.post("/peers/group", { area: "Southampton", from: "2025-01", to: "2025-03", codes: "", action: "clear" });
      expect(PeersSchema.parse((await api(`/api/v1/peers?${Q}`)).body).groupSource).toBe("computed");
    });

    it("map: Gi* cells hold every located row; boundaries of the fixture's LSOAs; priority areas with their shapes", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const { res, html } = await b.get(`/map?${Q}`);
      expect(res.status).toBe(200);
      expect(html).toContain('data-testid="map"');
      expect(html).toContain('data-testid="priority-areas"');
      const all = HotspotsSchema.parse((await api(`/api/v1/hotspots?${Q}`)).body);
      expect(all.gistar.features.reduce((s, f) => s + (f.properties as { count: number }).count, 0)).toBe(rows.filter((r) => r[4] !== "" && r[9] !== ASB).length);
      const bd = BoundariesSchema.parse((await api(`/api/v1/boundaries?${Q}`)).body);
      expect(bd.features.find((f) => f.id === "E06000045")?.properties).toMatchObject({ level: "lad", source: "outline of its LSOAs" });
      expect(bd.features.filter((f) => f.properties.level === "lsoa")).toHaveLength(lsoaBoundaries);
      // the lookup's May 2024 wards (Southampton's 17), drawn from their LSOAs: the installed ward boundaries are December 2022's codes
      const wards = bd.features.filter((f) => f.properties.level === "ward");
      expect(wards.map((f) => f.properties.name)).toEqual(wardNames);
      expect(new Set(wards.map((f) => f.properties.source))).toEqual(new Set(["outline of its LSOAs (LSOAs nest in wards best-fit)"]));
      expect(wards.every((f) => f.geometry.type === "MultiLineString" && f.properties.label?.length === 2)).toBe(true);
      const pr = PriorityAreasSchema.parse((await api(`/api/v1/priority-areas?${Q}`)).body);
      expect(pr.areas.length).toBeGreaterThan(0);
      expect(pr.boundaries.features.map((f) => f.id).sort()).toEqual(pr.areas.map((a) => a.code as string).sort());
    });

    it("serves the chart and map libraries without sign-in", async () => {
      for (const p of ["/assets/vega/vega.min.js", "/assets/vega-lite/vega-lite.min.js", "/assets/vega-embed/vega-embed.min.js", "/assets/app/charts.mjs", "/assets/leaflet/leaflet-src.esm.js"]) {
        const res = await app.request(`${BASE}${p}`);
        expect(res.status, p).toBe(200);
        expect(res.headers.get("content-type"), p).toBe("text/javascript; charset=utf-8");
      }
    });
  });
}
