/// <reference lib="dom" />
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, collectConsoleErrors } from "./checks.ts";
import { browserAvailability, createUser, launchBrowser, type RunningServer, startServer } from "./harness.ts";
import { LoginPage } from "./pages/login.page.ts";
import { PlanPage, PlansListPage } from "./pages/plan.page.ts";

/**
 * Public consultation in Chromium: an analyst drafts a plan (two priorities, a key action) and
 * starts consultation on the plan page; a member of the public, with no account, finds it on
 * /consult, is told what to fix when the form is empty, then responds (one answer carrying a
 * script tag); an analyst reads the response on the plan's consultation page (the script shown as
 * text, never run) and tags it, and the summary counts the tag. Every page visited gets
 * `checkPage` (axe, 320 px, console and CSP errors). The machine may be busy: generous time-outs.
 */

const availability = browserAvailability();
const JOURNEY_MS = 300_000;
const ANALYST = "analyst@council.gov.uk";
const SCRIPT = "<script>alert(1)</script>";
const POLICE = "Safe City Police";

describe.skipIf(availability.skip)("public consultation in Chromium", () => {
  let server: RunningServer;
  let chrome: Awaited<ReturnType<typeof launchBrowser>>;
  let browser: BrowserContext;
  let page: Page;
  let errors: string[];
  let password = "";
  let planId = 0;
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    password = await createUser(server, ANALYST, "analyst");
    // an editor in the police, so the police exists as an organisation to own a key action
    const editor = await server.cli(["user", "add", "--email", "inspector@police.example", "--name", "Ian Inspector", "--role", "editor", "--org", POLICE]);
    expect(editor.code, editor.stderr).toBe(0);
    chrome = await launchBrowser();
    browser = chrome.context;
    page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    page.setDefaultNavigationTimeout(120_000);
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    errors = collectConsoleErrors(page);
  }, JOURNEY_MS);
  afterAll(async () => {
    await chrome?.close();
    await server?.stop();
  });

  async function signIn(next: string): Promise<void> {
    await browser.clearCookies();
    const login = new LoginPage(page, server.url);
    await login.open(next);
    await login.signIn(ANALYST, password);
    expect(new URL(page.url()).pathname).toBe(next);
  }

  it(
    "an analyst drafts a plan and starts consultation; the plan page links to the public's responses",
    async () => {
      await signIn("/plans");
      planId = await new PlansListPage(page, server.url).create({
        title: "Safe City Community Safety Plan 2026-29",
        partnership: "Safe City Partnership",
        areaCode: "E06000045",
        from: "2026-04",
        to: "2029-03",
      });
      const plan = new PlanPage(page, server.url);
      await plan.addPriority({ title: "Reduce violent crime in the city centre", rationale: "Violence is the largest crime group and rose on last year." });
      await plan.addPriority({ title: "Tackle anti-social behaviour", rationale: "ASB concentrates in the most deprived neighbourhoods." });
      const [first] = await plan.priorityIds();
      await plan.addAction(first!, { title: "Night-time economy patrols", owner: POLICE, leadRole: "Neighbourhood Inspector", start: "2026-04-01", due: "2027-03-31" });
      await plan.transition("consultation", "Start consultation", { Date: "2026-05-04", Consultees: "Overview and Scrutiny Management Committee" });
      await expect(plan.state()).resolves.toBe("consultation");
      await expect(page.getByTestId("public-consultation-link").textContent()).resolves.toContain(`/consult/${planId}`);
      await checkPage(page, errors, `/plans/${planId} in consultation`);
    },
    JOURNEY_MS,
  );

  it(
    "a member of the public responds without an account",
    async () => {
      await browser.clearCookies();
      await page.goto(`${server.url}/consult`);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Have your say on community safety plans");
      await checkPage(page, errors, "/consult");
      await Promise.all([page.waitForLoadState("load"), page.getByTestId("open-consultations").getByRole("link").first().click()]);
      expect(new URL(page.url()).pathname).toBe(`/consult/${planId}`);
      expect(await page.getByTestId("public-priority").count()).toBeGreaterThanOrEqual(1);
      await expect(page.getByTestId("sign-out").count()).resolves.toBe(0);
      await checkPage(page, errors, `/consult/${planId}`);

      // nothing written: told what to fix, the focus moves to the error summary
      await Promise.all([page.waitForLoadState("load"), page.getByTestId("send-response").click()]);
      await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("Enter your views on at least one priority, or your overall view of the plan");
      await expect(page.title()).resolves.toMatch(/^Error: Have your say/);
      await checkPage(page, errors, "the form with an error", { expectedStatus: 400 });

      const firstPriority = page.locator("textarea[name^='priority-']").first();
      await firstPriority.fill(`Better street lighting near the station ${SCRIPT}`);
      await page.getByLabel("Your overall view of the plan").fill("A clear plan; say more about young people.");
      await page.getByLabel("Organisation (optional)").fill("Station Road Residents");
      await Promise.all([page.waitForLoadState("load"), page.getByTestId("send-response").click()]);
      await expect(page.getByTestId("response-sent").textContent()).resolves.toContain("Response sent");
      expect(new URL(page.url()).search).toBe("?sent=1");
      await checkPage(page, errors, "the confirmation");
    },
    JOURNEY_MS,
  );

  it(
    "an analyst reads the response, escaped, and tags it; the summary counts the tag",
    async () => {
      const path = `/plans/${planId}/consultation`;
      await signIn(path);
      await expect(page.getByTestId("count-responses").textContent()).resolves.toBe("1");
      await expect(page.getByTestId("count-on-behalf-of-organisations").textContent()).resolves.toBe("1");
      const card = page.getByTestId("public-response");
      await expect(card.count()).resolves.toBe(1);
      await expect(card.getByTestId("response-comment").first().textContent()).resolves.toBe(`Better street lighting near the station ${SCRIPT}`);
      await expect(card.locator("script").count()).resolves.toBe(0);
      await checkPage(page, errors, path);

      await card.getByLabel(/Tags for response/).fill("Street lighting, young people");
      await Promise.all([page.waitForLoadState("load"), card.getByRole("button", { name: /Save tags/ }).click()]);
      await expect(page.getByTestId("notice").textContent()).resolves.toContain("Tags saved.");
      await expect(page.getByTestId("response-tags").textContent()).resolves.toBe("street lighting, young people");
      await expect(page.getByTestId("per-tag").textContent()).resolves.toMatch(/street lighting\s*1/);
      await checkPage(page, errors, `${path} after tagging`);
      expect(dialogs, "no script from a response ever ran").toEqual([]);
    },
    JOURNEY_MS,
  );
});
