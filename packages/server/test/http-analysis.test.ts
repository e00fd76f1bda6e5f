import { EmergingSchema, HotspotsSchema, OverviewSchema, PeersSchema, PriorityAreasSchema, TrendsSchema, BoundariesSchema, PEER_VARIABLE_LABELS } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailability } from "./dialects.ts";
import { type AnalysisApp, BASE, INJECTION, openAnalysisApp, openInjectionApp } from "./support/analysis-app.ts";
import { HAMPSHIRE_2025, REFERENCE_DIR, needsSharedData } from "./support/shared-data.ts";

const Q = "area=Southampton&from=2025-01&to=2025-12";
const PAGES = ["/overview", "/trends", "/peers", "/map"];
const ENDPOINTS = ["overview", "trends", "peers", "hotspots", "emerging", "priority-areas", "boundaries"];

const ISLAND_SCRIPTS = [
  '<script defer="" src="/assets/vega/vega.min.js"></script>',
  '<script defer="" src="/assets/vega-lite/vega-lite.min.js"></script>',
  '<script defer="" src="/assets/vega-embed/vega-embed.min.js"></script>',
  '<script type="module" src="/assets/app/charts.mjs"></script>',
];

/** The Vega-Lite specs the page's charts carry in `data-vega-lite` (attribute text unescaped as a browser would). */
function chartSpecs(html: string): Record<string, unknown>[] {
  const attr = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return [...html.matchAll(/data-vega-lite="([^"]*)"/g)].map((m) => JSON.parse(attr(m[1]!)) as Record<string, unknown>);
}

