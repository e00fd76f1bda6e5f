import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError, type AppErrorCode, isAppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { markInterruptedImports } from "../db/repositories/import-register.repository.ts";
import {
  getImportJob,
  type ImportJobRow,
  importJobIdsInStates,
  insertImportJob,
  listImportJobs,
  updateImportJob,
} from "../db/repositories/import-job.repository.ts";
import { type ImportProgress, type ImportReport, importPoliceData } from "./import.service.ts";

/** What one job imports. */
export interface ImportJobSpec {
  paths: string[];
  user: string;
  skipInvalid: boolean;
  /** Replace force-months even with under half their rows (decision 0017). */
  replace?: boolean;
}

/**
 * Runs one job's import and reports progress. When `signal` aborts (the server is stopping) it stops
 * the import as soon as it can and rejects; the file being imported is rolled back.
 */
export type ImportRunner = (spec: ImportJobSpec, onProgress: (p: ImportProgress) => void, signal?: AbortSignal) => Promise<ImportReport>;

/**
 * Imports in this process on a store of its own (closed afterwards). On SQLite a request that
 * writes while a file's transaction is open waits synchronously (better-sqlite3), stalling the
 * event loop the import needs: use `childProcessRunner` in the server. It cannot be stopped
 * midway: a stop waits for it.
 */
export function inProcessRunner(openStore: () => Promise<Store>): ImportRunner {
  return async (spec, onProgress) => {
    const store = await openStore();
    try {
      return await importPoliceData(store, spec.paths, { user: spec.user, skipInvalid: spec.skipInvalid, replace: spec.replace, onProgress });
    } finally {
      await store.close();
    }
  };
}

// Same depth below packages/server from src/services/ and from the CLI bundle's dist/cli/.
const BIN = fileURLToPath(new URL("../../bin/safecity.js", import.meta.url));

/**
 * Imports in a child process (`safecity import-job`) opened with `env` (SAFECITY_DATA_DIR,
 * DATABASE_URL: the same store as the server). Its SQLite lock and busy waits stay out of the web
 * server's event loop; it reads progress and the report from the child's JSON lines.
 */
export function childProcessRunner(env: NodeJS.ProcessEnv): ImportRunner {
  return (spec, onProgress, signal) =>
    new Promise<ImportReport>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, "import-job", JSON.stringify(spec)], { env, stdio: ["pipe", "pipe", "pipe"] });
      // Stopping: SIGTERM ends the child at once, even in the middle of a synchronous write (its
      // open transaction is never committed); SIGKILL if it is somehow still there 10 s later.
      const onAbort = () => {
        child.stdin.end();
        child.kill("SIGTERM");
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        }, 10_000).unref();
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
      let report: ImportReport | null = null;
      let error: { code: string; message: string } | null = null;
      let out = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
        for (let i = out.indexOf("\n"); i >= 0; i = out.indexOf("\n")) {
          const line = out.slice(0, i).trim();
          out = out.slice(i + 1);
          if (!line.startsWith("{")) continue;
          try {
            const m = JSON.parse(line) as { progress?: ImportProgress; report?: ImportReport; error?: { code: string; message: string } };
            if (m.progress) onProgress(m.progress);
            if (m.report) report = m.report;
            if (m.error) error = m.error;
          } catch {
            stderr = `${stderr}\nunreadable output: ${line.slice(0, 200)}`.slice(-4000);
          }
        }
      });
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr = (stderr + d).slice(-4000);
      });
      child.on("error", reject);
      child.on("close", (code) => {
        signal?.removeEventListener("abort", onAbort);
        if (report) resolve(report);
        else if (error) reject(new AppError(error.code as AppErrorCode, error.message));
        else reject(new Error(`the import process exited with code ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}`));
      });
    });
}

export type ImportJobState = "queued" | "running" | "finished" | "failed" | "interrupted" | "discarded";

type Progress = { file: string | null; fileIndex: number; fileCount: number; bytesDone: number; bytesTotal: number; rows: number };

/**
 * A background import of uploaded files, kept in the database (`import_job`): a server that stops
 * (or dies) during a job marks it `interrupted` when it next starts, and the job can be resumed
 * from its kept upload files or discarded.
 */
export interface ImportJob {
  id: string;
  state: ImportJobState;
  user: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  uploads: { name: string; bytes: number }[];
  skipInvalid: boolean;
  /** Imported with "Replace anyway" (files with under half the rows of the month they replace go in). */
  replace: boolean;
  progress: Progress;
  report: ImportReport | null;
  /** Why the whole job failed before or outside any one file (bad archive, database down), or why it was interrupted. */
  error: { code: string; message: string } | null;
  /** Interrupted, with every uploaded file still on disk: it can be resumed. */
  resumable: boolean;
  /** Finished with files refused as short replacements, its files still on disk: "Replace anyway" can import them. */
  replaceable: boolean;
}

