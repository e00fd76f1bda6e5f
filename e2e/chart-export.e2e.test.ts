/// <reference lib="dom" />
import fs from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { browserAvailability, CHROMIUM, loadFixturesWithAnalyst, type RunningServer, startServer } from "./harness.ts";
import { TrendsPage } from "./pages/analysis.page.ts";
import { LoginPage } from "./pages/login.page.ts";

/**
 * Issue 10 item 7: a chart's "Save as SVG" / "Save as PNG" are real buttons, reached with Tab,
 * pressed with Enter or Space, with GOV.UK's visible focus, and each downloads the chart.
 */
const availability = browserAvailability();

/** Presses Tab until the element matching `selector` has the focus (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 150): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  throw new Error(`${selector} was not reached with ${max} presses of Tab`);
}

describe.skipIf(availability.skip)("chart export from the keyboard in Chromium", () => {
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

  it("tabs to Save as SVG and PNG, shows the focus, and Enter / Space download the trends chart", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await new LoginPage(page, server.url).open("/trends");
    await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", password);
    const trends = new TrendsPage(page, server.url);
    expect(await trends.open({ area: "Southampton", from: "2025-01", to: "2025-03" })).toBe(200);
    await trends.waitForInteractiveChart();

    const svgButton = page.locator('[data-testid="chart-trends"] button[data-chart-save="svg"]');
    await expect(svgButton.textContent()).resolves.toMatch(/^Save as SVG: /);
    // From the top of the page, by keyboard only.
    await page.locator("body").focus();
    await tabTo(page, '[data-testid="chart-trends"] button[data-chart-save="svg"]');
    // GOV.UK's focus state: yellow background (#ffdd00); unfocused the secondary button is grey.
    const focused = await svgButton.evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(focused).toBe("rgb(255, 221, 0)");

    const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(svgDownload.suggestedFilename()).toBe("southampton_2025-01_2025-03_trends.svg");
    const svg = fs.readFileSync((await svgDownload.path())!, "utf8");
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("2025");
    // The focus stays on the button after saving.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.chartSave)).toBe("svg");

    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.chartSave)).toBe("png");
    const [pngDownload] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Space")]);
    expect(pngDownload.suggestedFilename()).toBe("southampton_2025-01_2025-03_trends.png");
    const png = fs.readFileSync((await pngDownload.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(1000);

    await checkPage(page, errors, "trends with chart export buttons");
    await context.close();
  }, 240_000);
});
