import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import {
  archivedCounts,
  archiveVersion,
  getImportVersion,
  markRestored,
  markUndone,
  restoreVersion,
} from "../db/repositories/import-version.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { type Actor, audit } from "./audit.ts";

export interface UndoResult {
  /** The import undone: superseded now, its rows in the archive (undoing `restored` brings it back). */
  undone: { id: number; rows: number };
  /** The version it had replaced: current again. */
  restored: { id: number; rows: number };
  force: string;
  month: string;
}

/**
 * Undoes an import that replaced a force-month (decision 0017): in one transaction, its incidents and
 * roll-up move to the archive and the version it replaced moves back, exactly as it was. The restored
 * version records the undone one as the version it replaced, so undoing it puts the undone one back.
 * Only the current version of a force-month can be undone; an import that replaced nothing, or
 * whose predecessor was replaced before versions were kept (migration 0011), is refused.
 */
export async function undoImport(store: Store, importId: number, actor: Actor, now: Date = new Date()): Promise<UndoResult> {
  return inTransaction(store, async (tx) => {
    const current = await getImportVersion(tx, importId);
    if (!current) throw new AppError("import.not_found", `There is no import ${importId} in the register.`, { hint: "the Data page's import register lists every import" });
    const what = `${current.force ?? "?"} ${current.month ?? "?"}`;
    if (current.status !== "imported") {
      throw new AppError("input.invalid", `Import ${importId} (${what}) is ${current.status}, not the current version of its force-month: only the current version can be undone`, {
        hint: "undo the import that is current for that force-month (the register shows it as imported)",
      });
    }
    if (current.replacedImportId === null || current.force === null || current.month === null) {
      throw new AppError("input.invalid", `Import ${importId} replaced nothing: there is no earlier version of ${what} to restore`, {
        hint: "import the file you want for that month instead",
      });
    }
    const previous = await getImportVersion(tx, current.replacedImportId);
    if (!previous || previous.status !== "superseded" || previous.force !== current.force || previous.month !== current.month) {
      throw new AppError("input.invalid", `Import ${current.replacedImportId}, which import ${importId} replaced, is not a kept version of ${what}`, {
        hint: "import the file you want for that month instead",
      });
    }
    const kept = await archivedCounts(tx, previous.id);
    if (kept.incidents !== previous.rows || kept.rollupTotal !== previous.rows) {
      throw new AppError(
        "input.invalid",
        `Import ${previous.id} (${what}, ${previous.rows.toLocaleString("en-GB")} rows) cannot be restored: its rows were not kept (${kept.incidents.toLocaleString("en-GB")} archived); it was replaced before Safe City kept replaced versions`,
        { hint: "import its file again (with --replace if it is much shorter than the current version)" },
      );
    }
    const at = now.toISOString();
    await archiveVersion(tx, current);
    await markUndone(tx, current.id, `undone by ${actor.label} at ${at}: import ${previous.id} restored; its rows are kept (undo import ${previous.id} to put them back)`);
    const restored = await restoreVersion(tx, previous.id);
    if (restored.incidents !== previous.rows) {
      // Checked above; a mismatch here means the archive changed under us: roll everything back.
      throw new Error(`restoring import ${previous.id} gave ${restored.incidents} rows, expected ${previous.rows}`);
    }
    await markRestored(tx, previous.id, {
      firstIncidentId: restored.firstIncidentId,
      lastIncidentId: restored.lastIncidentId,
      replacedImportId: current.id,
      finishedAt: at,
      message: `restored at ${at} by undoing import ${current.id}`,
    });
    await audit(tx, actor, now, "import.undo", `import:${current.id}`, {
      before: { current: current.id, rows: current.rows },
      after: { current: previous.id, rows: previous.rows, force: current.force, month: current.month },
    });
    return { undone: { id: current.id, rows: current.rows }, restored: { id: previous.id, rows: previous.rows }, force: current.force, month: current.month };
  });
}
