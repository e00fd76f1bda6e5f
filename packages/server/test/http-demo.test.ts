import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { isDemoLoaded } from "../src/services/demo.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

const cli = { label: "cli:test", ip: null };
const BANNER = 'data-testid="demo-banner"';

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`demo on the status page on ${dialect}`, () => {
    let store: TestStore;
    let app: ReturnType<typeof createApp>;
    const passwords: Record<string, string> = {};
    const clock = new Date("2026-02-01T10:00:00Z");

    async function signedIn(email: string): Promise<TestBrowser> {
      const b = new TestBrowser(app);
      const { res } = await b.signIn(email, passwords[email]!);
      expect(res.status).toBe(303);
      return b;
    }

    beforeAll(async () => {
      store = await openTestStore(dialect);
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      for (const [email, role] of [
        ["admin@council.gov.uk", "admin"],
        ["viewer@council.gov.uk", "viewer"],
      ] as const) {
        passwords[email] = (await createUser(store, { email, name: role, role }, cli, clock)).generatedPassword!;
      }
    });
    afterAll(() => store?.destroy());

    it("offers the demo on an empty store: a button for admins, words for everyone else; no banner yet", async () => {
      const admin = await signedIn("admin@council.gov.uk");
      const { html } = await admin.get("/");
      expect(html).toContain('data-testid="demo-offer"');
      expect(html).toMatch(/<form method="post" action="\/demo">\s*<input type="hidden" name="_csrf"/);
      expect(html).toContain("Load the demo partnership");
      expect(html).not.toContain(BANNER);
      const viewer = await signedIn("viewer@council.gov.uk");
      const page = await viewer.get("/");
      expect(page.html).toContain('data-testid="demo-offer"');
      expect(page.html).not.toContain('action="/demo"');
      expect(page.html).toContain("An administrator can load it");
    });

    it("refuses the load to a viewer (403) and without the CSRF token (403), loading nothing", async () => {
      const viewer = await signedIn("viewer@council.gov.uk");
      await viewer.get("/");
      expect((await viewer.post("/demo", {})).res.status).toBe(403);
      const admin = await signedIn("admin@council.gov.uk");
      await admin.get("/");
      expect((await admin.post("/demo", { _csrf: null })).res.status).toBe(403);
      expect(await isDemoLoaded(store)).toBe(false);
    });

    it("loads the demo from the button, labels every page, then removes it from the other button", async () => {
      const admin = await signedIn("admin@council.gov.uk");
      await admin.get("/");
      const loaded = await admin.post("/demo", {});
      expect(loaded.res.status).toBe(303);
      expect(loaded.res.headers.get("location")).toBe("/?demo=loaded");

      const status = await admin.get("/?demo=loaded");
      expect(status.html).toContain('data-testid="demo-notice"');
      expect(status.html).toContain(BANNER);
      expect(status.html).toContain('data-testid="demo-remove"');
      expect(status.html).not.toContain('data-testid="demo-offer"');
      for (const p of ["/data", "/overview", "/no-such-page"]) expect((await admin.get(p)).html, p).toContain(BANNER);
      const data = await admin.get("/data");
      expect(data.html.match(/data-testid="demo-import"/g)?.length).toBeGreaterThanOrEqual(24);

      const viewer = await signedIn("viewer@council.gov.uk");
      const seen = await viewer.get("/");
      expect(seen.html).toContain(BANNER);
      expect(seen.html).not.toContain('data-testid="demo-remove"');
      expect((await viewer.post("/demo/remove", {})).res.status).toBe(403);

      const again = await admin.post("/demo", {});
      expect(again.res.status).toBe(409);
      expect(again.html).toContain("the demo is already loaded");

      await admin.get("/");
      const removed = await admin.post("/demo/remove", {});
      expect(removed.res.status).toBe(303);
      expect(removed.res.headers.get("location")).toBe("/?demo=removed");
      const after = await admin.get("/?demo=removed");
      expect(after.html).not.toContain(BANNER);
      expect(after.html).toContain("The demo data is removed.");
      expect(after.html).toContain('data-testid="demo-offer"');
      expect(await isDemoLoaded(store)).toBe(false);
    }, 120_000);
  });
}
