import type { Kysely } from "kysely";

/*
 * `safecity demo` marks what it loads so `safecity demo --remove` takes exactly that away and the
 * pages can label it: the police imports of the synthetic city (the import register shows them as
 * demo) and its reference dataset. Plans, indicators, grant budgets and organisations carry their
 * own `demo` flag (migration 0005).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("import_file")
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("reference_dataset")
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("import_file").dropColumn("demo").execute();
  await db.schema.alterTable("reference_dataset").dropColumn("demo").execute();
}
