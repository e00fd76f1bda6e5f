import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_SOUTHAMPTON_2024 } from "../../../fixtures/test-data.ts";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { importPoliceData } from "../src/services/import.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

const cli = { label: "cli:test", ip: null };

/** Issue 16 item 9: imports, authorisation failures (403) and CSRF refusals are audited with the client. */
for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`audit of imports and refusals on ${dialect}`, () => {
    let store: TestStore;
    const clock = new Date("2026-03-02T10:00:00Z");
    let app: ReturnType<typeof createApp>;
    const passwords: Record<string, string> = {};

    beforeAll(async () => {
      store = await openTestStore(dialect);
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), clientIp: (c) => c.req.header("x-test-ip") ?? "192.0.2.1" });
      for (const [email, role] of [
        ["viewer@council.gov.uk", "viewer"],
        ["analyst@council.gov.uk", "analyst"],
      ] as const) {
        passwords[email] = (await createUser(store, { email, name: email, role, organisation: "Southampton City Council" }, cli, clock)).generatedPassword!;
      }
    });
    afterAll(() => store?.destroy());

    async function signedIn(email: string, ip: string): Promise<TestBrowser> {
      const b = new TestBrowser(app, "http://localhost", { "x-test-ip": ip });
      await b.get("/login");
      const { res } = await b.post("/login", { email, password: passwords[email]! });
      expect(res.status).toBe(303);
      return b;
    }

    it("records a role refusal (403) with the user, the address, the method and path, never the query", async () => {
      const viewer = await signedIn("viewer@council.gov.uk", "198.51.100.23");
      const { res } = await viewer.get("/admin/users?secret=abc");
      expect(res.status).toBe(403);
      const [row] = await listAudit(store, { action: "access.forbidden" });
      expect(row).toMatchObject({ actor: "viewer@council.gov.uk", ip: "198.51.100.23", target: "GET /admin/users", after: { code: "auth.forbidden" } });
      expect(JSON.stringify(row)).not.toContain("secret");
    });

    it("records a CSRF refusal, signed in or not, with the client's address", async () => {
      const analyst = await signedIn("analyst@council.gov.uk", "203.0.113.5");
      const signedInRefusal = await analyst.post("/logout", { _csrf: "forged" });
      expect(signedInRefusal.res.status).toBe(403);
      const anonymous = new TestBrowser(app, "http://localhost", { "x-test-ip": "203.0.113.77" });
      const anonRefusal = await anonymous.post("/login", { _csrf: null, email: "x@y.z", password: "nope" });
      expect(anonRefusal.res.status).toBe(403);
      const rows = await listAudit(store, { action: "access.csrf_refused" });
      expect(rows.map((r) => [r.actor, r.ip, r.target])).toEqual([
        ["anonymous", "203.0.113.77", "POST /login"],
        ["analyst@council.gov.uk", "203.0.113.5", "POST /logout"],
      ]);
    });

    it("records a read-only API token's write attempt under the token's user", async () => {
      const { token } = await createApiToken(store, "analyst@council.gov.uk", "dashboard", cli, clock);
      const res = await app.request("http://localhost/api/v1/plans", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-test-ip": "192.0.2.99" },
        body: "{}",
      });
      expect(res.status).toBe(403);
      const [row] = await listAudit(store, { action: "access.forbidden" });
      expect(row).toMatchObject({ actor: "analyst@council.gov.uk", ip: "192.0.2.99", target: "POST /api/v1/plans" });
    });

    it("records each import run: who, and every file by name (not its server path) with its force, month, status and rows", async () => {
      const report = await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2024], { user: "cli:analyst", ip: null, now: () => clock });
      const [row] = await listAudit(store, { action: "import.run" });
      expect(row!.actor).toBe("cli:analyst");
      const files = (row!.after as { files: { file: string; status: string; rows: number; month: string | null }[] }).files;
      expect(files).toHaveLength(report.files.length);
      expect(files.map((f) => f.rows)).toEqual(report.files.map((f) => f.rows));
      expect(files[0]!.status).toBe("imported");
      expect(files[0]!.rows).toBeGreaterThan(0);
      expect(files.every((f) => !f.file.includes("/"))).toBe(true);
      expect(row!.target).toBe(`${report.files.length} file${report.files.length === 1 ? "" : "s"}`);
    });
  });
}
