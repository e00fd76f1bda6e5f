import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { insertAudit } from "../db/repositories/audit.repository.ts";
import { deleteDatasetRows, findDataset, insertDataset, insertLocalRows, listDatasets, updateDataset } from "../db/repositories/local-incident.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { readLocalIncidents } from "../ingest/local/local-incident.reader.ts";
import { readLocalMapping } from "../ingest/local/local-mapping.ts";
import { type Pseudonymiser, pseudonymiserFromEnv } from "../ingest/local/pseudonymiser.ts";
import type { Actor } from "./audit.ts";

export interface LocalImportReport {
  dataset: string;
  file: string;
  sha256: string;
  /** imported: new dataset; replaced: --replace over a different file; unchanged: this file with this key is in already. */
  status: "imported" | "replaced" | "unchanged";
  rows: number;
  firstDay: string | null;
  lastDay: string | null;
  elapsedMs: number;
}

export interface LocalImportOptions {
  mappingFile: string;
  /** Dataset name (default: the file's name without its extension). */
  dataset?: string | undefined;
  /** Replace the dataset of that name when it holds a different file. */
  replace?: boolean | undefined;
  actor: Actor;
  now: Date;
  /** Where the key comes from (default process.env); tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** Given instead of env (benchmarks). */
  pseudonymiser?: Pseudonymiser;
}

const isoDay = (d: number | null) => (d === null ? null : `${Math.floor(d / 10000)}-${String(Math.floor(d / 100) % 100).padStart(2, "0")}-${String(d % 100).padStart(2, "0")}`);

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Imports a partner extract as one dataset, atomically: the key is checked first (no key, no
 * import), then every row is checked and pseudonymised while it is written inside one transaction;
 * any bad row rolls the whole file back and every bad row is listed (import.bad_rows). The same
 * file with the same key again changes nothing (sha256); a different file under an existing
 * dataset name needs --replace. One audit row records the import (file name, rows; no identifier).
 */
export async function importLocalIncidents(store: Store, filePath: string, opts: LocalImportOptions): Promise<LocalImportReport> {
  const started = Date.now();
  const pseudonyms = opts.pseudonymiser ?? pseudonymiserFromEnv(opts.env);
  const mapping = await readLocalMapping(opts.mappingFile);
  const label = path.basename(filePath);
  const name = (opts.dataset ?? label.replace(/\.[^.]*$/, "")).trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/.test(name)) {
    throw new AppError("input.invalid", `dataset name \`${name.slice(0, 80)}\` is not usable: letters, digits, space, dot, dash and underscore, up to 80`, { hint: "give --dataset NAME" });
  }
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
  } catch (e) {
    throw new AppError("import.not_found", `cannot read ${label} (${(e as NodeJS.ErrnoException).code ?? "error"})`, { hint: "check the path" });
  }
  const sha256 = await sha256Of(filePath);
  const existing = await findDataset(store, name);
  const same = (await listDatasets(store)).find((d) => d.sha256 === sha256 && d.keyId === pseudonyms.keyId);
  const unchanged = (d: typeof same & object): LocalImportReport => ({
    dataset: d.name,
    file: label,
    sha256,
    status: "unchanged",
    rows: d.rows,
    firstDay: isoDay(d.firstDay),
    lastDay: isoDay(d.lastDay),
    elapsedMs: Date.now() - started,
  });
  if (same) return unchanged(same);
  if (existing && !opts.replace) {
    throw new AppError("input.invalid", `dataset ${name} exists already (from ${existing.fileName}, ${existing.rows} rows${existing.keyId !== pseudonyms.keyId ? ", pseudonymised with another key" : ""})`, {
      hint: "give --replace to replace it with this file, or --dataset with a new name (after a key rotation, import under a new name: see decision 0018)",
    });
  }
  const meta = (rows: number, firstDay: number | null, lastDay: number | null) => ({
    fileName: label,
    sha256,
    keyId: pseudonyms.keyId,
    rows,
    firstDay,
    lastDay,
    importedAt: opts.now.toISOString(),
    importedBy: opts.actor.label,
  });

  const result = await inTransaction(store, async (tx) => {
    let id: number;
    if (existing) {
      id = existing.id;
      await deleteDatasetRows(tx, id);
    } else id = await insertDataset(tx, { name, ...meta(0, null, null) });
    const read = await readLocalIncidents(filePath, label, mapping, pseudonyms, (rows) => insertLocalRows(tx, id, rows));
    if (read.problemCount) {
      const rowsWithProblems = new Set(read.problems.map((p) => p.line).filter((l) => l !== undefined)).size;
      throw new AppError(
        "import.bad_rows",
        `${label}: ${read.problemCount} problem${read.problemCount === 1 ? "" : "s"}${rowsWithProblems ? ` on ${rowsWithProblems}${read.problemCount > read.problems.length ? "+" : ""} row${rowsWithProblems === 1 ? "" : "s"}` : ""}; nothing was imported`,
        { problems: read.problems, hint: "fix the listed lines (or the mapping) and import the file again: the whole file is imported or none of it" },
      );
    }
    if (read.sha256 !== sha256) throw new AppError("import.bad_rows", `${label} changed while it was being imported; nothing was imported`, { hint: "import it again once it is complete" });
    await updateDataset(tx, id, meta(read.rows, read.firstDay, read.lastDay));
    await insertAudit(tx, {
      at: opts.now.toISOString(),
      actor: opts.actor.label,
      action: existing ? "local.replace" : "local.import",
      target: `dataset:${name}`,
      before: existing ? { file: existing.fileName, rows: existing.rows, sha256: existing.sha256 } : null,
      after: { file: label, rows: read.rows, sha256, keyId: pseudonyms.keyId },
      ip: opts.actor.ip,
    });
    return read;
  });
  return {
    dataset: name,
    file: label,
    sha256,
    status: existing ? "replaced" : "imported",
    rows: result.rows,
    firstDay: isoDay(result.firstDay),
    lastDay: isoDay(result.lastDay),
    elapsedMs: Date.now() - started,
  };
}
