import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * Replaced versions are kept (issue 11 item 6, decision 0017): when a file replaces a force-month,
 * the previous import's incidents and roll-up move to `incident_archive` and `rollup_archive` in the
 * same transaction instead of being deleted, and `safecity import undo <id>` moves them back (the
 * undone import's rows go to the archive in turn). `import_file.replaced_import_id` is the version
 * an import displaced when it last became current (what undoing it restores). `import_job.replace`
 * is an upload's "replace anyway" (a file with under half the rows of the month it replaces).
 * Imports superseded before this migration have no archived rows: they cannot be restored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.alterTable("import_file").addColumn("replaced_import_id", "integer").execute();
  await db.schema
    .alterTable("import_job")
    .addColumn("replace", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  // The incident columns as they are, ids included (no key: SQLite may give an archived row's id to
  // a later row, and the same id may then be archived twice; a restore gives rows new ids).
  await db.schema
    .createTable("incident_archive")
    .addColumn("id", "bigint", (c) => c.notNull())
    .addColumn("import_id", "integer", (c) => c.notNull())
    .addColumn("crime_id", pg ? "text" : "blob")
    .addColumn("month", "integer", (c) => c.notNull())
    .addColumn("reported_by_id", "integer", (c) => c.notNull())
    .addColumn("falls_within_id", "integer", (c) => c.notNull())
    .addColumn("longitude", pg ? "double precision" : "real")
    .addColumn("latitude", pg ? "double precision" : "real")
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("lsoa_code", "text", (c) => c.notNull())
    .addColumn("crime_type_id", "smallint", (c) => c.notNull())
    .addColumn("outcome_id", "integer", (c) => c.notNull())
    .addColumn("context", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("incident_archive_import").on("incident_archive").columns(["import_id", "id"]).execute();
  await db.schema
    .createTable("rollup_archive")
    .addColumn("lsoa_code", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("crime_type_id", "smallint", (c) => c.notNull())
    .addColumn("import_id", "integer", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rollup_archive_pk", ["import_id", "lsoa_code", "month", "crime_type_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("rollup_archive").execute();
  await db.schema.dropTable("incident_archive").execute();
  await db.schema.alterTable("import_job").dropColumn("replace").execute();
  await db.schema.alterTable("import_file").dropColumn("replaced_import_id").execute();
}
