/// <reference lib="dom" />
import fs from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { HAMPSHIRE_2025, REFERENCE_DIR, needsSharedData } from "../fixtures/test-data.ts";
import { browserAvailability, CHROMIUM, createUser, type RunningServer, startServer } from "./harness.ts";
import { MapPage, OverviewPage, PeersPage, TrendsPage } from "./pages/analysis.page.ts";
import { LoginPage } from "./pages/login.page.ts";
import { StatusPage } from "./pages/status.page.ts";
import { countColourPixels } from "./png-pixels.ts";

const availability = browserAvailability();
const HOT_99 = "#d4351c";
const SOUTHAMPTON = { area: "Southampton", from: "2025-01", to: "2025-12" };

// The journeys check full-year figures (quarters, a 14-area computed group, 50+ hot cells): ../shared/data.
const noData = needsSharedData("the analysis journeys' full-year figures need Hampshire 2025 and the national reference mirror in ../shared/data");

describe.skipIf(availability.skip || noData)("analysis pages in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const passwords: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    const ref = await server.cli(["reference", "install", "--from", REFERENCE_DIR]);
    expect(ref.code, ref.stderr).toBe(0);
    const imp = await server.cli(["import", HAMPSHIRE_2025]);
    expect(imp.code, imp.stderr).toBe(0);
    passwords.analyst = await createUser(server, "analyst@council.gov.uk", "analyst");
    passwords.viewer = await createUser(server, "viewer@council.gov.uk", "viewer");
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("an analyst signs in, picks Southampton and sees its overview, trends, peers (and sets the official list) and map, then signs out", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await new LoginPage(page, server.url).open("/overview");
    await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", passwords.analyst!);

    // overview: the picker, then the figures
    const overview = new OverviewPage(page, server.url);
    expect(new URL(page.url()).pathname).toBe("/overview");
    await expect(overview.heading().textContent()).resolves.toBe("Choose an area");
    await checkPage(page, errors, "area picker");
    await overview.choose("Southampton", "2025-01", "2025-12");
    await expect(overview.heading().textContent()).resolves.toBe("Overview: Southampton");
    await expect(overview.keyMessages().textContent()).resolves.toContain("All crime fell 11.5% from 8,101 in July to September 2025 to 7,166 in October to December 2025");
    const allCrime = (await overview.headlineRow("All crime").textContent())!;
    expect(allCrime).toContain("7,166");
    // July to September includes the 2025-08 file the data quality checks flag: no significance claimed
    expect(allCrime).toContain("not tested for significance: includes a month flagged as unusual");
    // rank 13 of 14 (1 = lowest rate): the 2nd highest rate, said so, never "top quartile"
    expect(allCrime).toContain("the 2nd highest rate of 14, among the highest quarter");
    await expect(overview.keyMessages().textContent()).resolves.toContain("All crime (ONS, year ending December 2024): the 2nd highest rate of 14");
    await expect(overview.latestMonth().textContent()).resolves.toContain("2025-12");
    await checkPage(page, errors, "overview");

    // trends: SVG chart from the server, its table, a CSV download
    await Promise.all([page.waitForLoadState("load"), overview.tab("Trends").click()]);
    const trends = new TrendsPage(page, server.url);
    await expect(trends.heading().textContent()).resolves.toBe("Trends: Southampton");
    expect(await trends.chart().count()).toBe(1);
    // the island may be swapping the server SVG for its vega view at this moment (no box while detached): poll
    await expect.poll(() => trends.chartHeight(), { timeout: 30_000 }).toBeGreaterThan(300);
    await expect(trends.monthlyTable().textContent()).resolves.toContain("2025-12");
    const [download] = await Promise.all([page.waitForEvent("download"), trends.csvLink("change").click()]);
    expect(download.suggestedFilename()).toBe("trends-change.csv");
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv).toContain("Southampton,All crime,2025-Q4,7166,2025-Q3,8101,-935,-11.5,");
    // the island swaps the server SVG for an interactive vega view; a point shows its tooltip
    await trends.waitForInteractiveChart();
    expect(await trends.chart().count()).toBe(1);
    expect(await trends.interactivePoints().count()).toBeGreaterThan(100);
    await trends.interactivePoints().first().hover({ force: true });
    await trends.tooltip().waitFor({ timeout: 5_000 });
    await expect(trends.tooltip().textContent()).resolves.toMatch(/Crime group.*Month.*January 2025.*Incidents/);
    await checkPage(page, errors, "trends");

    // peers: charts, the computed group; an official list saved and removed again
    await Promise.all([page.waitForLoadState("load"), trends.tab("Peers").click()]);
    const peers = new PeersPage(page, server.url);
    await expect(peers.summary().textContent()).resolves.toContain("among 14 similar areas (computed)");
    expect(await peers.rankChart().count()).toBe(1);
    expect(await peers.funnelChart().count()).toBe(1);
    await peers.waitForInteractiveCharts();
    expect(await peers.rankChart().count()).toBe(1);
    await checkPage(page, errors, "peers");
    await peers.saveOfficialList("E06000044, E06000026\nE07000148");
    await expect(peers.summary().textContent()).resolves.toContain("among 3 peers from the official list");
    await checkPage(page, errors, "peers with the official list");
    await peers.useComputedGroup();
    await expect(peers.summary().textContent()).resolves.toContain("among 14 similar areas (computed)");

    // map: the island draws the hot cells; a screenshot of it has hot-99 red in it
    await Promise.all([page.waitForLoadState("load"), peers.tab("Map").click()]);
    const map = new MapPage(page, server.url);
    await map.waitForMap();
    await expect(map.status().textContent()).resolves.toMatch(/Map loaded: \d+ marked Gi\* cells/);
    expect(await map.cellPaths(HOT_99).count()).toBeGreaterThan(50);
    // the table is paged: 10 hot cells on the first page, named by ward and street, of more than 50
    expect(await map.hotCellRows().count()).toBe(10);
    await expect(map.hotCellRows().first().textContent()).resolves.toMatch(/On or near .+ \(\d+%\)/);
    expect(Number(/of ([\d,]+)/.exec((await page.getByTestId("showing").first().textContent()) ?? "")![1]!.replace(/,/g, ""))).toBeGreaterThan(50);
    const shot = await map.map().screenshot();
    const red = await countColourPixels(browser, shot, HOT_99);
    expect(red, "hot-99 pixels in the map screenshot").toBeGreaterThan(500);
    // a cell's details on click
    await map.cellPaths(HOT_99).first().click({ force: true });
    await expect(page.locator(".leaflet-popup-content").textContent()).resolves.toMatch(/Cell \d+_\d+.*Class: hot-99.*Incidents: \d+/);
    await checkPage(page, errors, "map");

    await new StatusPage(page, server.url).signOut();
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
    // a long journey (four pages, axe on each, a save): sized for a busy 2-core machine, not a fast one
  }, 300_000);

  it("the map page of Southampton, all crime, default grid, is under 5,000 px tall at 1,280 px wide with the map drawn (45,780 px before its tables were paged)", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    await new LoginPage(page, server.url).open();
    await new LoginPage(page, server.url).signIn("viewer@council.gov.uk", passwords.viewer!);
    const map = new MapPage(page, server.url);
    expect(await map.open(SOUTHAMPTON)).toBe(200);
    await map.waitForMap();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`map page height, Southampton 2025, 1280 px wide: ${height} px`);
    expect(height).toBeLessThan(5000);
    // the Gi* cells are paged (one pagination under the table)
    expect(await page.getByTestId("gistar-pages").count()).toBe(1);
    await context.close();
  }, 180_000);

  it("every analysis page works for a viewer without JavaScript (every script blocked): same facts as tables, no editor", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    await page.route(/\.m?js(\?|$)/, (r) => r.abort());
    const errors = collectConsoleErrors(page);
    const blocked = /net::ERR_FAILED|Failed to load resource/;
    await new LoginPage(page, server.url).open();
    await new LoginPage(page, server.url).signIn("viewer@council.gov.uk", passwords.viewer!);

    const overview = new OverviewPage(page, server.url);
    expect(await overview.open(SOUTHAMPTON)).toBe(200);
    await expect(overview.headlineRow("Burglary").textContent()).resolves.toMatch(/356/);
    await checkPage(page, errors, "overview (no JS)", { ignore: blocked });

    const trends = new TrendsPage(page, server.url);
    expect(await trends.open(SOUTHAMPTON)).toBe(200);
    expect(await trends.chart().count()).toBe(1);
    expect((await trends.chart().boundingBox())!.height).toBeGreaterThan(300);
    expect(await trends.interactiveChart().count()).toBe(0);
    await checkPage(page, errors, "trends (no JS)", { ignore: blocked });

    const peers = new PeersPage(page, server.url);
    expect(await peers.open(SOUTHAMPTON)).toBe(200);
    expect(await peers.rankChart().count()).toBe(1);
    expect(await peers.editor().count()).toBe(0);
    await checkPage(page, errors, "peers (no JS)", { ignore: blocked });

    const map = new MapPage(page, server.url);
    expect(await map.open(SOUTHAMPTON)).toBe(200);
    expect(await map.map().isHidden()).toBe(true);
    await expect(map.status().textContent()).resolves.toContain("The map needs JavaScript");
    expect(await map.hotCellRows().count()).toBe(10);
    // the next page of cells is a plain link
    await page.getByTestId("gistar-pages").getByRole("link", { name: "Page 2" }).click();
    // wait for page 2 itself to load (the URL can change before its rows are parsed on a busy machine)
    await page.waitForURL(/[?&]gpage=2\b/, { waitUntil: "load" });
    expect(new URL(page.url()).searchParams.get("gpage")).toBe("2");
    await map.hotCellRows().first().waitFor();
    expect(await map.hotCellRows().count()).toBe(10);
    await checkPage(page, errors, "map (no JS)", { ignore: blocked });
    await context.close();
  }, 180_000);
});