// The pages' figures are checked on the whole 2025 year with a national reference install; the
// same pages over the committed fixtures are tested in http-analysis-fixtures.test.ts.
const noData = needsSharedData("the analysis pages' full-year figures need Hampshire 2025 and the national reference mirror in ../shared/data");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip || noData)(`analysis pages and endpoints on ${dialect}`, () => {
    let h: AnalysisApp;
    let app: AnalysisApp["app"];
    let store: AnalysisApp["store"];
    const signedIn = (email: string) => h.signedIn(email);
    const api = (p: string, who?: string) => h.api(p, who);

    beforeAll(async () => {
      h = await openAnalysisApp(dialect, { reference: REFERENCE_DIR, police: [HAMPSHIRE_2025] });
      ({ app, store } = h);
    }, 300_000);
    afterAll(() => h?.close());

    it("keeps pages, CSV downloads and endpoints behind sign-in: pages redirect to /login, the API answers 401", async () => {
      for (const p of [...PAGES, "/trends.csv", "/peers.csv"]) {
        const res = await app.request(`${BASE}${p}?${Q}`);
        expect(res.status, p).toBe(303);
        expect(res.headers.get("location"), p).toBe(`/login?next=${encodeURIComponent(`${p}?${Q}`)}`);
      }
      for (const e of ENDPOINTS) {
        const res = await app.request(`${BASE}/api/v1/${e}?${Q}`);
        expect(res.status, e).toBe(401);
      }
      const post = await app.request(`${BASE}/peers/group`, { method: "POST", body: new URLSearchParams({ area: "E06000045", codes: "E06000044" }) });
      expect(post.status).toBe(303);
    });

    it("shows the area picker, then Southampton's overview to a viewer: key messages, headline figures, peer position, freshness", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const picker = await b.get("/overview");
      expect(picker.res.status).toBe(200);
      expect(picker.html).toContain('data-testid="area-form"');
      expect(picker.html).toContain('<option value="lad:Southampton">');
      expect(picker.html).toContain('<option value="csp:Southampton">');
      const { res, html } = await b.get(`/overview?${Q}`);
      expect(res.status).toBe(200);
      expect(html).toContain("<h1 class=\"govuk-heading-l\">Overview: Southampton</h1>");
      expect(html).toContain("All crime fell 11.5% from 8,101 in July to September 2025 to 7,166 in October to December 2025");
      const allCrime = /<tr class="govuk-table__row" data-group="All crime">([\s\S]*?)<\/tr>/.exec(html)![1]!;
      // 2025 total for Southampton (as assess.test's ONS-independent police.uk counts), latest and previous quarter, change and verdict
      expect(allCrime).toContain("7,166");
      expect(allCrime).toContain("8,101");
      expect(allCrime).toContain("−935 (−11.5%)");
      // July to September includes 2025-08, which the data quality checks flag: no significance is claimed over it
      expect(allCrime).toContain("not tested for significance: includes a month flagged as unusual in the police data (2025-08)");
      expect(allCrime).not.toMatch(/statistically significant/);
      // rank 13 of 14 (1 = lowest rate) is the 2nd highest rate: said so, never "top quartile"
      expect(allCrime).toContain("the 2nd highest rate of 14, among the highest quarter");
      expect(allCrime).not.toMatch(/quartile/);
      expect(html).toMatch(/data-testid="latest-month">\s*2025-12/);
      expect(html).toMatch(/data-testid="missing-months">\s*none/);
      // the same through the API, and valid against its schema
      const o = OverviewSchema.parse((await api(`/api/v1/overview?${Q}`)).body);
      const h = o.headlines.find((x) => x.group === "All crime")!;
      expect(h).toMatchObject({ latest: { period: "2025-Q4", count: 7166 }, previous: { period: "2025-Q3", count: 8101 }, change: -935 });
      expect(h.peer).toMatchObject({ source: "ONS", rank: 13, of: 14, quartileLabel: "highest quarter", standing: "the 2nd highest rate of 14, among the highest quarter" });
      // the key message says the same, names the peer left out of the ONS ranking and why, and the population used
      const peerMessage = o.keyMessages.find((m) => m.id === "peer.all-crime-ons-year-ending-december-2024")!;
      expect(peerMessage.text).toMatch(/^All crime \(ONS, year ending December 2024\): the 2nd highest rate of 14 in a computed group of 15 similar areas, among the highest quarter/);
      expect(peerMessage.text).toMatch(/; \S.* is left out \(.+\)/);
      expect(peerMessage.text).toContain("rates per 1,000 residents, ONS mid-2022 populations (rounded to 100) from the same tables");
      // a shorter period: its own months, and the latest month loaded for the force
      const half = OverviewSchema.parse((await api("/api/v1/overview?area=Southampton&from=2025-01&to=2025-06")).body);
      expect(half.freshness).toMatchObject({ latestMonth: "2025-12", monthsCovered: ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"], importedFiles: 6 });
      expect(o.freshness).toMatchObject({ latestMonth: "2025-12", missingMonths: [], importedFiles: 12 });
    });

    it("shows form errors for a bad month and an unknown area, with the input kept", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const bad = await b.get("/overview?area=Southampton&from=2025-13");
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("Error: Choose an area");
      expect(bad.html).toContain('href="#from"');
      const unknown = await b.get("/trends?area=Southamptn");
      expect(unknown.res.status).toBe(400);
      expect(unknown.html).toContain("did you mean");
      expect(unknown.html).toContain('value="Southamptn"');
    });

    it("trends: server-rendered SVG charts, the tables behind them, CSV downloads", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const { res, html } = await b.get(`/trends?${Q}`);
      expect(res.status).toBe(200);
      expect(html).toContain('data-testid="chart-trends"');
      expect(html).toMatch(/<svg[^>]*class="marks"/);
      expect(html).not.toMatch(/<svg[\s\S]*?style="/);
      expect(html).toContain('data-testid="table-monthly"');
      expect(html).toContain('data-testid="seasonal-insufficient"');
      // a section that could not be computed shows no empty table and no CSV link (issue 12 item 6)
      expect(html).not.toContain('data-testid="table-seasonal"');
      expect(html).not.toContain("table=seasonal");
      const csv = await app.request(`${BASE}/trends.csv?${Q}&table=change`, { headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.headers.get("content-disposition")).toBe('attachment; filename="trends-change.csv"');
      const text = await csv.text();
      expect(text.split("\r\n")[0]).toBe("Area,Crime group,Latest period,Count,Compared with,Count then,Change,Change %,Verdict");
      expect(text).toContain("Southampton,All crime,2025-Q4,7166,2025-Q3,8101,-935,-11.5,not tested for significance: includes a month flagged as unusual in the police data (2025-08)");
      const t = TrendsSchema.parse((await api(`/api/v1/trends?${Q}`)).body);
      const all = t.groups.find((g) => g.group === "All crime")!;
      expect(all.monthly).toHaveLength(12);
      expect(all.total).toBe(all.monthly.reduce((s, m) => s + (m.count ?? 0), 0));
    });

    it("neutralises a formula in a CSV cell (an area named =cmd|' /C calc'!A0)", async () => {
      // Without reference data: with it, the upload's unknown LSOA would create no area (issue 16).
      const inj = await openInjectionApp(dialect);
      try {
        const b = await inj.signedIn("viewer@council.gov.uk");
        const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
        const area = encodeURIComponent(`lad:${INJECTION}`);
        const res = await inj.app.request(`${BASE}/trends.csv?area=${area}&from=2025-01&to=2025-01&table=monthly`, { headers: { cookie } });
        expect(res.status).toBe(200);
        const lines = (await res.text()).split("\r\n").filter(Boolean);
        expect(lines).toHaveLength(2);
        expect(lines[1]!.startsWith(`'${INJECTION},2025-01,`)).toBe(true);
        for (const l of lines) expect(l).not.toMatch(/^[=+\-@\t\r]/);
        // and on the page it is text (the store is closed only after this request)
        const page = await b.get(`/trends?area=${area}&from=2025-01&to=2025-01`);
        expect(page.res.status).toBe(200);
        expect(page.html).toContain("Trends: =cmd|&#39; /C calc&#39;!A0");
      } finally {
        await inj.close();
      }
    });

    it("peers: ranked chart and funnel, tables, the computed group with variables; a viewer gets no editor", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const { res, html } = await b.get(`/peers?${Q}`);
      expect(res.status).toBe(200);
      expect(html).toContain('data-testid="chart-peer-rank"');
      expect(html).toContain('data-testid="chart-peer-funnel"');
      expect(html).toContain('data-testid="table-all-crime-ons"');
      expect(html).toContain('data-testid="similarity-variables"');
      // each variable by its human label, its key beside it (issue 12 item 6)
      const variables = /data-testid="similarity-variables"[\s\S]*?<\/table>/.exec(html)![0];
      for (const [, label] of Object.entries(PEER_VARIABLE_LABELS).filter(([k]) => variables.includes(`>${k}<`))) expect(variables).toContain(label);
      expect(variables).toContain("Population density (residents per km², mid-2022)");
      expect(html).toContain("among 14 similar areas (computed)");
      expect(html).not.toContain('data-testid="peer-editor"');
      const denied = await b.post("/peers/group", { area: "E06000045", codes: "E06000044, E06000026" });
      expect(denied.res.status).toBe(403);
      const p = PeersSchema.parse((await api(`/api/v1/peers?${Q}`)).body);
      expect(p.groupSource).toBe("computed");
      expect(p.members).toHaveLength(15);
    });

    it("an analyst stores the official peer group; pages and API use it; bad codes are refused; clearing restores the computed group", async () => {
      const b = await signedIn("analyst@council.gov.uk");
      const first = await b.get(`/peers?${Q}`);
      expect(first.html).toContain('data-testid="peer-editor"');
      const bad = await b.post("/peers/group", { area: "E06000045", codes: "E06000044, E99999999", action: "save" });
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("unknown peer code(s): E99999999");
      const saved = await b.post("/peers/group", { area: "Southampton", from: "2025-01", to: "2025-12", codes: "E06000044 E06000026\nE06000045, E07000148", action: "save" });
      expect(saved.res.status).toBe(303);
      expect(saved.res.headers.get("location")).toBe(`/peers?${Q}&saved=saved#peer-group`);
      const after = await b.get(`/peers?${Q}&saved=saved`);
      expect(after.html).toContain("among 3 peers from the official list");
      expect(after.html).toContain("E06000044, E06000026, E07000148");
      const p = PeersSchema.parse((await api(`/api/v1/peers?${Q}`)).body);
      expect(p.groupSource).toBe("given");
      expect(p.members.map((m) => m.code)).toEqual(["E06000045", "E06000044", "E06000026", "E07000148"]);
      const o = OverviewSchema.parse((await api(`/api/v1/overview?${Q}`)).body);
      expect(o.peerGroup).toEqual({ source: "given", members: 4 });
      const audit = await store.db.selectFrom("audit_log").select(["action", "target", "actor"]).where("action", "like", "peer_group.%").execute();
      expect(audit).toEqual([{ action: "peer_group.save", target: "E06000045", actor: "analyst@council.gov.uk" }]);
      const cleared = await b.post("/peers/group", { area: "Southampton", from: "2025-01", to: "2025-12", codes: "", action: "clear" });
      expect(cleared.res.status).toBe(303);
      expect(PeersSchema.parse((await api(`/api/v1/peers?${Q}`)).body).groupSource).toBe("computed");
    });

    it("map: tables of Gi* cells, priority areas and emerging cells; GeoJSON endpoints for the island", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const { res, html } = await b.get(`/map?${Q}`);
      expect(res.status).toBe(200);
      expect(html).toContain('data-testid="map"');
      expect(html).toContain('<script type="module" src="/assets/app/map.mjs"></script>');
      expect(html).toContain('data-class="hot-99"');
      expect(html).toContain('data-testid="priority-areas"');
      expect(html).toContain('data-testid="emerging-cells"');
      const hot = HotspotsSchema.parse((await api(`/api/v1/hotspots?${Q}&cells=marked`)).body);
      const marked = Object.entries(hot.summary).filter(([k]) => k !== "none").reduce((s, [, n]) => s + n, 0);
      expect(hot.gistar.features).toHaveLength(marked);
      expect(marked).toBeGreaterThan(50);
      // the page lists the marked cells with incidents, 10 a page; the download holds every one, and with
      // ?empty=1 the marked cells with no incidents too (issue 12 item 5: paged tables, empty cells hidden)
      const listed = ((await api(`/api/v1/map-tables/gistar?${Q}&format=geojson`)).body.features as unknown[]).length;
      const withEmpty = ((await api(`/api/v1/map-tables/gistar?${Q}&format=geojson&empty=1`)).body.features as unknown[]).length;
      expect(withEmpty).toBe(marked);
      expect(listed).toBeGreaterThan(10);
      expect(listed).toBeLessThanOrEqual(marked);
      expect((html.match(/data-class="(hot|cold)-/g) ?? []).length).toBe(10);
      expect(html).toContain(`of ${listed}`);
      const all = HotspotsSchema.parse((await api(`/api/v1/hotspots?${Q}`)).body);
      expect(all.gistar.features).toHaveLength(Object.values(hot.summary).reduce((s, n) => s + n, 0));
      const ring = (all.gistar.features[0]!.geometry as { coordinates: number[][][] }).coordinates[0]!;
      expect(ring[0]![0]).toBeGreaterThan(-1.6);
      expect(ring[0]![0]).toBeLessThan(-1.2);
      expect(ring[0]![1]).toBeGreaterThan(50.8);
      expect(ring[0]![1]).toBeLessThan(51.0);
      const em = EmergingSchema.parse((await api(`/api/v1/emerging?${Q}&cells=marked`)).body);
      expect(em.steps).toHaveLength(12);
      expect(em.cells.features.every((f) => f.properties.category !== "no-pattern")).toBe(true);
      const pr = PriorityAreasSchema.parse((await api(`/api/v1/priority-areas?${Q}`)).body);
      expect(pr.areas).toHaveLength(10);
      expect(pr.boundaries.features.map((f) => f.id).sort()).toEqual(pr.areas.map((a) => a.code as string).sort());
      const bd = BoundariesSchema.parse((await api(`/api/v1/boundaries?${Q}`)).body);
      expect(bd.features.find((f) => f.id === "E06000045")?.properties.level).toBe("lad");
      expect(bd.features.filter((f) => f.properties.level === "lsoa").length).toBeGreaterThan(100);
      // another crime group on H3 hexagons: the form keeps the choice, the island is given it
      const h3 = await b.get(`/map?${Q}&type=Burglary&grid=h3%3A9`);
      expect(h3.res.status).toBe(200);
      expect(h3.html).toContain("Burglary in Southampton, 2025-01 to 2025-12");
      expect(h3.html).toContain("H3 resolution 9");
      expect(h3.html).toContain('<option value="Burglary" selected="">Burglary</option>');
      expect(h3.html).toContain(`data-query="?${Q.replace(/&/g, "&amp;")}&amp;type=Burglary&amp;grid=h3%3A9"`);
      const hh = HotspotsSchema.parse((await api(`/api/v1/hotspots?${Q}&type=Burglary&grid=h3:9&cells=marked`)).body);
      expect(hh.grid).toBe("h3:9");
      expect(hh.gistar.features.every((f) => /^89[0-9a-f]{13}$/.test(f.id))).toBe(true);
    });

    it("charts carry their Vega-Lite spec and load the chart island, only on pages with charts", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const trends = await b.get(`/trends?${Q}`);
      const specs = chartSpecs(trends.html);
      // the monthly chart (the seasonal profile needs more than a year: not drawn here)
      expect(specs).toHaveLength(1);
      const t = TrendsSchema.parse((await api(`/api/v1/trends?${Q}`)).body);
      const values = (specs[0]!.data as { values: { group: string; month: string; count: number | null }[] }).values;
      const all = t.groups.find((g) => g.group === "All crime")!;
      expect(values.filter((v) => v.group === "All crime").map((v) => v.count)).toEqual(all.monthly.map((m) => m.count));
      expect(values.find((v) => v.group === "All crime" && v.month === "2025-12-01")!.count).toBe(all.monthly[11]!.count);
      expect((specs[0]!.spec as { encoding: { tooltip: unknown[] } }).encoding.tooltip).toHaveLength(3);
      // the spec sits on the SVG's wrapper, and the island's scripts come once, in this order
      expect(trends.html).toMatch(/<div role="img" aria-label="Line charts of monthly recorded incidents[^"]*" data-vega-lite="[^"]*"><svg/);
      let at = -1;
      for (const tag of ISLAND_SCRIPTS) {
        expect(trends.html.split(tag)).toHaveLength(2);
        expect(trends.html.indexOf(tag)).toBeGreaterThan(at);
        at = trends.html.indexOf(tag);
      }
      const peers = await b.get(`/peers?${Q}`);
      expect(chartSpecs(peers.html).map((sp) => (sp.layer as { mark: { type: string } }[]).map((l) => l.mark.type))).toEqual([
        ["rect", "bar", "rule"],
        ["line", "rule", "point"],
      ]);
      for (const tag of ISLAND_SCRIPTS) expect(peers.html.split(tag)).toHaveLength(2);
      // no charts, no island: overview, map, the area picker, a form error
      for (const p of [`/overview?${Q}`, `/map?${Q}`, "/trends", "/trends?area=Southamptn"]) {
        const { html } = await b.get(p);
        expect(html, p).not.toContain("data-vega-lite");
        expect(html, p).not.toContain("vega");
        expect(html, p).not.toContain("charts.mjs");
      }
    });

    it("serves vega, vega-lite and vega-embed builds and the chart island without sign-in", async () => {
      for (const [p, min] of [
        ["/assets/vega/vega.min.js", 400_000],
        ["/assets/vega-lite/vega-lite.min.js", 200_000],
        ["/assets/vega-embed/vega-embed.min.js", 40_000],
        ["/assets/app/charts.mjs", 500],
      ] as const) {
        const res = await app.request(`${BASE}${p}`);
        expect(res.status, p).toBe(200);
        expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
        expect((await res.text()).length, p).toBeGreaterThan(min);
      }
      expect((await app.request(`${BASE}/assets/vega/../package.json`)).status).toBe(404);
    });

    it("serves Leaflet from node_modules without sign-in", async () => {
      const res = await app.request(`${BASE}/assets/leaflet/leaflet-src.esm.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect((await res.text()).length).toBeGreaterThan(100_000);
    });
  });
}
