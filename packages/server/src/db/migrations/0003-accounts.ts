import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * Accounts: organisations, users with roles, sessions, API tokens and the audit log.
 * Timestamps are ISO-8601 UTC text (compare as strings); flags are integers 0/1 on both dialects.
 * Session ids and API tokens are stored only as SHA-256 hashes of the secret the client holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const autoId = isPostgres(db) ? "serial" : "integer";

  await db.schema
    .createTable("organisation")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("app_user")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("session_user").on("session").column("user_id").execute();

  await db.schema
    .createTable("api_token")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target", "text")
    .addColumn("before", "text")
    .addColumn("after", "text")
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ["audit_log", "api_token", "session", "app_user", "organisation"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