export interface ImportJobsOptions {
  /** Where jobs are kept (the server's store; the import itself runs through `runner`). */
  store: Store;
  /**
   * Runs an import: `childProcessRunner(env)` in the server, `inProcessRunner(openStore)` where no
   * other writer shares the process. Never the request store itself on SQLite: the importer holds
   * a write transaction on its connection for a whole file.
   */
  runner: ImportRunner;
  /** Uploads are written to `<uploadDir>/<job id>/`, removed when the job ends (kept while it is interrupted). */
  uploadDir: string;
  /** Largest upload accepted, in bytes. */
  limitBytes: number;
  now?: () => Date;
}

/** Why a job stopped when the server did. */
export const INTERRUPTED_ERROR = {
  code: "import.interrupted",
  message:
    "The server stopped before this import finished. Files imported before then are kept; the file being imported was rolled back. Resume to import the rest from the kept upload (files already imported are skipped), or discard it.",
} as const;

const EMPTY_PROGRESS: Progress = { file: null, fileIndex: 0, fileCount: 0, bytesDone: 0, bytesTotal: 0, rows: 0 };

interface Queued {
  job: ImportJob;
  paths: string[];
  dir: string;
}

/**
 * Runs imports one at a time in the background, in submission order. `reserve()` gives an id and a
 * directory for the upload, `submit()` queues it, `get()` reads its state and progress (live while
 * it runs, from the database afterwards). `recover()` at start marks what a stopped server left
 * behind; `stop()` at shutdown interrupts the running job cleanly.
 */
export class ImportJobs {
  readonly uploadDir: string;
  readonly limitBytes: number;
  private readonly store: Store;
  /** Jobs queued or running in this process (their live progress). */
  private readonly active = new Map<string, ImportJob>();
  private readonly queue: Queued[] = [];
  private running: Promise<void> | null = null;
  private readonly now: () => Date;
  /** Aborted by `stop()`: the running import stops. */
  private readonly stopController = new AbortController();
  private stopRequested = false;

