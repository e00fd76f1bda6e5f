/// <reference lib="dom" />
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { browserAvailability, CHROMIUM, createUser, type RunningServer, startServer } from "./harness.ts";
import { LoginPage } from "./pages/login.page.ts";

const availability = browserAvailability();

describe.skipIf(availability.skip)("the demo partnership in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let password: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    password = await createUser(server, "admin@council.gov.uk", "admin");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("an admin loads it from the first page of an empty store, every page says Demo data, and one button removes it", async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await new LoginPage(page, server.url).open();
    await new LoginPage(page, server.url).signIn("admin@council.gov.uk", password);
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.getByTestId("demo-offer").count()).resolves.toBe(1);
    await expect(page.getByTestId("demo-banner").count()).resolves.toBe(0);
    await checkPage(page, errors, "status (empty, demo offered)");

    await Promise.all([page.waitForURL(/\/\?demo=loaded$/, { timeout: 120_000 }), page.getByRole("button", { name: "Load the demo partnership" }).click()]);
    await expect(page.getByTestId("demo-notice").textContent()).resolves.toMatch(/demo partnership is loaded/);
    await expect(page.getByTestId("incident-rows").textContent()).resolves.toBe("90,000");
    await checkPage(page, errors, "status (demo loaded)");

    for (const path of ["/data", "/overview?area=Demo%20City&from=2024-01&to=2025-12", "/peers?area=csp%3ADemo%20City&from=2025-01&to=2025-12", "/map?area=Demo%20City&from=2025-01&to=2025-12"]) {
      await page.goto(`${server.url}${path}`);
      await expect(page.getByTestId("demo-banner").count(), path).resolves.toBe(1);
      await checkPage(page, errors, path);
    }

    await page.goto(`${server.url}/`);
    await Promise.all([page.waitForURL(/\/\?demo=removed$/), page.getByRole("button", { name: "Remove demo data" }).click()]);
    await expect(page.getByTestId("demo-banner").count()).resolves.toBe(0);
    await expect(page.getByTestId("incident-rows").textContent()).resolves.toBe("0");
    await expect(page.getByTestId("demo-offer").count()).resolves.toBe(1);
    await checkPage(page, errors, "status (demo removed)");
    await context.close();
  }, 300_000);
});
