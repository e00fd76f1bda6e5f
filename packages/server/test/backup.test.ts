import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { canonicalJson } from "@safecity/core";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/db/database.ts";
import { KNOWN_MIGRATIONS } from "../src/db/migrate.ts";
import { storeCounts } from "../src/db/repositories/backup.repository.ts";
import { assessArea } from "../src/services/assessment.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "./support/shared-data.ts";

/**
 * `safecity backup` / `safecity restore` (issue 10 item 4) through the real CLI, and the
 * forward-only migration check: a store with a migration this code does not know is refused.
 */
const when = new Date("2026-01-01T00:00:00Z");
const QUERY = { area: "Southampton", from: "2025-01", to: "2025-03" } as const;
const NEWER = "9999-from-the-future";

function withoutTimings(doc: { timings: unknown }): string {
  const { timings: _t, ...rest } = doc;
  return canonicalJson(rest);
}

describe("backup and restore of a SQLite store", () => {
  let source: TestStore;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-backup-"));
  afterAll(async () => {
    await source?.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeAll(async () => {
    source = await openTestStore("sqlite");
    await installReference(source, FIXTURE_REFERENCE_DIR, { now: () => when });
    await importPoliceData(source, [FIXTURE_SOUTHAMPTON_2025], { user: "test", now: () => when });
    await createUser(source, { email: "admin@council.gov.uk", name: "Admin", role: "admin" }, { label: "cli:test", ip: null }, when);
  }, 180_000);

  it("backup then restore into a new data folder reproduces the same counts and the same assessment document", async () => {
    const file = path.join(tmp, "safecity-backup.db");
    const backup = await runCli(["backup", "--out", file, "--json"], source.env);
    expect(backup.code, backup.stderr).toBe(0);
    const report = JSON.parse(backup.stdout);
    expect(report.migration).toBe(KNOWN_MIGRATIONS.at(-1));
    expect(report.counts.incidents).toBeGreaterThan(0);

    const into = path.join(tmp, "restored");
    const restore = await runCli(["restore", "--from", file, "--json"], { SAFECITY_DATA_DIR: into, DATABASE_URL: "" });
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await openStore({ databaseUrl: null, sqlitePath: path.join(into, "safecity.db") });
    try {
      const expected = await storeCounts(source);
      expect(expected.incidents).toBeGreaterThan(0);
      expect(expected.referenceDatasets).toBeGreaterThan(0);
      expect(await storeCounts(restored)).toEqual(expected);
      expect(JSON.parse(restore.stdout).counts).toEqual(expected);
      const before = await assessArea(source, QUERY);
      const after = await assessArea(restored, QUERY);
      expect(before.vintage.imports.length).toBeGreaterThan(0);
      expect(withoutTimings(after)).toBe(withoutTimings(before));
    } finally {
      await restored.close();
    }

    // A second restore over the now non-empty store is refused unless --force; the store is unchanged.
    const again = await runCli(["restore", "--from", file], { SAFECITY_DATA_DIR: into, DATABASE_URL: "" });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already holds data");
    expect(again.stderr).toContain("--force");
    const forced = await runCli(["restore", "--from", file, "--force"], { SAFECITY_DATA_DIR: into, DATABASE_URL: "" });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^Restored .* migration \S+: \d+ incidents/);
    // --out refuses to overwrite an existing file.
    const over = await runCli(["backup", "--out", file], source.env);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain("already exists");
  }, 300_000);

  it("refuses a file that is not a Safe City store, and a backup from a newer version naming both levels", async () => {
    const into = { SAFECITY_DATA_DIR: path.join(tmp, "refused"), DATABASE_URL: "" };
    const text = path.join(tmp, "notes.txt");
    fs.writeFileSync(text, "hello");
    const notSqlite = await runCli(["restore", "--from", text], into);
    expect(notSqlite.code).toBe(2);
    expect(notSqlite.stderr).toContain("is not a SQLite database");

    const other = path.join(tmp, "other.db");
    new BetterSqlite3(other).exec("create table t (x)").close();
    const notOurs = await runCli(["restore", "--from", other], into);
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toContain("not a Safe City store (no kysely_migration, import_file, app_user table)");

    const file = path.join(tmp, "newer.db");
    expect((await runCli(["backup", "--out", file], source.env)).code).toBe(0);
    const db = new BetterSqlite3(file);
    db.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run(NEWER, when.toISOString());
    db.close();
    const newer = await runCli(["restore", "--from", file], into);
    expect(newer.code).toBe(5);
    expect(newer.stderr).toContain(`is at migration ${NEWER}, newer than this version of Safe City knows (it knows up to ${KNOWN_MIGRATIONS.at(-1)}`);
    expect(fs.existsSync(path.join(tmp, "refused", "safecity.db"))).toBe(false);
  }, 300_000);
});

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`forward-only migrations on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(async () => {
      await store?.destroy();
    });

    it("refuses to open a store migrated by a newer version, naming both versions; the CLI exits 5", async () => {
      await sql`insert into kysely_migration (name, timestamp) values (${NEWER}, ${when.toISOString()})`.execute(store.db);
      const cli = await runCli(["counts", "--area", "Southampton"], store.env);
      expect(cli.code).toBe(5);
      expect(cli.stderr).toContain(`This database is at migration ${NEWER}, newer than this version of Safe City knows (it knows up to ${KNOWN_MIGRATIONS.at(-1)}; unknown: ${NEWER})`);
      expect(cli.stderr).toContain("Migrations only go forward");
      await sql`delete from kysely_migration where name = ${NEWER}`.execute(store.db);
      expect((await runCli(["backup", "--out", path.join(os.tmpdir(), `never-${dialect}.db`)], store.env)).stderr).not.toContain("newer than");
    }, 120_000);

    // PostgreSQL only (SQLite's backup and restore are tested above).
    if (dialect === "postgres")
      it("backup and restore on PostgreSQL refuse and print the pg_dump / pg_restore commands, without the password", async () => {
      const out = path.join(os.tmpdir(), "safecity-never-written.dump");
      const backup = await runCli(["backup", "--out", out], store.env);
      expect(backup.code).toBe(2);
      expect(backup.stderr).toContain("back it up with pg_dump");
      expect(backup.stderr).toContain('pg_dump --format=custom --no-owner --file=safecity.dump "$DATABASE_URL"');
      const restore = await runCli(["restore", "--from", out], store.env);
      expect(restore.code).toBe(2);
      expect(restore.stderr).toContain('pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" safecity.dump');
      expect(fs.existsSync(out)).toBe(false);
    }, 120_000);
  });
}
