import type { Kysely } from "kysely";

/*
 * Peer groups entered by an analyst (e.g. the official Most Similar Group list) per area code.
 * `codes` is the members' ONS codes, comma-separated, the area itself excluded.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("peer_group")
    .addColumn("area_code", "text", (c) => c.primaryKey())
    .addColumn("codes", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("peer_group").execute();
}
