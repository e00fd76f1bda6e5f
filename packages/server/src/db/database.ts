import fs from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import pg from "pg";
import type { Config } from "../config.ts";
import type { DialectName } from "./dialect.ts";
import { migrateToLatest } from "./migrate.ts";
import { ScopedPostgresDialect } from "./postgres-dialect.ts";
import { folderOf, storageProblem } from "./storage-errors.ts";
import type { Database } from "./schema.ts";

/**
 * An open store. `sqlite`/`pool` are the raw drivers, used only by repositories for bulk paths
 * (prepared multi-row INSERT on SQLite, COPY on PostgreSQL) that a query builder cannot express.
 */
export interface Store {
  readonly dialect: DialectName;
  readonly db: Kysely<Database>;
  readonly sqlite: BetterSqlite3.Database | null;
  readonly pool: pg.Pool | null;
  /** Human-readable description without secrets. */
  readonly description: string;
  close(): Promise<void>;
}

// PostgreSQL returns bigint and numeric as strings by default; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openStore(config: Pick<Config, "databaseUrl" | "sqlitePath">, opts: { pgSchema?: string } = {}): Promise<Store> {
  const store = config.databaseUrl ? openPostgres(config.databaseUrl, opts.pgSchema) : openSqlite(config.sqlitePath);
  try {
    if (store.pool && opts.pgSchema) await store.pool.query(`create schema if not exists "${opts.pgSchema}"`);
    await migrateToLatest(store.db as Kysely<unknown>);
  } catch (e) {
    await store.close();
    throw (store.sqlite && storageProblem(e, folderOf(config.sqlitePath))) || e;
  }
  return store;
}

/** Owner-only: the database, its WAL and shared-memory files (0600) and the data folder (0700). */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/**
 * Opens (creating when missing) the SQLite file owner-only. A data folder that is read-only, not
 * writable by this account or full is one line (`db.unavailable`), not a driver stack trace.
 */
function openSqlite(file: string): Store {
  if (file === ":memory:") return sqliteStore(file, new BetterSqlite3(file));
  const dir = folderOf(file);
  let sqlite: BetterSqlite3.Database | null = null;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    fs.closeSync(fs.openSync(file, "a", PRIVATE_FILE));
    sqlite = new BetterSqlite3(file);
    const store = sqliteStore(file, sqlite);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, PRIVATE_FILE);
    return store;
  } catch (e) {
    sqlite?.close();
    throw storageProblem(e, dir) ?? e;
  }
}

function sqliteStore(file: string, sqlite: BetterSqlite3.Database): Store {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -65536");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    dialect: "sqlite",
    db,
    sqlite,
    pool: null,
    description: `SQLite ${file}`,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, schema?: string): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    dialect: "postgres",
    db,
    sqlite: null,
    pool,
    description: `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}${schema ? ` (schema ${schema})` : ""}`,
    close: () => db.destroy(),
  };
}
