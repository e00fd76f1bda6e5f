import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * Local incident data (issue 14, decision 0018): partner extracts imported with a column mapping.
 * Victim and location identifiers arrive here only as keyed hashes (HMAC-SHA-256 with a key from
 * the environment, never stored): `victim_key`, `location_key` are 32 hex digits (128 bits of the
 * HMAC). `day` is YYYYMMDD as an integer, `minutes` after midnight or null, `crime_type_id` the
 * police.uk crime type the mapping gave, `x`/`y` British National Grid metres (null without a
 * point), `flags` a bit set (1 domestic, 2 alcohol, 4 night-time economy, 8 hate, 16 vulnerable).
 * A dataset is readable only by the users and roles granted it (`local_dataset_grant`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const autoId = (isPostgres(db) ? "serial" : "integer") as "integer";
  await db.schema
    .createTable("local_dataset")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    /** The first 16 hex digits of HMAC(key, "safecity key id"): which key made the pseudonyms, not the key. */
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("rows", "integer", (c) => c.notNull())
    .addColumn("first_day", "integer")
    .addColumn("last_day", "integer")
    .addColumn("imported_at", "text", (c) => c.notNull())
    .addColumn("imported_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("local_incident")
    .addColumn("dataset_id", "integer", (c) => c.notNull().references("local_dataset.id").onDelete("cascade"))
    .addColumn("day", "integer", (c) => c.notNull())
    .addColumn("minutes", "integer")
    .addColumn("crime_type_id", "integer", (c) => c.notNull())
    .addColumn("offence_code", "text", (c) => c.notNull())
    .addColumn("victim_key", "text")
    .addColumn("location_key", "text")
    .addColumn("x", "double precision")
    .addColumn("y", "double precision")
    .addColumn("lsoa_code", "text")
    .addColumn("flags", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("local_incident_dataset_day").on("local_incident").columns(["dataset_id", "day"]).execute();
  await db.schema
    .createTable("local_dataset_grant")
    .addColumn("dataset_id", "integer", (c) => c.notNull().references("local_dataset.id").onDelete("cascade"))
    /** Exactly one of user_id and role. */
    .addColumn("user_id", "integer", (c) => c.references("app_user.id").onDelete("cascade"))
    .addColumn("role", "text")
    .addColumn("granted_by", "text", (c) => c.notNull())
    .addColumn("granted_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("local_dataset_grant_dataset").on("local_dataset_grant").column("dataset_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("local_dataset_grant").execute();
  await db.schema.dropTable("local_incident").execute();
  await db.schema.dropTable("local_dataset").execute();
}
