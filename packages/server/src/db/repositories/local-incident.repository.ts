import type BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import type { LocalRow } from "../../ingest/local/local-incident.reader.ts";
import type { Store } from "../database.ts";
import type { AreaScope } from "./area.repository.ts";
import { inAreaLsoas } from "./area-scope.repository.ts";

/** A local incident dataset as services see it. */
export interface LocalDataset {
  id: number;
  name: string;
  fileName: string;
  sha256: string;
  keyId: string;
  rows: number;
  firstDay: number | null;
  lastDay: number | null;
  importedAt: string;
  importedBy: string;
}

export interface DatasetGrant {
  datasetId: number;
  userId: number | null;
  userEmail: string | null;
  role: string | null;
  grantedBy: string;
  grantedAt: string;
}

/** A stored incident, read back (keys are pseudonyms). */
export type StoredLocalRow = LocalRow;

type DatasetRow = {
  id: number;
  name: string;
  file_name: string;
  sha256: string;
  key_id: string;
  rows: number;
  first_day: number | null;
  last_day: number | null;
  imported_at: string;
  imported_by: string;
};

function toDataset(r: DatasetRow): LocalDataset {
  return {
    id: r.id,
    name: r.name,
    fileName: r.file_name,
    sha256: r.sha256,
    keyId: r.key_id,
    rows: r.rows,
    firstDay: r.first_day,
    lastDay: r.last_day,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
  };
}

export async function listDatasets(store: Store): Promise<LocalDataset[]> {
  return (await store.db.selectFrom("local_dataset").selectAll().orderBy("name").execute()).map(toDataset);
}

export async function findDataset(store: Store, name: string): Promise<LocalDataset | null> {
  const r = await store.db.selectFrom("local_dataset").selectAll().where("name", "=", name).executeTakeFirst();
  return r ? toDataset(r) : null;
}

