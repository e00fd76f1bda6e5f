import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../src/db/database.ts";
import { insertImportJob } from "../src/db/repositories/import-job.repository.ts";
import { createRunningImport } from "../src/db/repositories/import-register.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { childProcessRunner, ImportJobs } from "../src/services/import-job.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { FIXTURE_MONTHS_2025, FIXTURE_SOUTHAMPTON_2025, fixtureStreetLines } from "./support/shared-data.ts";

/**
 * Durable upload jobs (issue 10 item 3), with the state a server killed mid-import leaves behind
 * written directly: a job row `running`, its upload folder, a register entry `running` for the
 * file the dead import process had open, and a stray upload folder. A new `ImportJobs` on the same
 * store is the restarted server. (test/serve-restart.test.ts does the same with real processes.)
 */
const cli = { label: "cli:test", ip: null };
const rows = (await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).map((lines) => lines.length - 1);
const total = rows.reduce((a, b) => a + b, 0);
const clock = new Date("2026-02-01T10:00:00Z");

async function n(store: Store, query: string): Promise<number> {
  return Number((await sql.raw<{ n: number }>(query).execute(store.db)).rows[0]!.n);
}

/** A job row as `submit()` writes it, already `running`, with the fixture zip in its upload folder. */
async function leaveRunningJob(store: Store, uploadDir: string, id: string, withFile = true): Promise<void> {
  const dir = path.join(uploadDir, id);
  fs.mkdirSync(dir, { recursive: true });
  if (withFile) fs.copyFileSync(FIXTURE_SOUTHAMPTON_2025, path.join(dir, "southampton.zip"));
  await insertImportJob(store, {
    id,
    state: "running",
    created_by: "analyst@council.gov.uk",
    created_at: "2026-02-01T09:00:00.000Z",
    started_at: "2026-02-01T09:00:01.000Z",
    skip_invalid: 0,
    uploads: JSON.stringify([{ name: "southampton.zip", bytes: fs.statSync(FIXTURE_SOUTHAMPTON_2025).size, file: "southampton.zip" }]),
    progress: JSON.stringify({ file: null, fileIndex: 0, fileCount: 0, bytesDone: 0, bytesTotal: 0, rows: 0 }),
  });
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`durable import jobs across a restart on ${dialect}`, () => {
    let store: TestStore;
    let uploadDir: string;
    let password = "";
    let viewerPassword = "";

    beforeAll(async () => {
      store = await openTestStore(dialect);
      uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-durable-"));
      password = (await createUser(store, { email: "analyst@council.gov.uk", name: "Analyst", role: "analyst" }, cli, clock)).generatedPassword!;
      viewerPassword = (await createUser(store, { email: "viewer@council.gov.uk", name: "Viewer", role: "viewer" }, cli, clock)).generatedPassword!;
    });
    afterAll(async () => {
      await store?.destroy();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    });

    it("marks the interrupted job and its unfinished file at start, removes stray folders, shows it, resumes it to a consistent store", async () => {
      await leaveRunningJob(store, uploadDir, "aaaaaaaaaaaa");
      await createRunningImport(store, { fileName: "southampton.zip:2025-02/2025-02-hampshire-street.csv", force: "hampshire", month: "2025-02", startedAt: "2026-02-01T09:00:02.000Z", importedBy: "analyst@council.gov.uk" });
      fs.mkdirSync(path.join(uploadDir, "0123456789ab"));
      fs.writeFileSync(path.join(uploadDir, "0123456789ab", "half.csv"), "Crime ID,Month\n");

      // The restart.
      const jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 10 * 1024 * 1024, now: () => clock });
      const recovered = await jobs.recover();
      expect(recovered).toEqual({ interruptedJobs: ["aaaaaaaaaaaa"], interruptedFiles: 1, removedFolders: ["0123456789ab"] });
      expect(fs.readdirSync(uploadDir)).toEqual(["aaaaaaaaaaaa"]);
      expect(await n(store, "select count(*) as n from import_file where status = 'running'")).toBe(0);
      expect(await n(store, "select count(*) as n from import_file where status = 'interrupted'")).toBe(1);
      const job = (await jobs.get("aaaaaaaaaaaa"))!;
      expect(job).toMatchObject({ state: "interrupted", resumable: true, finishedAt: clock.toISOString(), error: { code: "import.interrupted" } });

      // The Data page and the job page say so; an analyst gets Resume and Discard, a viewer does not.
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      const analyst = new TestBrowser(app);
      expect((await analyst.signIn("analyst@council.gov.uk", password)).res.status).toBe(303);
      const data = await analyst.get("/data");
      expect(data.html).toContain('data-testid="interrupted-jobs"');
      expect(data.html).toContain("An upload was interrupted when the server stopped.");
      expect(data.html).toContain('data-testid="resume-aaaaaaaaaaaa"');
      const jobPage = await analyst.get("/data/jobs/aaaaaaaaaaaa");
      expect(jobPage.res.status).toBe(200);
      expect(jobPage.html).toContain("This import was interrupted when the server stopped.");
      expect(jobPage.html).toContain('data-job-state="interrupted"');

      // Resume: the job runs again from the kept file; afterwards the store holds exactly the fixture.
      const resumed = await analyst.post("/data/jobs/aaaaaaaaaaaa/resume", {});
      expect(resumed.res.status).toBe(303);
      expect(resumed.res.headers.get("location")).toBe("/data/jobs/aaaaaaaaaaaa");
      await jobs.idle();
      const done = (await jobs.get("aaaaaaaaaaaa"))!;
      expect(done.error, JSON.stringify(done.error)).toBeNull();
      expect(done.state).toBe("finished");
      expect(done.report!.files.map((f) => [f.status, f.rows])).toEqual(rows.map((r) => ["imported", r]));
      expect(fs.existsSync(path.join(uploadDir, "aaaaaaaaaaaa"))).toBe(false);
      expect(await n(store, "select count(*) as n from incident")).toBe(total);
      expect(await n(store, "select coalesce(sum(n), 0) as n from rollup")).toBe(total);
      expect(await n(store, "select coalesce(sum(rows), 0) as n from import_file where status = 'imported'")).toBe(total);
      expect(await n(store, "select count(*) as n from import_file where status = 'running'")).toBe(0);
      expect((await analyst.get("/data")).html).not.toContain('data-testid="interrupted-jobs"');
      // Resuming twice is refused with the reason.
      const again = await analyst.post("/data/jobs/aaaaaaaaaaaa/resume", {});
      expect(again.res.status).toBe(400);
      expect(again.html).toContain("is finished, not interrupted");
    });

    it("discards an interrupted job (files removed, nothing imported changes); one whose files are gone cannot be resumed", async () => {
      await leaveRunningJob(store, uploadDir, "bbbbbbbbbbbb");
      await leaveRunningJob(store, uploadDir, "cccccccccccc", false);
      const before = await n(store, "select count(*) as n from incident");
      const jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 10 * 1024 * 1024, now: () => clock });
      expect((await jobs.recover()).interruptedJobs.sort()).toEqual(["bbbbbbbbbbbb", "cccccccccccc"]);
      expect((await jobs.get("cccccccccccc"))!.resumable).toBe(false);
      await expect(jobs.resume("cccccccccccc")).rejects.toThrow("its uploaded files are no longer on the server");

      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      const analyst = new TestBrowser(app);
      await analyst.signIn("analyst@council.gov.uk", password);
      const page = await analyst.get("/data");
      expect(page.html).toContain("2 uploads were interrupted");
      expect(page.html).toContain("so it cannot be resumed");
      expect(page.html).not.toContain('data-testid="resume-cccccccccccc"');
      const discarded = await analyst.post("/data/jobs/bbbbbbbbbbbb/discard", {});
      expect(discarded.res.status).toBe(303);
      expect(discarded.res.headers.get("location")).toBe("/data?done=discarded");
      expect(fs.existsSync(path.join(uploadDir, "bbbbbbbbbbbb"))).toBe(false);
      expect((await jobs.get("bbbbbbbbbbbb"))!.state).toBe("discarded");
      await analyst.get("/data");
      await analyst.post("/data/jobs/cccccccccccc/discard", {});
      expect(await n(store, "select count(*) as n from incident")).toBe(before);
      const after = await analyst.get("/data?done=discarded");
      expect(after.html).toContain("The interrupted upload was discarded.");
      expect(after.html).not.toContain('data-testid="interrupted-jobs"');
    });

    it("a viewer sees an interrupted job but gets no buttons, and is refused the POST", async () => {
      await leaveRunningJob(store, uploadDir, "dddddddddddd");
      const jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 10 * 1024 * 1024, now: () => clock });
      await jobs.recover();
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      const viewer = new TestBrowser(app);
      expect((await viewer.signIn("viewer@council.gov.uk", viewerPassword)).res.status).toBe(303);
      const page = await viewer.get("/data");
      expect(page.html).toContain('data-testid="interrupted-dddddddddddd"');
      expect(page.html).not.toContain('data-testid="resume-dddddddddddd"');
      expect((await viewer.post("/data/jobs/dddddddddddd/resume", {})).res.status).toBe(403);
      expect((await jobs.get("dddddddddddd"))!.state).toBe("interrupted");
    });

    it("the API resumes and discards interrupted jobs (session + CSRF header), and refuses other states with the reason", async () => {
      await leaveRunningJob(store, uploadDir, "eeeeeeeeeeee");
      await leaveRunningJob(store, uploadDir, "ffffffffffff");
      const jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 10 * 1024 * 1024, now: () => clock });
      await jobs.recover();
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      const b = new TestBrowser(app);
      await b.signIn("analyst@council.gov.uk", password);
      await b.get("/data");
      const post = (p: string) =>
        app.request(`http://localhost${p}`, { method: "POST", headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "x-csrf-token": b.csrf } });
      const discarded = await post("/api/v1/imports/jobs/ffffffffffff/discard");
      expect(discarded.status).toBe(200);
      expect(await discarded.json()).toMatchObject({ id: "ffffffffffff", state: "discarded", resumable: false });
      const resumed = await post("/api/v1/imports/jobs/eeeeeeeeeeee/resume");
      expect(resumed.status).toBe(202);
      const body = (await resumed.json()) as { id: string; state: string };
      expect(body.id).toBe("eeeeeeeeeeee");
      expect(["queued", "running"]).toContain(body.state);
      await jobs.idle();
      expect((await jobs.get("eeeeeeeeeeee"))!.state).toBe("finished");
      const refused = await post("/api/v1/imports/jobs/ffffffffffff/resume");
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("Upload ffffffffffff is discarded, not interrupted: there is nothing to resume.");
      expect((await post("/api/v1/imports/jobs/0123456789ab/discard")).status).toBe(404);
    });

    it("pages the import register 50 at a time with GOV.UK pagination; a page past the end reads as the last", async () => {
      const existing = await n(store, "select count(*) as n from import_file");
      for (let i = 0; i < 120 - existing; i++) {
        await store.db
          .insertInto("import_file")
          .values({ file_name: `file-${i}.csv`, force_slug: "hampshire", month: "2024-01", sha256: `x${i}`, status: "rejected", started_at: clock.toISOString(), imported_by: "t" })
          .execute();
      }
      const jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 1024, now: () => clock });
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      const b = new TestBrowser(app);
      await b.signIn("viewer@council.gov.uk", viewerPassword);
      const ids = (html: string) => [...html.matchAll(/href="\/data\/imports\/(\d+)"/g)].map((m) => Number(m[1]));
      const first = await b.get("/data");
      expect(ids(first.html)).toHaveLength(50);
      expect(first.html).toContain("Entries 1 to 50 of 120, most recent first.");
      expect(first.html).toContain('aria-label="Import register pages"');
      expect(first.html).toContain('href="/data?page=2#register" rel="next"');
      expect(first.html).not.toContain('rel="prev"');
      const second = await b.get("/data?page=2");
      expect(second.html).toContain("Entries 51 to 100 of 120");
      expect(second.html).toMatch(/govuk-pagination__item--current"><a class="govuk-link govuk-pagination__link" href="\/data\?page=2#register" aria-label="Page 2" aria-current="page"/);
      expect(Math.max(...ids(second.html))).toBeLessThan(Math.min(...ids(first.html)));
      const last = await b.get("/data?page=99");
      expect(last.html).toContain("Entries 101 to 120 of 120");
      expect(ids(last.html)).toHaveLength(20);
      expect(last.html).not.toContain('rel="next"');
      expect((await b.get("/data?page=abc")).html).toContain("Entries 1 to 50 of 120");
    });
  });
}
