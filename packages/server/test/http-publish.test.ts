import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createApp } from "../src/http/app.tsx";
import { loadDemo } from "../src/services/demo.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { listPublications } from "../src/services/publication.service.ts";
import { cliPlanActor, createPlan, listPlans } from "../src/services/plan.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

/** The admin's "Publish the public website" button (issue 9 item 1): admin only, CSRF-checked, the configured folder, refusals. */

const cli = { label: "cli:test", ip: null };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-http-publish-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("SAFECITY_PUBLISH_DIR", () => {
  it("is off when unset, resolved against the working folder when set, and refused when it cannot be a folder", () => {
    expect(loadConfig({}, tmp).publishDir).toBeNull();
    expect(loadConfig({ SAFECITY_PUBLISH_DIR: "site" }, tmp).publishDir).toBe(path.join(tmp, "site"));
    fs.writeFileSync(path.join(tmp, "a-file"), "");
    expect(() => loadConfig({ SAFECITY_PUBLISH_DIR: "a-file" }, tmp)).toThrow(/SAFECITY_PUBLISH_DIR must be a folder; .*a-file is a file/);
    expect(() => loadConfig({ SAFECITY_PUBLISH_DIR: "no/such/parent" }, tmp)).toThrow(/SAFECITY_PUBLISH_DIR: neither .*no[/\\]such[/\\]parent nor its parent folder exists/);
  });
});

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`publishing from the plan page on ${dialect}`, () => {
    let store: TestStore;
    let planId: number;
    let draftId: number;
    const publishDir = path.join(tmp, `${dialect}-public`);
    const clock = new Date("2026-01-15T10:00:00Z");
    const passwords: Record<string, string> = {};
    const signedIn = async (app: ReturnType<typeof createApp>, who: "admin" | "analyst") => {
      const b = new TestBrowser(app);
      await b.signIn(`${who}@council.gov.uk`, passwords[who]!);
      return b;
    };

    beforeAll(async () => {
      store = await openTestStore(dialect);
      await loadDemo(store, { actor: cli, now: () => clock });
      planId = (await listPlans(store))[0]!.id;
      draftId = (await createPlan(store, cliPlanActor("test"), { title: "A draft", areaCode: "E22900004", periodFrom: "2028-04", periodTo: "2031-03" }, clock)).id;
      for (const role of ["admin", "analyst"] as const)
        passwords[role] = (await createUser(store, { email: `${role}@council.gov.uk`, name: `The ${role}`, role }, cli, clock)).generatedPassword!;
    }, 300_000);
    afterAll(() => store?.destroy());

    it("shows admins the button with the folder, and not analysts; an analyst's post is refused", async () => {
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), publishDir });
      const admin = await signedIn(app, "admin");
      const { html } = await admin.get(`/plans/${planId}`);
      expect(html).toContain('data-testid="publish-site-button"');
      expect(html).toContain(path.join(publishDir, `plan-${planId}`));
      const analyst = await signedIn(app, "analyst");
      expect((await analyst.get(`/plans/${planId}`)).html).not.toContain('data-testid="publish-site"');
      expect((await analyst.post(`/plans/${planId}/publish`, {})).res.status).toBe(403);
      expect(fs.existsSync(publishDir)).toBe(false);
      expect(await listPublications(store)).toEqual([]);
    });

    it("refuses a post without the CSRF token, and publishes with it", async () => {
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), publishDir });
      const admin = await signedIn(app, "admin");
      await admin.get(`/plans/${planId}`);
      expect((await admin.post(`/plans/${planId}/publish`, { _csrf: null })).res.status).toBe(403);
      expect(await listPublications(store)).toEqual([]);
      const { res, html } = await admin.post(`/plans/${planId}/publish`, {});
      expect(res.status, html).toBe(200);
      expect(html).toContain("Public website published");
      expect(html).toContain("Publication 1 of this plan");
      const [row] = await listPublications(store);
      expect(row).toMatchObject({ planId, number: 1, publishedBy: "admin@council.gov.uk", outputDir: path.join(publishDir, `plan-${planId}`) });
      expect(html).toContain(row!.contentSha256);
      expect(fs.readFileSync(path.join(publishDir, `plan-${planId}`, "index.html"), "utf8")).toContain("Publication 1 of this plan");
    }, 120_000);

    it("refuses a plan that is not approved, with the reason", async () => {
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), publishDir });
      const admin = await signedIn(app, "admin");
      const { html } = await admin.get(`/plans/${draftId}`);
      expect(html).toContain("it can be published as a public website once Full Council has approved it");
      expect(html).not.toContain('data-testid="publish-site-button"');
      const r = await admin.post(`/plans/${draftId}/publish`, {});
      expect(r.res.status).toBe(409);
      expect(r.html).toContain("only a plan approved by Full Council (approved, published or in annual review) can be published");
      expect(fs.existsSync(path.join(publishDir, `plan-${draftId}`))).toBe(false);
      expect((await listPublications(store, draftId)).length).toBe(0);
    });

    it("says how to configure the folder when it is not set, and publishes nothing", async () => {
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      const admin = await signedIn(app, "admin");
      const { html } = await admin.get(`/plans/${planId}`);
      expect(html).toContain('data-testid="publish-not-configured"');
      expect(html).not.toContain('data-testid="publish-site-button"');
      const before = (await listPublications(store)).length;
      const r = await admin.post(`/plans/${planId}/publish`, {});
      expect(r.res.status).toBe(409);
      expect(r.html).toContain("Nothing was published: no folder is set to publish to. Set <code>SAFECITY_PUBLISH_DIR</code>");
      expect((await listPublications(store)).length).toBe(before);
    });
  });
}
