import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * Open indicators per local authority and per CSP (population density, IMD 2025 average score,
 * urban share, Census 2021 socio-economic shares), filled by `safecity reference install` and
 * used to compute similarity (peer) groups. One value per area and indicator.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("area_indicator")
    .addColumn("area_code", "text", (c) => c.notNull())
    .addColumn("indicator", "text", (c) => c.notNull())
    .addColumn("value", isPostgres(db) ? "double precision" : "real", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("area_indicator_pk", ["area_code", "indicator"])
    .execute();
  await db.schema.createIndex("area_indicator_indicator").on("area_indicator").column("indicator").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("area_indicator").ifExists().execute();
}