  constructor(private readonly opts: ImportJobsOptions) {
    this.store = opts.store;
    this.uploadDir = opts.uploadDir;
    this.limitBytes = opts.limitBytes;
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * At start, before serving: jobs left queued or running by a server that stopped are marked
   * interrupted, and so are register entries (`import_file`) still `running`; upload folders that
   * belong to no interrupted job are removed. One server process per store.
   */
  async recover(): Promise<{ interruptedJobs: string[]; interruptedFiles: number; removedFolders: string[] }> {
    const at = this.now().toISOString();
    const interruptedJobs: string[] = [];
    for (const id of await importJobIdsInStates(this.store, ["queued", "running"])) {
      const changed = await updateImportJob(this.store, id, { state: "interrupted", finished_at: at, error: JSON.stringify(INTERRUPTED_ERROR) }, [
        "queued",
        "running",
      ]);
      if (changed) interruptedJobs.push(id);
    }
    const interruptedFiles = await markInterruptedImports(this.store);
    const keep = new Set(await importJobIdsInStates(this.store, ["interrupted"]));
    const removedFolders: string[] = [];
    fs.mkdirSync(this.uploadDir, { recursive: true });
    for (const entry of fs.readdirSync(this.uploadDir)) {
      if (keep.has(entry)) continue;
      fs.rmSync(path.join(this.uploadDir, entry), { recursive: true, force: true });
      removedFolders.push(entry);
    }
    return { interruptedJobs, interruptedFiles, removedFolders };
  }

  /** A fresh job id and the empty directory its upload goes into. */
  reserve(): { id: string; dir: string } {
    this.refuseWhenStopping();
    const id = crypto.randomBytes(6).toString("hex");
    const dir = path.join(this.uploadDir, id);
    fs.mkdirSync(dir, { recursive: true });
    return { id, dir };
  }

  /** Drops a reserved directory whose upload failed. */
  discard(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  /** Records and queues the import of files saved in `dir` (from `reserve()`); returns at once. */
  async submit(
    id: string,
    dir: string,
    input: { user: string; uploads: { name: string; path: string; bytes: number }[]; skipInvalid?: boolean; replace?: boolean },
  ): Promise<ImportJob> {
    this.refuseWhenStopping();
    const job: ImportJob = {
      id,
      state: "queued",
      user: input.user,
      createdAt: this.now().toISOString(),
      startedAt: null,
      finishedAt: null,
      uploads: input.uploads.map((u) => ({ name: u.name, bytes: u.bytes })),
      skipInvalid: input.skipInvalid ?? false,
      replace: input.replace ?? false,
      progress: { ...EMPTY_PROGRESS },
      report: null,
      error: null,
      resumable: false,
      replaceable: false,
    };
    await insertImportJob(this.store, {
      id,
      state: job.state,
      created_by: job.user,
      created_at: job.createdAt,
      skip_invalid: job.skipInvalid ? 1 : 0,
      replace: job.replace ? 1 : 0,
      uploads: JSON.stringify(input.uploads.map((u) => ({ name: u.name, bytes: u.bytes, file: path.relative(dir, u.path) }))),
      progress: JSON.stringify(job.progress),
    });
    this.enqueue({ job, paths: input.uploads.map((u) => u.path), dir });
    return job;
  }

  /** Queues an interrupted job again, importing its kept upload files. */
  async resume(id: string): Promise<ImportJob> {
    this.refuseWhenStopping();
    const row = await getImportJob(this.store, id);
    if (!row) throw new AppError("import.not_found", `There is no upload ${id}.`);
    const job = this.fromRow(row);
    if (!job.resumable) {
      throw new AppError(
        "input.invalid",
        job.state === "interrupted" ? `Upload ${id} cannot be resumed: its uploaded files are no longer on the server.` : `Upload ${id} is ${job.state}, not interrupted: there is nothing to resume.`,
        { hint: job.state === "interrupted" ? "Discard it and upload the files again." : undefined },
      );
    }
    const dir = path.join(this.uploadDir, id);
    const paths = uploadFiles(row).map((u) => path.join(dir, u.file));
    const resumed: ImportJob = { ...job, state: "queued", startedAt: null, finishedAt: null, error: null, report: null, progress: { ...EMPTY_PROGRESS }, resumable: false };
    const changed = await updateImportJob(
      this.store,
      id,
      { state: "queued", started_at: null, finished_at: null, error: null, report: null, progress: JSON.stringify(resumed.progress) },
      ["interrupted"],
    );
    if (!changed) throw new AppError("input.invalid", `Upload ${id} was resumed or discarded meanwhile.`);
    this.enqueue({ job: resumed, paths, dir });
    return resumed;
  }

  /**
   * "Replace anyway": imports a finished upload's kept files again with replace on, so the files it
   * refused as short replacements go in (files it imported come out `already imported`).
   */
  async replaceAnyway(id: string): Promise<ImportJob> {
    this.refuseWhenStopping();
    const row = await getImportJob(this.store, id);
    if (!row) throw new AppError("import.not_found", `There is no upload ${id}.`);
    const job = this.fromRow(row);
    if (!job.replaceable) {
      throw new AppError("input.invalid", `Upload ${id} has no file waiting for a replacement to be confirmed${job.state === "finished" && hasRefused(job) ? ": its uploaded files are no longer on the server" : ""}.`, {
        hint: "Upload the file again.",
      });
    }
    const dir = path.join(this.uploadDir, id);
    const paths = uploadFiles(row).map((u) => path.join(dir, u.file));
    const again: ImportJob = { ...job, state: "queued", replace: true, startedAt: null, finishedAt: null, error: null, report: null, progress: { ...EMPTY_PROGRESS }, replaceable: false };
    const changed = await updateImportJob(
      this.store,
      id,
      { state: "queued", replace: 1, started_at: null, finished_at: null, error: null, report: null, progress: JSON.stringify(again.progress) },
      ["finished"],
    );
    if (!changed) throw new AppError("input.invalid", `Upload ${id} was imported again meanwhile.`);
    this.enqueue({ job: again, paths, dir });
    return again;
  }

  /** Gives up an interrupted job: its kept upload files are removed; what it imported stays. */
  async discardInterrupted(id: string): Promise<ImportJob> {
    const row = await getImportJob(this.store, id);
    if (!row) throw new AppError("import.not_found", `There is no upload ${id}.`);
    const changed = await updateImportJob(this.store, id, { state: "discarded" }, ["interrupted"]);
    if (!changed) throw new AppError("input.invalid", `Upload ${id} is ${row.state}, not interrupted: only an interrupted upload can be discarded.`);
    fs.rmSync(path.join(this.uploadDir, id), { recursive: true, force: true });
    return this.fromRow({ ...row, state: "discarded" });
  }

  /** The job: live while queued or running here, otherwise as the database keeps it. */
  async get(id: string): Promise<ImportJob | undefined> {
    const live = this.active.get(id);
    if (live) return live;
    const row = await getImportJob(this.store, id);
    return row ? this.fromRow(row) : undefined;
  }

  /** The most recent jobs first (live ones with their current progress). */
  async list(limit = 10): Promise<ImportJob[]> {
    const rows = await listImportJobs(this.store, { limit });
    return rows.map((r) => this.active.get(r.id) ?? this.fromRow(r));
  }

  /** Interrupted jobs waiting for a decision (resume or discard), most recent first. */
  async interrupted(): Promise<ImportJob[]> {
    return (await listImportJobs(this.store, { limit: 100, states: ["interrupted"] })).map((r) => this.fromRow(r));
  }

  /** Resolves when no job is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Shutdown: refuse new uploads, mark queued jobs interrupted, stop the running import (its open
   * file is rolled back, its register entry marked interrupted) and wait for it. Upload files are
   * kept for a resume after the restart.
   */
  async stop(): Promise<void> {
    this.stopRequested = true;
    const at = this.now().toISOString();
    for (const q of this.queue.splice(0)) {
      q.job.state = "interrupted";
      q.job.finishedAt = at;
      q.job.error = { ...INTERRUPTED_ERROR };
      this.active.delete(q.job.id);
      await this.persist(q.job);
    }
    this.stopController.abort();
    await this.idle();
  }

  private refuseWhenStopping(): void {
    if (this.stopRequested) throw new AppError("upload.unavailable", "The server is stopping; uploads are not accepted now.", { hint: "Try again when it has restarted." });
  }

  private enqueue(q: Queued): void {
    this.active.set(q.job.id, q.job);
    this.queue.push(q);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await this.run(next.job, next.paths, next.dir);
      } catch (e) {
        // Only the job's own bookkeeping can throw here (the database went away): say so, go on.
        console.error(`import job ${next.job.id}: ${(e as Error).message}`);
      } finally {
        this.active.delete(next.job.id);
      }
    }
  }

