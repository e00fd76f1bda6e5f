/// <reference lib="dom" />
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collectConsoleErrors, seriousAxeViolations } from "./checks.ts";
import { browserAvailability, freePort, launchBrowser, type RunningServer, startServer } from "./harness.ts";
import { LoginPage } from "./pages/login.page.ts";
import { StatusPage } from "./pages/status.page.ts";

const availability = browserAvailability();

/** Sign-in through an OpenID Connect provider (node-oidc-provider, in-process) in Chromium. */
describe.skipIf(availability.skip)("OpenID Connect sign-in in Chromium", () => {
  let idp: http.Server;
  let server: RunningServer;
  let chrome: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: BrowserContext;

  beforeAll(async () => {
    const port = await freePort();
    const app = `http://127.0.0.1:${port}`;
    idp = http.createServer();
    await new Promise<void>((r) => idp.listen(0, "127.0.0.1", r));
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: "safecity", client_secret: "e2e-secret-e2e-secret-e2e-secret", redirect_uris: [`${app}/login/oidc/callback`], token_endpoint_auth_method: "client_secret_post" }],
      findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, email: id }) }),
      claims: { openid: ["sub"], email: ["email"] },
      cookies: { keys: ["e2e-cookie-key"] },
      ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    });
    idp.on("request", provider.callback());
    server = await startServer({
      port,
      env: {
        SAFECITY_OIDC_ISSUER: issuer,
        SAFECITY_OIDC_CLIENT_ID: "safecity",
        SAFECITY_OIDC_CLIENT_SECRET: "e2e-secret-e2e-secret-e2e-secret",
        SAFECITY_OIDC_LABEL: "Sign in with Test ID",
      },
    });
    chrome = await launchBrowser();
    browser = chrome.context;
  });
  beforeEach(async () => {
    await browser.clearCookies();
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.stop();
    await new Promise((r) => idp?.close(r));
  });

  it("signs an existing user in through the provider's pages and back to Safe City", async () => {
    const add = await server.cli(["user", "add", "--email", "ana@council.gov.uk", "--name", "Ana Analyst", "--role", "analyst"]);
    expect(add.code, add.stderr).toBe(0);
    const page = await browser.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByTestId("oidc-sign-in").click();
    // The provider's development login page, then its consent page.
    await page.locator('input[name="login"]').fill("ana@council.gov.uk");
    await page.locator('input[name="password"]').fill("anything");
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${server.url}/`);
    await expect(new StatusPage(page, server.url).signedInAs().textContent()).resolves.toContain("Ana Analyst (analyst)");
    // (The provider's own pages load web fonts from the internet; only our pages are checked.)
    errors.length = 0;
    await page.reload();
    expect(errors).toEqual([]);
    await new StatusPage(page, server.url).signOut();
    await page.close();
  });

  it("refuses someone the provider knows but Safe City does not", async () => {
    const page = await browser.newPage();
    await new LoginPage(page, server.url).open();
    await page.getByTestId("oidc-sign-in").click();
    await page.locator('input[name="login"]').fill("stranger@example.org");
    await page.locator('input[name="password"]').fill("anything");
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/login\/oidc\/callback/);
    await expect(new LoginPage(page, server.url).errorSummary().textContent()).resolves.toContain("There is no Safe City account for stranger@example.org");
    await page.close();
  });
});
