import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { DEFAULT_BODY_LIMIT_BYTES } from "../src/http/request-limits.ts";
import { safeNext } from "../src/http/require-role.ts";
import { ImportJobs, childProcessRunner } from "../src/services/import-job.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { installReference } from "../src/services/reference.service.ts";
import { createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { FIXTURE_REFERENCE_DIR } from "./support/shared-data.ts";

/**
 * Issue 16, items 1, 3 and 4: request bodies limited before they are read (413), query
 * parameters capped and "did you mean" bounded (the server keeps answering), and `next` redirects
 * kept on this site.
 */
const BASE = "http://localhost";
const cli = { label: "cli:test", ip: null };
const UPLOAD_LIMIT = 2 * 1024 * 1024;

/** A body sent in chunks with no Content-Length (as `Transfer-Encoding: chunked`). */
function chunked(totalBytes: number, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const n = Math.min(chunkBytes, totalBytes - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x61));
    },
  });
}

function multipart(name: string, content: string | Uint8Array): { body: Uint8Array; type: string } {
  const boundary = "----safecitytest";
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="${name}"\r\ncontent-type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, Buffer.from(content), tail]), type: `multipart/form-data; boundary=${boundary}` };
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`request limits on ${dialect}`, () => {
    let store: TestStore;
    let app: ReturnType<typeof createApp>;
    let jobs: ImportJobs;
    let uploadDir: string;
    let token = "";
    let password = "";
    const clock = new Date("2026-02-01T10:00:00Z");

    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => clock });
      uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-limits-"));
      jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: UPLOAD_LIMIT });
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      const r = await createUser(store, { email: "analyst@council.gov.uk", name: "Analyst", role: "analyst" }, cli, clock);
      password = r.generatedPassword!;
      token = (await createApiToken(store, "analyst@council.gov.uk", "test", cli, clock)).token;
    });
    afterAll(async () => {
      await jobs?.idle();
      await store?.destroy();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    });

    describe("item 1: request bodies", () => {
      it("refuses an anonymous form POST to /login over the limit with 413 before the CSRF check reads it", async () => {
        const big = `email=a%40b.c&password=x&_csrf=${"a".repeat(DEFAULT_BODY_LIMIT_BYTES + 10)}`;
        const res = await app.request(`${BASE}/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(big.length) }, body: big });
        expect(res.status).toBe(413);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("request.too_large");
        expect(body.error.message).toContain("1 MB");
      });

      it("refuses a chunked body (no Content-Length) once it passes the limit, holding no more than the limit", async () => {
        const res = await app.request(`${BASE}/login`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: chunked(8 * DEFAULT_BODY_LIMIT_BYTES),
          duplex: "half",
        } as RequestInit);
        expect(res.status).toBe(413);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("request.too_large");
      });

      it("lets a body under the limit through to the CSRF check (403), and a normal sign-in works", async () => {
        const form = `email=a%40b.c&password=x&filler=${"a".repeat(DEFAULT_BODY_LIMIT_BYTES - 1000)}`;
        const res = await app.request(`${BASE}/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
        expect(res.status).toBe(403);
        const b = new TestBrowser(app);
        expect((await b.signIn("analyst@council.gov.uk", password)).res.status).toBe(303);
      });

      it("applies the limit to the JSON API and to routes that do not exist", async () => {
        const json = JSON.stringify({ to: "approved", note: "x".repeat(DEFAULT_BODY_LIMIT_BYTES) });
        for (const p of ["/api/v1/plans/1/transition", "/consult/anything", "/no-such-route"]) {
          const res = await app.request(`${BASE}${p}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: json });
          expect(res.status, p).toBe(413);
        }
      });

      it("leaves the upload route to its own streamed limit: a 1.5 MB upload is accepted, a chunked 3 MB one refused with nothing kept", async () => {
        const b = new TestBrowser(app);
        await b.signIn("analyst@council.gov.uk", password);
        await b.get("/data");
        const post = (body: BodyInit | Uint8Array, type: string) =>
          app.request(`${BASE}/data/upload?_csrf=${encodeURIComponent(b.csrf)}`, {
            method: "POST",
            headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": type },
            body: body as BodyInit,
            duplex: "half",
          } as RequestInit);
        const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
        const row = ",2025-01,Hampshire Constabulary,Hampshire Constabulary,-1.4,50.9,On or near X,E01017145,Southampton 001A,Anti-social behaviour,,";
        const csv = [header, ...Array.from({ length: Math.ceil((1.5 * 1024 * 1024) / row.length) }, () => row)].join("\n");
        const ok = multipart("2025-01-hampshire-street.csv", csv);
        const accepted = await post(ok.body, ok.type);
        expect(accepted.status).toBe(303);
        expect(accepted.headers.get("location")).toMatch(/^\/data\/jobs\//);
        await jobs.idle();

        const boundary = "----big";
        const head = new TextEncoder().encode(`--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="big.csv"\r\n\r\n`);
        const rest = chunked(3 * 1024 * 1024).getReader();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(head);
          },
          async pull(controller) {
            const { done, value } = await rest.read();
            if (done) controller.close();
            else controller.enqueue(value);
          },
        });
        const refused = await post(body, `multipart/form-data; boundary=${boundary}`);
        expect(refused.status).toBe(413);
        expect(await refused.text()).toContain("larger than the 2 MB limit");
        expect(fs.readdirSync(uploadDir)).toEqual([]);
      });
    });

    describe("item 3: query parameters", () => {
      it("caps `area` at the schema (400 naming the limit); the page answers 400 with a field error instead of searching", async () => {
        const long = "Southampton".repeat(30);
        const res = await app.request(`${BASE}/api/v1/counts?area=${long}`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { code: string; problems: { field?: string; message: string }[]; message: string } };
        expect(body.error.code).toBe("input.invalid");
        expect(JSON.stringify(body.error)).toMatch(/area/);
        expect(JSON.stringify(body.error)).toMatch(/200/);

        const b = new TestBrowser(app);
        await b.signIn("analyst@council.gov.uk", password);
        const page = await b.get(`/overview?area=${long}`);
        expect(page.res.status).toBe(400);
        expect(page.html).toContain(`at most 200 characters (you entered ${long.length})`);
      });

      it("refuses any query parameter over 2,000 characters on every route, signed in or not", async () => {
        for (const p of [`/login?next=/${"a".repeat(2100)}`, `/healthz?x=${"a".repeat(2100)}`, `/overview?area=${"a".repeat(15000)}`]) {
          const res = await app.request(`${BASE}${p}`, { headers: { authorization: `Bearer ${token}` } });
          expect(res.status, p.slice(0, 20)).toBe(400);
        }
      });

      it("keeps /healthz answering while a 15,000-character ?area= request runs", async () => {
        const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
        await new Promise<void>((resolve) => server.once("listening", () => resolve()));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
          const timed = async (p: string, init?: RequestInit) => {
            const t = performance.now();
            const res = await fetch(`${url}${p}`, init);
            await res.text();
            return { res, ms: performance.now() - t };
          };
          const baseline = await timed("/healthz");
          expect(baseline.res.status).toBe(200);
          const attack = timed(`/api/v1/counts?area=${"x".repeat(15000)}`, { headers: { authorization: `Bearer ${token}` } });
          const health = await timed("/healthz");
          expect(health.res.status).toBe(200);
          // One second, or more on a loaded machine in proportion to an idle /healthz just before.
          expect(health.ms).toBeLessThan(1000 + 20 * baseline.ms);
          const a = await attack;
          expect(a.res.status).toBe(400);
          expect(a.ms).toBeLessThan(1000 + 20 * baseline.ms);
        } finally {
          await new Promise((resolve) => server.close(resolve));
        }
      });
    });

    describe("item 4: where sign-in sends you next", () => {
      const NASTY = [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        " /evil.example",
        "/./\t/evil.example",
        "/.//evil.example",
        "/%2e%2e//evil.example",
        "/\u0000/evil.example",
        "/\u00a0/evil.example",
        "/\u2028/evil.example",
        "/\u3000/evil.example",
        "",
      ];

      it("sends every nasty `next` to / and keeps good ones (unit)", () => {
        for (const n of NASTY) expect(safeNext(n), JSON.stringify(n)).toBe("/");
        expect(safeNext("/plans/1?tab=actions#top")).toBe("/plans/1?tab=actions#top");
        expect(safeNext("/overview?area=Southampton&from=2025-01")).toBe("/overview?area=Southampton&from=2025-01");
        expect(safeNext(undefined)).toBe("/");
      });

      it("answers /login?next=/%09/evil.example and the sign-in form with Location: / (issue's example and the list)", async () => {
        const b = new TestBrowser(app);
        await b.signIn("analyst@council.gov.uk", password);
        const first = await b.get("/login?next=/%09/evil.example");
        expect(first.res.status).toBe(303);
        expect(first.res.headers.get("location")).toBe("/");
        for (const n of NASTY) {
          const { res } = await b.get(`/login?next=${encodeURIComponent(n)}`);
          expect(res.headers.get("location"), JSON.stringify(n)).toBe("/");
        }
        const anon = new TestBrowser(app);
        await anon.get("/login");
        for (const n of ["/\t/evil.example", "//evil.example", "/\\evil.example"]) {
          const { res } = await anon.post("/login", { email: "analyst@council.gov.uk", password, next: n });
          expect(res.status).toBe(303);
          expect(res.headers.get("location"), JSON.stringify(n)).toBe("/");
          await anon.post("/logout", {});
          await anon.get("/login");
        }
        const good = await b.get(`/login?next=${encodeURIComponent("/plans?x=1")}`);
        expect(good.res.headers.get("location")).toBe("/plans?x=1");
      });
    });
  });
}
