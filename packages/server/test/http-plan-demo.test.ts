import { PlanDetailSchema, PlanGrantsSchema } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { loadDemo } from "../src/services/demo.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { listPlans } from "../src/services/plan.service.ts";
import { createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

const cli = { label: "cli:test", ip: null };
const BASE = "http://localhost";

/** The demo partnership (derived and imported indicators, a published plan, grants) through every plan page and the API. */
for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`plan pages on the demo partnership on ${dialect}`, () => {
    let store: TestStore;
    let app: ReturnType<typeof createApp>;
    let browser: TestBrowser;
    let token: string;
    let planId: number;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      const clock = new Date("2026-01-15T10:00:00Z");
      await loadDemo(store, { actor: cli, now: () => clock });
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      const r = await createUser(store, { email: "viewer@council.gov.uk", name: "Viewer", role: "viewer" }, cli, clock);
      token = (await createApiToken(store, "viewer@council.gov.uk", "test", cli, clock)).token;
      browser = new TestBrowser(app);
      await browser.signIn("viewer@council.gov.uk", r.generatedPassword!);
      planId = (await listPlans(store))[0]!.id;
    }, 180_000);
    afterAll(() => store?.destroy());

    it("every page renders the demo plan, labelled as demo data; RAG counts on the report agree with the API", async () => {
      const detail = PlanDetailSchema.parse(await (await app.request(`${BASE}/api/v1/plans/${planId}`, { headers: { authorization: `Bearer ${token}` } })).json());
      expect(detail.plan.demo).toBe(true);
      const action = detail.actions[0]!;
      for (const p of ["/plans", `/plans/${planId}`, `/plans/${planId}/performance`, `/plans/${planId}/performance.csv`, `/plans/${planId}/timeline`, `/plans/${planId}/actions/${action.id}/timeline`, `/plans/${planId}/grants`]) {
        const { res, html } = await browser.get(p);
        expect(res.status, p).toBe(200);
        if (p === "/plans") expect(html).toContain('data-testid="demo-tag"');
        else if (!p.endsWith(".csv")) expect(html, p).toContain('data-testid="demo-label"');
      }
      const count = (rag: string) => detail.targets.filter((t) => t.performance?.rag === rag).length;
      const { html } = await browser.get(`/plans/${planId}/performance`);
      expect(html).toContain(`${detail.targets.length} targets: ${count("green")} green, ${count("amber")} amber, ${count("red")} red, ${count("no_data")} without data.`);
      expect(html.match(/<strong class="govuk-tag govuk-tag--(green|yellow|red|grey)" data-rag="/g)).toHaveLength(detail.targets.length);
      const grants = PlanGrantsSchema.parse(await (await app.request(`${BASE}/api/v1/plans/${planId}/grants`, { headers: { authorization: `Bearer ${token}` } })).json());
      expect(grants.totals.budgetPence).toBe(7_500_000);
      expect((await browser.get(`/plans/${planId}/grants`)).html).toMatch(/Budgets<\/dt><dd[^>]*>£75,000<\/dd>/);
    });
  });
}
