import { type Kysely, type Selectable, sql } from "kysely";
import type { Store } from "../database.ts";
import type { Database, ImportFileTable } from "../schema.ts";

export interface RegisterEntry {
  id: number;
  fileName: string;
  force: string | null;
  month: string | null;
  sha256: string;
  rows: number;
  rejectedRows: number;
  noLocationRows: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  importedBy: string;
  message: string | null;
  /** A file of the demo's synthetic city (`safecity demo`). */
  demo: boolean;
  /** The version this import displaced when it became current: undoing it restores that one (decision 0017). */
  replacedImportId: number | null;
}

/** Records an attempt before its data transaction starts, so a killed import leaves a trace. */
export async function createRunningImport(
  store: Store,
  entry: { fileName: string; force: string | null; month: string | null; startedAt: string; importedBy: string; demo?: boolean },
): Promise<number> {
  if (store.dialect === "postgres") {
    // Not worth a flush to disk of its own: the file's data commit flushes the WAL up to and including
    // this row, and if the machine dies before that there is no data to leave a trace for.
    return store.db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      return insertRunning(trx, entry);
    });
  }
  return insertRunning(store.db, entry);
}

async function insertRunning(
  db: Kysely<Database>,
  entry: { fileName: string; force: string | null; month: string | null; startedAt: string; importedBy: string; demo?: boolean },
): Promise<number> {
  const row = await db
    .insertInto("import_file")
    .values({
      file_name: entry.fileName,
      force_slug: entry.force,
      month: entry.month,
      sha256: "",
      status: "running",
      started_at: entry.startedAt,
      imported_by: entry.importedBy,
      demo: entry.demo ? 1 : 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Attempts still `running` belong to a process that died (kill -9, power cut): say so. */
export async function markInterruptedImports(store: Store): Promise<number> {
  const result = await store.db
    .updateTable("import_file")
    .set({ status: "interrupted", message: "the import process stopped before this file was committed; nothing of it was kept" })
    .where("status", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function finishImportAttempt(
  store: Store,
  id: number,
  outcome: { status: "rejected" | "refused" | "failed"; sha256: string; rows: number; rejectedRows: number; finishedAt: string; message: string },
): Promise<void> {
  await store.db
    .updateTable("import_file")
    .set({
      status: outcome.status,
      sha256: outcome.sha256,
      rows: outcome.rows,
      rejected_rows: outcome.rejectedRows,
      finished_at: outcome.finishedAt,
      message: outcome.message,
    })
    .where("id", "=", id)
    .execute();
}

/** An attempt that turned out to be a file already imported leaves no row behind. */
export async function deleteImportAttempt(store: Store, id: number): Promise<void> {
  await store.db.deleteFrom("import_file").where("id", "=", id).execute();
}

export async function listImports(store: Store, opts: { limit?: number; offset?: number } = {}): Promise<RegisterEntry[]> {
  const rows = await store.db
    .selectFrom("import_file")
    .selectAll()
    .orderBy("id", "desc")
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0)
    .execute();
  return rows.map(toEntry);
}

/** Entries in the register. */
export async function countImports(store: Store): Promise<number> {
  const row = await store.db.selectFrom("import_file").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One register entry, or null. */
export async function getImport(store: Store, id: number): Promise<RegisterEntry | null> {
  const row = await store.db.selectFrom("import_file").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toEntry(row) : null;
}

function toEntry(r: Selectable<ImportFileTable>): RegisterEntry {
  return {
    id: r.id,
    fileName: r.file_name,
    force: r.force_slug,
    month: r.month,
    sha256: r.sha256,
    rows: r.rows,
    rejectedRows: r.rejected_rows,
    noLocationRows: r.no_location_rows,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    importedBy: r.imported_by,
    message: r.message,
    demo: Number(r.demo) === 1,
    replacedImportId: r.replaced_import_id === null ? null : Number(r.replaced_import_id),
  };
}
