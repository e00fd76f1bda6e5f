import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ImportJobSchema } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { childProcessRunner, ImportJobs } from "../src/services/import-job.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { fixtureStreetLines } from "./support/shared-data.ts";
import { dataSnapshot } from "./support/store-snapshot.ts";

/**
 * Issue 11 item 6 on the Data page (decision 0017): an upload that would replace a force-month with
 * under half its rows is refused with the counts and a "Replace anyway" button; the register's Undo
 * restores the replaced version. Both are for analysts and administrators, need the CSRF token and
 * are audited.
 */
const cli = { label: "cli:test", ip: null };
const BASE = "http://localhost";
const LIMIT = 4 * 1024 * 1024;

function cookieHeader(b: TestBrowser): string {
  return [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

const lines = await fixtureStreetLines("2025-01");
const fullCsv = `${lines.join("\n")}\n`;
const shortCsv = `${lines.slice(0, 50).join("\n")}\n`;
const fullRows = lines.length - 1;

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`Replace anyway and Undo on the Data page on ${dialect}`, () => {
    let store: TestStore;
    let app: ReturnType<typeof createApp>;
    let jobs: ImportJobs;
    let uploadDir: string;
    const passwords: Record<string, string> = {};
    const clock = new Date("2026-02-01T10:00:00Z");

    async function signedIn(email: string): Promise<TestBrowser> {
      const b = new TestBrowser(app);
      const { res } = await b.signIn(email, passwords[email]!);
      expect(res.status).toBe(303);
      await b.get("/data");
      return b;
    }

    async function upload(b: TestBrowser, name: string, content: string): Promise<string> {
      const fd = new FormData();
      fd.append("files", new File([content], name, { type: "text/csv" }));
      const res = await app.request(`${BASE}/data/upload?_csrf=${encodeURIComponent(b.csrf)}`, {
        method: "POST",
        headers: { cookie: cookieHeader(b), origin: BASE },
        body: fd,
      });
      expect(res.status).toBe(303);
      await jobs.idle();
      return res.headers.get("location")!;
    }

    beforeAll(async () => {
      store = await openTestStore(dialect);
      uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-replace-uploads-"));
      jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: LIMIT });
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      for (const [email, role] of [
        ["analyst@council.gov.uk", "analyst"],
        ["viewer@council.gov.uk", "viewer"],
      ] as const) {
        passwords[email] = (await createUser(store, { email, name: role, role }, cli, clock)).generatedPassword!;
      }
    });
    afterAll(async () => {
      await jobs?.idle();
      await store?.destroy();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    });

    let fullId = 0;
    let shortJob = "";
    let shortId = 0;

    it("refuses an upload with under half the rows of the month it replaces: the counts, Replace anyway, nothing changed", async () => {
      const analyst = await signedIn("analyst@council.gov.uk");
      const first = await upload(analyst, "2025-01-hampshire-street.csv", fullCsv);
      const firstJob = ImportJobSchema.parse(await jobs.get(first.split("/").pop()!));
      expect(firstJob.report!.files.map((f) => [f.status, f.rows])).toEqual([["imported", fullRows]]);
      fullId = firstJob.report!.files[0]!.importId!;
      const before = await dataSnapshot(store);

      const jobPath = await upload(analyst, "2025-01-hampshire-street.csv", shortCsv);
      shortJob = jobPath.split("/").pop()!;
      const { html } = await analyst.get(jobPath);
      expect(html).toContain('data-testid="refused-files"');
      expect(html).toContain(`2025-01-hampshire-street.csv: 49 rows would replace ${fullRows.toLocaleString("en-GB")} rows (import ${fullId}) for hampshire 2025-01`);
      expect(html).toContain('data-testid="replace-anyway"');
      expect(html).toContain(`action="/data/jobs/${shortJob}/replace"`);
      expect(await dataSnapshot(store)).toEqual(before);
      // The upload is kept for the confirmation.
      expect(fs.readdirSync(path.join(uploadDir, shortJob))).toHaveLength(1);
      expect(ImportJobSchema.parse(await jobs.get(shortJob)).replaceable).toBe(true);
    });

    it("keeps Replace anyway from viewers and from posts without the CSRF token", async () => {
      const before = await dataSnapshot(store);
      const viewer = await signedIn("viewer@council.gov.uk");
      const { html } = await viewer.get(`/data/jobs/${shortJob}`);
      expect(html).toContain('data-testid="refused-files"');
      expect(html).not.toContain('data-testid="replace-anyway"');
      expect((await viewer.post(`/data/jobs/${shortJob}/replace`, {})).res.status).toBe(403);
      const analyst = await signedIn("analyst@council.gov.uk");
      expect((await analyst.post(`/data/jobs/${shortJob}/replace`, { _csrf: null })).res.status).toBe(403);
      await jobs.idle();
      expect(await dataSnapshot(store)).toEqual(before);
    });

    it("Replace anyway imports the kept upload with replace: the 49 rows go in, the upload is removed", async () => {
      const analyst = await signedIn("analyst@council.gov.uk");
      await analyst.get(`/data/jobs/${shortJob}`);
      const { res } = await analyst.post(`/data/jobs/${shortJob}/replace`, {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/data/jobs/${shortJob}`);
      await jobs.idle();
      const job = ImportJobSchema.parse(await jobs.get(shortJob));
      expect(job.replace).toBe(true);
      expect(job.report!.files.map((f) => [f.status, f.rows])).toEqual([["replaced", 49]]);
      shortId = job.report!.files[0]!.importId!;
      expect((await dataSnapshot(store)).incidents).toBe(49);
      expect(fs.existsSync(path.join(uploadDir, shortJob))).toBe(false);
      // A second confirmation has nothing left to do.
      await analyst.get(`/data/jobs/${shortJob}`);
      expect((await analyst.post(`/data/jobs/${shortJob}/replace`, {})).res.status).toBe(400);
    });

    it("shows Undo on the replacing import to analysts only; viewers and posts without CSRF are refused", async () => {
      const viewer = await signedIn("viewer@council.gov.uk");
      const { html: viewerPage } = await viewer.get("/data");
      expect(viewerPage).not.toContain(`data-testid="undo-${shortId}"`);
      expect((await viewer.post(`/data/imports/${shortId}/undo`, {})).res.status).toBe(403);
      const analyst = await signedIn("analyst@council.gov.uk");
      const { html } = await analyst.get("/data");
      expect(html).toContain(`data-testid="undo-${shortId}"`);
      expect(html).toContain(`action="/data/imports/${shortId}/undo"`);
      // Only the import that replaced a version can be undone.
      expect(html).not.toContain(`data-testid="undo-${fullId}"`);
      expect((await analyst.post(`/data/imports/${shortId}/undo`, { _csrf: null })).res.status).toBe(403);
      expect((await dataSnapshot(store)).incidents).toBe(49);
    });

    it("Undo restores the replaced month, is audited, and can itself be undone from the register", async () => {
      const analyst = await signedIn("analyst@council.gov.uk");
      await analyst.get("/data");
      const { res } = await analyst.post(`/data/imports/${shortId}/undo`, {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/data?done=undone#register");
      expect((await dataSnapshot(store)).incidents).toBe(fullRows);
      expect((await dataSnapshot(store)).rollupTotal).toBe(fullRows);
      const audit = await store.db.selectFrom("audit_log").selectAll().where("action", "=", "import.undo").execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: "analyst@council.gov.uk", target: `import:${shortId}` });
      const { html } = await analyst.get("/data?done=undone");
      expect(html).toContain("The import was undone");
      expect(html).toContain(`data-testid="undo-${fullId}"`);
      expect(html).not.toContain(`data-testid="undo-${shortId}"`);
      // Undoing a superseded import is refused with the reason.
      const stale = await analyst.post(`/data/imports/${shortId}/undo`, {});
      expect(stale.res.status).toBe(400);
      expect(stale.html).toContain("not the current version");
      expect((await analyst.post(`/data/imports/${fullId}/undo`, {})).res.status).toBe(303);
      expect((await dataSnapshot(store)).incidents).toBe(49);
    });
  });
}
