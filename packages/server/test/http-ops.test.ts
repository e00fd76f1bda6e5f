import { isAppError } from "@safecity/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { KNOWN_MIGRATIONS } from "../src/db/migrate.ts";
import { createApp, HSTS } from "../src/http/app.tsx";
import { createLogger } from "../src/log.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

/**
 * Operations (issue 10 item 5) in process: the JSON request log (request ids, no secrets),
 * /healthz and /readyz, HSTS only for an https public URL, configuration problems all at once.
 * Graceful shutdown of a real process is in serve-process.test.ts.
 */
const BASE = "http://localhost";
const clock = new Date("2026-02-01T10:00:00Z");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`operations on ${dialect}`, () => {
    let store: TestStore;
    let password = "";
    const lines: string[] = [];
    let draining = false;
    const log = createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } });
    let app: ReturnType<typeof createApp>;
    const logs = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

    beforeAll(async () => {
      store = await openTestStore(dialect);
      password = (await createUser(store, { email: "analyst@council.gov.uk", name: "Analyst", role: "analyst" }, { label: "cli:test", ip: null }, clock)).generatedPassword!;
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), ops: { log, draining: () => draining } });
    });
    afterAll(async () => {
      await store?.destroy();
    });

    it("logs one JSON line per request with its request id (echoed, or made), and never a password, cookie, token or query", async () => {
      lines.length = 0;
      const b = new TestBrowser(app, BASE, { "x-request-id": "req-from-proxy.1" });
      const signIn = await b.signIn("analyst@council.gov.uk", password);
      expect(signIn.res.status).toBe(303);
      expect(signIn.res.headers.get("x-request-id")).toBe("req-from-proxy.1");
      const data = await b.get("/data");
      expect(data.res.status).toBe(200);
      const made = await app.request(`${BASE}/healthz`);
      expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const bad = await app.request(`${BASE}/healthz`, { headers: { "x-request-id": "has spaces <script>" } });
      expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const bearer = "sc_0123456789abcdef0123456789abcdef";
      await app.request(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${bearer}` } });
      await app.request(`${BASE}/reset/AbCdEfGhIjKlMnOpQrStUvWxYz012345?token=QUERYSECRET`, { headers: { cookie: "sid=COOKIESECRET" } });

      const entries = logs();
      const login = entries.find((e) => e.path === "/login" && e.method === "POST");
      expect(login).toMatchObject({ level: "info", msg: "request", reqId: "req-from-proxy.1", status: 303, service: "safecity" });
      expect(typeof login!.ms).toBe("number");
      expect(typeof login!.time).toBe("string");
      expect(entries.find((e) => e.path === "/data")).toMatchObject({ status: 200, userId: expect.any(Number) });
      expect(entries.find((e) => e.path === "/api/v1/me")).toMatchObject({ status: 401 });
      expect(entries.find((e) => String(e.path).startsWith("/reset/"))).toMatchObject({ path: "/reset/[redacted]" });
      // /healthz is logged at debug level only.
      expect(entries.filter((e) => e.path === "/healthz").every((e) => e.level === "debug")).toBe(true);
      const text = lines.join("");
      for (const secret of [password, bearer, "QUERYSECRET", "COOKIESECRET", "AbCdEfGhIjKlMnOpQrStUvWxYz012345", ...b.cookies.values(), b.csrf]) {
        expect(text).not.toContain(secret);
      }
      // Anything logged with a secret-named field is redacted, at any of the first three levels.
      lines.length = 0;
      log.info({ password: "p1", headers: { authorization: "Bearer x1", cookie: "c1", "set-cookie": "s1" }, user: { login: { token: "t1" } } }, "probe");
      expect(lines.join("")).not.toMatch(/p1|x1|c1|s1|t1/);
      expect(logs()[0]).toMatchObject({ password: "[redacted]", headers: { authorization: "[redacted]", cookie: "[redacted]" } });
    });

    it("/readyz: 200 when migrated; 503 with the reason when shutting down or a migration is missing; /healthz stays 200", async () => {
      const ready = await app.request(`${BASE}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, store: dialect, migration: KNOWN_MIGRATIONS.at(-1) });
      expect(ready.headers.get("cache-control")).toBe("no-store");

      draining = true;
      const stopping = await app.request(`${BASE}/readyz`);
      expect(stopping.status).toBe(503);
      expect(await stopping.json()).toEqual({ ready: false, reason: "shutting down" });
      expect((await app.request(`${BASE}/healthz`)).status).toBe(200);
      draining = false;

      const last = KNOWN_MIGRATIONS.at(-1)!;
      const row = await sql<{ timestamp: string }>`select timestamp from kysely_migration where name = ${last}`.execute(store.db);
      await sql`delete from kysely_migration where name = ${last}`.execute(store.db);
      try {
        const behind = await app.request(`${BASE}/readyz`);
        expect(behind.status).toBe(503);
        expect(await behind.json()).toMatchObject({ ready: false, reason: `database not migrated: missing ${last}`, expected: last });
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values (${last}, ${row.rows[0]!.timestamp})`.execute(store.db);
      }
      expect((await app.request(`${BASE}/readyz`)).status).toBe(200);
    });

    it("sends HSTS only when SAFECITY_PUBLIC_URL is https", async () => {
      const plain = await app.request(`${BASE}/healthz`);
      expect(plain.headers.get("strict-transport-security")).toBeNull();
      const httpsApp = createApp({ store, publicUrl: "https://safecity.council.gov.uk" });
      const secure = await httpsApp.request("https://safecity.council.gov.uk/healthz");
      expect(secure.headers.get("strict-transport-security")).toBe(HSTS);
      expect((await httpsApp.request("https://safecity.council.gov.uk/login")).headers.get("strict-transport-security")).toBe(HSTS);
      const httpApp = createApp({ store, publicUrl: "http://intranet.council.local" });
      expect((await httpApp.request(`${BASE}/login`)).headers.get("strict-transport-security")).toBeNull();
    });
  });
}

describe("configuration checked at start", () => {
  it("reports every problem at once, the new operations settings included", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", SAFECITY_LOG_LEVEL: "loud", SAFECITY_SHUTDOWN_TIMEOUT_S: "0", DATABASE_URL: "mysql://u:hunter2@db/x" }, "/tmp");
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe("config.invalid");
    const message = (error as Error).message;
    expect(message).toContain("PORT must be a port number");
    expect(message).toContain("SAFECITY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got `loud`");
    expect(message).toContain("SAFECITY_SHUTDOWN_TIMEOUT_S must be a number of seconds from 1 to 3600; got `0`");
    expect(message).toContain("DATABASE_URL must start with postgres://");
    expect(message).not.toContain("hunter2");
    const ok = loadConfig({ SAFECITY_LOG_LEVEL: "WARN", SAFECITY_SHUTDOWN_TIMEOUT_S: "45" }, "/tmp");
    expect(ok.logLevel).toBe("warn");
    expect(ok.shutdownTimeoutMs).toBe(45_000);
    expect(loadConfig({}, "/tmp")).toMatchObject({ logLevel: "info", shutdownTimeoutMs: 20_000 });
  });
});
