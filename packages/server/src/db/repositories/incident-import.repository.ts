import type { StreetRow } from "../../ingest/police/street-row.ts";
import type { Store } from "../database.ts";
import { openPostgresImportTransaction } from "./incident-import.postgres.ts";
import { openSqliteImportTransaction, tuneSqliteForImport } from "./incident-import.sqlite.ts";

/** A roll-up cell: rows of one crime type in one LSOA in one month, from one import. */
export interface RollupCell {
  lsoaCode: string;
  crimeTypeId: number;
  month: string;
  n: number;
}

export interface PreviousImport {
  id: number;
  /** Its valid rows: a replacement with under half as many is refused unless asked for. */
  rows: number;
  firstIncidentId: number | null;
  lastIncidentId: number | null;
}

export interface ImportResult {
  force: string | null;
  month: string | null;
  rows: number;
  rejectedRows: number;
  noLocationRows: number;
  sha256: string;
  finishedAt: string;
  message: string | null;
}

/**
 * One file's import, inside one database transaction: incidents are added in batches, then the
 * roll-up, the LSOA names, the force and the register row are written and the whole is committed,
 * or nothing is. The two implementations use each driver's bulk path (multi-row INSERT on SQLite,
 * COPY on PostgreSQL).
 */
export interface ImportTransaction {
  /** Buffers one validated row; call `flush` when `pending` grows. */
  add(row: StreetRow): void;
  readonly pending: number;
  flush(): Promise<void>;
  /** The file already imported with this sha256, if any. */
  findSameContent(sha256: string): Promise<number | null>;
  /** The import currently holding this force-month, if any. */
  findForceMonth(force: string, month: string): Promise<PreviousImport | null>;
  /**
   * Moves a previous import's incidents and roll-up to the archive tables (restorable with
   * `import undo`), marks it superseded and records it as the version this import replaced.
   */
  supersede(previous: PreviousImport, byImportId: number): Promise<void>;
  writeRollup(cells: RollupCell[]): Promise<void>;
  /** Records LSOA names seen in police data (reference rows, when installed, win). */
  addLsoaNames(names: Map<string, { name: string; ladName: string }>): Promise<void>;
  upsertForce(slug: string, name: string | null): Promise<void>;
  /** Marks the register row imported, with its counts and incident id range, and commits. */
  commit(result: ImportResult): Promise<void>;
  rollback(): Promise<void>;
}

export function openImportTransaction(store: Store, importId: number): Promise<ImportTransaction> {
  return store.dialect === "sqlite" ? openSqliteImportTransaction(store, importId) : openPostgresImportTransaction(store, importId);
}

/** Connection settings for the length of an import (SQLite only); returns what puts them back. */
export function tuneStoreForImport(store: Store): () => void {
  return store.dialect === "sqlite" ? tuneSqliteForImport(store) : () => {};
}
