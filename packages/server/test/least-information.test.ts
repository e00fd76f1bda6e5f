import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/db/database.ts";
import { createApp } from "../src/http/app.tsx";
import { saveMultipart } from "../src/http/multipart-upload.ts";
import { ImportJobs, childProcessRunner } from "../src/services/import-job.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { installReference } from "../src/services/reference.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { runCli } from "./support/cli.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025, realStreetLines } from "./support/shared-data.ts";

/**
 * Issue 16, item 8: no server paths in what the web app shows, owner-only database and upload
 * files, a read-only data folder explained in one line, and impossible periods refused.
 */
const BASE = "http://localhost";
const cli = { label: "cli:test", ip: null };
const clock = new Date("2026-02-01T10:00:00Z");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-least-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe("owner-only files (SQLite, uploads)", () => {
  it("creates the data folder 0700 and the database, WAL and shared-memory files 0600", async () => {
    const file = path.join(tmp, "new-data", "sub", "safecity.db");
    const store = await openStore({ databaseUrl: null, sqlitePath: file });
    try {
      await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test" });
      expect(mode(path.dirname(file))).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
    } finally {
      await store.close();
    }
    // An existing database opened again is made owner-only too.
    fs.chmodSync(file, 0o644);
    const again = await openStore({ databaseUrl: null, sqlitePath: file });
    await again.close();
    expect(mode(file)).toBe(0o600);
  });

  it("saves uploads 0600 in a 0700 folder", async () => {
    const dir = path.join(tmp, "upload-job");
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const boundary = "----b";
    const body = `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="a.csv"\r\n\r\nx,y\n1,2\n\r\n--${boundary}--\r\n`;
    const req = new Request("http://localhost/data/upload", { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body });
    const { files } = await saveMultipart(req, { dir, limitBytes: 1024 * 1024, extensions: [".csv"] });
    expect(mode(dir)).toBe(0o700);
    expect(mode(files[0]!.path)).toBe(0o600);
  });
});

/** Makes `dir` read-only for this process: a read-only tmpfs over it as root (root ignores modes), else chmod. */
function makeReadOnly(dir: string): () => void {
  if (process.getuid?.() === 0) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-ro-copy-"));
    fs.cpSync(dir, copy, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", dir]);
    fs.cpSync(copy, dir, { recursive: true });
    execFileSync("mount", ["-o", "remount,ro", dir]);
    fs.rmSync(copy, { recursive: true, force: true });
    return () => execFileSync("umount", [dir]);
  }
  fs.chmodSync(dir, 0o500);
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o400);
  return () => fs.chmodSync(dir, 0o700);
}

describe("a read-only data folder", () => {
  it("is one line at the command line (exit 5, the folder and what to do), not a stack trace", async () => {
    const dir = path.join(tmp, "ro-data");
    const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, "safecity.db") });
    await store.close();
    const undo = makeReadOnly(dir);
    try {
      expect(() => fs.writeFileSync(path.join(dir, "probe"), "x")).toThrow();
      const r = await runCli(["counts", "--area", "Southampton"], { SAFECITY_DATA_DIR: dir, DATABASE_URL: "" });
      expect(r.code).toBe(5);
      const lines = r.stderr.trim().split("\n");
      expect(lines[0]).toMatch(new RegExp(`^error: The data folder ${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} cannot be written \\((EROFS|EACCES|SQLITE_[A-Z_]+): read-only or no permission for this account\\)\\.$`));
      expect(lines[1]).toMatch(/^hint: give the account running Safe City write access to it/);
      expect(lines).toHaveLength(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      undo();
    }
  }, 120_000);
});

const lines = await realStreetLines(10);

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`least information in the web app on ${dialect}`, () => {
    let store: TestStore;
    let app: ReturnType<typeof createApp>;
    let jobs: ImportJobs;
    let uploadDir: string;
    let password = "";

    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => clock });
      await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test", now: () => clock });
      uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-least-uploads-"));
      jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 10 * 1024 * 1024 });
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      password = (await createUser(store, { email: "analyst@council.gov.uk", name: "Analyst", role: "analyst" }, cli, clock)).generatedPassword!;
    }, 180_000);
    afterAll(async () => {
      await jobs?.idle();
      await store?.destroy();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    });

    it("shows no server path after an upload: job page, Data page, register and job API name the file only", async () => {
      const b = new TestBrowser(app);
      await b.signIn("analyst@council.gov.uk", password);
      await b.get("/data");
      const boundary = "----least";
      const csv = lines.join("\n").replaceAll("2025-01", "2024-12");
      const body = `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="2024-12-hampshire-street.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
      const res = await app.request(`${BASE}/data/upload?_csrf=${encodeURIComponent(b.csrf)}`, {
        method: "POST",
        headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": `multipart/form-data; boundary=${boundary}` },
        body,
      });
      expect(res.status).toBe(303);
      const jobPath = res.headers.get("location")!;
      await jobs.idle();
      const id = jobPath.split("/").pop()!;
      const job = await jobs.get(id);
      expect(job?.report?.files[0]).toMatchObject({ file: "2024-12-hampshire-street.csv", status: "imported" });
      const shown = [
        (await b.get(jobPath)).html,
        (await b.get("/data")).html,
        (await b.get("/api/v1/imports", { "x-csrf-token": b.csrf })).html,
        (await b.get(`/api/v1/imports/jobs/${id}`)).html,
        (await b.get("/api/v1/status")).html,
        (await b.get("/")).html,
        await (await app.request(`${BASE}/healthz`)).text(),
      ];
      for (const text of shown) {
        expect(text).not.toContain(uploadDir);
        expect(text).not.toContain(os.tmpdir());
        expect(text).not.toContain("safecity.db");
        // the CLI-imported fixture is named by its archive, never its folder on this server
        expect(text).not.toContain(path.dirname(FIXTURE_SOUTHAMPTON_2025));
      }
      expect(shown[2]).toContain(`"${path.basename(FIXTURE_SOUTHAMPTON_2025)}:2025-01/2025-01-hampshire-street.csv"`);
      expect(shown[1]).toContain("2024-12-hampshire-street.csv");
    });

    it("refuses from=9999-01 like any impossible period: the API 400, the page a field error", async () => {
      const b = new TestBrowser(app);
      await b.signIn("analyst@council.gov.uk", password);
      for (const q of ["from=9999-01&to=9999-12", "from=2025-04&to=2025-06"]) {
        const { res, html } = await b.get(`/api/v1/counts?area=Southampton&${q}`);
        expect(res.status, q).toBe(400);
        const err = JSON.parse(html).error as { code: string; message: string };
        expect(err.code).toBe("input.invalid");
        expect(err.message).toMatch(/is after 2025-03, the latest month of police data loaded$/);
      }
      const page = await b.get("/overview?area=Southampton&from=9999-01&to=9999-12");
      expect(page.res.status).toBe(400);
      expect(page.html).toContain("is after 2025-03, the latest month of police data loaded");
      expect((await b.get("/api/v1/counts?area=Southampton&from=2025-03&to=2025-06")).res.status).toBe(200);
    });
  });
}
