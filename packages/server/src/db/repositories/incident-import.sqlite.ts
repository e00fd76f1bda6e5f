import type BetterSqlite3 from "better-sqlite3";
import type { StreetRow } from "../../ingest/police/street-row.ts";
import type { Store } from "../database.ts";
import type { ImportResult, ImportTransaction, PreviousImport, RollupCell } from "./incident-import.repository.ts";

const COLUMNS = "import_id, crime_id, month, reported_by, falls_within, longitude, latitude, location, lsoa_code, crime_type_id, outcome, context";
const PARAMS_PER_ROW = 12;
/** Rows per INSERT statement: fewer calls into SQLite, far below its 32,766-parameter limit. */
const ROWS_PER_STATEMENT = 64;

const statementCache = new WeakMap<BetterSqlite3.Database, { many: BetterSqlite3.Statement; one: BetterSqlite3.Statement }>();

function insertStatements(sqlite: BetterSqlite3.Database) {
  let cached = statementCache.get(sqlite);
  if (!cached) {
    const tuple = `(${new Array(PARAMS_PER_ROW).fill("?").join(",")})`;
    cached = {
      many: sqlite.prepare(`insert into incident (${COLUMNS}) values ${new Array(ROWS_PER_STATEMENT).fill(tuple).join(",")}`),
      one: sqlite.prepare(`insert into incident (${COLUMNS}) values ${tuple}`),
    };
    statementCache.set(sqlite, cached);
  }
  return cached;
}

const ROLLUP_ROWS_PER_STATEMENT = 100;
const rollupCache = new WeakMap<BetterSqlite3.Database, { manyRollup: BetterSqlite3.Statement; oneRollup: BetterSqlite3.Statement }>();

function rollupStatements(sqlite: BetterSqlite3.Database) {
  let cached = rollupCache.get(sqlite);
  if (!cached) {
    const sqlText = (rows: number) =>
      `insert into rollup (lsoa_code, month, crime_type_id, import_id, n) values ${new Array(rows).fill("(?,?,?,?,?)").join(",")}`;
    cached = { manyRollup: sqlite.prepare(sqlText(ROLLUP_ROWS_PER_STATEMENT)), oneRollup: sqlite.prepare(sqlText(1)) };
    rollupCache.set(sqlite, cached);
  }
  return cached;
}

/**
 * SQLite: the transaction is opened with BEGIN IMMEDIATE on the store's connection (the importer is
 * the only writer), incidents go in through a prepared 64-row INSERT, and a file's incidents occupy
 * one contiguous rowid range, which is how a replaced file is deleted without an index.
 */
export async function openSqliteImportTransaction(store: Store, importId: number): Promise<ImportTransaction> {
  const sqlite = store.sqlite!;
  const { many, one } = insertStatements(sqlite);
  const params: unknown[] = [];
  let pending = 0;
  let firstId: number | null = null;
  let lastId: number | null = null;
  let open = true;
  sqlite.exec("begin immediate");

  const noteIds = (info: BetterSqlite3.RunResult, rows: number) => {
    const last = Number(info.lastInsertRowid);
    if (firstId === null) firstId = last - rows + 1;
    lastId = last;
  };

  const flushSync = () => {
    let offset = 0;
    const fullStatements = Math.floor(pending / ROWS_PER_STATEMENT);
    const chunk = ROWS_PER_STATEMENT * PARAMS_PER_ROW;
    for (let s = 0; s < fullStatements; s++) {
      noteIds(many.run(params.slice(offset, offset + chunk)), ROWS_PER_STATEMENT);
      offset += chunk;
    }
    while (offset < params.length) {
      noteIds(one.run(params.slice(offset, offset + PARAMS_PER_ROW)), 1);
      offset += PARAMS_PER_ROW;
    }
    params.length = 0;
    pending = 0;
  };

  return {
    add(row: StreetRow) {
      params.push(
        importId,
        row.crimeId,
        row.month,
        row.reportedBy,
        row.fallsWithin,
        row.longitude,
        row.latitude,
        row.location,
        row.lsoaCode,
        row.crimeTypeId,
        row.outcome,
        row.context,
      );
      pending++;
    },
    get pending() {
      return pending;
    },
    async flush() {
      flushSync();
    },
    async findSameContent(sha256: string) {
      const row = sqlite.prepare("select id from import_file where sha256 = ? and status = 'imported' limit 1").get(sha256) as { id: number } | undefined;
      return row?.id ?? null;
    },
    async findForceMonth(force: string, month: string) {
      const row = sqlite
        .prepare("select id, first_incident_id, last_incident_id from import_file where force_slug = ? and month = ? and status = 'imported' limit 1")
        .get(force, month) as { id: number; first_incident_id: number | null; last_incident_id: number | null } | undefined;
      return row ? { id: row.id, firstIncidentId: row.first_incident_id, lastIncidentId: row.last_incident_id } : null;
    },
    async supersede(previous: PreviousImport, byImportId: number) {
      if (previous.firstIncidentId !== null && previous.lastIncidentId !== null) {
        sqlite.prepare("delete from incident where id between ? and ?").run(previous.firstIncidentId, previous.lastIncidentId);
      }
      sqlite.prepare("delete from rollup where import_id = ?").run(previous.id);
      sqlite.prepare("update import_file set status = 'superseded', message = ? where id = ?").run(`replaced by import ${byImportId}`, previous.id);
    },
    async writeRollup(cells: RollupCell[]) {
      const { manyRollup, oneRollup } = rollupStatements(sqlite);
      const values: unknown[] = [];
      for (const c of cells) values.push(c.lsoaCode, c.month, c.crimeTypeId, importId, c.n);
      const chunk = ROLLUP_ROWS_PER_STATEMENT * 5;
      let offset = 0;
      for (; offset + chunk <= values.length; offset += chunk) manyRollup.run(values.slice(offset, offset + chunk));
      for (; offset < values.length; offset += 5) oneRollup.run(values.slice(offset, offset + 5));
    },
    async addLsoaNames(names) {
      const insert = sqlite.prepare(
        "insert into lsoa_geo (lsoa_code, lsoa_name, lad_name, source) values (?, ?, ?, 'police') on conflict (lsoa_code) do nothing",
      );
      for (const [code, { name, ladName }] of names) insert.run(code, name, ladName);
    },
    async upsertForce(slug: string, name: string | null) {
      sqlite
        .prepare("insert into force (slug, name) values (?, ?) on conflict (slug) do update set name = coalesce(excluded.name, force.name)")
        .run(slug, name);
    },
    async commit(result: ImportResult) {
      flushSync();
      sqlite
        .prepare(
          `update import_file set status = 'imported', force_slug = ?, month = ?, rows = ?, rejected_rows = ?, no_location_rows = ?, sha256 = ?,
           finished_at = ?, first_incident_id = ?, last_incident_id = ?, message = ? where id = ?`,
        )
        .run(result.force, result.month, result.rows, result.rejectedRows, result.noLocationRows, result.sha256, result.finishedAt, firstId, lastId, result.message, importId);
      sqlite.exec("commit");
      open = false;
    },
    async rollback() {
      if (open && sqlite.inTransaction) sqlite.exec("rollback");
      open = false;
    },
  };
}
