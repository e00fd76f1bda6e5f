import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { isPostgres } from "./dialect.ts";
import { checkMigrationLevel } from "./migration-level.ts";
import * as m0001 from "./migrations/0001-initial.ts";
import * as m0002 from "./migrations/0002-area-indicators.ts";
import * as m0003 from "./migrations/0003-accounts.ts";
import * as m0004 from "./migrations/0004-peer-groups.ts";
import * as m0005 from "./migrations/0005-partnership-plan.ts";
import * as m0006 from "./migrations/0006-demo-data.ts";
import * as m0007 from "./migrations/0007-publications.ts";
import * as m0008 from "./migrations/0008-public-consultation.ts";
import * as m0009 from "./migrations/0009-accounts-tokens.ts";
import * as m0010 from "./migrations/0010-durable-jobs.ts";
import * as m0011 from "./migrations/0011-replaced-versions.ts";
import * as m0013 from "./migrations/0013-local-incidents.ts";
import * as m0014 from "./migrations/0014-imd-without-crime.ts";
import * as m0015 from "./migrations/0015-user-default-area.ts";

/** Migrations are listed here (not read from disk) so they run the same from source, tests and bundles. */
const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-area-indicators": m0002,
  "0003-accounts": m0003,
  "0004-peer-groups": m0004,
  "0005-partnership-plan": m0005,
  "0006-demo-data": m0006,
  "0007-publications": m0007,
  "0008-public-consultation": m0008,
  "0009-accounts-tokens": m0009,
  "0010-durable-jobs": m0010,
  "0011-replaced-versions": m0011,
  "0013-local-incidents": m0013,
  "0014-imd-without-crime": m0014,
  "0015-user-default-area": m0015,
};

/** The names of the migrations this code knows, in order (a store's level is its latest). */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(MIGRATIONS).sort();

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  // Kysely looks for its own tables in every schema unless told which one; on PostgreSQL name the
  // current schema, or a leftover kysely_migration_lock in another schema (a parallel test's) is
  // taken for ours and migrating fails with `relation "kysely_migration_lock" does not exist`.
  const schema = isPostgres(db) ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  await checkMigrationLevel(db, KNOWN_MIGRATIONS);
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const what = failed ? `migration ${failed.migrationName} failed` : "migrations failed";
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
