/**
 * Screenshots for docs/screenshots/ (not a test): `npx tsx e2e/screenshots.ts`.
 * Starts the real server on a temporary SQLite store, imports the real Hampshire 2025 archive and
 * installs the reference mirror from ../shared/data when present, then photographs each page.
 * `SAFECITY_SHOTS=analysis` photographs only the analysis pages (overview, trends, peers, map).
 * Hampshire's 2024-01..04 archive is imported too when present, so the year-on-year column has
 * figures (January to April 2025 against January to April 2024, the months with data in both).
 */
import fs from "node:fs";
import path from "node:path";
import { launchBrowser, REPO_ROOT, startServer } from "./harness.ts";
import { LoginPage } from "./pages/login.page.ts";
import { StatusPage } from "./pages/status.page.ts";

const out = path.join(REPO_ROOT, "docs/screenshots");
const shared = path.resolve(REPO_ROOT, "../shared/data");
const only = process.env.SAFECITY_SHOTS === "analysis" ? "analysis" : "all";
/** Analysis pages are long: the top 1,800 px (key messages, headline figures, the first charts) keeps each PNG under 300 KB. */
const ANALYSIS_CLIP = { x: 0, y: 0, width: 1024, height: 1800 };
fs.mkdirSync(out, { recursive: true });

const server = await startServer();
const chrome = await launchBrowser();
try {
  const page = await chrome.context.newPage();
  const login = new LoginPage(page, server.url);
  await login.open();
  if (only === "all") await page.screenshot({ path: path.join(out, "login-first-run.png"), fullPage: true });

  const admin = await server.cli(["user", "add", "--admin", "--email", "admin@council.gov.uk", "--name", "Ada Admin", "--org", "Southampton City Council"]);
  const password = /Password: (\S+)/.exec(admin.stdout)?.[1];
  if (!password) throw new Error(`user add failed: ${admin.stderr}`);
  const reference = path.join(shared, "reference");
  if (fs.existsSync(reference)) {
    const r = await server.cli(["reference", "install", "--from", reference]);
    console.log(`reference install: exit ${r.code}`);
  }
  for (const name of ["hampshire-2025.zip", "hampshire-2024-01-to-04.zip"]) {
    const zip = path.join(shared, "police", name);
    if (fs.existsSync(zip)) {
      const r = await server.cli(["import", zip]);
      console.log(`import ${name}: exit ${r.code}`);
    }
  }

  await login.open();
  if (only === "all") await page.screenshot({ path: path.join(out, "login.png"), fullPage: true });
  await login.signIn("admin@council.gov.uk", password);
  if (only === "all") {
    await new StatusPage(page, server.url).open();
    await page.screenshot({ path: path.join(out, "status.png"), fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: path.join(out, "status-320px.png") });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${server.url}/admin/users`);
    await page.screenshot({ path: path.join(out, "admin-users.png"), fullPage: true });
  }
  // analysis pages (Southampton, 2025)
  const q = "?area=Southampton&from=2025-01&to=2025-12";
  for (const name of ["overview", "trends", "peers"]) {
    await page.goto(`${server.url}/${name}${q}`);
    // charts: wait for the island to swap every server SVG for its interactive view
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>("[data-vega-lite]")).every((e) => e.dataset.interactive === "true"), undefined, { timeout: 90_000 });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true, clip: { ...ANALYSIS_CLIP, height: Math.min(ANALYSIS_CLIP.height, height) } });
  }
  await page.goto(`${server.url}/map${q}`);
  await page.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 90_000 });
  await page.setViewportSize({ width: 1024, height: 1400 });
  // the map itself (ward names, the area's outline, the cells; no base map offline) with the line above it and the first table below
  const box = (await page.getByTestId("map").boundingBox())!;
  const top = Math.max(0, Math.round(box.y + (await page.evaluate(() => window.scrollY)) - 80));
  await page.screenshot({ path: path.join(out, "map.png"), fullPage: true, clip: { x: 0, y: top, width: 1024, height: Math.round(box.height) + 480 } });
  await page.setViewportSize({ width: 1024, height: 768 });
  console.log(`screenshots in ${out}`);
} finally {
  await chrome.close();
  await server.stop();
}
