import os from "node:os";
import path from "node:path";
import { AppError, CRIME_TYPES, type ProblemLine, localAuthorityFromLsoaName } from "@safecity/core";
import type { Store } from "../db/database.ts";
import {
  type ImportTransaction,
  type PreviousImport,
  type RollupCell,
  openImportTransaction,
  tuneStoreForImport,
} from "../db/repositories/incident-import.repository.ts";
import {
  createRunningImport,
  deleteImportAttempt,
  finishImportAttempt,
  markInterruptedImports,
} from "../db/repositories/import-register.repository.ts";
import { referenceGeographyInstalled } from "../db/repositories/area.repository.ts";
import { demoLoaded } from "../db/repositories/demo.repository.ts";
import { loadChangedLsoa11, loadKnownLsoaCodes, loadReferenceLsoaCodes } from "../db/repositories/lsoa-map.repository.ts";
import { storageProblem } from "../db/storage-errors.ts";
import { type PoliceSource, type SourceLimits, openSources } from "../ingest/police/police-sources.ts";
import { StreetBatchReader } from "../ingest/police/street-batch.ts";
import type { StreetParseEvent } from "../ingest/police/street-file-parser.ts";
import { StreetParseWorker, parseInThread } from "../ingest/police/street-parse-worker.ts";
import { STREET_MAX_RECORD_BYTES, checkStreetHeader, emptyStreetRow } from "../ingest/police/street-row.ts";
import { audit } from "./audit.ts";

export type FileStatus = "imported" | "replaced" | "already imported" | "refused" | "rejected" | "failed" | "not yet supported";

export interface FileReport {
  file: string;
  kind: PoliceSource["kind"];
  force: string | null;
  month: string | null;
  status: FileStatus;
  importId: number | null;
  /** Valid rows imported (or that would have been, for a rejected file). */
  rows: number;
  rejectedRows: number;
  noLocationRows: number;
  sha256: string | null;
  /**
   * Rows whose LSOA code the installed reference data does not know: imported (the force's totals
   * count them) but in no area, and creating none. Always 0 without reference data, when LSOAs and
   * local authorities are derived from the police.uk names instead.
   */
  unknownLsoaRows: number;
  /** The first 100 of those rows, `file:line: message`. */
  warnings: ProblemLine[];
  /** The first 100 problems, `line: message`; `errorCount` has them all. */
  errors: ProblemLine[];
  errorCount: number;
  message: string | null;
  /** A `refused` file: the import it would have replaced, with under half its rows (decision 0017). */
  replacing?: { importId: number; rows: number };
}

export interface ImportReport {
  files: FileReport[];
  /** Paths and entries that are not CSV files. */
  ignored: string[];
  /** Earlier attempts found still `running` (a killed process) and marked interrupted. */
  interruptedEarlier: number;
  totals: { files: number; rows: number; rejectedRows: number; noLocationRows: number; byStatus: Record<string, number> };
  bytes: number;
  elapsedMs: number;
}

export interface ImportProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

export interface ImportOptions {
  /** Import the valid rows of a file with malformed rows, listing the rejected ones. */
  skipInvalid?: boolean;
  /** Replace a force-month even with under half its rows (otherwise such a file is `refused`). */
  replace?: boolean;
  /** Who is importing: recorded in the register and the audit log. */
  user: string;
  /** The client's address when the import came through the web (the audit row records it). */
  ip?: string | null;
  /** Files of the demo's synthetic city: marked demo in the register from the start (`safecity demo`). */
  demo?: boolean;
  now?: () => Date;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Size limits: the longest CSV record (default 1 MB) and the largest and most compressed zip
   * entry (police-sources.ts). Tests lower them.
   */
  limits?: SourceLimits & { maxRecordBytes?: number };
  /**
   * Longest the whole call may take (default 2 hours; the national archive of one month imports in
   * about a minute). Past it the file being read is rolled back and the rest are not started, each
   * reported `failed` with the reason, so one slow upload cannot hold the import queue for ever.
   */
  timeLimitMs?: number;
}

export const DEFAULT_IMPORT_TIME_LIMIT_MS = 2 * 60 * 60 * 1000;

