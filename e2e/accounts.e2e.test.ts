/// <reference lib="dom" />
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { browserAvailability, launchBrowser, type RunningServer, startServer } from "./harness.ts";
import { LoginPage } from "./pages/login.page.ts";

const availability = browserAvailability();
const FIRST = "copper kettle morning rain";
const SECOND = "violet harbour seven lamps";

/** Waits for the setup line `safecity serve` prints on first run and returns its code. */
async function setupCode(server: RunningServer): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const m = /one-time setup code ([A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})/.exec(server.output());
    if (m) return m[1]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no setup code printed:\n${server.output()}`);
}

async function submit(page: Page, button: string): Promise<void> {
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: button, exact: true }).click()]);
}

describe.skipIf(availability.skip)("accounts in Chromium: first-run setup, password change, sign out everywhere", { timeout: 240_000 }, () => {
  let server: RunningServer;
  let chrome: Awaited<ReturnType<typeof launchBrowser>>;
  let other: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startServer();
    chrome = await launchBrowser();
    other = await launchBrowser();
    page = await chrome.context.newPage();
    errors = collectConsoleErrors(page);
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await chrome?.close();
    await server?.stop();
  });

  it("creates the first administrator in the browser with the setup code npm start printed", async () => {
    const code = await setupCode(server);
    expect(server.output().match(new RegExp(code, "g"))).toHaveLength(1); // printed once
    const login = new LoginPage(page, server.url);
    await login.open();
    await checkPage(page, errors, "login (first run)");
    await Promise.all([page.waitForLoadState("load"), login.firstRunPanel().getByRole("link", { name: "Create the first administrator" }).click()]);
    expect(new URL(page.url()).pathname).toBe("/setup");
    await checkPage(page, errors, "setup");
    // A wrong code: error summary, nothing created.
    await page.getByLabel("Setup code").fill("AAAAA-BBBBB-CCCCC");
    await page.getByLabel("Your full name").fill("Ada Admin");
    await page.getByLabel("Your email address").fill("ada@council.gov.uk");
    await page.getByLabel("Choose a password").fill(FIRST);
    await page.getByLabel("The password again").fill(FIRST);
    await submit(page, "Create administrator");
    await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("The setup code is not right");
    await checkPage(page, errors, "setup with error", { expectedStatus: 400 });
    await page.getByLabel("Setup code").fill(code);
    await page.getByLabel("Choose a password").fill(FIRST);
    await page.getByLabel("The password again").fill(FIRST);
    await submit(page, "Create administrator");
    expect(new URL(page.url()).pathname).toBe("/account");
    await expect(page.getByTestId("account-details").textContent()).resolves.toContain("ada@council.gov.uk");
    await expect(page.getByTestId("this-session").count()).resolves.toBe(1);
    await checkPage(page, errors, "your account");
    // The code is spent.
    const again = await page.goto(`${server.url}/setup`);
    expect(again?.status()).toBe(404);
    errors.length = 0; // the browser logs that expected 404
    await page.goBack();
  });

  it("changes the password from Your account (the current one required)", async () => {
    await page.goto(`${server.url}/account`);
    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill(SECOND);
    await page.getByLabel("New password again").fill(SECOND);
    await submit(page, "Change password");
    await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("Your current password is not correct");
    await checkPage(page, errors, "change password with error", { expectedStatus: 400 });
    await page.getByLabel("Current password").fill(FIRST);
    await page.getByLabel("New password", { exact: true }).fill(SECOND);
    await page.getByLabel("New password again").fill(SECOND);
    await submit(page, "Change password");
    await expect(page.getByTestId("notice").textContent()).resolves.toContain("Your password has been changed");
    await checkPage(page, errors, "password changed");
  });

  it("signs out everywhere: another browser's session ends too", async () => {
    const p2 = await other.context.newPage();
    const login2 = new LoginPage(p2, server.url);
    await login2.open();
    await login2.signIn("ada@council.gov.uk", FIRST);
    expect(login2.isShown()).toBe(true); // the old password no longer works
    await login2.signIn("ada@council.gov.uk", SECOND);
    expect(new URL(p2.url()).pathname).toBe("/");
    await page.goto(`${server.url}/account`);
    await expect(page.getByTestId("session-row").count()).resolves.toBe(2);
    await checkPage(page, errors, "your account with two sessions");
    await submit(page, "Sign out everywhere");
    expect(new URL(page.url()).pathname).toBe("/login");
    await p2.goto(`${server.url}/account`);
    expect(new URL(p2.url()).pathname).toBe("/login");
    // Signing in again works with the new password.
    await new LoginPage(page, server.url).signIn("ada@council.gov.uk", SECOND);
    expect(new URL(page.url()).pathname).toBe("/");
    await p2.close();
  });
});