  private async run(job: ImportJob, paths: string[], dir: string): Promise<void> {
    const signal = this.stopController.signal;
    job.state = "running";
    job.startedAt = this.now().toISOString();
    await this.persist(job);
    try {
      job.report = await this.opts.runner(
        { paths, user: job.user, skipInvalid: job.skipInvalid, replace: job.replace },
        (p: ImportProgress) => {
          job.progress = { file: p.file, fileIndex: p.fileIndex, fileCount: p.fileCount, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, rows: p.rows };
        },
        signal,
      );
      job.progress = {
        ...job.progress,
        fileIndex: job.report.files.length,
        fileCount: job.report.files.length,
        bytesDone: job.report.bytes,
        bytesTotal: job.report.bytes,
        rows: job.report.files.reduce((sum, f) => sum + f.rows, 0),
      };
      job.state = "finished";
    } catch (e) {
      if (signal.aborted) {
        job.state = "interrupted";
        job.error = { ...INTERRUPTED_ERROR };
        // The stopped import's register entry stays `running`: it is not, any more.
        await markInterruptedImports(this.store);
      } else {
        job.state = "failed";
        job.error = isAppError(e) ? { code: e.code, message: e.message } : { code: "internal", message: `import failed: ${(e as Error).message}` };
      }
    } finally {
      job.finishedAt = this.now().toISOString();
      // Kept for a resume, or for "Replace anyway" of refused files (until the server restarts).
      const keep = job.state === "interrupted" || (job.state === "finished" && hasRefused(job));
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
      job.resumable = job.state === "interrupted" && paths.every((p) => fs.existsSync(p));
      job.replaceable = job.state === "finished" && hasRefused(job) && paths.every((p) => fs.existsSync(p));
      await this.persist(job);
    }
  }

  private async persist(job: ImportJob): Promise<void> {
    await updateImportJob(this.store, job.id, {
      state: job.state,
      started_at: job.startedAt,
      finished_at: job.finishedAt,
      progress: JSON.stringify(job.progress),
      report: job.report ? JSON.stringify(job.report) : null,
      error: job.error ? JSON.stringify(job.error) : null,
    });
  }

  private fromRow(r: ImportJobRow): ImportJob {
    const uploads = uploadFiles(r);
    const state = r.state as ImportJobState;
    const dir = path.join(this.uploadDir, r.id);
    const onDisk = uploads.length > 0 && uploads.every((u) => fs.existsSync(path.join(dir, u.file)));
    const report = r.report ? (JSON.parse(r.report) as ImportReport) : null;
    return {
      id: r.id,
      state,
      user: r.created_by,
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      uploads: uploads.map((u) => ({ name: u.name, bytes: u.bytes })),
      skipInvalid: Number(r.skip_invalid) === 1,
      replace: Number(r.replace) === 1,
      progress: r.progress ? (JSON.parse(r.progress) as Progress) : { ...EMPTY_PROGRESS },
      report,
      error: r.error ? (JSON.parse(r.error) as { code: string; message: string }) : null,
      resumable: state === "interrupted" && onDisk,
      replaceable: state === "finished" && hasRefused({ report }) && onDisk,
    };
  }
}

/** Some file of the job's report was refused as a short replacement (decision 0017). */
function hasRefused(job: { report: ImportReport | null }): boolean {
  return job.report?.files.some((f) => f.status === "refused") ?? false;
}

function uploadFiles(r: ImportJobRow): { name: string; bytes: number; file: string }[] {
  return JSON.parse(r.uploads) as { name: string; bytes: number; file: string }[];
}
