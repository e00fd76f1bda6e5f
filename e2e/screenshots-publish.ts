/**
 * Screenshots of the public website for docs/screenshots/ (not a test):
 * `npx tsx e2e/screenshots-publish.ts`. Loads the demo partnership into a temporary SQLite store
 * (`safecity demo`), publishes its plan (`safecity publish`) and photographs each page of the site
 * from file://, with JavaScript off (the site has no script).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, REPO_ROOT } from "./harness.ts";
import { runSafecity } from "./publish-support.ts";

const out = path.join(REPO_ROOT, "docs/screenshots");
fs.mkdirSync(out, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-publish-shots-"));
const site = path.join(work, "site");
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const env = { SAFECITY_DATA_DIR: work, DATABASE_URL: "", SAFECITY_USER: "screenshots" };
  const demo = await runSafecity(["demo", "--json"], env);
  if (demo.code !== 0) throw new Error(`safecity demo failed: ${demo.stderr}`);
  const planId = (JSON.parse(demo.stdout) as { plan: { planId: number } }).plan.planId;
  const published = await runSafecity(["publish", "--plan", String(planId), "--out", site], env);
  if (published.code !== 0) throw new Error(`safecity publish failed: ${published.stderr}`);
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const shots: [file: string, name: string, maxHeight: number][] = [
    ["index.html", "public-site-plan", 2600],
    ["assessment.html", "public-site-assessment", 2400],
    ["map.html", "public-site-map", 1600],
    ["grants.html", "public-site-grants", 1600],
    ["decision.html", "public-site-decision", 1600],
    ["data.html", "public-site-data", 1400],
  ];
  for (const [file, name, maxHeight] of shots) {
    await page.goto(pathToFileURL(path.join(site, file)).href);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width: 1024, height: Math.min(height, maxHeight) } });
    console.log(`${name}.png`);
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  fs.rmSync(work, { recursive: true, force: true });
}
