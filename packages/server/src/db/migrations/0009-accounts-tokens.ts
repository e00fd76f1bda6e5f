import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * Account self-service and hardening (decision 0010):
 * - api_token: expiry, scope (`read` | `write`), when it was revoked. Tokens made before this
 *   migration keep the power they had (`write`) and expire 90 days from the upgrade.
 * - session: last activity (idle timeout), last password entry (re-authentication before admin
 *   actions), the address and browser it was opened from (the "Your account" list).
 * - password_reset: one-time links an administrator issues; only the SHA-256 of the secret is kept.
 * - login_failure: failed sign-ins (account, client, time) for the persistent throttle.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const autoId = isPostgres(db) ? "serial" : "integer";

  await db.schema.alterTable("api_token").addColumn("expires_at", "text").execute();
  await db.schema
    .alterTable("api_token")
    .addColumn("scope", "text", (c) => c.notNull().defaultTo("write"))
    .execute();
  await db.schema.alterTable("api_token").addColumn("revoked_at", "text").execute();
  const in90Days = new Date(Date.now() + 90 * 86_400_000).toISOString();
  await sql`update api_token set expires_at = ${in90Days} where expires_at is null`.execute(db);
  await db.schema.createIndex("api_token_user").on("api_token").column("user_id").execute();

  await db.schema.alterTable("session").addColumn("last_seen_at", "text").execute();
  await db.schema.alterTable("session").addColumn("authenticated_at", "text").execute();
  await db.schema.alterTable("session").addColumn("ip", "text").execute();
  await db.schema.alterTable("session").addColumn("user_agent", "text").execute();
  await sql`update session set last_seen_at = created_at, authenticated_at = created_at`.execute(db);

  await db.schema
    .createTable("password_reset")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("password_reset_user").on("password_reset").column("user_id").execute();

  await db.schema
    .createTable("login_failure")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("account", "text", (c) => c.notNull())
    .addColumn("client", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_failure_account").on("login_failure").columns(["account", "at"]).execute();
  await db.schema.createIndex("login_failure_client").on("login_failure").columns(["client", "at"]).execute();
  await db.schema.createIndex("login_failure_at").on("login_failure").column("at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("login_failure").ifExists().execute();
  await db.schema.dropTable("password_reset").ifExists().execute();
  for (const c of ["user_agent", "ip", "authenticated_at", "last_seen_at"]) await db.schema.alterTable("session").dropColumn(c).execute();
  await db.schema.dropIndex("api_token_user").ifExists().execute();
  for (const c of ["revoked_at", "scope", "expires_at"]) await db.schema.alterTable("api_token").dropColumn(c).execute();
}
