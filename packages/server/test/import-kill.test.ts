import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../src/db/database.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { SAFECITY_BIN, runCli } from "./support/cli.ts";
import { ALL_FORCES_2025_01, needsSharedData } from "./support/shared-data.ts";

/** The roll-up as a sorted list of "lsoa|type|month=n": equal lists mean exactly equal counts. */
async function rollupFingerprint(store: Store): Promise<string[]> {
  const rows = await sql<{ k: string; n: number }>`
    select lsoa_code || '|' || crime_type_id || '|' || month as k, sum(n) as n from rollup group by lsoa_code, crime_type_id, month`.execute(store.db);
  return rows.rows.map((r) => `${r.k}=${Number(r.n)}`).sort();
}

async function count(store: Store, query: string): Promise<number> {
  return Number((await sql.raw<{ n: number }>(query).execute(store.db)).rows[0]!.n);
}

// Killing an import mid-file needs an archive of many large files: the all-forces January (41 files, 318,117 rows).
const noData = needsSharedData("killing an import mid-file needs the all-forces archive in ../shared/data");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip || noData)(`an import killed with SIGKILL on ${dialect}`, () => {
    let killed: TestStore;
    let clean: TestStore;
    beforeAll(async () => {
      killed = await openTestStore(dialect);
      clean = await openTestStore(dialect);
    });
    afterAll(async () => {
      await killed?.destroy();
      await clean?.destroy();
    });

    it("leaves nothing half-written; running it again gives exactly the uninterrupted counts", async () => {
      const child = spawn(process.execPath, [SAFECITY_BIN, "import", ALL_FORCES_2025_01, "--json"], {
        env: { ...process.env, ...killed.env },
        stdio: "ignore",
      });
      // Kill it in the middle of a file: some files committed, one running.
      let state = { imported: 0, running: 0 };
      for (let i = 0; i < 1200 && !(state.imported >= 3 && state.running === 1); i++) {
        await sleep(25);
        state = {
          imported: await count(killed, "select count(*) as n from import_file where status = 'imported'"),
          running: await count(killed, "select count(*) as n from import_file where status = 'running'"),
        };
      }
      expect(state.running, "the import was caught mid-file").toBe(1);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.on("close", resolve));

      // What survived is whole files only.
      const committedRows = await count(killed, "select coalesce(sum(rows), 0) as n from import_file where status = 'imported'");
      const committedFiles = await count(killed, "select count(*) as n from import_file where status = 'imported'");
      expect(await count(killed, "select count(*) as n from incident")).toBe(committedRows);
      expect(await count(killed, "select coalesce(sum(n), 0) as n from rollup")).toBe(committedRows);
      expect(committedRows).toBeGreaterThan(0);
      expect(committedRows).toBeLessThan(318_117);

      const rerun = await runCli(["import", ALL_FORCES_2025_01, "--json"], killed.env);
      expect(rerun.code, rerun.stderr).toBe(0);
      const report = JSON.parse(rerun.stdout);
      expect(report.interruptedEarlier).toBe(1);
      expect(report.files.filter((f: { status: string }) => f.status === "already imported")).toHaveLength(committedFiles);

      const uninterrupted = await runCli(["import", ALL_FORCES_2025_01, "--json"], clean.env);
      expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
      expect(await count(killed, "select count(*) as n from incident")).toBe(318_117);
      expect(await rollupFingerprint(killed)).toEqual(await rollupFingerprint(clean));
      const statuses = await killed.db.selectFrom("import_file").select("status").execute();
      expect(statuses.filter((s) => s.status === "interrupted")).toHaveLength(1);
      expect(statuses.filter((s) => s.status === "running")).toHaveLength(0);
      // three imports of the all-forces archive: sized for a busy 2-core machine
    }, 300_000);
  });
}
