import { sql } from "kysely";
import type { Store } from "../database.ts";

/**
 * Versions of a force-month (decision 0017): the current import's rows are in `incident` and
 * `rollup`, every version it replaced keeps its rows in `incident_archive` and `rollup_archive`.
 * These functions run inside the caller's transaction (`inTransaction`); the importer has its own
 * archive step in incident-import.*.ts, in the file's transaction.
 */

const COLUMNS = sql.raw(
  "import_id, crime_id, month, reported_by_id, falls_within_id, longitude, latitude, location, lsoa_code, crime_type_id, outcome_id, context",
);

export interface ImportVersion {
  id: number;
  status: string;
  force: string | null;
  month: string | null;
  rows: number;
  firstIncidentId: number | null;
  lastIncidentId: number | null;
  replacedImportId: number | null;
  fileName: string;
}

/** One register row as a version; locked for the transaction on PostgreSQL. */
export async function getImportVersion(tx: Store, id: number): Promise<ImportVersion | null> {
  let q = tx.db
    .selectFrom("import_file")
    .select(["id", "status", "force_slug", "month", "rows", "first_incident_id", "last_incident_id", "replaced_import_id", "file_name"])
    .where("id", "=", id);
  if (tx.dialect === "postgres") q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) return null;
  const n = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    id: r.id,
    status: r.status,
    force: r.force_slug,
    month: r.month,
    rows: Number(r.rows),
    firstIncidentId: n(r.first_incident_id),
    lastIncidentId: n(r.last_incident_id),
    replacedImportId: n(r.replaced_import_id),
    fileName: r.file_name,
  };
}

/** What the archive holds of an import: its incidents and the total of its roll-up rows. */
export async function archivedCounts(tx: Store, id: number): Promise<{ incidents: number; rollupTotal: number }> {
  const i = await sql<{ n: number | string }>`select count(*) as n from incident_archive where import_id = ${id}`.execute(tx.db);
  const r = await sql<{ n: number | string | null }>`select sum(n) as n from rollup_archive where import_id = ${id}`.execute(tx.db);
  return { incidents: Number(i.rows[0]?.n ?? 0), rollupTotal: Number(r.rows[0]?.n ?? 0) };
}

/** Moves the current version's incidents (by id range) and roll-up rows to the archive. */
export async function archiveVersion(tx: Store, v: ImportVersion): Promise<void> {
  if (v.firstIncidentId !== null && v.lastIncidentId !== null) {
    const where = sql`import_id = ${v.id} and id between ${v.firstIncidentId} and ${v.lastIncidentId}`;
    await sql`insert into incident_archive (id, ${COLUMNS}) select id, ${COLUMNS} from incident where ${where}`.execute(tx.db);
    await sql`delete from incident where ${where}`.execute(tx.db);
  }
  await sql`insert into rollup_archive (lsoa_code, month, crime_type_id, import_id, n)
    select lsoa_code, month, crime_type_id, import_id, n from rollup where import_id = ${v.id}`.execute(tx.db);
  await sql`delete from rollup where import_id = ${v.id}`.execute(tx.db);
}

/**
 * Moves an archived version's incidents (in their original order, with new ids: an archived id may
 * have been given to a later row on SQLite) and roll-up rows back; returns the new id range.
 */
export async function restoreVersion(tx: Store, id: number): Promise<{ firstIncidentId: number | null; lastIncidentId: number | null; incidents: number }> {
  let range: { first: number | null; last: number | null; n: number };
  if (tx.dialect === "postgres") {
    const r = await sql<{ first: string | null; last: string | null; n: string }>`
      with ins as (insert into incident (${COLUMNS}) select ${COLUMNS} from incident_archive where import_id = ${id} order by id returning id)
      select min(id) as first, max(id) as last, count(*) as n from ins`.execute(tx.db);
    const row = r.rows[0]!;
    range = { first: row.first === null ? null : Number(row.first), last: row.last === null ? null : Number(row.last), n: Number(row.n) };
  } else {
    // One INSERT on SQLite's only writer gives consecutive rowids after the largest.
    const maxId = async () => Number((await sql<{ m: number | null }>`select max(id) as m from incident`.execute(tx.db)).rows[0]?.m ?? 0);
    const before = await maxId();
    await sql`insert into incident (${COLUMNS}) select ${COLUMNS} from incident_archive where import_id = ${id} order by id`.execute(tx.db);
    const after = await maxId();
    range = after > before ? { first: before + 1, last: after, n: after - before } : { first: null, last: null, n: 0 };
  }
  await sql`delete from incident_archive where import_id = ${id}`.execute(tx.db);
  await sql`insert into rollup (lsoa_code, month, crime_type_id, import_id, n)
    select lsoa_code, month, crime_type_id, import_id, n from rollup_archive where import_id = ${id}`.execute(tx.db);
  await sql`delete from rollup_archive where import_id = ${id}`.execute(tx.db);
  return { firstIncidentId: range.first, lastIncidentId: range.last, incidents: range.n };
}

/** The undone version: superseded, its rows in the archive. */
export async function markUndone(tx: Store, id: number, message: string): Promise<void> {
  await tx.db.updateTable("import_file").set({ status: "superseded", message }).where("id", "=", id).execute();
}

/** The restored version: current again, with its new id range; undoing it restores `replacedImportId`. */
export async function markRestored(
  tx: Store,
  id: number,
  r: { firstIncidentId: number | null; lastIncidentId: number | null; replacedImportId: number; finishedAt: string; message: string },
): Promise<void> {
  await tx.db
    .updateTable("import_file")
    .set({
      status: "imported",
      first_incident_id: r.firstIncidentId,
      last_incident_id: r.lastIncidentId,
      replaced_import_id: r.replacedImportId,
      finished_at: r.finishedAt,
      message: r.message,
    })
    .where("id", "=", id)
    .execute();
}
