import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import BetterSqlite3 from "better-sqlite3";
import type { Kysely } from "kysely";
import type { Config } from "../config.ts";
import { openStore, type Store } from "../db/database.ts";
import { KNOWN_MIGRATIONS } from "../db/migrate.ts";
import { appliedMigrations, checkKnownMigrations, migrationLevel } from "../db/migration-level.ts";
import { holdsData, type StoreCounts, storeCounts } from "../db/repositories/backup.repository.ts";

/**
 * Backups and restores (docs/decisions/0011-operations.md). SQLite: SQLite's online backup API
 * (better-sqlite3 `backup()`), consistent while the server runs. PostgreSQL: pg_dump and
 * pg_restore, which this code does not wrap; it says exactly what to run.
 */

export const PG_DUMP_COMMAND = 'pg_dump --format=custom --no-owner --file=safecity.dump "$DATABASE_URL"';
export const PG_RESTORE_COMMAND = 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" safecity.dump';

export interface BackupReport {
  file: string;
  bytes: number;
  migration: string;
  counts: StoreCounts;
}

/** Writes a consistent copy of a SQLite store to `out` (a new file). */
export async function backupStore(store: Store, out: string, opts: { force?: boolean } = {}): Promise<BackupReport> {
  if (!store.sqlite) {
    throw new AppError("input.invalid", "This store is PostgreSQL: back it up with pg_dump, which this command does not run.", {
      hint: `Run: ${PG_DUMP_COMMAND}   and restore with: ${PG_RESTORE_COMMAND}   (README, Backups)`,
    });
  }
  const file = path.resolve(out);
  if (fs.existsSync(file) && !opts.force) {
    throw new AppError("input.invalid", `--out ${file} already exists.`, { hint: "Choose a new file name, or add --force to overwrite it." });
  }
  if (!fs.existsSync(path.dirname(file))) throw new AppError("input.invalid", `--out: the folder ${path.dirname(file)} does not exist.`);
  const counts = await storeCounts(store);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  await store.sqlite.backup(partial);
  fs.renameSync(partial, file);
  const check = inspectBackup(file);
  return { file, bytes: fs.statSync(file).size, migration: check.migration, counts };
}

/** A backup file checked: a SQLite database that is a Safe City store this version can open. */
function inspectBackup(file: string): { migration: string } {
  if (!fs.existsSync(file)) throw new AppError("input.invalid", `--from ${file} does not exist.`);
  const header = Buffer.alloc(16);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, header, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString("latin1") !== "SQLite format 3\0") {
    throw new AppError("input.invalid", `${file} is not a SQLite database, so not a Safe City backup.`, {
      hint: "Give the file written by `safecity backup --out`. A PostgreSQL dump is restored with pg_restore.",
    });
  }
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const ok = db.pragma("quick_check", { simple: true });
    if (ok !== "ok") throw new AppError("input.invalid", `${file} is damaged (SQLite quick_check: ${String(ok)}).`);
    const names = db
      .prepare("select name from sqlite_master where type = 'table' and name in ('kysely_migration', 'import_file', 'app_user')")
      .pluck()
      .all() as string[];
    if (names.length < 3) {
      throw new AppError("input.invalid", `${file} is a SQLite database but not a Safe City store (no ${["kysely_migration", "import_file", "app_user"].filter((n) => !names.includes(n)).join(", ")} table).`);
    }
    const applied = db.prepare("select name from kysely_migration order by name").pluck().all() as string[];
    checkKnownMigrations(applied, KNOWN_MIGRATIONS, `The backup ${path.basename(file)}`);
    return { migration: migrationLevel(applied) };
  } finally {
    db.close();
  }
}

export interface RestoreReport {
  from: string;
  into: string;
  /** The backup's migration level, and the level after migrating it forward. */
  backupMigration: string;
  migration: string;
  counts: StoreCounts;
}

/**
 * Replaces the configured SQLite store with a backup. Refuses a file that is not a Safe City store
 * or is from a newer version, and a target store that holds data unless `force`. Stop the server
 * first. An older backup is migrated forward as it is opened.
 */
export async function restoreStore(config: Pick<Config, "databaseUrl" | "sqlitePath">, from: string, opts: { force?: boolean } = {}): Promise<RestoreReport> {
  if (config.databaseUrl) {
    throw new AppError("input.invalid", "The configured store is PostgreSQL (DATABASE_URL): restore a pg_dump file with pg_restore, which this command does not run.", {
      hint: `Run: ${PG_RESTORE_COMMAND}   (README, Backups)`,
    });
  }
  const file = path.resolve(from);
  const { migration: backupMigration } = inspectBackup(file);
  const target = config.sqlitePath;
  if (path.resolve(target) === file) throw new AppError("input.invalid", "--from is the store itself.");
  if (fs.existsSync(target)) {
    const existing = await countsOf(target);
    if (holdsData(existing) && !opts.force) {
      throw new AppError(
        "input.invalid",
        `The store ${target} already holds data (${existing.imports} imports, ${existing.users} accounts, ${existing.plans} plans, ${existing.referenceDatasets} reference datasets): restoring would replace it.`,
        { hint: "Back it up first (safecity backup --out <file>), stop the server, then add --force." },
      );
    }
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
  }
  const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    // Through SQLite (not a file copy): the target's own -wal and -shm files are handled properly.
    await source.backup(target);
  } finally {
    source.close();
  }
  const store = await openStore(config);
  try {
    const applied = (await appliedMigrations(store.db as unknown as Kysely<unknown>)) ?? [];
    return { from: file, into: target, backupMigration, migration: migrationLevel(applied), counts: await storeCounts(store) };
  } finally {
    await store.close();
  }
}

/** Counts of the existing SQLite store (opened as the server would: a newer one is refused). */
async function countsOf(file: string): Promise<StoreCounts> {
  const store = await openStore({ databaseUrl: null, sqlitePath: file });
  try {
    return await storeCounts(store);
  } finally {
    await store.close();
  }
}
