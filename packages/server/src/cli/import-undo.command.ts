import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { undoImport } from "../services/import-undo.service.ts";
import { type CliContext, printJson } from "./context.ts";

/**
 * `safecity import undo <import id>`: puts back the version of a force-month that the import
 * replaced, in one transaction; the undone import's rows are kept, so undoing the restored import
 * puts them back (decision 0017).
 */
export function registerImportUndoCommand(importCommand: Command, ctx: () => CliContext): void {
  importCommand
    .command("undo")
    .description("undo an import that replaced a force-month: the version it replaced is restored (its own rows are kept)")
    .argument("<import-id>", "the import to undo (`safecity status` and the Data page's register list them)")
    .option("--json", "print a machine-readable result")
    .action(async (idText: string, options: { json?: boolean }) => {
      const c = ctx();
      const id = Number(idText);
      if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id) || id <= 0) {
        throw new AppError("input.invalid", `\`${idText}\` is not an import id`, { hint: "give the number from the import register, e.g. `safecity import undo 12`" });
      }
      const store = await c.store();
      const r = await undoImport(store, id, { label: c.config.user, ip: null });
      if (options.json) return printJson(c, r);
      const n = (x: number) => x.toLocaleString("en-GB");
      c.out.write(
        `Undid import ${r.undone.id} (${n(r.undone.rows)} rows) for ${r.force} ${r.month}: import ${r.restored.id} (${n(r.restored.rows)} rows) is current again.\n` +
          `Import ${r.undone.id}'s rows are kept; \`safecity import undo ${r.restored.id}\` puts them back.\n`,
      );
    });
}
