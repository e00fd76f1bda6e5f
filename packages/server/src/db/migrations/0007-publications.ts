import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * The register of public websites published from a plan (docs/decisions/0006-public-site.md): which
 * plan and plan version, when and by whom, the sha256 over the output files in a canonical order,
 * the folder written, and the public view model as canonical JSON, so that any publication can be
 * rebuilt byte for byte (`safecity publish --republish <id>`). A plan's publications go with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const autoId = (isPostgres(db) ? "serial" : "integer") as "integer";
  await db.schema
    .createTable("publication")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("plan_version", "integer", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("published_by", "text", (c) => c.notNull())
    .addColumn("content_sha256", "text", (c) => c.notNull())
    .addColumn("file_count", "integer", (c) => c.notNull())
    .addColumn("output_dir", "text", (c) => c.notNull())
    .addColumn("snapshot", "text", (c) => c.notNull())
    .addUniqueConstraint("publication_plan_number", ["plan_id", "number"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("publication").execute();
}
