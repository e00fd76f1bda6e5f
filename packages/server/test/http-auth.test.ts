import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

const XSS = "<script>alert(1)</script>";
const cli = { label: "cli:test", ip: null };

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`web app on ${dialect}`, () => {
    let store: TestStore;
    let clock = new Date("2026-01-10T09:00:00Z");
    let app: ReturnType<typeof createApp>;
    const passwords: Record<string, string> = {};

    beforeAll(async () => {
      store = await openTestStore(dialect);
      app = createApp({
        store,
        now: () => clock,
        throttle: new LoginThrottle(),
        clientIp: (c) => c.req.header("x-test-ip") ?? "192.0.2.1",
      });
    });
    afterAll(() => store?.destroy());

    it("shows the first-run panel while there are no accounts", async () => {
      const { res, html } = await new TestBrowser(app).get("/login");
      expect(res.status).toBe(200);
      expect(html).toContain("No accounts yet.");
      expect(html).toContain("npx safecity user add --admin --email you@council.gov.uk --name &#39;Your Name&#39;");
    });

    it("creates users through the service (admin, viewer, and one whose name is a script tag)", async () => {
      for (const [email, role, name] of [
        ["admin@council.gov.uk", "admin", "Ada Admin"],
        ["viewer@council.gov.uk", "viewer", "Vic Viewer"],
        ["xss@council.gov.uk", "analyst", XSS],
      ] as const) {
        const r = await createUser(store, { email, name, role, organisation: "Southampton City Council" }, cli, clock);
        expect(r.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
        passwords[email] = r.generatedPassword!;
      }
      const { html } = await new TestBrowser(app).get("/login");
      expect(html).not.toContain("No accounts yet.");
    });

    it("keeps every non-public route behind sign-in: pages redirect to /login?next=…, the API answers 401 JSON", async () => {
      const b = new TestBrowser(app);
      for (const path of ["/", "/admin", "/admin/users", "/admin/audit", "/no-such-page", "/?x=1"]) {
        const { res } = await b.get(path);
        expect(res.status, path).toBe(303);
        const loc = res.headers.get("location")!;
        expect(loc, path).toMatch(/^\/login/);
        if (path !== "/") expect(decodeURIComponent(loc)).toBe(`/login?next=${path}`);
      }
      for (const path of ["/api/v1/status", "/api/v1/me", "/api/v1/anything"]) {
        const { res, html } = await b.get(path);
        expect(res.status, path).toBe(401);
        expect(res.headers.get("content-type")).toMatch(/json/);
        expect(JSON.parse(html).error.code).toBe("auth.required");
      }
      for (const path of ["/logout", "/admin/users", "/admin/users/1/role", "/admin/users/1/disabled"]) {
        const { res } = await b.post(path, { role: "admin" });
        expect(res.status, path).toBe(303);
        expect(res.headers.get("location")).toBe("/login");
      }
      // Public: login, health, assets.
      expect((await b.get("/login")).res.status).toBe(200);
      expect((await b.get("/healthz")).res.status).toBe(200);
      expect((await b.get("/assets/govuk/govuk-frontend.min.css")).res.status).toBe(200);
      expect((await b.get("/assets/fonts/bold-b542beb274-v2.woff2")).res.status).toBe(200);
      expect((await b.get("/assets/app/govuk-init.js")).res.status).toBe(200);
      expect((await b.get("/assets/app/../../../../package.json")).res.status).not.toBe(200);
    });

    it("signs in with the right password, sets an HttpOnly SameSite=Lax cookie, shows the status page, and signs out", async () => {
      const b = new TestBrowser(app);
      await b.get("/login");
      const { res } = await b.post("/login", { email: "Admin@Council.gov.uk", password: passwords["admin@council.gov.uk"]!, next: "/admin/users" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/users");
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("safecity_session="))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const status = await b.get("/");
      expect(status.res.status).toBe(200);
      expect(status.html).toContain("What is loaded");
      expect(status.html).toContain("npx safecity import &lt;zip&gt;");
      expect(status.html).toContain("Contains public sector information licensed under the");
      const out = await b.post("/logout", {});
      expect(out.res.status).toBe(303);
      expect(out.res.headers.get("location")).toBe("/login");
      expect((await b.get("/")).res.status).toBe(303);
      const audit = await listAudit(store, { limit: 20 });
      expect(audit.find((a) => a.action === "auth.login" && a.actor === "admin@council.gov.uk")).toBeTruthy();
      expect(audit.find((a) => a.action === "auth.logout" && a.actor === "admin@council.gov.uk")?.ip).toBe("192.0.2.1");
    });

    it("marks the session cookie Secure over https", async () => {
      const b = new TestBrowser(app, "https://safecity.example");
      await b.get("/login");
      const { res } = await b.post("/login", { email: "viewer@council.gov.uk", password: passwords["viewer@council.gov.uk"]! });
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().find((c) => c.startsWith("safecity_session="))).toMatch(/Secure/);
    });

    it("marks cookies Secure on plain http when told it is behind an https proxy (secureCookies: true)", async () => {
      const proxied = createApp({ store, now: () => clock, secureCookies: true });
      const b = new TestBrowser(proxied);
      const { res } = await b.get("/login");
      expect(res.headers.getSetCookie().find((c) => c.startsWith("safecity_anon="))).toMatch(/Secure/);
    });

    it("refuses a wrong password with 401 and audits the failure", async () => {
      const b = new TestBrowser(app, "http://localhost", { "x-test-ip": "198.51.100.7" });
      const { res, html } = await b.signIn("admin@council.gov.uk", "not the password");
      expect(res.status).toBe(401);
      expect(html).toContain("Enter a correct email address and password.");
      expect(b.cookies.has("safecity_session")).toBe(false);
      const failed = await listAudit(store, { action: "auth.login_failed", limit: 5 });
      expect(failed[0]).toMatchObject({ actor: "admin@council.gov.uk", ip: "198.51.100.7", after: { reason: "wrong password" } });
      // Unknown accounts fail the same way.
      const unknown = await b.signIn("nobody@council.gov.uk", "whatever");
      expect(unknown.res.status).toBe(401);
      expect(unknown.html).toContain("Enter a correct email address and password.");
    });

    it("slows sign-in after 5 failures per email and address with a doubling delay (429 + Retry-After), kept in the database, never a lock", async () => {
      const ip = { "x-test-ip": "203.0.113.9" };
      const b = new TestBrowser(app, "http://localhost", ip);
      await b.get("/login");
      for (let i = 0; i < 5; i++) expect((await b.post("/login", { email: "viewer@council.gov.uk", password: `wrong-${i}` })).res.status).toBe(401);
      const blocked = await b.post("/login", { email: "viewer@council.gov.uk", password: passwords["viewer@council.gov.uk"]! });
      expect(blocked.res.status).toBe(429);
      expect(blocked.res.headers.get("retry-after")).toBe("30");
      expect(blocked.html).toContain("Too many failed sign-in attempts. Wait 30 seconds and try again; the account is not locked.");
      // Another address is not slowed down (a wrong password there is an ordinary 401).
      const other = new TestBrowser(app, "http://localhost", { "x-test-ip": "203.0.113.10" });
      expect((await other.signIn("viewer@council.gov.uk", "wrong-elsewhere")).res.status).toBe(401);
      // 31 s later one more try is allowed; failing it doubles the wait.
      clock = new Date(clock.getTime() + 31_000);
      expect((await b.post("/login", { email: "viewer@council.gov.uk", password: "wrong-again" })).res.status).toBe(401);
      const again = await b.post("/login", { email: "viewer@council.gov.uk", password: passwords["viewer@council.gov.uk"]! });
      expect(again.res.status).toBe(429);
      expect(again.res.headers.get("retry-after")).toBe("60");
      // The throttle lives in the database: a restarted server (a new app on the same store) still applies it.
      const restarted = createApp({ store, now: () => clock, clientIp: (c) => c.req.header("x-test-ip") ?? "192.0.2.1" });
      const b2 = new TestBrowser(restarted, "http://localhost", ip);
      expect((await b2.signIn("viewer@council.gov.uk", passwords["viewer@council.gov.uk"]!)).res.status).toBe(429);
      // Once the wait is over the right password works.
      clock = new Date(clock.getTime() + 61_000);
      expect((await b.post("/login", { email: "viewer@council.gov.uk", password: passwords["viewer@council.gov.uk"]! })).res.status).toBe(303);
      expect((await listAudit(store, { action: "auth.login_throttled" })).length).toBeGreaterThanOrEqual(3);
    });

    it("refuses form posts without the CSRF token, with a foreign token, from another origin or cross-site (403)", async () => {
      const b = new TestBrowser(app);
      await b.signIn("admin@council.gov.uk", passwords["admin@council.gov.uk"]!);
      await b.get("/admin/users");
      const good = b.csrf;
      expect(good).toMatch(/^[0-9a-f]{64}$/);
      const viewer = (await b.get("/admin/users")).html;
      const viewerId = /for="role-(\d+)">Role for viewer@council\.gov\.uk/.exec(viewer)?.[1];
      expect(viewerId).toBeTruthy();
      const path = `/admin/users/${viewerId}/role`;
      expect((await b.post(path, { role: "analyst", _csrf: null })).res.status).toBe(403);
      const other = new TestBrowser(app);
      await other.get("/login");
      expect((await b.post(path, { role: "analyst", _csrf: other.csrf })).res.status).toBe(403);
      expect((await b.post(path, { role: "analyst" }, { origin: "https://evil.example" })).res.status).toBe(403);
      expect((await b.post(path, { role: "analyst" }, { origin: "null" })).res.status).toBe(403);
      expect((await b.post(path, { role: "analyst" }, { "sec-fetch-site": "cross-site" })).res.status).toBe(403);
      // The login form is protected too.
      const anon = new TestBrowser(app);
      expect((await anon.post("/login", { email: "admin@council.gov.uk", password: passwords["admin@council.gov.uk"]!, _csrf: null })).res.status).toBe(403);
      // Nothing changed.
      expect((await listAudit(store, { action: "user.role_change" })).length).toBe(0);
      b.csrf = good;
      const ok = await b.post(path, { role: "analyst" }, { origin: "http://localhost" });
      expect(ok.res.status).toBe(303);
      const changes = await listAudit(store, { action: "user.role_change" });
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ actor: "admin@council.gov.uk", target: "viewer@council.gov.uk", before: { role: "viewer" }, after: { role: "analyst" } });
      // Back to viewer for the next test.
      expect((await b.post(path, { role: "viewer" })).res.status).toBe(303);
    });

    it("keeps viewers out of admin (403 page, and posts refused)", async () => {
      const b = new TestBrowser(app, "http://localhost", { "x-test-ip": "192.0.2.50" });
      expect((await b.signIn("viewer@council.gov.uk", passwords["viewer@council.gov.uk"]!)).res.status).toBe(303);
      const home = await b.get("/");
      expect(home.res.status).toBe(200);
      expect(home.html).not.toContain('href="/admin/users"');
      for (const path of ["/admin", "/admin/users", "/admin/audit"]) {
        const { res, html } = await b.get(path);
        expect(res.status, path).toBe(403);
        expect(html).toContain("needs the admin role");
      }
      expect((await b.post("/admin/users", { email: "x@y.gov.uk", name: "X", role: "admin" })).res.status).toBe(403);
      expect((await b.post("/admin/users/1/role", { role: "admin" })).res.status).toBe(403);
    });

    it("lets an admin add a user through the page, with field errors for bad input", async () => {
      const b = new TestBrowser(app);
      await b.signIn("admin@council.gov.uk", passwords["admin@council.gov.uk"]!);
      await b.get("/admin/users");
      const bad = await b.post("/admin/users", { email: "not-an-email", name: "", role: "viewer" });
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("There is a problem");
      expect(bad.html).toContain('href="#email"');
      expect(bad.html).toContain('href="#name"');
      const dup = await b.post("/admin/users", { email: "viewer@council.gov.uk", name: "Again", role: "viewer" });
      expect(dup.res.status).toBe(409);
      const ok = await b.post("/admin/users", { email: "fire@hfrs.gov.uk", name: "Fay Fire", role: "editor", organisation: "Hampshire Fire", organisationKind: "fire" });
      expect(ok.res.status).toBe(200);
      const pw = /data-testid="generated-password">([A-Za-z0-9]{20})</.exec(ok.html)?.[1];
      expect(pw).toBeTruthy();
      expect(ok.html).toContain("Hampshire Fire (fire)");
      expect((await new TestBrowser(app).signIn("fire@hfrs.gov.uk", pw!)).res.status).toBe(303);
      const created = await listAudit(store, { action: "user.create", limit: 1 });
      expect(created[0]).toMatchObject({ actor: "admin@council.gov.uk", target: "fire@hfrs.gov.uk", after: { role: "editor" } });
    });

    it("disabling a user ends their session", async () => {
      const victim = new TestBrowser(app, "http://localhost", { "x-test-ip": "192.0.2.60" });
      await victim.signIn("xss@council.gov.uk", passwords["xss@council.gov.uk"]!);
      expect((await victim.get("/")).res.status).toBe(200);
      const admin = new TestBrowser(app);
      await admin.signIn("admin@council.gov.uk", passwords["admin@council.gov.uk"]!);
      const page = (await admin.get("/admin/users")).html;
      const id = /for="role-(\d+)">Role for xss@council\.gov\.uk/.exec(page)?.[1];
      expect((await admin.post(`/admin/users/${id}/disabled`, { disabled: "1" })).res.status).toBe(303);
      expect((await victim.get("/")).res.status).toBe(303);
      expect((await victim.signIn("xss@council.gov.uk", passwords["xss@council.gov.uk"]!)).res.status).toBe(401);
      expect((await admin.post(`/admin/users/${id}/disabled`, { disabled: "0" })).res.status).toBe(303);
    });

    it("shows a user name and an import file name containing a script tag as text", async () => {
      await store.db
        .insertInto("import_file")
        .values({ file_name: `2025-01-${XSS}-street.csv`, force_slug: "hampshire", month: "2025-01", sha256: "x", rows: 42, status: "imported", started_at: clock.toISOString(), finished_at: clock.toISOString(), imported_by: XSS })
        .execute();
      const b = new TestBrowser(app);
      await b.signIn("admin@council.gov.uk", passwords["admin@council.gov.uk"]!);
      const status = await b.get("/");
      expect(status.html).not.toContain(XSS);
      // shown whole as text in the cell (its slash is not taken for a folder), not only in the title
      expect(status.html).toContain(">2025-01-&lt;script&gt;alert(1)&lt;/script&gt;-street.csv<");
      expect(status.html).toContain("2025-01 to 2025-01 (1 month)");
      const users = await b.get("/admin/users");
      expect(users.html).not.toContain(XSS);
      expect(users.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      // The only <script> elements are our own files.
      for (const html of [status.html, users.html]) {
        for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/assets\/app\//);
      }
    });

    it("sends a CSP that allows only our own scripts and styles, and other secure headers", async () => {
      const { res } = await new TestBrowser(app).get("/login");
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    });

    it("accepts API tokens as Bearer credentials on /api/ only, and refuses unknown ones", async () => {
      const { token } = await createApiToken(store, "viewer@council.gov.uk", "test script", cli, clock);
      const ok = await app.request("http://localhost/api/v1/status", { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      const body = (await ok.json()) as { incidentRows: number; months: { count: number } };
      expect(body.incidentRows).toBe(42);
      expect(body.months.count).toBe(1);
      const me = (await (await app.request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).json()) as { email: string };
      expect(me.email).toBe("viewer@council.gov.uk");
      const bad = await app.request("http://localhost/api/v1/status", { headers: { authorization: "Bearer nope" } });
      expect(bad.status).toBe(401);
      const page = await app.request("http://localhost/", { headers: { authorization: `Bearer ${token}` } });
      expect(page.status).toBe(303);
    });

    it("never redirects off-site after sign-in", async () => {
      const b = new TestBrowser(app);
      await b.get("/login");
      const { res } = await b.post("/login", { email: "admin@council.gov.uk", password: passwords["admin@council.gov.uk"]!, next: "//evil.example/x" });
      expect(res.headers.get("location")).toBe("/");
    });

    it("expires sessions after 12 hours", async () => {
      const b = new TestBrowser(app);
      await b.signIn("admin@council.gov.uk", passwords["admin@council.gov.uk"]!);
      expect((await b.get("/")).res.status).toBe(200);
      clock = new Date(clock.getTime() + 12 * 3600_000 + 1000);
      expect((await b.get("/")).res.status).toBe(303);
    });
  });
}
