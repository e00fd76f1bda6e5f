/**
 * Screenshots of the account pages for docs/screenshots/ (not a test): `npx tsx e2e/screenshots-accounts.ts`.
 * Starts the real server on an empty temporary store, creates the first administrator on /setup
 * with the code the server printed, makes an API token, and photographs /setup and Your account.
 */
import path from "node:path";
import { launchBrowser, REPO_ROOT, startServer } from "./harness.ts";

const out = path.join(REPO_ROOT, "docs/screenshots");
const server = await startServer();
const chrome = await launchBrowser();
try {
  let code = "";
  for (let i = 0; i < 600 && !code; i++) {
    code = /one-time setup code (\S+)/.exec(server.output())?.[1] ?? "";
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  const page = await chrome.context.newPage();
  await page.goto(`${server.url}/setup`);
  await page.getByLabel("Setup code").fill(code);
  await page.getByLabel("Your full name").fill("Ada Admin");
  await page.getByLabel("Your email address").fill("ada@council.gov.uk");
  await page.getByLabel("Your organisation (optional)").fill("Southampton City Council");
  await page.getByLabel("Choose a password").fill("copper kettle morning rain");
  await page.getByLabel("The password again").fill("copper kettle morning rain");
  await page.screenshot({ path: path.join(out, "setup.png"), fullPage: true });
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Create administrator" }).click()]);
  await page.getByLabel("What it is for").fill("nightly export");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Create token" }).click()]);
  await page.goto(`${server.url}/account`);
  await page.screenshot({ path: path.join(out, "account.png"), fullPage: true });
  console.log("wrote docs/screenshots/setup.png, account.png");
} finally {
  await chrome.close();
  await server.stop();
}
