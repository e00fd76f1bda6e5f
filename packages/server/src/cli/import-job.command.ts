import { AppError, isAppError } from "@safecity/core";
import type { Command } from "commander";
import type { ImportJobSpec } from "../services/import-job.service.ts";
import { importPoliceData } from "../services/import.service.ts";
import type { CliContext } from "./context.ts";

/** Progress lines are written at most this often. */
const PROGRESS_EVERY_MS = 200;

/**
 * `safecity import-job '<spec JSON>'` (hidden): the server runs an upload's import in this child
 * process so that SQLite's write lock and busy waits never stall the web server's event loop.
 * Writes JSON lines to stdout: `{"progress": …}` as it goes, then `{"report": …}` or
 * `{"error": {code, message}}`. Exits when its parent closes stdin or dies (the server stopped), and
 * on SIGTERM (the server's graceful stop), leaving the open file's transaction uncommitted.
 */
export function registerImportJobCommand(program: Command, ctx: () => CliContext): void {
  program
    .command("import-job", { hidden: true })
    .description("(used by the server) import an upload's files, reporting progress as JSON lines")
    .argument("<spec>", 'JSON: {"paths": [...], "user": "...", "skipInvalid": false}')
    .action(async (specText: string) => {
      const c = ctx();
      const spec = parseSpec(specText);
      process.stdin.on("end", () => process.exit(130));
      process.stdin.resume();
      // A file's import can run without a turn of the event loop (synchronous reads and SQLite
      // writes), so the closed stdin may not be seen until it ends: check for a dead parent (the
      // server was killed; this process is re-parented) on every progress report as well. Exiting
      // rolls back the open file's transaction.
      const parent = process.ppid;
      const orphaned = () => process.ppid !== parent;
      const line = (value: unknown) => c.out.write(`${JSON.stringify(value)}\n`);
      try {
        const store = await c.store();
        let last = 0;
        const report = await importPoliceData(store, spec.paths, {
          user: spec.user,
          skipInvalid: spec.skipInvalid,
          replace: spec.replace,
          // Reports, the register and errors name the uploaded files, never the server's upload folder.
          limits: { namesOnly: true },
          onProgress: (p) => {
            if (orphaned()) process.exit(130);
            const now = Date.now();
            if (now - last < PROGRESS_EVERY_MS) return;
            last = now;
            line({ progress: p });
          },
        });
        line({ report });
      } catch (e) {
        line({ error: isAppError(e) ? { code: e.code, message: e.message } : { code: "internal", message: `import failed: ${(e as Error).message}` } });
        throw e;
      } finally {
        process.stdin.destroy();
      }
    });
}

function parseSpec(text: string): ImportJobSpec {
  try {
    const v = JSON.parse(text) as ImportJobSpec;
    if (Array.isArray(v.paths) && v.paths.every((p) => typeof p === "string") && typeof v.user === "string") {
      return { paths: v.paths, user: v.user, skipInvalid: v.skipInvalid === true, replace: v.replace === true };
    }
  } catch {
    // reported below
  }
  throw new AppError("input.invalid", 'import-job needs a JSON spec: {"paths": [...], "user": "..."}');
}
