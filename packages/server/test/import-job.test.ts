import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childProcessRunner, ImportJobs } from "../src/services/import-job.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { FIXTURE_MONTHS_2025, FIXTURE_SOUTHAMPTON_2025, HAMPSHIRE_2025, fixtureStreetLines, needsSharedData } from "./support/shared-data.ts";

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`background import jobs on ${dialect}`, () => {
    let store: TestStore;
    let uploadDir: string;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-jobs-"));
    });
    afterAll(async () => {
      await store?.destroy();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    });

    it("imports the Southampton fixture in a child process: every file, every row the CSV lines hold, the upload folder removed", async () => {
      const rows = (await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).map((lines) => lines.length - 1);
      // A store of its own: the Hampshire test below expects to import these months first.
      const own = await openTestStore(dialect);
      try {
        const jobs = new ImportJobs({ store: own, runner: childProcessRunner({ ...process.env, ...own.env }), uploadDir, limitBytes: 10 * 1024 * 1024 });
        const { id, dir } = jobs.reserve();
        const file = path.join(dir, "southampton.zip");
        fs.copyFileSync(FIXTURE_SOUTHAMPTON_2025, file);
        const job = await jobs.submit(id, dir, { user: "analyst@council.gov.uk", uploads: [{ name: "southampton.zip", path: file, bytes: fs.statSync(file).size }] });
        await jobs.idle();
        expect(job.error).toBeNull();
        expect(job.state).toBe("finished");
        expect(job.report!.files.map((f) => [f.status, f.rows])).toEqual(rows.map((n) => ["imported", n]));
        expect(job.progress.rows).toBe(rows.reduce((a, b) => a + b, 0));
        expect(job.progress.bytesDone).toBe(job.progress.bytesTotal);
        expect(fs.existsSync(dir)).toBe(false);
      } finally {
        await own.destroy();
      }
    });

    // Catching the child mid-file needs a long import: the whole Hampshire year.
    it.skipIf(needsSharedData("a long enough import to write during needs the Hampshire 2025 archive in ../shared/data"))("imports Hampshire 2025 in a child process with rising progress, while the server's own store can still write", async () => {
      const jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 100 * 1024 * 1024 });
      const { id, dir } = jobs.reserve();
      const file = path.join(dir, "hampshire-2025.zip");
      fs.copyFileSync(HAMPSHIRE_2025, file);
      const job = await jobs.submit(id, dir, { user: "analyst@council.gov.uk", uploads: [{ name: "hampshire-2025.zip", path: file, bytes: fs.statSync(file).size }] });
      expect(["queued", "running"]).toContain(job.state);

      const seen: number[] = [];
      while (job.progress.rows < 20_000 && job.state !== "finished" && job.state !== "failed") {
        await new Promise((r) => setTimeout(r, 25));
        if (seen.at(-1) !== job.progress.bytesDone) seen.push(job.progress.bytesDone);
      }
      expect(job.state).toBe("running");
      // A write on the request store while a file's transaction is open in the child: on SQLite an
      // in-process import would hold the lock while this busy-waits (the wait blocks the thread that
      // would finish it) and fail at the timeout; in a child process it waits for that file's commit.
      // The wait allowed is raised from the store's 5 s so that a file's transaction on a busy machine
      // (several seconds at load 8) does not decide the result: no speed is asserted.
      if (store.sqlite) store.sqlite.pragma("busy_timeout = 120000");
      await createUser(store, { email: "during@council.gov.uk", name: "During", role: "viewer" }, { label: "test", ip: null }, new Date());

      await jobs.idle();
      expect(job.error).toBeNull();
      expect(job.state).toBe("finished");
      expect(job.report!.totals.rows).toBe(164_975);
      expect(job.report!.files.map((f) => f.status)).toEqual(new Array(12).fill("imported"));
      expect(job.progress.bytesDone).toBe(job.progress.bytesTotal);
      expect(job.progress.rows).toBe(164_975);
      expect(seen.length).toBeGreaterThan(1);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(fs.existsSync(dir)).toBe(false);
    }, 300_000);

    it("reports a job whose upload is not a readable archive as failed, with the importer's message", async () => {
      const jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: 1024 * 1024 });
      const { id, dir } = jobs.reserve();
      const file = path.join(dir, "broken.zip");
      fs.writeFileSync(file, "this is not a zip archive");
      const job = await jobs.submit(id, dir, { user: "analyst@council.gov.uk", uploads: [{ name: "broken.zip", path: file, bytes: 25 }] });
      await jobs.idle();
      expect(job.state).toBe("failed");
      expect(job.error!.code).toBe("import.bad_archive");
      expect(job.error!.message).toContain("broken.zip");
    });
  });
}