export async function insertDataset(store: Store, d: Omit<LocalDataset, "id">): Promise<number> {
  const r = await store.db
    .insertInto("local_dataset")
    .values({
      name: d.name,
      file_name: d.fileName,
      sha256: d.sha256,
      key_id: d.keyId,
      rows: d.rows,
      first_day: d.firstDay,
      last_day: d.lastDay,
      imported_at: d.importedAt,
      imported_by: d.importedBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateDataset(store: Store, id: number, d: Omit<LocalDataset, "id" | "name">): Promise<void> {
  await store.db
    .updateTable("local_dataset")
    .set({
      file_name: d.fileName,
      sha256: d.sha256,
      key_id: d.keyId,
      rows: d.rows,
      first_day: d.firstDay,
      last_day: d.lastDay,
      imported_at: d.importedAt,
      imported_by: d.importedBy,
    })
    .where("id", "=", id)
    .execute();
}

export async function deleteDatasetRows(store: Store, datasetId: number): Promise<void> {
  await store.db.deleteFrom("local_incident").where("dataset_id", "=", datasetId).execute();
}

const COLUMNS = "dataset_id, day, minutes, crime_type_id, offence_code, victim_key, location_key, x, y, lsoa_code, flags";
const PARAMS = 11;
const ROWS_PER_STATEMENT = 200;
const statements = new WeakMap<BetterSqlite3.Database, { many: BetterSqlite3.Statement; one: BetterSqlite3.Statement }>();

function sqliteStatements(sqlite: BetterSqlite3.Database) {
  let s = statements.get(sqlite);
  if (!s) {
    const tuple = `(${new Array(PARAMS).fill("?").join(",")})`;
    s = {
      many: sqlite.prepare(`insert into local_incident (${COLUMNS}) values ${new Array(ROWS_PER_STATEMENT).fill(tuple).join(",")}`),
      one: sqlite.prepare(`insert into local_incident (${COLUMNS}) values ${tuple}`),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** Writes a row's 11 parameters into `params` from `o`. */
function put(params: unknown[], o: number, datasetId: number, r: LocalRow): void {
  params[o] = datasetId;
  params[o + 1] = r.day;
  params[o + 2] = r.minutes;
  params[o + 3] = r.crimeTypeId;
  params[o + 4] = r.offenceCode;
  params[o + 5] = r.victimKey;
  params[o + 6] = r.locationKey;
  params[o + 7] = r.x;
  params[o + 8] = r.y;
  params[o + 9] = r.lsoa;
  params[o + 10] = r.flags;
}

/** Parameter arrays for the two statements, made once. */
const manyParams: unknown[] = new Array(ROWS_PER_STATEMENT * PARAMS);
const oneParams: unknown[] = new Array(PARAMS);

/**
 * Appends rows to a dataset. Call inside the import's transaction (inTransaction): on SQLite the
 * prepared multi-row INSERT runs on the same connection, so it is part of it.
 */
export async function insertLocalRows(store: Store, datasetId: number, rows: readonly LocalRow[]): Promise<void> {
  if (store.sqlite) {
    const { many, one } = sqliteStatements(store.sqlite);
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      for (let j = 0; j < ROWS_PER_STATEMENT; j++) put(manyParams, j * PARAMS, datasetId, rows[i + j]!);
      many.run(manyParams);
    }
    for (; i < rows.length; i++) {
      put(oneParams, 0, datasetId, rows[i]!);
      one.run(oneParams);
    }
    return;
  }
  // PostgreSQL: one INSERT of whole columns as arrays (unnest) per batch, in the transaction's
  // connection: 11 array parameters instead of 11 a row, and no query text growing with the rows.
  const n = rows.length;
  const day = new Array<number>(n);
  const minutes = new Array<number | null>(n);
  const crimeType = new Array<number>(n);
  const offence = new Array<string>(n);
  const victim = new Array<string | null>(n);
  const location = new Array<string | null>(n);
  const x = new Array<number | null>(n);
  const y = new Array<number | null>(n);
  const lsoa = new Array<string | null>(n);
  const flags = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    day[i] = r.day;
    minutes[i] = r.minutes;
    crimeType[i] = r.crimeTypeId;
    offence[i] = r.offenceCode;
    victim[i] = r.victimKey;
    location[i] = r.locationKey;
    x[i] = r.x;
    y[i] = r.y;
    lsoa[i] = r.lsoa;
    flags[i] = r.flags;
  }
  await sql`insert into local_incident (${sql.raw(COLUMNS)})
    select ${datasetId}::integer, * from unnest(${day}::integer[], ${minutes}::integer[], ${crimeType}::integer[], ${offence}::text[], ${victim}::text[],
      ${location}::text[], ${x}::double precision[], ${y}::double precision[], ${lsoa}::text[], ${flags}::integer[])`.execute(store.db);
}

/** A dataset's incidents from `fromDay` to `toDay` (YYYYMMDD, inclusive), in an area's LSOAs when a scope is given. */
export async function readLocalRows(store: Store, datasetId: number, fromDay: number, toDay: number, scope: AreaScope | null): Promise<LocalRow[]> {
  let q = store.db
    .selectFrom("local_incident")
    .select(["day", "minutes", "crime_type_id", "offence_code", "victim_key", "location_key", "x", "y", "lsoa_code", "flags"])
    .where("dataset_id", "=", datasetId)
    .where("day", ">=", fromDay)
    .where("day", "<=", toDay);
  if (scope) q = q.where(inAreaLsoas("lsoa_code", scope));
  const rows = await q.orderBy("day").execute();
  return rows.map((r) => ({
    day: r.day,
    minutes: r.minutes,
    crimeTypeId: r.crime_type_id,
    offenceCode: r.offence_code,
    victimKey: r.victim_key,
    locationKey: r.location_key,
    x: r.x,
    y: r.y,
    lsoa: r.lsoa_code,
    flags: r.flags,
  }));
}

/** Incidents of a dataset in the period with no LSOA code (outside any --area). */
export async function countWithoutLsoa(store: Store, datasetId: number, fromDay: number, toDay: number): Promise<number> {
  const r = await store.db
    .selectFrom("local_incident")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("dataset_id", "=", datasetId)
    .where("day", ">=", fromDay)
    .where("day", "<=", toDay)
    .where("lsoa_code", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertGrant(store: Store, g: Omit<DatasetGrant, "userEmail">): Promise<void> {
  await store.db.insertInto("local_dataset_grant").values({ dataset_id: g.datasetId, user_id: g.userId, role: g.role, granted_by: g.grantedBy, granted_at: g.grantedAt }).execute();
}

export async function deleteGrant(store: Store, datasetId: number, who: { userId: number } | { role: string }): Promise<number> {
  let q = store.db.deleteFrom("local_dataset_grant").where("dataset_id", "=", datasetId);
  q = "userId" in who ? q.where("user_id", "=", who.userId) : q.where("role", "=", who.role);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listGrants(store: Store, datasetId: number): Promise<DatasetGrant[]> {
  const rows = await store.db
    .selectFrom("local_dataset_grant as g")
    .leftJoin("app_user as u", "u.id", "g.user_id")
    .select(["g.dataset_id", "g.user_id", "u.email", "g.role", "g.granted_by", "g.granted_at"])
    .where("g.dataset_id", "=", datasetId)
    .orderBy("g.granted_at")
    .execute();
  return rows.map((r) => ({ datasetId: r.dataset_id, userId: r.user_id, userEmail: r.email, role: r.role, grantedBy: r.granted_by, grantedAt: r.granted_at }));
}

/** Every grant of every dataset (for deciding what a user may read). */
export async function allGrants(store: Store): Promise<Omit<DatasetGrant, "userEmail">[]> {
  const rows = await store.db.selectFrom("local_dataset_grant").selectAll().execute();
  return rows.map((r) => ({ datasetId: r.dataset_id, userId: r.user_id, role: r.role, grantedBy: r.granted_by, grantedAt: r.granted_at }));
}
