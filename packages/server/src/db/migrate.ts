import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import * as m0001 from "./migrations/0001-initial.ts";
import * as m0002 from "./migrations/0002-area-indicators.ts";
import * as m0003 from "./migrations/0003-accounts.ts";

/** Migrations are listed here (not read from disk) so they run the same from source, tests and bundles. */
const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-area-indicators": m0002,
  "0003-accounts": m0003,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const what = failed ? `migration ${failed.migrationName} failed` : "migrations failed";
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
