/// <reference lib="dom" />
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MONTHS_2025, } from "../fixtures/test-data.ts";
import { fixtureStreetLines } from "../packages/server/test/support/shared-data.ts";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { browserAvailability, CHROMIUM, loadFixturesWithAnalyst, type RunningServer, startServer } from "./harness.ts";
import { MapPage, OverviewPage, PeersPage, TrendsPage } from "./pages/analysis.page.ts";
import { LoginPage } from "./pages/login.page.ts";

/**
 * The analysis pages in Chromium over the committed fixtures (Southampton 2025-01..03 and the
 * reference subset), so a fresh clone checks them in a browser too; the full-year journeys are in
 * analysis.e2e.test.ts (needs ../shared/data). Figures are counted here from the fixture rows.
 */
const availability = browserAvailability();
// police.uk street columns: 9 Crime type
const rows = (await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).flatMap((lines) => lines.slice(1).map((l) => l.split(",")));
const q1AllCrime = rows.filter((r) => r[9] !== "Anti-social behaviour").length;

describe.skipIf(availability.skip)("analysis pages over the fixtures in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let password = "";

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    password = await loadFixturesWithAnalyst(server);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const SOUTHAMPTON = { area: "Southampton", from: "2025-01", to: "2025-03" };

  /** A signed-in analyst's page (one per test: each page's journey is its own test, short on a busy machine). */
  async function signedIn() {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    // Playwright's 30 s per action and navigation is too short on a busy 2-core machine.
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await new LoginPage(page, server.url).open("/overview");
    await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", password);
    return { context, page, errors };
  }

  it("overview: the area form, then Southampton's latest quarter as the fixture rows count it", async () => {
    const { context, page, errors } = await signedIn();
    const overview = new OverviewPage(page, server.url);
    await overview.choose("Southampton", "2025-01", "2025-03");
    await expect(overview.heading().textContent()).resolves.toBe("Overview: Southampton");
    await expect(overview.headlineRow("All crime").textContent()).resolves.toContain(q1AllCrime.toLocaleString("en-GB"));
    await expect(overview.latestMonth().textContent()).resolves.toContain("2025-03");
    await checkPage(page, errors, "overview (fixtures)");
    await context.close();
  }, 180_000);

  it("trends: the island makes the chart interactive, a point shows its tooltip", async () => {
    const { context, page, errors } = await signedIn();
    const trends = new TrendsPage(page, server.url);
    expect(await trends.open(SOUTHAMPTON)).toBe(200);
    await expect(trends.heading().textContent()).resolves.toBe("Trends: Southampton");
    await trends.waitForInteractiveChart();
    expect(await trends.chart().count()).toBe(1);
    await trends.interactivePoints().first().hover({ force: true });
    await trends.tooltip().waitFor({ timeout: 10_000 });
    await expect(trends.tooltip().textContent()).resolves.toMatch(/Crime group.*Month.*2025.*Incidents/);
    await checkPage(page, errors, "trends (fixtures)");
    await context.close();
  }, 180_000);

  it("peers: the computed group, an official list saved and cleared again", async () => {
    const { context, page, errors } = await signedIn();
    const peers = new PeersPage(page, server.url);
    expect(await peers.open(SOUTHAMPTON)).toBe(200);
    // Portsmouth is the fixture mirror's only other authority with every indicator.
    await expect(peers.summary().textContent()).resolves.toContain("among 1 similar areas (computed)");
    await peers.waitForInteractiveCharts();
    await checkPage(page, errors, "peers (fixtures)");
    await peers.saveOfficialList("E06000044, E06000026");
    await expect(peers.summary().textContent()).resolves.toContain("among 2 peers from the official list");
    await peers.useComputedGroup();
    await expect(peers.summary().textContent()).resolves.toContain("among 1 similar areas (computed)");
    await context.close();
  }, 180_000);

  it("map: the island draws the marked cells", async () => {
    const { context, page, errors } = await signedIn();
    const map = new MapPage(page, server.url);
    expect(await map.open(SOUTHAMPTON)).toBe(200);
    await map.waitForMap();
    await expect(map.status().textContent()).resolves.toMatch(/Map loaded: \d+ marked Gi\* cells/);
    await checkPage(page, errors, "map (fixtures)");
    await context.close();
  }, 180_000);

  it("map: under 5,000 px tall at 1,280 px wide with the map drawn; the tables paged, the KDE table collapsed and opened by keyboard", async () => {
    const { context, page } = await signedIn();
    await page.setViewportSize({ width: 1280, height: 900 });
    const map = new MapPage(page, server.url);
    expect(await map.open(SOUTHAMPTON)).toBe(200);
    await map.waitForMap();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const parts = await page.evaluate(() => Array.from(document.querySelectorAll("h1, h2, section, table, footer")).map((e) => `${e.tagName} ${(e.textContent ?? "").slice(0, 30).trim()} @${Math.round(e.getBoundingClientRect().top + window.scrollY)} h${Math.round(e.getBoundingClientRect().height)}`));
    console.log(`map page height, Southampton 2025-01..03 fixture, 1280 px wide: ${height} px\n${parts.join("\n")}`);
    expect(height).toBeLessThan(5000);
    expect(await map.hotCellRows().count()).toBeLessThanOrEqual(10);
    expect(await page.getByTestId("kde-cells").isVisible()).toBe(false);
    await page.getByTestId("kde-details").locator("summary").focus();
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("kde-cells").isVisible()).toBe(true);
    await context.close();
  }, 180_000);
});