const MAX_LISTED_PROBLEMS = 100;
const FLUSH_ROWS = 4096;
/**
 * Imports of at least this many bytes parse in a worker thread while this one writes (decision 0021),
 * when a core is spare (the load average leaves one free): the worker costs about 40% more CPU in all
 * (the hand-off), which pays only on a core that would otherwise be idle. Smaller imports parse here
 * (starting a worker costs about as much as it saves on a few MB). SAFECITY_IMPORT_WORKER=1 always
 * uses the worker, =0 never.
 */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;

function startParseWorker(bytesTotal: number): StreetParseWorker | null {
  const setting = process.env.SAFECITY_IMPORT_WORKER;
  const spareCore = os.availableParallelism() - os.loadavg()[0]! >= 1;
  const use = setting === "1" ? true : setting === "0" ? false : bytesTotal >= WORKER_MIN_BYTES && spareCore;
  return use ? new StreetParseWorker() : null;
}

/**
 * Imports police.uk street CSVs from files, folders and zip archives. Each file is atomic (all of
 * its rows or none), idempotent (same content: no-op; same force-month: replaced in one
 * transaction) and streamed (one file's batch at a time is in memory).
 */
export async function importPoliceData(store: Store, paths: readonly string[], opts: ImportOptions): Promise<ImportReport> {
  const now = opts.now ?? (() => new Date());
  const started = now().getTime();
  if (!opts.demo && (await demoLoaded(store.db))) {
    // The demo's synthetic reference geography is installed: every real row's LSOA would be
    // unknown (kept out of every area), and stay so after the demo is removed.
    throw new AppError("demo.refused", "The demo partnership is loaded: real police data imported now could not be placed in any area", {
      hint: "remove the demo first (`safecity demo --remove`, or the button on the Status page), then import",
    });
  }
  const opened = await openSources(paths, opts.limits);
  const deadline = started + (opts.timeLimitMs ?? DEFAULT_IMPORT_TIME_LIMIT_MS);
  const restore = tuneStoreForImport(store);
  let parseWorker: StreetParseWorker | null = null;
  try {
    const interruptedEarlier = await markInterruptedImports(store);
    const changedLsoa11 = await loadChangedLsoa11(store);
    const reference = await referenceGeographyInstalled(store);
    // With reference data, only its LSOAs count as known (not ones an earlier upload derived).
    const knownLsoas = reference ? await loadReferenceLsoaCodes(store) : await loadKnownLsoaCodes(store);
    const bytesTotal = opened.sources.reduce((sum, s) => sum + s.size, 0);
    parseWorker = opened.sources.some((s) => s.kind === "street") ? startParseWorker(bytesTotal) : null;
    const files: FileReport[] = [];
    let bytesBefore = 0;
    let rowsBefore = 0;
    for (const [index, source] of opened.sources.entries()) {
      const progress = opts.onProgress
        ? (bytes: number, rows: number) =>
            opts.onProgress!({
              file: source.label,
              fileIndex: index,
              fileCount: opened.sources.length,
              bytesDone: bytesBefore + bytes,
              bytesTotal,
              rows: rowsBefore + rows,
            })
        : undefined;
      const report =
        now().getTime() > deadline
          ? timedOut(source, opts.timeLimitMs ?? DEFAULT_IMPORT_TIME_LIMIT_MS)
          : source.kind === "street"
            ? await importStreetSource(store, source, { ...opts, now, changedLsoa11, knownLsoas, reference, progress, deadline, parseWorker })
            : unsupported(source);
      files.push(report);
      bytesBefore += source.size;
      rowsBefore += report.rows;
    }
    const byStatus: Record<string, number> = {};
    for (const f of files) byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
    const imported = files.filter((f) => f.status === "imported" || f.status === "replaced");
    if (!opts.demo) await auditImport(store, opts, now(), files);
    return {
      files,
      ignored: opened.ignored,
      interruptedEarlier,
      totals: {
        files: files.length,
        rows: imported.reduce((s, f) => s + f.rows, 0),
        rejectedRows: files.reduce((s, f) => s + f.rejectedRows, 0),
        noLocationRows: imported.reduce((s, f) => s + f.noLocationRows, 0),
        byStatus,
      },
      bytes: bytesTotal,
      elapsedMs: now().getTime() - started,
    };
  } finally {
    restore();
    opened.close();
    await parseWorker?.close();
  }
}

