import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isAppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type ImportProgress, type ImportReport, importPoliceData } from "./import.service.ts";

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
   * Opens the store the job imports into, closed when the job ends. It must not be the request
   * store on SQLite: the importer holds a write transaction on its connection for a whole file.
   */
  openStore: () => Promise<Store>;
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
    let store: Store | null = null;
    try {
      store = await this.opts.openStore();
      job.report = await importPoliceData(store, paths, {
        user: job.user,
        skipInvalid: job.skipInvalid,
        onProgress: (p: ImportProgress) => {
          job.progress = { file: p.file, fileIndex: p.fileIndex, fileCount: p.fileCount, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, rows: p.rows };
        },
      });
      job.progress = { ...job.progress, fileIndex: job.report.files.length, fileCount: job.report.files.length, bytesDone: job.report.bytes, bytesTotal: job.report.bytes };
      job.state = "finished";
    } catch (e) {
      job.state = "failed";
      job.error = isAppError(e) ? { code: e.code, message: e.message } : { code: "internal", message: `import failed: ${(e as Error).message}` };
    } finally {
      job.finishedAt = this.now().toISOString();
      await store?.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  private forgetOld(): void {
    const done = [...this.jobs.values()].filter((j) => j.state === "finished" || j.state === "failed");
    for (const j of done.slice(0, Math.max(0, done.length - this.keepFinished))) this.jobs.delete(j.id);
  }
}
