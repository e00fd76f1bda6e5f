import type BetterSqlite3 from "better-sqlite3";
import type { StreetRow } from "../../ingest/police/street-row.ts";
import type { Store } from "../database.ts";
import type { ImportResult, ImportTransaction, PreviousImport, RollupCell } from "./incident-import.repository.ts";

const COLUMNS = "import_id, crime_id, month, reported_by_id, falls_within_id, longitude, latitude, location, lsoa_code, crime_type_id, outcome_id, context";
const PARAMS_PER_ROW = 12;
/** Rows per INSERT statement: fewer calls into SQLite, far below its 32,766-parameter limit. */
const ROWS_PER_STATEMENT = 128;

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

/** incident_value ids by value, per connection: loaded once, then kept up to date by the importer. */
const valueIdCache = new WeakMap<BetterSqlite3.Database, Map<string, number>>();

function valueIds(sqlite: BetterSqlite3.Database): Map<string, number> {
  let ids = valueIdCache.get(sqlite);
  if (!ids) {
    ids = new Map();
    for (const r of sqlite.prepare("select id, value from incident_value").all() as { id: number; value: string }[]) ids.set(r.value, r.id);
    valueIdCache.set(sqlite, ids);
  }
  return ids;
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
 * Settings for the length of an import on this connection; returns what puts them back. A WAL
 * checkpoint every ~40 MB instead of every ~4 MB: roll-up pages rewritten by several files are copied
 * into the database once instead of once per checkpoint. Durability and atomicity are unchanged
 * (commits still go through the WAL; a killed process leaves the last committed file).
 */
export function tuneSqliteForImport(store: Store): () => void {
  const sqlite = store.sqlite!;
  const before = sqlite.pragma("wal_autocheckpoint", { simple: true }) as number;
  sqlite.pragma("wal_autocheckpoint = 10000");
  return () => {
    sqlite.pragma(`wal_autocheckpoint = ${before}`);
  };
}

/** Moves one import's incidents (by their rowid range) and roll-up rows to the archive tables. */
export function archiveImportSqlite(sqlite: BetterSqlite3.Database, previous: PreviousImport): void {
  if (previous.firstIncidentId !== null && previous.lastIncidentId !== null) {
    sqlite
      .prepare(`insert into incident_archive (id, ${COLUMNS}) select id, ${COLUMNS} from incident where id between ? and ? and import_id = ?`)
      .run(previous.firstIncidentId, previous.lastIncidentId, previous.id);
    sqlite.prepare("delete from incident where id between ? and ? and import_id = ?").run(previous.firstIncidentId, previous.lastIncidentId, previous.id);
  }
  sqlite.prepare("insert into rollup_archive (lsoa_code, month, crime_type_id, import_id, n) select lsoa_code, month, crime_type_id, import_id, n from rollup where import_id = ?").run(previous.id);
  sqlite.prepare("delete from rollup where import_id = ?").run(previous.id);
}

/**
 * SQLite: the transaction is opened with BEGIN IMMEDIATE on the store's connection (the importer is
 * the only writer), incidents go in through a prepared 128-row INSERT as soon as 128 are buffered,
 * and a file's incidents occupy one contiguous rowid range, which is how a replaced file is deleted
 * without an index. Repeated texts become incident_value ids (values new to this file are inserted
 * in its transaction and forgotten again if it rolls back).
 */
export async function openSqliteImportTransaction(store: Store, importId: number): Promise<ImportTransaction> {
  const sqlite = store.sqlite!;
  const { many, one } = insertStatements(sqlite);
  const ids = valueIds(sqlite);
  const newValues: string[] = [];
  const params: unknown[] = new Array(ROWS_PER_STATEMENT * PARAMS_PER_ROW);
  let buffered = 0;
  let firstId: number | null = null;
  let lastId: number | null = null;
  let open = true;
  sqlite.exec("begin immediate");
  const findValue = sqlite.prepare("select id from incident_value where value = ?").pluck();
  const insertValue = sqlite.prepare("insert into incident_value (value) values (?)");

  // Consecutive rows nearly always repeat the previous row's force names: compare before hashing.
  const lastValues: (string | null)[] = [null, null, null];
  const lastIds = [-1, -1, -1];
  const idAt = (slot: number, value: string): number => {
    if (value === lastValues[slot]) return lastIds[slot]!;
    const id = idOf(value);
    lastValues[slot] = value;
    lastIds[slot] = id;
    return id;
  };
  const idOf = (value: string): number => {
    let id = ids.get(value);
    if (id === undefined) {
      // Another process may have added it since the cache was filled.
      id = (findValue.get(value) as number | undefined) ?? Number(insertValue.run(value).lastInsertRowid);
      // A copy: `value` is a slice of the parser's whole chunk of text, which a cached key would keep alive.
      const key = Buffer.from(value, "utf8").toString("utf8");
      ids.set(key, id);
      newValues.push(key);
    }
    return id;
  };

  const noteIds = (info: BetterSqlite3.RunResult, rows: number) => {
    const last = Number(info.lastInsertRowid);
    if (firstId === null) firstId = last - rows + 1;
    lastId = last;
  };

  const flushSync = () => {
    if (buffered === ROWS_PER_STATEMENT) {
      noteIds(many.run(params), ROWS_PER_STATEMENT);
    } else {
      for (let r = 0; r < buffered; r++) noteIds(one.run(params.slice(r * PARAMS_PER_ROW, (r + 1) * PARAMS_PER_ROW)), 1);
    }
    buffered = 0;
  };

  return {
    add(row: StreetRow) {
      const p = params;
      let o = buffered * PARAMS_PER_ROW;
      p[o++] = importId;
      p[o++] = row.crimeId !== null && row.crimeIdPackable ? Buffer.from(row.crimeId, "hex") : row.crimeId;
      p[o++] = row.monthKey;
      p[o++] = idAt(0, row.reportedBy);
      p[o++] = idAt(1, row.fallsWithin);
      p[o++] = row.longitude;
      p[o++] = row.latitude;
      p[o++] = row.location;
      p[o++] = row.lsoaCode;
      p[o++] = row.crimeTypeId;
      p[o++] = idAt(2, row.outcome);
      p[o] = row.context;
      if (++buffered === ROWS_PER_STATEMENT) flushSync();
    },
    /** Rows are written as they come: nothing waits for `flush`. */
    get pending() {
      return 0;
    },
    async flush() {},
    async findSameContent(sha256: string) {
      const row = sqlite.prepare("select id from import_file where sha256 = ? and status = 'imported' limit 1").get(sha256) as { id: number } | undefined;
      return row?.id ?? null;
    },
    async findForceMonth(force: string, month: string) {
      const row = sqlite
        .prepare("select id, rows, first_incident_id, last_incident_id from import_file where force_slug = ? and month = ? and status = 'imported' limit 1")
        .get(force, month) as { id: number; rows: number; first_incident_id: number | null; last_incident_id: number | null } | undefined;
      return row ? { id: row.id, rows: row.rows, firstIncidentId: row.first_incident_id, lastIncidentId: row.last_incident_id } : null;
    },
    async supersede(previous: PreviousImport, byImportId: number) {
      archiveImportSqlite(sqlite, previous);
      sqlite.prepare("update import_file set status = 'superseded', message = ? where id = ?").run(`replaced by import ${byImportId}`, previous.id);
      sqlite.prepare("update import_file set replaced_import_id = ? where id = ?").run(previous.id, importId);
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
      if (open) for (const v of newValues) ids.delete(v);
      open = false;
    },
  };
}
