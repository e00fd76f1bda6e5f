import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError, type AppErrorCode, isAppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type ImportProgress, type ImportReport, importPoliceData } from "./import.service.ts";

/** What one job imports. */
export interface ImportJobSpec {
  paths: string[];
  user: string;
  skipInvalid: boolean;
}

/** Runs one job's import and reports progress. */
export type ImportRunner = (spec: ImportJobSpec, onProgress: (p: ImportProgress) => void) => Promise<ImportReport>;

/**
 * Imports in this process on a store of its own (closed afterwards). On SQLite a request that
 * writes while a file's transaction is open waits synchronously (better-sqlite3), stalling the
 * event loop the import needs: use `childProcessRunner` in the server.
 */
export function inProcessRunner(openStore: () => Promise<Store>): ImportRunner {
  return async (spec, onProgress) => {
    const store = await openStore();
    try {
      return await importPoliceData(store, spec.paths, { user: spec.user, skipInvalid: spec.skipInvalid, onProgress });
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
  return (spec, onProgress) =>
    new Promise<ImportReport>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, "import-job", JSON.stringify(spec)], { env, stdio: ["pipe", "pipe", "pipe"] });
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
        if (report) resolve(report);
        else if (error) reject(new AppError(error.code as AppErrorCode, error.message));
        else reject(new Error(`the import process exited with code ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}`));
      });
    });
}

export type ImportJobState = "queued" | "running" | "finished" | "failed";

/** A background import of uploaded files. Jobs live in this process's memory only. */
export interface ImportJob {
  id: string;
  state: ImportJobState;
  user: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  uploads: { name: string; bytes: number }[];
  skipInvalid: boolean;
  progress: { file: string | null; fileIndex: number; fileCount: number; bytesDone: number; bytesTotal: number; rows: number };
  report: ImportReport | null;
  /** Why the whole job failed before or outside any one file (bad archive, database down). */
  error: { code: string; message: string } | null;
}

export interface ImportJobsOptions {
  /**
   * Runs an import: `childProcessRunner(env)` in the server, `inProcessRunner(openStore)` where no
   * other writer shares the process. Never the request store itself on SQLite: the importer holds
   * a write transaction on its connection for a whole file.
   */
  runner: ImportRunner;
  /** Uploads are written to `<uploadDir>/<job id>/` and removed when the job ends. */
  uploadDir: string;
  /** Largest upload accepted, in bytes. */
  limitBytes: number;
  now?: () => Date;
  /** Finished jobs remembered (oldest forgotten first). Default 100. */
  keepFinished?: number;
}

/**
 * Runs imports one at a time in the background, in submission order. `reserve()` gives an id and a
 * directory for the upload, `submit()` queues it, `get()` reads its state and progress.
 */
export class ImportJobs {
  readonly uploadDir: string;
  readonly limitBytes: number;
  private readonly jobs = new Map<string, ImportJob>();
  private readonly queue: { job: ImportJob; paths: string[]; dir: string }[] = [];
  private running: Promise<void> | null = null;
  private readonly now: () => Date;
  private readonly keepFinished: number;

  constructor(private readonly opts: ImportJobsOptions) {
    this.uploadDir = opts.uploadDir;
    this.limitBytes = opts.limitBytes;
    this.now = opts.now ?? (() => new Date());
    this.keepFinished = opts.keepFinished ?? 100;
  }

  /** A fresh job id and the empty directory its upload goes into. */
  reserve(): { id: string; dir: string } {
    const id = crypto.randomBytes(6).toString("hex");
    const dir = path.join(this.uploadDir, id);
    fs.mkdirSync(dir, { recursive: true });
    return { id, dir };
  }

  /** Drops a reserved directory whose upload failed. */
  discard(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  /** Queues the import of files saved in `dir` (from `reserve()`); returns at once. */
  submit(id: string, dir: string, input: { user: string; uploads: { name: string; path: string; bytes: number }[]; skipInvalid?: boolean }): ImportJob {
    const job: ImportJob = {
      id,
      state: "queued",
      user: input.user,
      createdAt: this.now().toISOString(),
      startedAt: null,
      finishedAt: null,
      uploads: input.uploads.map((u) => ({ name: u.name, bytes: u.bytes })),
      skipInvalid: input.skipInvalid ?? false,
      progress: { file: null, fileIndex: 0, fileCount: 0, bytesDone: 0, bytesTotal: 0, rows: 0 },
      report: null,
      error: null,
    };
    this.jobs.set(id, job);
    this.queue.push({ job, paths: input.uploads.map((u) => u.path), dir });
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return job;
  }

  get(id: string): ImportJob | undefined {
    return this.jobs.get(id);
  }

  /** Most recent first. */
  list(): ImportJob[] {
    return [...this.jobs.values()].reverse();
  }

  /** Resolves when no job is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      await this.run(next.job, next.paths, next.dir);
      this.forgetOld();
    }
  }

  private async run(job: ImportJob, paths: string[], dir: string): Promise<void> {
    job.state = "running";
    job.startedAt = this.now().toISOString();
    try {
      job.report = await this.opts.runner({ paths, user: job.user, skipInvalid: job.skipInvalid }, (p: ImportProgress) => {
        job.progress = { file: p.file, fileIndex: p.fileIndex, fileCount: p.fileCount, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, rows: p.rows };
      });
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
      job.state = "failed";
      job.error = isAppError(e) ? { code: e.code, message: e.message } : { code: "internal", message: `import failed: ${(e as Error).message}` };
    } finally {
      job.finishedAt = this.now().toISOString();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  private forgetOld(): void {
    const done = [...this.jobs.values()].filter((j) => j.state === "finished" || j.state === "failed");
    for (const j of done.slice(0, Math.max(0, done.length - this.keepFinished))) this.jobs.delete(j.id);
  }
}
