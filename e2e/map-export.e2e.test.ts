/// <reference lib="dom" />
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Browser, Download, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_REFERENCE_DIR, REPO_ROOT } from "../fixtures/test-data.ts";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { browserAvailability, CHROMIUM, freePort, loadFixturesWithAnalyst, type RunningServer, startServer } from "./harness.ts";
import { MapPage, TrendsPage } from "./pages/analysis.page.ts";
import { LoginPage } from "./pages/login.page.ts";
import { countColourPixels } from "./png-pixels.ts";

/**
 * Issue 12 item 5: the map's base map (and its fall-back when the tiles cannot be loaded), ward
 * boundaries and names, and the map's and a chart's SVG/PNG exports, named by area and period and
 * carrying the attribution. The server's tiles point at a local port: closed for the first tests
 * (the fall-back), then served by a tiny tile server (the base map and its credit).
 */
const availability = browserAvailability();
const SOUTHAMPTON = { area: "Southampton", from: "2025-01", to: "2025-03" };
const TILE_CREDIT = "Test tiles © Example Council";
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Southampton's wards in the fixture lookup (May 2024). */
const WARDS = [
  ...new Set(
    fs
      .readFileSync(path.join(FIXTURE_REFERENCE_DIR, "geography", "lookup_lsoa21_ward24_ltla24.csv"), "utf8")
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map((v) => v.replace(/"/g, "")))
      .filter((r) => r[5] === "E06000045")
      .map((r) => r[2]!),
  ),
];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Parses SVG text in the browser: null when it is not well-formed, else its size and all its text (lines joined, spaces collapsed). */
async function parseSvg(page: Page, svg: string): Promise<{ width: number; height: number; text: string } | null> {
  return page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, "image/svg+xml");
    if (doc.querySelector("parsererror") || doc.documentElement.localName !== "svg") return null;
    const root = doc.documentElement;
    return { width: Number(root.getAttribute("width")), height: Number(root.getAttribute("height")), text: Array.from(doc.querySelectorAll("text"), (t) => t.textContent).join(" ").replace(/\s+/g, " ") };
  }, svg);
}

/** Presses `key` on the focused button and waits for the download it starts. */
async function pressForDownload(page: Page, selector: string, key: "Enter" | "Space"): Promise<Download> {
  await page.locator(selector).focus();
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press(key)]);
  return download;
}