/** One audit row per import run: who, and each file's name (never its server path), force, month, status and rows. */
async function auditImport(store: Store, opts: ImportOptions, at: Date, files: FileReport[]): Promise<void> {
  const listed = files.slice(0, 500).map((f) => ({
    file: path.basename(f.file),
    force: f.force,
    month: f.month,
    status: f.status,
    rows: f.rows,
    rejectedRows: f.rejectedRows,
  }));
  await audit(store, { label: opts.user, ip: opts.ip ?? null }, at, "import.run", `${files.length} file${files.length === 1 ? "" : "s"}`, {
    after: { files: listed, ...(files.length > listed.length ? { more: files.length - listed.length } : {}) },
  });
}

function timeLimitText(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

function timedOut(source: PoliceSource, limitMs: number): FileReport {
  return {
    ...emptyReport(source),
    status: "failed",
    message: `not imported: the import reached its time limit of ${timeLimitText(limitMs)} before this file; import it again on its own`,
  };
}

function unsupported(source: PoliceSource): FileReport {
  return {
    ...emptyReport(source),
    status: "not yet supported",
    message: `${source.kind} files are recognised but not imported yet; only street-level crime is`,
  };
}

function emptyReport(source: PoliceSource): FileReport {
  return {
    file: source.label,
    kind: source.kind,
    force: source.force,
    month: source.month,
    status: "imported",
    importId: null,
    rows: 0,
    rejectedRows: 0,
    noLocationRows: 0,
    sha256: null,
    unknownLsoaRows: 0,
    warnings: [],
    errors: [],
    errorCount: 0,
    message: null,
  };
}

interface StreetImportContext extends ImportOptions {
  now: () => Date;
  changedLsoa11: Map<string, string[]>;
  /** LSOA codes already in lsoa_geo: only new ones are written. */
  knownLsoas: Set<string>;
  /** Reference geography is installed: unknown LSOA codes are reported, not added. */
  reference: boolean;
  progress: ((bytes: number, rows: number) => void) | undefined;
  /** Epoch ms past which the file being read is abandoned (rolled back). */
  deadline: number;
  /** Parses in a worker thread when set, else in this one. */
  parseWorker: StreetParseWorker | null;
}

async function importStreetSource(store: Store, source: PoliceSource, ctx: StreetImportContext): Promise<FileReport> {
  const report = emptyReport(source);
  const importId = await createRunningImport(store, {
    fileName: source.label,
    force: source.force,
    month: source.month,
    startedAt: ctx.now().toISOString(),
    importedBy: ctx.user,
    demo: ctx.demo ?? false,
  });
  report.importId = importId;
  // the worker's code loaded before the write lock is taken (see StreetParseWorker.ready)
  await ctx.parseWorker?.ready();
  const tx = await openImportTransaction(store, importId);
  const rollup = new RollupAccumulator();
  const lsoaNames = new Map<string, { name: string; ladName: string }>();
  const months = new Set<string>();
  const row = emptyStreetRow();
  const rows = new StreetBatchReader(store.dialect === "postgres");
  let fallsWithin: string | null = null;
  let sawHeader = false;
  let fatal = false;

  const problem = (line: number | undefined, message: string) => {
    report.errorCount++;
    if (report.errors.length < MAX_LISTED_PROBLEMS) report.errors.push({ file: source.label, line, message });
  };
  const addRow = (line: number) => {
    report.rows++;
    if (row.longitude === null) report.noLocationRows++;
    if (report.errorCount === 0 || ctx.skipInvalid) tx.add(row);
    fallsWithin ??= row.fallsWithin;
    months.add(row.month);
    const lsoa = row.lsoaCode === "" ? "" : (ctx.changedLsoa11.get(row.lsoaCode)?.[0] ?? row.lsoaCode);
    rollup.add(lsoa, row.month, row.crimeTypeId);
    if (row.lsoaCode !== "" && !ctx.knownLsoas.has(row.lsoaCode) && !ctx.knownLsoas.has(lsoa)) {
      if (ctx.reference) {
        report.unknownLsoaRows++;
        if (report.warnings.length < MAX_LISTED_PROBLEMS) {
          report.warnings.push({
            file: source.label,
            line,
            message: `LSOA code ${row.lsoaCode} is not in the installed reference data: the row is kept out of every area (counted as unknown LSOA)`,
          });
        }
      } else if (!lsoaNames.has(row.lsoaCode)) {
        // Copies: the row's texts are slices of a whole batch, which kept keys would pin in memory.
        lsoaNames.set(flat(row.lsoaCode), { name: flat(row.lsoaName), ladName: localAuthorityFromLsoaName(row.lsoaName)! });
      }
    }
  };
  const onEvent = (e: StreetParseEvent) => {
    if (e.kind === "csv") {
      problem(e.line, e.message);
      if (e.fatal) fatal = true;
      else report.rejectedRows++;
      return;
    }
    if (fatal) return;
    if (e.kind === "header") {
      sawHeader = true;
      for (const message of checkStreetHeader(e.fields)) problem(e.line, message);
      if (report.errorCount) fatal = true;
    } else if (e.kind === "invalid") {
      report.rejectedRows++;
      problem(e.line, e.message);
    } else {
      rows.load(e.batch);
      for (let line = rows.next(row); line > 0; line = rows.next(row)) addRow(line);
    }
  };
  const parseOptions = { month: source.month, maxRecordBytes: ctx.limits?.maxRecordBytes ?? STREET_MAX_RECORD_BYTES };
  const parse = ctx.parseWorker ? ctx.parseWorker.open(parseOptions, onEvent) : parseInThread(parseOptions, onEvent);

  try {
    const stream = await source.open();
    let bytes = 0;
    for await (const chunk of stream) {
      bytes += chunk.length;
      await parse.push(chunk);
      // A fatal problem (bad encoding, an over-long line) ends the file: the rest is not read.
      if (parse.done) break;
      if (tx.pending >= FLUSH_ROWS) await tx.flush();
      ctx.progress?.(bytes, report.rows);
      if (ctx.now().getTime() > ctx.deadline) {
        throw new AppError("import.time_limit", `${source.label}: the import reached its time limit of ${timeLimitText(ctx.timeLimitMs ?? DEFAULT_IMPORT_TIME_LIMIT_MS)}`, {
          hint: "import large archives with `safecity import` on the server, or split the upload",
        });
      }
    }
    report.sha256 = await parse.end();
    if (!sawHeader && !fatal) {
      problem(undefined, "the file is empty: expected the police.uk street header and rows");
      fatal = true;
    }

    if (fatal || (report.errorCount > 0 && !ctx.skipInvalid)) {
      await tx.rollback();
      report.status = "rejected";
      report.message = fatal
        ? "file rejected: nothing of it was imported"
        : `file rejected: ${report.rejectedRows} malformed row${report.rejectedRows === 1 ? "" : "s"}; nothing of it was imported (fix the rows, or use --skip-invalid to import the valid rows)`;
      const problems = report.errors.map((e) => `${e.line ?? "-"}: ${e.message}`).join("\n");
      return recordOutcome(store, importId, "rejected", report, ctx, `${report.message}\n${problems}`);
    }

    const same = await tx.findSameContent(report.sha256);
    if (same !== null) {
      await tx.rollback();
      await deleteImportAttempt(store, importId);
      report.status = "already imported";
      report.importId = same;
      report.message = `identical to import ${same}: nothing changed`;
      return report;
    }

    report.force ??= fallsWithin ? slugify(fallsWithin) : null;
    report.month ??= months.size === 1 ? [...months][0]! : null;
    if (report.force && report.month) {
      const previous = await tx.findForceMonth(report.force, report.month);
      if (previous && 2 * report.rows < previous.rows && !ctx.replace) return await refuseShortReplacement(store, tx, report, previous, ctx);
      if (previous) {
        await tx.supersede(previous, importId);
        report.status = "replaced";
        report.message = `replaced import ${previous.id} for ${report.force} ${report.month}`;
      }
    }
    await tx.writeRollup(rollup.cells());
    await tx.addLsoaNames(lsoaNames);
    for (const code of lsoaNames.keys()) ctx.knownLsoas.add(code);
    if (report.force) await tx.upsertForce(report.force, fallsWithin);
    if (report.rejectedRows) report.message = `${report.rejectedRows} malformed row(s) skipped (--skip-invalid)`;
    if (report.unknownLsoaRows) {
      const unknown = `${report.unknownLsoaRows} row(s) with an LSOA code not in the reference data, kept out of every area (unknown LSOA), first at line ${report.warnings[0]?.line}`;
      report.message = report.message ? `${report.message}; ${unknown}` : unknown;
    }
    await tx.commit({
      force: report.force,
      month: report.month,
      rows: report.rows,
      rejectedRows: report.rejectedRows,
      noLocationRows: report.noLocationRows,
      sha256: report.sha256,
      finishedAt: ctx.now().toISOString(),
      message: report.message,
    });
    return report;
  } catch (e) {
    parse.abort();
    await tx.rollback();
    // A full or read-only disk is said in one line, without the server's paths.
    const message = e instanceof AppError ? e.message : (storageProblem(e, "on the server")?.message ?? `import failed: ${(e as Error).message}`);
    report.status = "failed";
    report.message = `${message}; nothing of this file was imported`;
    return recordOutcome(store, importId, "failed", report, ctx, report.message);
  }
}

/**
 * A valid file with under half the rows of the force-month it would replace (a 49-row file for a
 * month of 12,302): nothing is changed unless the import asks to replace (decision 0017).
 */
async function refuseShortReplacement(
  store: Store,
  tx: ImportTransaction,
  report: FileReport,
  previous: PreviousImport,
  ctx: StreetImportContext,
): Promise<FileReport> {
  await tx.rollback();
  const n = (x: number) => x.toLocaleString("en-GB");
  report.status = "refused";
  report.replacing = { importId: previous.id, rows: previous.rows };
  report.message =
    `not imported: its ${n(report.rows)} rows would replace the ${n(previous.rows)} rows of import ${previous.id} for ${report.force} ${report.month} (under half). ` +
    "If this file is right, import it again with --replace (the Data page: Replace anyway); the replaced version is kept and `safecity import undo` restores it";
  return recordOutcome(store, report.importId!, "refused", report, ctx, report.message);
}

/** Writes a file's outcome (nothing of it imported) to its register row, and returns the report. */
async function recordOutcome(
  store: Store,
  importId: number,
  status: "rejected" | "failed" | "refused",
  report: FileReport,
  ctx: StreetImportContext,
  message: string,
): Promise<FileReport> {
  await finishImportAttempt(store, importId, {
    status,
    sha256: report.sha256 ?? "",
    rows: report.rows,
    rejectedRows: report.rejectedRows,
    finishedAt: ctx.now().toISOString(),
    message,
  });
  return report;
}

/** Counts rows by LSOA x month x crime type without building a key string per row. */
class RollupAccumulator {
  private readonly byLsoa = new Map<string, Map<string, Int32Array>>();

  add(lsoa: string, month: string, crimeTypeId: number): void {
    let months = this.byLsoa.get(lsoa);
    if (!months) {
      months = new Map();
      this.byLsoa.set(flat(lsoa), months);
    }
    let types = months.get(month);
    if (!types) {
      types = new Int32Array(CRIME_TYPES.length + 1);
      months.set(flat(month), types);
    }
    types[crimeTypeId]!++;
  }

  /** Cells in key order (LSOA, month, type): the roll-up's primary-key order, so inserts append. */
  cells(): RollupCell[] {
    const cells: RollupCell[] = [];
    for (const lsoaCode of [...this.byLsoa.keys()].sort()) {
      const months = this.byLsoa.get(lsoaCode)!;
      for (const month of [...months.keys()].sort()) {
        const types = months.get(month)!;
        for (let t = 1; t < types.length; t++) if (types[t]) cells.push({ lsoaCode, crimeTypeId: t, month, n: types[t]! });
      }
    }
    return cells;
  }
}

/** A copy of a short text that shares no memory with the (large) text it was sliced from. */
function flat(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8");
}

/** `Hampshire Constabulary` -> `hampshire-constabulary`, for files not named the police.uk way. */
function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
