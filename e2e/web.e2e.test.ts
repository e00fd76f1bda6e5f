/// <reference lib="dom" />
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { browserAvailability, launchBrowser, type RunningServer, startServer } from "./harness.ts";
import { AdminUsersPage } from "./pages/admin-users.page.ts";
import { LoginPage } from "./pages/login.page.ts";
import { StatusPage } from "./pages/status.page.ts";

const availability = browserAvailability();

describe.skipIf(availability.skip)("web app in Chromium", () => {
  let server: RunningServer;
  let chrome: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: BrowserContext;
  let page: Page;
  let errors: string[];
  let adminPassword = "";
  let viewerPassword = "";

  beforeAll(async () => {
    server = await startServer();
    chrome = await launchBrowser();
    browser = chrome.context;
    page = await browser.newPage();
    errors = collectConsoleErrors(page);
  });
  beforeEach(async () => {
    await browser.clearCookies();
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.stop();
  });

  it("tells a new installation how to create the first administrator", async () => {
    const login = new LoginPage(page, server.url);
    await login.open();
    await expect(login.firstRunPanel().textContent()).resolves.toContain(
      "npx safecity user add --admin --email you@council.gov.uk --name 'Your Name'",
    );
    await checkPage(page, errors, "login (first run)");
  });

  it("creates the administrator with the CLI, signs in, sees the status page, signs out", async () => {
    const r = await server.cli(["user", "add", "--admin", "--email", "admin@council.gov.uk", "--name", "Ada Admin", "--org", "Test Council"]);
    expect(r.code, r.stderr).toBe(0);
    adminPassword = /Password: (\S+)/.exec(r.stdout)?.[1] ?? "";
    expect(adminPassword).toHaveLength(20);

    const login = new LoginPage(page, server.url);
    await login.open();
    expect(await login.firstRunPanel().count()).toBe(0);
    await login.signIn("admin@council.gov.uk", adminPassword);
    const status = new StatusPage(page, server.url);
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(status.heading().textContent()).resolves.toBe("What is loaded");
    await expect(status.incidentRows().textContent()).resolves.toBe("0");
    await expect(status.signedInAs().textContent()).resolves.toContain("Ada Admin (admin)");
    // Our script file ran under the CSP and GOV.UK Frontend initialised.
    expect(await page.evaluate(() => document.body.classList.contains("govuk-frontend-supported"))).toBe(true);
    await checkPage(page, errors, "status");

    await status.signOut();
    expect(new URL(page.url()).pathname).toBe("/login");
    await status.open();
    expect(new URL(page.url()).pathname).toBe("/login");
  });

  it("lets the administrator add a viewer and change roles on the admin page", async () => {
    await new LoginPage(page, server.url).open("/admin/users");
    await new LoginPage(page, server.url).signIn("admin@council.gov.uk", adminPassword);
    expect(new URL(page.url()).pathname).toBe("/admin/users");
    const admin = new AdminUsersPage(page, server.url);
    await checkPage(page, errors, "admin users");
    viewerPassword = await admin.addUser({ email: "viewer@police.uk", name: "Vic Viewer", role: "editor", organisation: "Test Police", kind: "police" });
    expect(viewerPassword).toHaveLength(20);
    await admin.changeRole("viewer@police.uk", "viewer");
    await expect(admin.roleOf("viewer@police.uk").getAttribute("value")).resolves.toBe("viewer");
    await checkPage(page, errors, "admin users after changes");
    await page.goto(`${server.url}/admin/audit`);
    await expect(page.getByTestId("audit").textContent()).resolves.toContain("user.role_change");
    await checkPage(page, errors, "audit log");
    await new StatusPage(page, server.url).signOut();
  });

  it("keeps a viewer out of admin", async () => {
    const login = new LoginPage(page, server.url);
    await login.open();
    await login.signIn("viewer@police.uk", viewerPassword);
    const status = new StatusPage(page, server.url);
    await expect(status.heading().textContent()).resolves.toBe("What is loaded");
    expect(await status.adminLink().count()).toBe(0);
    const code = await new AdminUsersPage(page, server.url).open();
    expect(code).toBe(403);
    await expect(page.getByTestId("problem").textContent()).resolves.toContain("needs the admin role");
    await checkPage(page, errors, "403", { expectedStatus: 403 });
    await status.open();
    await status.signOut();
  });

  it("refuses a wrong password with an error summary", async () => {
    const login = new LoginPage(page, server.url);
    await login.open();
    await login.signIn("admin@council.gov.uk", "wrong password");
    await expect(login.errorSummary().textContent()).resolves.toContain("Enter a correct email address and password.");
    await checkPage(page, errors, "login with error", { expectedStatus: 401 });
  });

  it("works without JavaScript (every script request blocked)", async () => {
    const p = await browser.newPage();
    await p.route(/\.m?js(\?|$)/, (r) => r.abort());
    const login = new LoginPage(p, server.url);
    await login.open();
    await login.signIn("admin@council.gov.uk", adminPassword);
    await expect(new StatusPage(p, server.url).heading().textContent()).resolves.toBe("What is loaded");
    expect(await p.evaluate(() => document.body.classList.contains("js-enabled"))).toBe(false);
    await new StatusPage(p, server.url).signOut();
    await p.close();
  });
});
