/**
 * Screenshots of the Data pages for docs/screenshots/ (not a test): `npx tsx e2e/screenshots-data.ts`.
 * Starts the real server on a temporary SQLite store, uploads the real Hampshire 2025 archive and a
 * small synthetic file with malformed rows through the page, and photographs the Data page, a
 * finished import job and a rejected file's problems.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchBrowser, REPO_ROOT, startServer } from "./harness.ts";
import { DataPage } from "./pages/data.page.ts";
import { LoginPage } from "./pages/login.page.ts";

const out = path.join(REPO_ROOT, "docs/screenshots");
const zip = path.resolve(REPO_ROOT, "../shared/data/police/hampshire-2025.zip");
fs.mkdirSync(out, { recursive: true });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-shots-"));
const bad = path.join(tmp, "2025-06-hampshire-street.csv");
fs.writeFileSync(
  bad,
  [
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context",
    ",2025-06,Hampshire Constabulary,Hampshire Constabulary,-1.404,50.909,On or near High Street,E01017140,Southampton 020A,Anti-social behaviour,,",
    ",2025/06,Hampshire Constabulary,Hampshire Constabulary,-1.404,50.909,On or near High Street,E01017140,Southampton 020A,Burglary,,",
    ",2025-06,Hampshire Constabulary,Hampshire Constabulary,-1.404,,On or near High Street,E01017140,Southampton 020A,Burglary,,",
  ].join("\n"),
);

const server = await startServer();
const chrome = await launchBrowser();
try {
  const r = await server.cli(["user", "add", "--email", "analyst@council.gov.uk", "--name", "Ana Analyst", "--role", "analyst", "--org", "Southampton City Council"]);
  const password = /Password: (\S+)/.exec(r.stdout)?.[1];
  if (!password) throw new Error(`user add failed: ${r.stderr}`);
  const page = await chrome.context.newPage();
  await new LoginPage(page, server.url).open("/data");
  await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", password);
  const data = new DataPage(page, server.url);
  await data.upload([zip]);
  await data.waitForJobEnd();
  await page.screenshot({ path: path.join(out, "data-job.png"), fullPage: true });
  await data.open();
  await data.upload([bad]);
  await data.waitForJobEnd();
  await page.getByRole("link", { name: /See the \d+ problems?/ }).click();
  await page.waitForURL(/\/data\/imports\/\d+$/);
  await page.screenshot({ path: path.join(out, "data-rejected-file.png"), fullPage: true });
  await data.open();
  await page.screenshot({ path: path.join(out, "data.png"), fullPage: true });
  await page.setViewportSize({ width: 320, height: 640 });
  await page.screenshot({ path: path.join(out, "data-320px.png") });
  console.log(`screenshots in ${out}`);
} finally {
  await chrome.close();
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
