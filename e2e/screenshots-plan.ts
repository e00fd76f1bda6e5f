/**
 * Screenshots of the Partnership Plan pages for docs/screenshots/ (not a test):
 * `npx tsx e2e/screenshots-plan.ts`. Starts the real server on a temporary SQLite store, loads the
 * demo partnership (`safecity demo`), signs in as an analyst and photographs the demo plan's pages,
 * each with its "Demo data" banner: the plans list, the plan, its performance report, timeline and
 * grants, and the priorities proposed from the assessment when that page exists.
 */
import fs from "node:fs";
import path from "node:path";
import type { Locator } from "playwright-core";
import { createUser, launchBrowser, REPO_ROOT, startServer } from "./harness.ts";
import { LoginPage } from "./pages/login.page.ts";

const out = path.join(REPO_ROOT, "docs/screenshots");
fs.mkdirSync(out, { recursive: true });

const server = await startServer();
const chrome = await launchBrowser();
try {
  const loaded = await server.cli(["demo", "--json"]);
  if (loaded.code !== 0) throw new Error(`safecity demo failed: ${loaded.stderr}`);
  const planId = (JSON.parse(loaded.stdout) as { plan: { planId: number } }).plan.planId;
  const password = await createUser(server, "analyst@council.gov.uk", "analyst");
  const page = await chrome.context.newPage();
  page.setDefaultTimeout(60_000);
  await new LoginPage(page, server.url).open("/plans");
  await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", password);

  /** Photographs `url` from its top: the whole page, or at most `maxHeight` pixels of it (the long ones). */
  const shot = async (url: string, name: string, opts: { ready?: () => Promise<unknown>; maxHeight?: number; fullPage?: boolean; scrollTo?: Locator } = {}) => {
    const res = await page.goto(`${server.url}${url}`);
    if (res?.status() !== 200) {
      console.log(`${url}: ${res?.status()}, no screenshot`);
      return;
    }
    await opts.ready?.();
    const file = path.join(out, `${name}.png`);
    if (opts.fullPage === false) {
      await opts.scrollTo?.scrollIntoViewIfNeeded();
      await page.screenshot({ path: file });
    }
    else {
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const width = page.viewportSize()!.width;
      await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, opts.maxHeight ?? height) } });
    }
    console.log(`${name}.png`);
  };
  // charts: wait for the island to swap every server SVG for its interactive view
  const charts = () =>
    page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>("[data-vega-lite]")).every((e) => e.dataset.interactive === "true"), undefined, {
      timeout: 60_000,
    });

  await shot("/plans", "plans");
  await shot(`/plans/${planId}`, "plan", { maxHeight: 2600 });
  await shot(`/plans/${planId}/performance`, "plan-performance", { ready: charts, maxHeight: 3000 });
  await shot(`/plans/${planId}/timeline`, "plan-timeline", { maxHeight: 1600 });
  await shot(`/plans/${planId}/grants`, "plan-grants");
  await shot(`/plans/${planId}/propose`, "plan-propose", { maxHeight: 2000 });
  await page.setViewportSize({ width: 320, height: 640 });
  await shot(`/plans/${planId}/performance`, "plan-performance-320px", { ready: charts, fullPage: false, scrollTo: page.getByTestId("performance-summary") });
  console.log(`screenshots in ${out}`);
} finally {
  await chrome.close();
  await server.stop();
}
