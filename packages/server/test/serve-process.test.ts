import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../src/db/database.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import type { TestBrowser } from "./http-client.ts";
import { runCli } from "./support/cli.ts";
import { alive, type ServeProcess, startServe } from "./support/serve-process.ts";
import { FIXTURE_MONTHS_2025, FIXTURE_SOUTHAMPTON_2025, fixtureStreetLines } from "./support/shared-data.ts";

/**
 * Real `safecity serve` processes (issue 10 items 3 and 5): killed with SIGKILL in the middle of an
 * upload's import, then started again; stopped with SIGTERM while an upload is still arriving.
 * Nothing here depends on speed: the test waits for states, with generous limits.
 */
const cli = { label: "cli:test", ip: null };
const clock = new Date();
const GENERATED_ROWS = 120_000;
const fixtureRows = (await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).reduce((s, l) => s + l.length - 1, 0);

async function n(store: Store, query: string): Promise<number> {
  return Number((await sql.raw<{ n: number }>(query).execute(store.db)).rows[0]!.n);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, limitMs = 240_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function signIn(server: ServeProcess, password: string): Promise<TestBrowser> {
  const b = server.browser();
  const { res } = await b.signIn("analyst@council.gov.uk", password);
  expect(res.status).toBe(303);
  await b.get("/data");
  return b;
}

/** The job as the API reports it (through the session). */
async function job(b: TestBrowser, id: string): Promise<{ state: string; resumable: boolean; progress: { rows: number }; error: { code: string } | null }> {
  const { res, html } = await b.get(`/api/v1/imports/jobs/${id}`);
  expect(res.status).toBe(200);
  return JSON.parse(html);
}

/** The store is consistent: whole files only, the roll-up matching the incidents, nothing left `running`. */
async function expectConsistent(store: Store): Promise<number> {
  const committed = await n(store, "select coalesce(sum(rows), 0) as n from import_file where status in ('imported', 'replaced')");
  expect(await n(store, "select count(*) as n from incident")).toBe(committed);
  expect(await n(store, "select coalesce(sum(n), 0) as n from rollup")).toBe(committed);
  expect(await n(store, "select count(*) as n from import_file where status = 'running'")).toBe(0);
  return committed;
}

/** Multipart upload of `files` through the Data page form (session cookie and CSRF token of `b`). */
async function uploadFiles(b: TestBrowser, server: ServeProcess, files: string[]): Promise<Response> {
  const fd = new FormData();
  for (const f of files) fd.append("files", new File([fs.readFileSync(f)], path.basename(f), { type: "text/csv" }));
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return fetch(`${server.url}/data/upload?_csrf=${encodeURIComponent(b.csrf)}`, { method: "POST", body: fd, headers: { cookie }, redirect: "manual" });
}

let generated: string[] = [];
const genDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-gen-"));
afterAll(() => fs.rmSync(genDir, { recursive: true, force: true }));

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`safecity serve as a process on ${dialect}`, () => {
    let store: TestStore;
    let dataDir: string;
    let env: Record<string, string>;
    let password = "";

    beforeAll(async () => {
      store = await openTestStore(dialect);
      dataDir = store.env.SAFECITY_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "safecity-serve-"));
      env = { ...store.env, SAFECITY_DATA_DIR: dataDir, SAFECITY_SHUTDOWN_TIMEOUT_S: "120" };
      password = (await createUser(store, { email: "analyst@council.gov.uk", name: "Analyst", role: "analyst" }, cli, clock)).generatedPassword!;
      if (!generated.length) {
        const gen = await runCli(["generate", "--rows", String(GENERATED_ROWS), "--months", "12", "--forces", "1", "--out", genDir], {});
        expect(gen.code, gen.stderr).toBe(0);
        generated = fs
          .readdirSync(genDir, { recursive: true, encoding: "utf8" })
          .filter((f) => f.endsWith(".csv"))
          .map((f) => path.join(genDir, f))
          .sort();
        expect(generated).toHaveLength(12);
      }
    }, 300_000);
    afterAll(async () => {
      await store?.destroy();
      if (!store?.env.SAFECITY_DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("SIGKILL during an upload's import: the restarted server marks job and file interrupted, the store is consistent, Resume completes it", async () => {
      const first = await startServe(env);
      const b = await signIn(first, password);
      const res = await uploadFiles(b, first, generated);
      expect(res.status).toBe(303);
      const id = /\/data\/jobs\/([a-f0-9]{12})$/.exec(res.headers.get("location")!)![1]!;
      // Mid-import: at least one file committed and the next one open.
      await waitFor("a file committed and the next one running", async () => {
        return (await n(store, "select count(*) as n from import_file where status = 'imported'")) >= 1 && (await n(store, "select count(*) as n from import_file where status = 'running'")) === 1;
      });
      const importers = first.children();
      expect(importers.length).toBeGreaterThanOrEqual(1);
      first.child.kill("SIGKILL");
      expect((await first.exited).signal).toBe("SIGKILL");
      // The import process notices its parent is gone (stdin closes) and exits, rolling back the file it
      // has open (unless that file committed in the moment before it noticed).
      await waitFor("the import process to exit", async () => importers.every((p) => !alive(p)), 120_000);
      const leftRunning = await n(store, "select count(*) as n from import_file where status = 'running'");
      expect([0, 1]).toContain(leftRunning);
      expect((await store.db.selectFrom("import_job").select("state").where("id", "=", id).executeTakeFirstOrThrow()).state).toBe("running");

      const second = await startServe(env);
      try {
        const committed = await expectConsistent(store);
        expect(committed).toBeGreaterThan(0);
        expect(committed).toBeLessThan(GENERATED_ROWS);
        expect(await n(store, "select count(*) as n from import_file where status = 'interrupted'")).toBe(leftRunning);
        expect(second.logs().find((l) => l.msg === "imports interrupted by the last stop: resume or discard them on the Data page")).toMatchObject({ level: "warn", jobs: [id], files: leftRunning });
        expect(fs.readdirSync(path.join(dataDir, "uploads"))).toEqual([id]);

        const b2 = await signIn(second, password);
        expect(await job(b2, id)).toMatchObject({ state: "interrupted", resumable: true, error: { code: "import.interrupted" } });
        const data = await b2.get("/data");
        expect(data.html).toContain("An upload was interrupted when the server stopped.");
        const resumed = await b2.post(`/data/jobs/${id}/resume`, {});
        expect(resumed.res.status).toBe(303);
        const done = await waitFor("the resumed job to finish", async () => {
          const j = await job(b2, id);
          return j.state === "finished" || j.state === "failed" ? j : null;
        });
        expect(done.state).toBe("finished");
        expect(await expectConsistent(store)).toBe(GENERATED_ROWS);
        expect(fs.readdirSync(path.join(dataDir, "uploads"))).toEqual([]);
      } finally {
        second.child.kill("SIGTERM");
        expect((await second.exited).code).toBe(0);
      }
    }, 600_000);

    it("SIGTERM during a slow upload: no new connections, the upload finishes (303), the job stops as interrupted, exit 0; after a restart it resumes", async () => {
      const before = await n(store, "select count(*) as n from incident");
      const server = await startServe(env);
      const b = await signIn(server, password);
      const zip = fs.readFileSync(FIXTURE_SOUTHAMPTON_2025);
      const boundary = "----safecity-test-boundary";
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="southampton.zip"\r\nContent-Type: application/zip\r\n\r\n`);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const half = Math.floor(zip.length / 2);
      const url = new URL(`${server.url}/data/upload?_csrf=${encodeURIComponent(b.csrf)}`);
      const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      let slowRequest: http.ClientRequest | null = null;
      const response = new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(url, {
          method: "POST",
          headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(head.length + zip.length + tail.length), "x-request-id": "slow-upload-1" },
        });
        req.on("response", resolve);
        req.on("error", reject);
        req.write(Buffer.concat([head, zip.subarray(0, half)]));
        slowRequest = req;
      });
      // The server has started writing the upload to disk: the request is in flight.
      const uploads = path.join(dataDir, "uploads");
      await waitFor("the first half of the upload on disk", async () => {
        for (const d of fs.existsSync(uploads) ? fs.readdirSync(uploads) : []) {
          const f = path.join(uploads, d, "southampton.zip");
          if (fs.existsSync(f) && fs.statSync(f).size > 0) return true;
        }
        return false;
      });
      server.child.kill("SIGTERM");
      // No new connections once it is stopping (the listening socket is closed).
      await waitFor("new connections to be refused", async () => {
        try {
          await fetch(`${server.url}/healthz`);
          return false;
        } catch {
          return true;
        }
      });
      expect(server.child.exitCode).toBeNull();
      slowRequest!.end(Buffer.concat([zip.subarray(half), tail]));
      const res = await response;
      res.resume();
      expect(res.statusCode).toBe(303);
      expect(res.headers["x-request-id"]).toBe("slow-upload-1");
      const id = /\/data\/jobs\/([a-f0-9]{12})$/.exec(String(res.headers.location))![1]!;
      const exit = await server.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      const logs = server.logs();
      expect(logs.find((l) => l.msg === "shutting down: finishing requests in flight")).toMatchObject({ signal: "SIGTERM" });
      expect(logs.find((l) => l.msg === "stopped")).toMatchObject({ forced: false });
      expect(logs.find((l) => l.reqId === "slow-upload-1")).toMatchObject({ method: "POST", path: "/data/upload", status: 303 });
      // Secrets never reach the log: not the password, not the session cookie, not the CSRF token.
      const text = server.output();
      expect(text).not.toContain(password);
      for (const v of b.cookies.values()) expect(text).not.toContain(v);
      expect(text).not.toContain(b.csrf);
      expect(text).not.toContain("_csrf=");

      // The job was stopped cleanly: interrupted, its upload kept, the store consistent.
      expect((await store.db.selectFrom("import_job").select("state").where("id", "=", id).executeTakeFirstOrThrow()).state).toBe("interrupted");
      expect(fs.existsSync(path.join(uploads, id, "southampton.zip"))).toBe(true);
      await expectConsistent(store);

      const again = await startServe(env);
      try {
        const b2 = await signIn(again, password);
        expect(await job(b2, id)).toMatchObject({ state: "interrupted", resumable: true });
        expect((await b2.post(`/data/jobs/${id}/resume`, {})).res.status).toBe(303);
        const done = await waitFor("the resumed job to finish", async () => {
          const j = await job(b2, id);
          return j.state === "finished" || j.state === "failed" ? j : null;
        });
        expect(done.state).toBe("finished");
        await expectConsistent(store);
        expect(await n(store, "select count(*) as n from incident")).toBe(before + fixtureRows);
      } finally {
        again.child.kill("SIGTERM");
        expect((await again.exited).code).toBe(0);
      }
    }, 600_000);
  });
}
