/// <reference lib="dom" />
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { FIXTURE_MONTHS_2025, FIXTURE_SOUTHAMPTON_2024, FIXTURE_SOUTHAMPTON_2025 } from "../fixtures/test-data.ts";
import { fixtureStreetLines } from "../packages/server/test/support/shared-data.ts";
import { browserAvailability, CHROMIUM, createUser, type RunningServer, startServer } from "./harness.ts";
import { DataPage } from "./pages/data.page.ts";
import { LoginPage } from "./pages/login.page.ts";

const availability = browserAvailability();
/** Data rows of each month of the Southampton fixture, counted from its CSV lines. */
const fixtureRows = (await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).map((lines) => lines.length - 1);
const num = (n: number) => n.toLocaleString("en-GB");
const XSS = "<script>alert(1)</script>";

describe.skipIf(availability.skip)("Data page in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const passwords: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    passwords.analyst = await createUser(server, "analyst@council.gov.uk", "analyst");
    passwords.viewer = await createUser(server, "viewer@council.gov.uk", "viewer");
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("an analyst uploads the Southampton fixture zip, watches the job finish and sees its 3 imported files in the register", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    context.setDefaultTimeout(90_000); // Playwright's 30 s is too short on a busy 2-core machine
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await new LoginPage(page, server.url).open("/data");
    await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", passwords.analyst!);
    const data = new DataPage(page, server.url);
    expect(new URL(page.url()).pathname).toBe("/data");
    await expect(data.uploadForm().count()).resolves.toBe(1);
    await checkPage(page, errors, "data (empty)");

    await data.upload([FIXTURE_SOUTHAMPTON_2025]);
    await checkPage(page, errors, "import job (running or finished)");
    expect(await data.waitForJobEnd()).toBe("finished");
    await expect(data.jobTotals().textContent()).resolves.toMatch(new RegExp(`^3 files: 3 imported\\. ${num(fixtureRows.reduce((a, b) => a + b, 0))} rows imported`));
    expect(await data.jobFileStatuses()).toEqual(new Array(3).fill("imported"));
    await checkPage(page, errors, "import job (finished)");

    await data.open();
    expect(await data.registerStatuses()).toEqual(new Array(3).fill("imported"));
    await checkPage(page, errors, "data (register)");
    await data.openRegisterEntry(await data.firstRegisterId());
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/^Import \d+: 2025-\d\d-hampshire-street\.csv$/);
    await checkPage(page, errors, "register entry");
    await context.close();
  }, 180_000);

  it("works the same with JavaScript disabled: upload, job page refreshed by its link, register", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } });
    context.setDefaultTimeout(90_000); // Playwright's 30 s is too short on a busy 2-core machine
    const page = await context.newPage();
    await new LoginPage(page, server.url).open("/data");
    await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", passwords.analyst!);
    const data = new DataPage(page, server.url);
    await data.upload([FIXTURE_SOUTHAMPTON_2024]);
    // govuk-init.js never ran: GOV.UK Frontend's js-enabled class is absent
    await expect(page.locator("body.js-enabled").count()).resolves.toBe(0);
    expect(await data.waitForJobEnd({ byHand: true })).toBe("finished");
    await expect(data.jobTotals().textContent()).resolves.toMatch(/^1 file: 1 imported\. 300 rows imported/);
    await data.open();
    const statuses = await data.registerStatuses();
    expect(statuses).toEqual(new Array(4).fill("imported"));
    await context.close();
  }, 180_000);

  it("shows a rejected file's problems with line numbers, a script tag in the file shown as text", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-e2e-csv-"));
    const csv = path.join(dir, "2025-06-hampshire-street.csv");
    // a synthetic file: the police.uk header, one good row, one whose crime type and location carry a script tag
    fs.writeFileSync(
      csv,
      [
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context",
        ",2025-06,Hampshire Constabulary,Hampshire Constabulary,-1.404,50.909,On or near High Street,E01017140,Southampton 020A,Anti-social behaviour,,",
        `,2025-06,Hampshire Constabulary,Hampshire Constabulary,-1.404,50.909,On or near ${XSS},E01017140,Southampton 020A,${XSS},,`,
      ].join("\n"),
    );
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    context.setDefaultTimeout(90_000); // Playwright's 30 s is too short on a busy 2-core machine
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await new LoginPage(page, server.url).open("/data");
    await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", passwords.analyst!);
    const data = new DataPage(page, server.url);
    await data.upload([csv]);
    expect(await data.waitForJobEnd()).toBe("finished");
    expect(await data.jobFileStatuses()).toEqual(["rejected"]);
    await Promise.all([page.waitForURL(/\/data\/imports\/\d+$/), page.getByRole("link", { name: "See the 1 problem" }).click()]);
    const problems = await page.locator('[data-testid="problems"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)),
    );
    expect(problems).toEqual([["3", `\`Crime type\` \`${XSS}\` is not one of the 14 police.uk crime types`]]);
    await expect(page.locator("main script").count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    await checkPage(page, errors, "register entry (rejected)");
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it("shows a viewer the register but no upload form", async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(90_000); // Playwright's 30 s is too short on a busy 2-core machine
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await new LoginPage(page, server.url).open("/data");
    await new LoginPage(page, server.url).signIn("viewer@council.gov.uk", passwords.viewer!);
    const data = new DataPage(page, server.url);
    await expect(data.uploadForm().count()).resolves.toBe(0);
    await expect(page.getByTestId("upload-needs-analyst").count()).resolves.toBe(1);
    expect(await data.registerStatuses()).toEqual(["rejected", ...new Array(4).fill("imported")]);
    await checkPage(page, errors, "data (viewer)");
    await context.close();
  }, 180_000);

  it("refuses an upload over the limit: in the browser before sending with JavaScript, from the server without", async () => {
    const small = await startServer({ env: { SAFECITY_UPLOAD_LIMIT_MB: "1" } });
    // Over 1 MB: the fixture's January rows twice (refused before anything is read).
    const january = (await fixtureStreetLines("2025-01")).join("\n");
    const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "safecity-e2e-big-")), "2025-01-hampshire-street.csv");
    fs.writeFileSync(big, `${january}\n${january.slice(january.indexOf("\n") + 1)}\n`);
    expect(fs.statSync(big).size).toBeGreaterThan(1024 * 1024);
    try {
      const r = await small.cli(["user", "add", "--email", "analyst@council.gov.uk", "--name", "Analyst", "--role", "analyst"]);
      const password = /Password: (\S+)/.exec(r.stdout)![1]!;
      for (const javaScriptEnabled of [true, false]) {
        const context = await browser.newContext({ javaScriptEnabled });
        context.setDefaultTimeout(90_000); // Playwright's 30 s is too short on a busy 2-core machine
        const page = await context.newPage();
        const errors = collectConsoleErrors(page);
        const posts: string[] = [];
        page.on("request", (req) => {
          if (req.method() === "POST" && req.url().includes("/data/upload")) posts.push(req.url());
        });
        await new LoginPage(page, small.url).open("/data");
        await new LoginPage(page, small.url).signIn("analyst@council.gov.uk", password);
        await page.getByLabel("Upload police data").setInputFiles(big);
        await page.getByRole("button", { name: "Upload and import" }).click();
        await page.getByTestId("upload-error").waitFor();
        await expect(page.getByTestId("upload-error").textContent()).resolves.toContain("The upload is larger than the 1 MB limit.");
        // with JavaScript nothing was sent; without, the server refused it (413) and showed the same message
        expect(posts.length, `javaScriptEnabled=${javaScriptEnabled}`).toBe(javaScriptEnabled ? 0 : 1);
        if (javaScriptEnabled) await checkPage(page, errors, "data (upload too large, client side)");
        await context.close();
      }
    } finally {
      await small.stop();
      fs.rmSync(path.dirname(big), { recursive: true, force: true });
    }
  }, 180_000);
});
