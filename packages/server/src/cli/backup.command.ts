import type { Command } from "commander";
import { backupStore, restoreStore } from "../services/backup.service.ts";
import { type CliContext, printJson } from "./context.ts";

function countsLine(c: { incidents: number; imports: number; users: number; plans: number; referenceDatasets: number }): string {
  return `${c.incidents} incidents, ${c.imports} register entries, ${c.users} accounts, ${c.plans} plans, ${c.referenceDatasets} reference datasets`;
}

/**
 * `safecity backup --out <file>` and `safecity restore --from <file> [--force]` (SQLite). On
 * PostgreSQL both refuse and print the pg_dump / pg_restore command to run (README, Backups).
 */
export function registerBackupCommands(program: Command, ctx: () => CliContext): void {
  program
    .command("backup")
    .description("write a consistent copy of the SQLite store while it is in use (PostgreSQL: prints the pg_dump command)")
    .requiredOption("--out <file>", "the backup file to write (new)")
    .option("--force", "overwrite --out if it exists")
    .option("--json", "print a machine-readable report")
    .action(async (o: { out: string; force?: boolean; json?: boolean }) => {
      const c = ctx();
      const r = await backupStore(await c.store(), o.out, { force: o.force === true });
      if (o.json) return printJson(c, r);
      c.out.write(`Backed up to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, migration ${r.migration}): ${countsLine(r.counts)}\n`);
    });
  program
    .command("restore")
    .description("replace the SQLite store with a backup from `safecity backup` (stop the server first; PostgreSQL: prints the pg_restore command)")
    .requiredOption("--from <file>", "the backup file")
    .option("--force", "replace a store that already holds data")
    .option("--json", "print a machine-readable report")
    .action(async (o: { from: string; force?: boolean; json?: boolean }) => {
      const c = ctx();
      const r = await restoreStore(c.config, o.from, { force: o.force === true });
      if (o.json) return printJson(c, r);
      const migrated = r.backupMigration === r.migration ? "" : ` (migrated forward from ${r.backupMigration})`;
      c.out.write(`Restored ${r.from} into ${r.into}, migration ${r.migration}${migrated}: ${countsLine(r.counts)}\n`);
    });
}
