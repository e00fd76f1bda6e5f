import type { Kysely } from "kysely";

/*
 * A default area per user (issue 12 item 6): the CSP or local authority the analysis pages open on
 * when no area is asked for. `area` is the level-qualified name the area field takes
 * (`csp:Southampton`), as resolved when it was saved; `area_code` its GSS code (null for a local
 * authority known only from police.uk LSOA names). One row per user, gone with the user.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("user_default_area")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("app_user.id").onDelete("cascade"))
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("area_code", "text")
    .addColumn("area_level", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("user_default_area").execute();
}
