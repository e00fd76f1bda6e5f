import type { Insertable, Selectable, Updateable } from "kysely";
import type { Store } from "../database.ts";
import type { ImportJobTable } from "../schema.ts";

export type ImportJobRow = Selectable<ImportJobTable>;

/** Upload import jobs (migration 0010): one row per job, written at each change of state. */
export async function insertImportJob(store: Store, row: Insertable<ImportJobTable>): Promise<void> {
  await store.db.insertInto("import_job").values(row).execute();
}

/** Updates a job; with `fromStates`, only while it is in one of them. Returns whether a row changed. */
export async function updateImportJob(store: Store, id: string, patch: Updateable<ImportJobTable>, fromStates?: readonly string[]): Promise<boolean> {
  let q = store.db.updateTable("import_job").set(patch).where("id", "=", id);
  if (fromStates) q = q.where("state", "in", [...fromStates]);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function getImportJob(store: Store, id: string): Promise<ImportJobRow | null> {
  return (await store.db.selectFrom("import_job").selectAll().where("id", "=", id).executeTakeFirst()) ?? null;
}

/** Most recent first. */
export async function listImportJobs(store: Store, opts: { limit: number; states?: readonly string[] }): Promise<ImportJobRow[]> {
  let q = store.db.selectFrom("import_job").selectAll();
  if (opts.states) q = q.where("state", "in", [...opts.states]);
  return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(opts.limit).execute();
}

/** Ids of every job in one of `states`. */
export async function importJobIdsInStates(store: Store, states: readonly string[]): Promise<string[]> {
  const rows = await store.db.selectFrom("import_job").select("id").where("state", "in", [...states]).execute();
  return rows.map((r) => r.id);
}
