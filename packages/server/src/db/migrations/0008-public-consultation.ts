import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * Public consultation on a draft plan (docs/decisions/0007-public-consultation.md): responses from
 * members of the public, through the app's public form or imported from a survey tool's export,
 * recorded against the plan's consultation step (plan version and the date consultation started).
 * No personal data is asked for: an optional organisation, free text per priority and overall.
 * Analysts tag them (JSON list of lower-case themes). Never published: the public site reads none
 * of these tables. A comment keeps the priority's position and title as they were, and survives
 * the priority's removal (`priority_id` set null).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const autoId = (isPostgres(db) ? "serial" : "integer") as "integer";

  await db.schema
    .createTable("public_response")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("plan_version", "integer", (c) => c.notNull())
    .addColumn("consultation_started", "text")
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("organisation", "text")
    .addColumn("overall", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text")
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("public_response_plan").on("public_response").column("plan_id").execute();

  await db.schema
    .createTable("public_response_comment")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("response_id", "integer", (c) => c.notNull().references("public_response.id").onDelete("cascade"))
    .addColumn("priority_id", "integer", (c) => c.references("plan_priority.id").onDelete("set null"))
    .addColumn("priority_position", "integer", (c) => c.notNull())
    .addColumn("priority_title", "text", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("public_response_comment_response").on("public_response_comment").column("response_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("public_response_comment").ifExists().execute();
  await db.schema.dropTable("public_response").ifExists().execute();
}
