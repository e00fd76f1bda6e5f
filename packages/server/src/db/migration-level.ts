import { AppError } from "@safecity/core";
import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect.ts";

/**
 * Migrations run forward only. A database migrated by a newer Safe City has migrations this code
 * does not know: opening it would run old code on a schema it was not written for, so it is refused
 * with both versions named. The version of a store is the name of its latest migration.
 */

/** The migrations recorded in the store (sorted), or null when it has never been migrated. */
export async function appliedMigrations(db: Kysely<unknown>): Promise<string[] | null> {
  const exists = isPostgres(db)
    ? (await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db)).rows[0]?.t
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db)).rows[0]?.name;
  if (!exists) return null;
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** The latest of `names` ("none" when empty): the level a store or this code is at. */
export function migrationLevel(names: readonly string[]): string {
  return [...names].sort().at(-1) ?? "none";
}

/** Throws when `applied` holds a migration that `known` (this code's) does not. */
export function checkKnownMigrations(applied: readonly string[], known: readonly string[], what = "This database"): void {
  const knownSet = new Set(known);
  const unknown = applied.filter((n) => !knownSet.has(n));
  if (!unknown.length) return;
  throw new AppError(
    "db.unavailable",
    `${what} is at migration ${migrationLevel(applied)}, newer than this version of Safe City knows (it knows up to ${migrationLevel(known)}; unknown: ${unknown.join(", ")}).`,
    { hint: "Run the newer version of Safe City that migrated it, or restore a backup made by this version. Migrations only go forward." },
  );
}

/** Refuses to open a store migrated by a newer Safe City (before any migration runs). */
export async function checkMigrationLevel(db: Kysely<unknown>, known: readonly string[]): Promise<void> {
  const applied = await appliedMigrations(db);
  if (applied) checkKnownMigrations(applied, known);
}
