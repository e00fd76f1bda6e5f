import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { clientIpResolver } from "../src/http/client-ip.ts";
import { SetupCode } from "../src/services/account.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { commonPasswordCount, passwordProblem } from "../src/services/password-policy.ts";
import { hashSecret } from "../src/services/secret.ts";
import { countUsers, createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

const cli = { label: "cli:test", ip: null };
const CODE = "ABCDE-FGHJK-LMNPQ";
const ADMIN_PW = "granite otter lantern 42";

describe("password policy (NCSC: length and a common-password list, no composition rules)", () => {
  it("refuses short and common passwords (also with digits and symbols around them), accepts long uncommon ones", () => {
    expect(commonPasswordCount()).toBeGreaterThan(40_000);
    expect(passwordProblem("short")).toMatch(/at least 12 characters/);
    expect(passwordProblem("password1234")).toMatch(/commonly used passwords/);
    expect(passwordProblem("Password2024!")).toMatch(/commonly used passwords/);
    expect(passwordProblem("1qaz2wsx3edc")).toMatch(/commonly used passwords/);
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toMatch(/commonly used passwords/);
    expect(passwordProblem("someone.long@council.gov.uk", { email: "someone.long@council.gov.uk" })).toMatch(/email/);
    expect(passwordProblem("x".repeat(300))).toMatch(/256 characters or fewer/);
    // No composition rules: all lower case, no digits, is fine when long and uncommon.
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem(ADMIN_PW)).toBeNull();
  });
});

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`accounts on ${dialect}`, () => {
    let store: TestStore;
    let clock = new Date("2026-03-02T09:00:00Z");
    let app: ReturnType<typeof createApp>;
    const setup = new SetupCode(CODE);
    const ip = (c: { req: { header(n: string): string | undefined } }) => c.req.header("x-test-ip") ?? "192.0.2.1";
    const at = (addr: string) => ({ "x-test-ip": addr });
    const tick = (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    };

    beforeAll(async () => {
      store = await openTestStore(dialect);
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), clientIp: ip, setup });
    });
    afterAll(() => store?.destroy());

    it("first run: the login page links to /setup; a wrong code or a common password creates nothing", async () => {
      const b = new TestBrowser(app);
      const login = await b.get("/login");
      expect(login.html).toContain('href="/setup"');
      const form = await b.get("/setup");
      expect(form.res.status).toBe(200);
      expect(form.html).toContain("Setup code");
      const wrong = await b.post("/setup", { code: "ZZZZZ-ZZZZZ-ZZZZZ", name: "Ada Admin", email: "ada@council.gov.uk", password: ADMIN_PW, confirm: ADMIN_PW });
      expect(wrong.res.status).toBe(400);
      expect(wrong.html).toContain("The setup code is not right");
      const weak = await b.post("/setup", { code: CODE, name: "Ada Admin", email: "ada@council.gov.uk", password: "Password2024!", confirm: "Password2024!" });
      expect(weak.res.status).toBe(400);
      expect(weak.html).toContain("commonly used passwords");
      const mismatch = await b.post("/setup", { code: CODE, name: "Ada Admin", email: "ada@council.gov.uk", password: ADMIN_PW, confirm: `${ADMIN_PW}x` });
      expect(mismatch.res.status).toBe(400);
      expect(await countUsers(store)).toBe(0);
      expect(setup.available).toBe(true);
    });

    it("first run: the right code creates the administrator, signs them in, and works only once", async () => {
      const b = new TestBrowser(app);
      await b.get("/setup");
      const ok = await b.post("/setup", { code: "abcde fghjk lmnpq", name: "Ada Admin", email: "Ada@Council.gov.uk", organisation: "Demo Council", password: ADMIN_PW, confirm: ADMIN_PW });
      expect(ok.res.status).toBe(303);
      expect(ok.res.headers.get("location")).toBe("/account");
      const account = await b.get("/account");
      expect(account.res.status).toBe(200);
      expect(account.html).toContain("ada@council.gov.uk");
      expect(account.html).toMatch(/<dd class="govuk-summary-list__value">admin<\/dd>/);
      const created = await listAudit(store, { action: "user.create" });
      expect(created[0]).toMatchObject({ actor: "setup-code", target: "ada@council.gov.uk", after: { role: "admin" } });
      const everything = JSON.stringify(await listAudit(store, { limit: 1000 }));
      expect(everything).not.toContain("ABCDE");
      // Used: the page is gone and a replay is refused, even with the right code.
      const again = new TestBrowser(app);
      expect((await again.get("/setup")).res.status).toBe(404);
      await again.get("/login");
      const replay = await again.post("/setup", { code: CODE, name: "Eve", email: "eve@evil.example", password: ADMIN_PW, confirm: ADMIN_PW });
      expect(replay.res.status).toBe(404);
      expect(await countUsers(store)).toBe(1);
      // A server started with no code (accounts exist) has no setup page either.
      expect((await new TestBrowser(createApp({ store, now: () => clock })).get("/setup")).res.status).toBe(404);
    });

    it("changes a password: current password required, policy applied, other sessions signed out", async () => {
      await createUser(store, { email: "vic@council.gov.uk", name: "Vic Viewer", role: "viewer", password: "first password here" }, cli, clock);
      const a = new TestBrowser(app, "http://localhost", at("192.0.2.21"));
      const other = new TestBrowser(app, "http://localhost", at("192.0.2.22"));
      expect((await a.signIn("vic@council.gov.uk", "first password here")).res.status).toBe(303);
      expect((await other.signIn("vic@council.gov.uk", "first password here")).res.status).toBe(303);
      await a.get("/account");
      const wrong = await a.post("/account/password", { current: "not it at all", password: "second password here", confirm: "second password here" });
      expect(wrong.res.status).toBe(400);
      expect(wrong.html).toContain("Your current password is not correct");
      const weak = await a.post("/account/password", { current: "first password here", password: "qwerty123456", confirm: "qwerty123456" });
      expect(weak.res.status).toBe(400);
      expect(weak.html).toContain("commonly used passwords");
      const mismatch = await a.post("/account/password", { current: "first password here", password: "second password here", confirm: "second password her" });
      expect(mismatch.res.status).toBe(400);
      expect(mismatch.html).toContain("do not match");
      const ok = await a.post("/account/password", { current: "first password here", password: "second password here", confirm: "second password here" });
      expect(ok.res.status).toBe(303);
      expect(ok.res.headers.get("location")).toBe("/account?done=password");
      expect((await a.get("/account?done=password")).html).toContain("Your password has been changed");
      expect((await other.get("/")).res.status).toBe(303);
      expect((await new TestBrowser(app, "http://localhost", at("192.0.2.23")).signIn("vic@council.gov.uk", "first password here")).res.status).toBe(401);
      expect((await new TestBrowser(app, "http://localhost", at("192.0.2.23")).signIn("vic@council.gov.uk", "second password here")).res.status).toBe(303);
      expect((await listAudit(store, { action: "user.password_change" }))[0]).toMatchObject({ actor: "vic@council.gov.uk", after: { otherSessionsEnded: 1 } });
    });

    it("asks an administrator for the password again before user management after 15 minutes", async () => {
      const admin = new TestBrowser(app);
      await admin.signIn("ada@council.gov.uk", ADMIN_PW);
      const users = await admin.get("/admin/users");
      expect(users.res.status).toBe(200);
      const vicId = /for="role-(\d+)">Role for vic@council\.gov\.uk/.exec(users.html)?.[1];
      tick(10 * 60_000);
      expect((await admin.get("/account")).res.status).toBe(200); // active, so not idle
      tick(6 * 60_000);
      const page = await admin.get("/admin/users");
      expect(page.res.status).toBe(303);
      expect(page.res.headers.get("location")).toBe("/account/confirm?next=%2Fadmin%2Fusers");
      const post = await admin.post(`/admin/users/${vicId}/role`, { role: "analyst" });
      expect(post.res.status).toBe(303);
      expect(post.res.headers.get("location")).toBe("/account/confirm?next=%2Fadmin%2Fusers");
      expect((await listAudit(store, { action: "user.role_change" })).length).toBe(0);
      await admin.get("/account/confirm?next=%2Fadmin%2Fusers");
      const wrong = await admin.post("/account/confirm", { password: "not my password", next: "/admin/users" });
      expect(wrong.res.status).toBe(401);
      expect(wrong.html).toContain("The password is not correct.");
      const right = await admin.post("/account/confirm", { password: ADMIN_PW, next: "/admin/users" });
      expect(right.res.status).toBe(303);
      expect(right.res.headers.get("location")).toBe("/admin/users");
      expect((await admin.get("/admin/users")).res.status).toBe(200);
      expect((await admin.post(`/admin/users/${vicId}/role`, { role: "viewer" })).res.status).toBe(303);
      expect((await listAudit(store, { action: "auth.reauth" }))[0]).toMatchObject({ actor: "ada@council.gov.uk" });
    });

    it("issues a one-time, expiring password reset link, stored only as a hash, shown to the admin once", async () => {
      const admin = new TestBrowser(app);
      await admin.signIn("ada@council.gov.uk", ADMIN_PW);
      const users = await admin.get("/admin/users");
      const vicId = /for="role-(\d+)">Role for vic@council\.gov\.uk/.exec(users.html)?.[1];
      const victim = new TestBrowser(app, "http://localhost", at("192.0.2.31"));
      await victim.signIn("vic@council.gov.uk", "second password here");
      const issued = await admin.post(`/admin/users/${vicId}/reset`, {});
      expect(issued.res.status).toBe(200);
      const link = /data-testid="reset-link">(http:\/\/localhost\/reset\/([A-Za-z0-9_-]{43}))</.exec(issued.html);
      expect(link).toBeTruthy();
      const secret = link![2]!;
      expect((await admin.get("/admin/users")).html).not.toContain(secret);
      const rows = await store.db.selectFrom("password_reset").selectAll().execute();
      expect(rows.map((r) => r.token_hash)).toContain(hashSecret(secret));
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(await listAudit(store, { limit: 1000 }))).not.toContain(secret);
      // The person opens it (not signed in), a weak password is refused, a good one is set.
      const person = new TestBrowser(app, "http://localhost", at("192.0.2.32"));
      const form = await person.get(`/reset/${secret}`);
      expect(form.res.status).toBe(200);
      expect(form.html).toContain("For vic@council.gov.uk");
      expect((await person.post(`/reset/${secret}`, { password: "iloveyou1234", confirm: "iloveyou1234" })).res.status).toBe(400);
      const done = await person.post(`/reset/${secret}`, { password: "third password here", confirm: "third password here" });
      expect(done.res.status).toBe(200);
      expect(done.html).toContain("Password set");
      expect((await victim.get("/")).res.status).toBe(303); // their sessions ended
      expect((await person.signIn("vic@council.gov.uk", "third password here")).res.status).toBe(303);
      // Single use.
      expect((await new TestBrowser(app).get(`/reset/${secret}`)).res.status).toBe(404);
      const reuse = new TestBrowser(app);
      await reuse.get("/login");
      expect((await reuse.post(`/reset/${secret}`, { password: "fourth password here", confirm: "fourth password here" })).res.status).toBe(404);
      // A newer link replaces an older one; a link expires after 24 hours.
      const first = /\/reset\/([A-Za-z0-9_-]{43})</.exec((await admin.post(`/admin/users/${vicId}/reset`, {})).html)![1]!;
      const second = /\/reset\/([A-Za-z0-9_-]{43})</.exec((await admin.post(`/admin/users/${vicId}/reset`, {})).html)![1]!;
      expect((await new TestBrowser(app).get(`/reset/${first}`)).res.status).toBe(404);
      expect((await new TestBrowser(app).get(`/reset/${second}`)).res.status).toBe(200);
      tick(24 * 3600_000 + 1000);
      expect((await new TestBrowser(app).get(`/reset/${second}`)).res.status).toBe(404);
      expect((await listAudit(store, { action: "user.password_reset" }))[0]).toMatchObject({ target: "vic@council.gov.uk" });
    });

    it("ends a session after 30 idle minutes, and after 12 hours however active", async () => {
      const b = new TestBrowser(app, "http://localhost", at("192.0.2.41"));
      await b.signIn("vic@council.gov.uk", "third password here");
      tick(29 * 60_000);
      expect((await b.get("/")).res.status).toBe(200);
      tick(29 * 60_000);
      expect((await b.get("/")).res.status).toBe(200);
      tick(31 * 60_000);
      expect((await b.get("/")).res.status).toBe(303);
      const busy = new TestBrowser(app, "http://localhost", at("192.0.2.42"));
      await busy.signIn("vic@council.gov.uk", "third password here");
      for (let i = 0; i < 28; i++) {
        tick(25 * 60_000); // 28 x 25 min = 11 h 40 min, never idle for 30 minutes
        expect((await busy.get("/account")).res.status).toBe(200);
      }
      tick(25 * 60_000); // 12 h 5 min after signing in
      expect((await busy.get("/account")).res.status).toBe(303);
    });

    it("lists sessions, signs one out, and signs out everywhere", async () => {
      const a = new TestBrowser(app, "http://localhost", at("192.0.2.51"));
      const b = new TestBrowser(app, "http://localhost", at("192.0.2.52"));
      await a.signIn("vic@council.gov.uk", "third password here", { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0" });
      await b.signIn("vic@council.gov.uk", "third password here");
      const list = await a.get("/account");
      expect(list.html.match(/data-testid="session-row"/g)?.length).toBe(2);
      expect(list.html).toContain('data-testid="this-session"');
      expect(list.html).toContain("192.0.2.52");
      const otherId = /action="\/account\/sessions\/([0-9a-f]{64})\/end"/.exec(list.html)?.[1];
      expect(otherId).toBeTruthy();
      expect((await a.post(`/account/sessions/${otherId}/end`, {})).res.status).toBe(303);
      expect((await b.get("/")).res.status).toBe(303);
      expect((await a.get("/")).res.status).toBe(200);
      // Someone else's session id cannot be ended from here.
      const admin = new TestBrowser(app);
      await admin.signIn("ada@council.gov.uk", ADMIN_PW);
      await a.get("/account");
      const adminSessionId = hashSecret(admin.cookies.get("safecity_session")!);
      expect((await a.post(`/account/sessions/${adminSessionId}/end`, {})).res.status).toBe(404);
      expect((await admin.get("/")).res.status).toBe(200);
      const c = new TestBrowser(app, "http://localhost", at("192.0.2.53"));
      await c.signIn("vic@council.gov.uk", "third password here");
      await a.get("/account");
      const all = await a.post("/account/sessions/end-all", {});
      expect(all.res.status).toBe(303);
      expect(all.res.headers.get("location")).toBe("/login");
      expect((await a.get("/")).res.status).toBe(303);
      expect((await c.get("/")).res.status).toBe(303);
      expect((await admin.get("/")).res.status).toBe(200);
    });

    it("API tokens: read-only by default, write scope explicit, expire (90 days by default), record last use", async () => {
      const read = await createApiToken(store, "vic@council.gov.uk", "dashboard", cli, clock);
      expect(read.scope).toBe("read");
      expect(read.expiresAt).toBe(new Date(clock.getTime() + 90 * 86_400_000).toISOString());
      const write = await createApiToken(store, "vic@council.gov.uk", "loader", cli, clock, { scope: "write", expiresInDays: 7 });
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      expect((await app.request("http://localhost/api/v1/me", { headers: auth(read.token) })).status).toBe(200);
      const refused = await app.request("http://localhost/api/v1/status", { method: "POST", headers: auth(read.token) });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("read-only");
      // The write token passes the scope check (then meets the router: no such POST route).
      expect((await app.request("http://localhost/api/v1/status", { method: "POST", headers: auth(write.token) })).status).toBe(404);
      const row = await store.db.selectFrom("api_token").select(["last_used_at", "token_hash"]).where("id", "=", read.id).executeTakeFirstOrThrow();
      expect(row.last_used_at).toBe(clock.toISOString());
      expect(row.token_hash).toBe(hashSecret(read.token));
      const problems = (p: Promise<unknown>) => p.then(() => "", (e: { problems: { message: string }[] }) => e.problems.map((x) => x.message).join("; "));
      expect(await problems(createApiToken(store, "vic@council.gov.uk", "x", cli, clock, { scope: "admin" }))).toContain("Scope must be read or write; got `admin`");
      expect(await problems(createApiToken(store, "vic@council.gov.uk", "x", cli, clock, { expiresInDays: 400 }))).toContain("from 1 to 366");
      tick(8 * 86_400_000);
      expect((await app.request("http://localhost/api/v1/me", { headers: auth(write.token) })).status).toBe(401);
      expect((await app.request("http://localhost/api/v1/me", { headers: auth(read.token) })).status).toBe(200);
      tick(83 * 86_400_000);
      expect((await app.request("http://localhost/api/v1/me", { headers: auth(read.token) })).status).toBe(401);
    });

    it("Your account lists tokens with created, last used and expiry; creates one (shown once) and revokes it", async () => {
      const b = new TestBrowser(app, "http://localhost", at("192.0.2.61"));
      await b.signIn("vic@council.gov.uk", "third password here");
      await b.get("/account");
      const bad = await b.post("/account/tokens", { name: "", scope: "read", expiresInDays: "999" });
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("Expiry must be a whole number of days from 1 to 366");
      const made = await b.post("/account/tokens", { name: "nightly <b>export</b>", scope: "read", expiresInDays: "30" });
      expect(made.res.status).toBe(200);
      const token = /data-testid="new-token">([A-Za-z0-9_-]{43})</.exec(made.html)?.[1];
      expect(token).toBeTruthy();
      expect(made.html).toContain("nightly &lt;b&gt;export&lt;/b&gt;");
      expect((await app.request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const listed = await b.get("/account");
      expect(listed.html).not.toContain(token!);
      const row = /data-token-id="(\d+)"><td class="[^"]*">\d+: nightly &lt;b&gt;/.exec(listed.html);
      expect(row).toBeTruthy();
      const id = row![1]!;
      expect(listed.html).toContain("Read only");
      expect(listed.html).toContain(`${clock.toISOString().slice(0, 10)} ${clock.toISOString().slice(11, 16)} UTC`); // created and last used
      expect(listed.html).toContain(new Date(clock.getTime() + 30 * 86_400_000).toISOString().slice(0, 10));
      // Another user's token cannot be revoked from this page.
      const adminToken = await createApiToken(store, "ada@council.gov.uk", "admin script", cli, clock);
      expect((await b.post(`/account/tokens/${adminToken.id}/revoke`, {})).res.status).toBe(404);
      expect((await app.request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${adminToken.token}` } })).status).toBe(200);
      const revoked = await b.post(`/account/tokens/${id}/revoke`, {});
      expect(revoked.res.status).toBe(303);
      expect((await app.request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      expect((await b.get("/account")).html).toContain("Revoked ");
      expect((await listAudit(store, { action: "api_token.revoke" }))[0]).toMatchObject({ actor: "vic@council.gov.uk", after: { id: Number(id) } });
    });

    it("disabling an account revokes its tokens and sessions for good: enabling it again revives neither", async () => {
      await createUser(store, { email: "gone@council.gov.uk", name: "Gus Gone", role: "analyst", password: "gone user password" }, cli, clock);
      const t = await createApiToken(store, "gone@council.gov.uk", "script", cli, clock);
      const victim = new TestBrowser(app, "http://localhost", at("192.0.2.71"));
      await victim.signIn("gone@council.gov.uk", "gone user password");
      const admin = new TestBrowser(app);
      await admin.signIn("ada@council.gov.uk", ADMIN_PW);
      const id = /for="role-(\d+)">Role for gone@council\.gov\.uk/.exec((await admin.get("/admin/users")).html)?.[1];
      expect((await admin.post(`/admin/users/${id}/disabled`, { disabled: "1" })).res.status).toBe(303);
      expect((await admin.post(`/admin/users/${id}/disabled`, { disabled: "0" })).res.status).toBe(303);
      expect((await app.request("http://localhost/api/v1/me", { headers: { authorization: `Bearer ${t.token}` } })).status).toBe(401);
      expect((await victim.get("/")).res.status).toBe(303);
      const row = await store.db.selectFrom("api_token").select(["revoked", "revoked_at"]).where("id", "=", t.id).executeTakeFirstOrThrow();
      expect(Number(row.revoked)).toBe(1);
      expect(row.revoked_at).toBe(clock.toISOString());
      expect(await store.db.selectFrom("app_user").select("id").where("email", "=", "gone@council.gov.uk").executeTakeFirst()).toBeTruthy();
    });

    it("marks cookies Secure whenever the public URL is https, even on a plain-http request behind the proxy", async () => {
      const behindProxy = createApp({ store, now: () => clock, publicUrl: "https://safecity.example" });
      const b = new TestBrowser(behindProxy);
      const { res } = await b.signIn("vic@council.gov.uk", "third password here");
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().find((c) => c.startsWith("safecity_session="))).toMatch(/; Secure/);
      const plain = createApp({ store, now: () => clock, publicUrl: "http://safecity.example" });
      const p = await new TestBrowser(plain).signIn("vic@council.gov.uk", "third password here");
      expect(p.res.headers.getSetCookie().find((c) => c.startsWith("safecity_session="))).not.toMatch(/Secure/);
    });

    it("throttles by account across addresses, by address across accounts, and globally, with a capped delay", async () => {
      const throttled = createApp({ store, now: () => clock, clientIp: ip, throttle: new LoginThrottle({ globalPerMinute: 1000 }) });
      tick(2 * 3600_000); // earlier failures have left the 1-hour window
      // One account from ten addresses: the eleventh address is asked to wait.
      for (let i = 0; i < 10; i++) expect((await new TestBrowser(throttled, "http://localhost", at(`198.51.100.${i + 1}`)).signIn("ada@council.gov.uk", `guess ${i}`)).res.status).toBe(401);
      const acct = await new TestBrowser(throttled, "http://localhost", at("198.51.100.99")).signIn("ada@council.gov.uk", ADMIN_PW);
      expect(acct.res.status).toBe(429);
      expect(acct.res.headers.get("retry-after")).toBe("30");
      // After the wait the owner gets in (never locked out).
      tick(31_000);
      expect((await new TestBrowser(throttled, "http://localhost", at("198.51.100.99")).signIn("ada@council.gov.uk", ADMIN_PW)).res.status).toBe(303);
      // One address across twenty accounts: slowed for a twenty-first account too.
      const sprayer = at("203.0.113.200");
      for (let i = 0; i < 20; i++) expect((await new TestBrowser(throttled, "http://localhost", sprayer).signIn(`user${i}@council.gov.uk`, "Winter2026!!")).res.status).toBe(401);
      expect((await new TestBrowser(throttled, "http://localhost", sprayer).signIn("vic@council.gov.uk", "third password here")).res.status).toBe(429);
      expect((await new TestBrowser(throttled, "http://localhost", at("203.0.113.201")).signIn("vic@council.gov.uk", "third password here")).res.status).toBe(303);
      // The delay doubles but is capped at 15 minutes.
      const t = new LoginThrottle();
      expect([5, 6, 7, 10, 50].map((n) => t.delayMs(n, 5) / 1000)).toEqual([30, 60, 120, 900, 900]);
      // Global brake for password spraying from many addresses: past N failures a minute everyone waits briefly.
      tick(2 * 3600_000);
      const braked = createApp({ store, now: () => clock, clientIp: ip, throttle: new LoginThrottle({ globalPerMinute: 5 }) });
      for (let i = 0; i < 5; i++) expect((await new TestBrowser(braked, "http://localhost", at(`192.0.2.${100 + i}`)).signIn(`spray${i}@council.gov.uk`, "Summer2026!!")).res.status).toBe(401);
      const global = await new TestBrowser(braked, "http://localhost", at("192.0.2.150")).signIn("vic@council.gov.uk", "third password here");
      expect(global.res.status).toBe(429);
      expect(global.html).toContain("in the last minute");
      expect(Number(global.res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      tick(61_000);
      expect((await new TestBrowser(braked, "http://localhost", at("192.0.2.150")).signIn("vic@council.gov.uk", "third password here")).res.status).toBe(303);
      expect((await listAudit(store, { action: "auth.login_throttled", limit: 1 }))[0]?.after).toMatchObject({ limit: "global" });
    });

    it("takes the client address from the configured proxy header only (the last entry), else the socket", async () => {
      const proxied = createApp({ store, now: () => clock, clientIp: clientIpResolver("x-forwarded-for") });
      const b = new TestBrowser(proxied, "http://localhost", { "x-forwarded-for": "6.6.6.6, 198.51.100.77" });
      await b.signIn("nobody@council.gov.uk", "whatever it is");
      expect((await listAudit(store, { action: "auth.login_failed", limit: 1 }))[0]?.ip).toBe("198.51.100.77");
      const direct = createApp({ store, now: () => clock, clientIp: clientIpResolver(null) });
      await new TestBrowser(direct, "http://localhost", { "x-forwarded-for": "6.6.6.6" }).signIn("nobody@council.gov.uk", "whatever it is");
      expect((await listAudit(store, { action: "auth.login_failed", limit: 1 }))[0]?.ip).toBeNull();
      const failures = await store.db.selectFrom("login_failure").select("client").where("account", "=", "nobody@council.gov.uk").execute();
      expect(failures.map((f) => f.client).sort()).toEqual(["", "198.51.100.77"]);
    });
  });
}
