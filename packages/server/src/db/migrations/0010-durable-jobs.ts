import type { Kysely } from "kysely";

/*
 * Upload import jobs kept in the database (they lived in the server's memory, lost on restart): a
 * restarted server finds the jobs that were queued or running, marks them `interrupted` and offers to
 * resume them from their kept upload files or to discard them. `uploads` is JSON
 * `[{name, bytes, file}]` (`file`: the saved file's name in `<upload dir>/<id>/`); `progress`,
 * `report` and `error` are JSON as the API returns them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("import_job")
    .addColumn("id", "text", (c) => c.primaryKey())
    /** queued | running | finished | failed | interrupted | discarded */
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("skip_invalid", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("uploads", "text", (c) => c.notNull())
    .addColumn("progress", "text")
    .addColumn("report", "text")
    .addColumn("error", "text")
    .execute();
  await db.schema.createIndex("import_job_state").on("import_job").column("state").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("import_job").execute();
}