describe.skipIf(availability.skip)("map base map, wards and exports in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let password = "";
  let tilePort = 0;
  let tiles: http.Server | null = null;

  beforeAll(async () => {
    tilePort = await freePort();
    server = await startServer({ env: { SAFECITY_TILE_URL: `http://127.0.0.1:${tilePort}/{z}/{x}/{y}.png`, SAFECITY_TILE_ATTRIBUTION: TILE_CREDIT } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    password = await loadFixturesWithAnalyst(server);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    tiles?.closeAllConnections();
    await new Promise((r) => (tiles ? tiles.close(r) : r(null)));
  });

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    await new LoginPage(page, server.url).open("/map");
    await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", password);
    return page;
  }

  it("tiles unreachable: says once that the map shows boundaries only; draws the ward names; exports SVG and PNG by keyboard", async () => {
    const page = await signedIn();
    const errors = collectConsoleErrors(page);
    const map = new MapPage(page, server.url);
    expect(await map.open(SOUTHAMPTON)).toBe(200);
    await map.waitForMap();
    await page.locator('[data-testid="map"][data-base-map="failed"]').waitFor();
    const status = (await map.status().textContent()) ?? "";
    expect(status).toMatch(/^Map loaded: \d+ marked Gi\* cells, 17 wards\. /);
    expect(status.split("The base map could not be loaded").length - 1).toBe(1);
    expect(status).toContain("so the map shows boundaries only");
    // the failed tile source is gone, and its credit with it; the data's credit stays
    await expect(page.locator(".leaflet-control-attribution").textContent()).resolves.not.toContain(TILE_CREDIT);
    await expect(page.locator(".leaflet-control-attribution").textContent()).resolves.toContain("data.police.uk");

    // ward names: one label per ward of the lookup, drawn inside the map; overlapping ones hidden, most shown
    const labels = page.locator('[data-testid="map"] .app-ward-label');
    expect((await labels.allTextContents()).sort()).toEqual([...WARDS].sort());
    const shown = await page.locator('[data-testid="map"] .app-ward-label:not(.app-ward-label--hidden)').allTextContents();
    expect(shown.length).toBeGreaterThanOrEqual(8);

    const svgDownload = await pressForDownload(page, 'button[data-map-save="svg"]', "Enter");
    expect(svgDownload.suggestedFilename()).toBe("southampton_2025-01_2025-03_map.svg");
    const svgText = fs.readFileSync((await svgDownload.path())!, "utf8");
    const svg = await parseSvg(page, svgText);
    expect(svg, "the SVG is well-formed").not.toBeNull();
    for (const name of shown) expect(svg!.text, name).toContain(name);
    expect(svg!.text).toContain("All crime in Southampton, 2025-01 to 2025-03");
    expect(svg!.text).toContain("Getis-Ord Gi* on 100 m squares");
    expect(svg!.text).toContain("data.police.uk, Open Government Licence v3.0");
    expect(svg!.text).toContain("contains OS data © Crown copyright and database right");
    expect(svg!.text).toContain("No base map: the tile server could not be reached");
    expect(svg!.text).toContain("Hot spot, 99% confidence");
    expect(svgText).toContain('fill="#d4351c"');
    // the focus stays on the button; Tab reaches PNG next
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.mapSave)).toBe("svg");

    const pngDownload = await pressForDownload(page, 'button[data-map-save="png"]', "Space");
    expect(pngDownload.suggestedFilename()).toBe("southampton_2025-01_2025-03_map.png");
    const png = fs.readFileSync((await pngDownload.path())!);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // rasterised at twice the SVG's size, with the hot-99 cells in it
    expect(pngSize(png)).toEqual({ width: 2 * svg!.width, height: 2 * svg!.height });
    expect(await countColourPixels(browser, png, "#d4351c")).toBeGreaterThan(100);

    await checkPage(page, errors, "map with unreachable tiles", { ignore: /ERR_CONNECTION_REFUSED|Failed to load resource/ });
    await page.context().close();
  }, 240_000);

  it("tiles served: the base map and its credit show; the export says the base map is not in the file", async () => {
    const tile = fs.readFileSync(path.join(REPO_ROOT, "docs/screenshots/account.png"));
    let requests = 0;
    tiles = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "image/png" });
      res.end(tile);
    });
    await new Promise<void>((r) => tiles!.listen(tilePort, "127.0.0.1", r));
    const page = await signedIn();
    const errors = collectConsoleErrors(page);
    const map = new MapPage(page, server.url);
    expect(await map.open(SOUTHAMPTON)).toBe(200);
    await map.waitForMap();
    await page.locator('[data-testid="map"] img.leaflet-tile-loaded').first().waitFor();
    expect(requests).toBeGreaterThan(0);
    await expect(page.locator(".leaflet-control-attribution").textContent()).resolves.toContain(TILE_CREDIT);
    expect(await map.status().textContent()).not.toContain("base map could not be loaded");
    const svgDownload = await pressForDownload(page, 'button[data-map-save="svg"]', "Enter");
    const svg = await parseSvg(page, fs.readFileSync((await svgDownload.path())!, "utf8"));
    expect(svg!.text).toContain(`The base map shown on screen (${TILE_CREDIT}) is not included`);
    await checkPage(page, errors, "map with a base map");
    await page.context().close();
  }, 240_000);

  it("trends chart: SVG and PNG named by area and period, with the period and source in the file", async () => {
    const page = await signedIn();
    const errors = collectConsoleErrors(page);
    const trends = new TrendsPage(page, server.url);
    expect(await trends.open(SOUTHAMPTON)).toBe(200);
    await trends.waitForInteractiveChart();
    const svgDownload = await pressForDownload(page, '[data-testid="chart-trends"] button[data-chart-save="svg"]', "Enter");
    expect(svgDownload.suggestedFilename()).toBe("southampton_2025-01_2025-03_trends.svg");
    const svg = await parseSvg(page, fs.readFileSync((await svgDownload.path())!, "utf8"));
    expect(svg).not.toBeNull();
    expect(svg!.text).toContain("Line charts of monthly recorded incidents in Southampton");
    expect(svg!.text).toContain("Southampton, 2025-01 to 2025-03.");
    expect(svg!.text).toContain("data.police.uk, Open Government Licence v3.0");
    const pngDownload = await pressForDownload(page, '[data-testid="chart-trends"] button[data-chart-save="png"]', "Space");
    expect(pngDownload.suggestedFilename()).toBe("southampton_2025-01_2025-03_trends.png");
    const png = fs.readFileSync((await pngDownload.path())!);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 2 * svg!.width, height: 2 * svg!.height });
    await checkPage(page, errors, "trends with chart exports");
    await page.context().close();
  }, 240_000);
});
