import { AppError, EmergingSchema, OverviewSchema, PeersSchema, TrendsSchema, poissonTest } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessArea } from "../src/services/assessment.service.ts";
import { loadAnalysisScope } from "../src/services/analysis-scope.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { loadDemo } from "../src/services/demo.service.ts";
import { assessEmerging } from "../src/services/emerging.service.ts";
import { overviewOfArea } from "../src/services/overview.service.ts";
import { yearOnYearByGroup } from "../src/services/year-on-year.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { type AnalysisApp, openAnalysisApp } from "./support/analysis-app.ts";
import { runCli } from "./support/cli.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2024, FIXTURE_SOUTHAMPTON_2025, fixtureStreetLines } from "./support/shared-data.ts";

/**
 * Issue 12 items 2 and 3 over the committed fixtures (Southampton 2024-04, then 2025-01..03: a gap
 * of 8 months): the default period, the missing-months warning at the top of the pages and in the
 * API and CLI, the emerging refusal across a gap, and peer positions in plain English with the
 * peers left out named.
 */
const GAP = ["2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"];
const ASB = "Anti-social behaviour";
const rows2025 = (await Promise.all(["2025-01", "2025-02", "2025-03"].map(fixtureStreetLines))).flatMap((lines) => lines.slice(1).map((l) => l.split(",")));
const WARNING =
  "8 of the 12 months of this period have no hampshire file (2024-05 to 2024-12): their crime is unknown, not zero. Totals and rates cover only the 4 months with data; changes compare only periods with every month loaded.";

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`periods and peer wording over the fixtures on ${dialect}`, () => {
    let h: AnalysisApp;

    beforeAll(async () => {
      h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [FIXTURE_SOUTHAMPTON_2024, FIXTURE_SOUTHAMPTON_2025] });
    }, 180_000);
    afterAll(() => h?.close());

    it("no months chosen: the latest complete months without a gap (2025-01..03, not 2024-04..2025-03), and why it is short", async () => {
      const s = await loadAnalysisScope(h.store, { area: "Southampton" });
      expect([s.from, s.to, s.defaulted, s.missingMonths, s.gaps, s.warning]).toEqual(["2025-01", "2025-03", true, [], [], null]);
      expect(s.notes.join(" ")).toContain("the latest 12 months have a gap (no file for 2024-05 to 2024-12), so the default period is the 3 months since it");
      // one bound given: the other is the first/last month loaded, as before
      const to = await loadAnalysisScope(h.store, { area: "Southampton", to: "2025-02" });
      expect([to.from, to.to, to.defaulted]).toEqual(["2024-04", "2025-02", false]);
      // the page without months shows the default period
      const b = await h.signedIn("viewer@council.gov.uk");
      const page = await b.get("/overview?area=Southampton");
      expect(page.res.status).toBe(200);
      expect(page.html).toMatch(/data-testid="overview-period">[\s\S]*?2025-01 to 2025-03/);
      expect(page.html).not.toContain('data-testid="period-warning"');
      const o = OverviewSchema.parse((await h.api("/api/v1/overview?area=Southampton")).body);
      expect([o.from, o.to, o.periodWarning]).toEqual(["2025-01", "2025-03", null]);
    }, 300_000);

    it("a period spanning missing months says so at the top of every page, in the API and the CLI; totals cover the months loaded", async () => {
      const s = await loadAnalysisScope(h.store, { area: "Southampton", from: "2024-04", to: "2025-03" });
      expect(s.missingMonths).toEqual(GAP);
      expect(s.gaps).toEqual(GAP);
      expect(s.warning).toBe(WARNING);
      const b = await h.signedIn("viewer@council.gov.uk");
      const q = "area=Southampton&from=2024-04&to=2025-03";
      for (const p of ["/overview", "/trends", "/peers", "/map"]) {
        const { res, html } = await b.get(`${p}?${q}`);
        expect(res.status, p).toBe(200);
        const at = html.indexOf('data-testid="period-warning"');
        expect(at, p).toBeGreaterThan(0);
        // at the top: before the first table or chart of the page
        const firstFigure = Math.min(...["<table", "<svg", 'data-testid="key-messages"'].map((t) => html.indexOf(t)).filter((i) => i >= 0));
        expect(at, p).toBeLessThan(firstFigure);
        expect(html.slice(at, at + 800), p).toContain("8 of the 12 months of this period have no hampshire file (2024-05 to 2024-12)");
      }
      const overview = await b.get(`/overview?${q}`);
      expect(overview.html).toContain("Total of the 4 months with data");
      const o = OverviewSchema.parse((await h.api(`/api/v1/overview?${q}`)).body);
      expect(o.periodWarning).toBe(WARNING);
      expect(TrendsSchema.parse((await h.api(`/api/v1/trends?${q}`)).body).periodWarning).toBe(WARNING);
      expect(PeersSchema.parse((await h.api(`/api/v1/peers?${q}`)).body).periodWarning).toBe(WARNING);
      const cli = await runCli(["trends", "--area", "Southampton", "--from", "2024-04", "--to", "2025-03"], h.store.env);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toContain(`warning: ${WARNING}`);
      const json = await runCli(["trends", "--area", "Southampton", "--from", "2024-04", "--to", "2025-03", "--json"], h.store.env);
      expect(JSON.parse(json.stdout).scope).toMatchObject({ warning: WARNING, gaps: GAP, defaulted: false });
    }, 300_000);

    it("emerging hot spots refuse a time series that crosses a gap, with a period without it as the hint", async () => {
      const err = await assessEmerging(h.store, { area: "Southampton", from: "2024-04", to: "2025-03" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("data.missing");
      expect((err as AppError).message).toContain("emerging hot spots need consecutive months, and 2024-04 to 2025-03 has a gap: 2024-05, 2024-06");
      expect((err as AppError).hint).toContain("--from 2025-01 --to 2025-03");
      // missing months at the ends only shorten the series: 2025-01..03 of a period to 2025-06 still runs
      const tail = await assessEmerging(h.store, { area: "Southampton", from: "2025-01", to: "2025-06", grid: "square:500" });
      expect(tail.result.steps).toEqual(["2025-01", "2025-02", "2025-03"]);
      expect(tail.stepsExcluded).toEqual(["2025-04", "2025-05", "2025-06"]);
      // through the CLI and the API: an error that says what to do
      const cli = await runCli(["emerging", "--area", "Southampton", "--from", "2024-04", "--to", "2025-03"], h.store.env);
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toContain("has a gap");
      expect(cli.stderr).toContain("--from 2025-01 --to 2025-03");
      const api = await h.api("/api/v1/emerging?area=Southampton&from=2024-04&to=2025-03");
      expect(api.res.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(api.body)).toContain("has a gap");
      const ok = await h.api("/api/v1/emerging?area=Southampton&from=2025-01&to=2025-03");
      expect(ok.res.status).toBe(200);
      EmergingSchema.parse(ok.body);
    }, 300_000);

    it("peer positions in plain English on the page, the CSV, the CLI and the key messages; left-out peers named with why", async () => {
      // Portsmouth and Plymouth have no street rows in the fixtures: both are left out of the police.uk ranking
      const doc = await assessArea(h.store, { area: "Southampton", from: "2025-01", to: "2025-03", peers: ["E06000044", "E06000026"] });
      const messages = doc.keyMessages.messages.filter((m) => m.id.startsWith("peer."));
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) {
        expect(m.text).not.toMatch(/quartile|\btop\b/);
        expect(m.text).toMatch(/(highest|lowest) rate of \d+|the same rate as all|the only area/);
      }
      const group = doc.peers.groups!.find((g) => g.group === "All crime")!;
      const ons = group.ons.result as { target: { rank: number; of: number; standing: string } } | null;
      const all = messages.find((m) => m.id === "peer.all-crime-ons-year-ending-december-2024" || m.id === "peer.all-crime-police-uk")!;
      expect(all).toBeDefined();
      if (ons) {
        // the ONS side ranks 3 areas: no quarter is said for a group under 4
        expect(all.text).toContain(`All crime (ONS, year ending December 2024): ${ons.target.standing} in the peer group of 3`);
        expect(all.text).toContain("rates per 1,000 residents, ONS mid-2022 populations (rounded to 100) from the same tables");
      }
      const police = group.policeUk as { status: string; excluded: { name: string; reason: string }[] };
      expect(police.excluded.map((e) => e.reason)).toEqual(["no police.uk data loaded", "no police.uk data loaded"]);

      // the peers page with a peer group of Southampton and Portsmouth (computed from the fixture mirror)
      const b = await h.signedIn("viewer@council.gov.uk");
      const page = await b.get("/peers?area=Southampton&from=2025-01&to=2025-03&group=All+crime");
      expect(page.res.status).toBe(200);
      expect(page.html).toMatch(/data-testid="peer-standing">\s*Southampton has the (highest|lowest) rate of 2 \((ONS|police\.uk)/);
      expect(page.html).not.toMatch(/top quartile|lowest quartile/);
      const csv = await b.get("/peers.csv?area=Southampton&from=2025-01&to=2025-03&table=all-crime-ons");
      expect(csv.res.status).toBe(200);
      expect(csv.html.split("\n")[0]).toContain("Position,Rank (1 = lowest rate),Quarter by rate");
      expect(csv.html).toMatch(/the (highest|lowest) rate of 2/);
      // no quarter is said of a group of 2
      expect(csv.html).not.toMatch(/quarter,/);
      const cli = await runCli(["peers", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03", "--peers", "E06000044,E06000026"], h.store.env);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/the (highest|lowest) rate of \d/);
      expect(cli.stdout).toContain("police.uk: 2 peers are left out: Portsmouth (no police.uk data loaded) and Plymouth (no police.uk data loaded)");
      expect(cli.stdout).not.toMatch(/quartile/);
      // the police.uk total the ranking used is the 2025 rows without ASB
      const target = (group.policeUk.result as { target: { count: number } } | null)?.target;
      if (target) expect(target.count).toBe(rows2025.filter((r) => r[9] !== ASB).length);
    }, 300_000);

    it("every police.uk type on its own: Shoplifting beside the groups on the overview, trends and map; year on year says why it is not made", async () => {
      const b = await h.signedIn("viewer@council.gov.uk");
      const shoplifting = rows2025.filter((r) => r[9] === "Shoplifting").length;
      expect(shoplifting).toBeGreaterThan(0);
      const q = "area=Southampton&from=2025-01&to=2025-03&type=Shoplifting";
      const overview = await b.get(`/overview?${q}`);
      expect(overview.res.status).toBe(200);
      expect(overview.html).toMatch(/<option value="Shoplifting" selected="">Shoplifting<\/option>/);
      const row = /<tr class="govuk-table__row" data-group="Shoplifting">([\s\S]*?)<\/tr>/.exec(overview.html)?.[1];
      expect(row).toBeDefined();
      expect(row).toContain(shoplifting.toLocaleString("en-GB"));
      const o = OverviewSchema.parse((await h.api(`/api/v1/overview?${q}`)).body);
      const shop = o.headlines.find((x) => x.group === "Shoplifting")!;
      expect(shop.total).toBe(shoplifting);
      // no month a year before 2025-01..03 is loaded: year on year is not made, and says why
      expect(shop.yearOnYear).toMatchObject({ change: null, comparableMonths: 0, reason: "no month of 2024-04 to 2025-03 has data in both years" });
      const trends = TrendsSchema.parse((await h.api(`/api/v1/trends?${q}`)).body);
      expect(trends.groups.map((g) => g.group)).toContain("Shoplifting");
      expect(trends.groups.find((g) => g.group === "Shoplifting")!.total).toBe(shoplifting);
      expect(trends.groups.find((g) => g.group === "Theft (all)")!.total).toBeGreaterThan(shoplifting);
      const page = await b.get(`/trends?${q}`);
      expect(page.html).toContain('data-testid="crime-type"');
      const map = await b.get(`/map?${q}`);
      expect(map.res.status).toBe(200);
      expect(map.html).toMatch(/<option value="Shoplifting" selected="">Shoplifting<\/option>/);
      expect(map.html).toContain("Shoplifting in Southampton");
    }, 300_000);
  });
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`year on year over the demo's two years on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await loadDemo(store, { actor: { label: "cli:test", ip: null }, now: () => new Date("2026-01-15T10:00:00Z") });
    }, 600_000);
    afterAll(() => store?.destroy());

    it("the 12 months to December 2025 against 2024, counted independently, with the exact Poisson test, on the overview and in the key messages", async () => {
      const scope = await loadAnalysisScope(store, { area: "csp:Demo City" });
      // the default period: the latest 12 complete months of the demo force
      expect([scope.from, scope.to, scope.defaulted]).toEqual(["2025-01", "2025-12", true]);
      const count = async (from: string, to: string, type: string) => (await countByArea(store, { area: "csp:Demo City", from, to, type })).total;
      const [now, before] = [await count("2025-01", "2025-12", "Burglary"), await count("2024-01", "2024-12", "Burglary")];
      const y = (await yearOnYearByGroup(store, scope)).find((g) => g.group === "Burglary")!.result;
      expect([y.current.count, y.previous.count, y.comparableMonths.length]).toEqual([now, before, 12]);
      expect(y.test).toEqual(poissonTest(now, 12, before, 12));
      const o = await overviewOfArea(store, { area: "csp:Demo City" });
      const h = o.headlines.find((x) => x.group === "Burglary")!;
      expect(h.yearOnYear).toMatchObject({ current: { count: now, label: "the 12 months to December 2025" }, previous: { count: before, label: "the 12 months to December 2024" }, change: now - before });
      expect(h.yearOnYear!.significance).toBe(y.test!.verdict);
      const msg = o.keyMessages.find((m) => m.id === "change.burglary.the-12-months-to-december-2024-the-12-months-to-december-2025")!;
      expect(msg.text).toContain(`from ${before.toLocaleString("en-GB")} in the 12 months to December 2024 to ${now.toLocaleString("en-GB")} in the 12 months to December 2025`);
      expect(msg.text).toMatch(y.test!.significant ? /a statistically significant (rise|fall)/ : /not statistically significant/);
      // year on year leads the key messages
      expect(o.keyMessages[0]!.id).toMatch(/^change\.all-crime\.the-12-months-to-december-2024/);
    }, 300_000);
  });
}
