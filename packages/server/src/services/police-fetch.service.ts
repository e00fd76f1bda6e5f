import fs from "node:fs";
import { AppError, addMonths, closeMatches, isMonth, monthRange } from "@safecity/core";
import yauzl from "yauzl";
import type { Store } from "../db/database.ts";
import { ArchiveCache } from "../ingest/police/archive-cache.ts";
import { downloadEntryByRange, extractFromSpool, openSpool, spoolWholeArchive } from "../ingest/police/archive-download.ts";
import { type ArchiveEntry, archiveContents, listStreetEntries, selectEntries } from "../ingest/police/archive-entries.ts";
import { type ByteCounter, HttpRangeReader, type OpenedArchive, openRemoteArchive, remoteValidator } from "../ingest/police/archive-http.ts";
import { type ImportReport, importPoliceData } from "./import.service.ts";

/** data.police.uk's monthly archives: `<base>YYYY-MM.zip` (36 months of every force) and `<base>latest.zip`. */
export const POLICE_ARCHIVE_BASE = "https://data.police.uk/data/archive/";
/** A police.uk archive holds this many months. */
const ARCHIVE_MONTHS = 36;
const MAX_ARCHIVES = 6;

/**
 * The archive URL for a month (or the latest): `--archive-url` may hold `{month}` (replaced by
 * YYYY-MM or `latest`), name one `.zip` (used for every month), or be a folder (`<folder>/YYYY-MM.zip`).
 */
export function archiveUrl(spec: string | null | undefined, month: string | null): string {
  const s = spec?.trim() || POLICE_ARCHIVE_BASE;
  const name = month ?? "latest";
  if (s.includes("{month}")) return s.replaceAll("{month}", name);
  if (/\.zip([?#].*)?$/i.test(s)) return s;
  return `${s.replace(/\/+$/, "")}/${name}.zip`;
}

function singleArchive(spec: string | null | undefined): boolean {
  const s = spec?.trim() || POLICE_ARCHIVE_BASE;
  return !s.includes("{month}") && /\.zip([?#].*)?$/i.test(s);
}

export type FetchEvent =
  | { type: "archive"; url: string; mode: "ranged" | "whole" | "cached listing"; size: number | null }
  | { type: "plan"; url: string; download: number; cached: number; bytes: number }
  | { type: "bytes"; url: string; n: number }
  | { type: "file"; file: string; status: FileFetchStatus; bytes: number }
  | { type: "note"; message: string };

export type FileFetchStatus = "downloaded" | "resumed" | "cached";

export interface FetchPoliceOptions {
  forces: readonly string[];
  from?: string;
  to?: string;
  archiveUrl?: string | null;
  cacheDir: string;
  user: string;
  retries?: number;
  backoffMs?: (attempt: number) => number;
  onEvent?: (e: FetchEvent) => void;
  /** Download and verify only; no import (tests, and `--download-only`). */
  downloadOnly?: boolean;
}

export interface FetchPoliceReport {
  archives: { url: string; mode: string }[];
  files: { file: string; entry: string; status: FileFetchStatus; bytes: number }[];
  /** Months in the period the archive has no street file for, by force. */
  missing: Record<string, string[]>;
  from: string;
  to: string;
  bytesReceived: number;
  requests: number;
  import: ImportReport | null;
}

function checkMonths(from?: string, to?: string): void {
  for (const [flag, v] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if (v !== undefined && !isMonth(v)) throw new AppError("input.invalid", `${flag} must be a month as YYYY-MM; got \`${v}\``, { hint: "e.g. --from 2025-01 --to 2025-12" });
  }
  if (from && to && from > to) throw new AppError("input.invalid", `--from ${from} is after --to ${to}`, { hint: "give the earlier month as --from" });
}

/** An archive's street entries: from the cache when the server says it has not changed, else its central directory. */
async function listArchive(url: string, cache: ArchiveCache, counter: ByteCounter, emit: (e: FetchEvent) => void): Promise<{ entries: ArchiveEntry[]; whole: OpenedArchive | null }> {
  const cached = await cache.listing(url);
  if (cached) {
    let validator: string | null = null;
    try {
      validator = await remoteValidator(url, counter);
    } catch (e) {
      emit({ type: "note", message: `${url} cannot be reached (${(e as Error).message}); using the listing cached on an earlier run` });
      emit({ type: "archive", url, mode: "cached listing", size: null });
      return { entries: cached.entries, whole: null };
    }
    if (validator && validator === cached.validator) {
      emit({ type: "archive", url, mode: "cached listing", size: null });
      return { entries: cached.entries, whole: null };
    }
  }
  const opened = await openRemoteArchive(url, counter);
  emit({ type: "archive", url, mode: opened.mode, size: opened.size });
  if (opened.mode === "whole") return { entries: [], whole: opened };
  const reader = new HttpRangeReader(opened, counter);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromRandomAccessReader(reader, opened.size, { lazyEntries: true, autoClose: false, decodeStrings: false, strictFileNames: false } as yauzl.Options, (err, z) =>
      err || !z
        ? reject(
            new AppError("fetch.bad_archive", `${url}: not a readable zip archive (${err?.message ?? "unknown error"})`, {
              hint: "check --archive-url; or download the archive by hand and `safecity import` it",
            }),
          )
        : resolve(z),
    );
  });
  const entries = await listStreetEntries(zip, url);
  await cache.saveListing({ url, validator: opened.validator, entries });
  return { entries, whole: null };
}

/** `safecity fetch police --list`: each force in the archive and its months. */
export async function listPoliceArchive(opts: { archiveUrl?: string | null; to?: string; cacheDir: string }): Promise<{ url: string; forces: { force: string; months: string[] }[] }> {
  checkMonths(undefined, opts.to);
  const url = archiveUrl(opts.archiveUrl, opts.to ?? null);
  const cache = new ArchiveCache(opts.cacheDir);
  await cache.prepare();
  const counter = { received: 0, requests: 0 };
  let { entries, whole } = await listArchive(url, cache, counter, () => {});
  if (whole?.mode === "whole") entries = await listFromSpool(url, whole.response, cache, counter, () => {});
  return { url, forces: [...archiveContents(entries)].map(([force, months]) => ({ force, months })) };
}

async function listFromSpool(url: string, response: Response, cache: ArchiveCache, counter: ByteCounter, emit: (e: FetchEvent) => void): Promise<ArchiveEntry[]> {
  const spool = await spoolWholeArchive(url, response, cache, { counter, onBytes: (n) => emit({ type: "bytes", url, n }) });
  try {
    const entries = await listStreetEntries(await openSpool(spool, url), url);
    return entries;
  } finally {
    await fs.promises.rm(spool, { force: true });
  }
}

/**
 * `safecity fetch police`: the wanted force-months' street files from the police.uk archive (only
 * their bytes, by Range; the whole archive streamed once where Range is not honoured), each verified
 * into the cache, then imported through the normal import (atomic per file; a file imported before
 * is skipped). Nothing is imported unless every wanted file downloaded and verified.
 */
export async function fetchPoliceData(store: Store | null, opts: FetchPoliceOptions): Promise<FetchPoliceReport> {
  checkMonths(opts.from, opts.to);
  const forces = [...new Set(opts.forces.map((f) => f.trim().toLowerCase()).filter(Boolean))];
  if (!forces.length) {
    throw new AppError("input.invalid", "say which force(s) to fetch: --force <name>", { hint: "`safecity fetch police --list` lists the forces, e.g. --force hampshire" });
  }
  const emit = opts.onEvent ?? (() => {});
  const cache = new ArchiveCache(opts.cacheDir);
  await cache.prepare();
  const counter: ByteCounter = { received: 0, requests: 0 };
  const report: FetchPoliceReport = { archives: [], files: [], missing: {}, from: opts.from ?? "", to: opts.to ?? "", bytesReceived: 0, requests: 0, import: null };
  const fetched = new Set<string>();
  const fetchedMonths = new Set<string>();
  const csvFiles: string[] = [];
  // Newest archive first; an older one only for months older than the newest one holds.
  let archiveMonth: string | null = opts.to ?? null;
  let to: string | undefined = opts.to;
  let from: string | undefined = opts.from;
  for (let n = 0; n < MAX_ARCHIVES; n++) {
    const url = archiveUrl(opts.archiveUrl, archiveMonth);
    const listed = await listArchive(url, cache, counter, emit);
    report.archives.push({ url, mode: listed.whole ? "whole" : "ranged" });
    let entries = listed.entries;
    let spool: string | null = null;
    if (listed.whole?.mode === "whole") {
      spool = await spoolWholeArchive(url, listed.whole.response, cache, { counter, onBytes: (b) => emit({ type: "bytes", url, n: b }) });
      entries = await listStreetEntries(await openSpool(spool, url), url);
      await cache.saveListing({ url, validator: listed.whole.validator, entries });
    }
    try {
      const selection = selectEntries(entries, { forces, from, to }, url, (f, known) => closeMatches(f, known.map((name) => ({ name }))).map((m) => m.name));
      to ??= selection.to;
      from ??= selection.from;
      const wanted = selection.entries.filter((e) => !fetched.has(e.name));
      const todo: ArchiveEntry[] = [];
      for (const e of wanted) {
        if (await cache.has(e)) {
          report.files.push({ file: cache.csvPath(e), entry: e.name, status: "cached", bytes: 0 });
          emit({ type: "file", file: e.name, status: "cached", bytes: 0 });
        } else todo.push(e);
      }
      emit({ type: "plan", url, download: todo.length, cached: wanted.length - todo.length, bytes: todo.reduce((s, e) => s + e.compressedSize, 0) });
      if (spool) {
        await extractFromSpool(spool, url, todo, cache, (e) => {
          report.files.push({ file: cache.csvPath(e), entry: e.name, status: "downloaded", bytes: e.compressedSize });
          emit({ type: "file", file: e.name, status: "downloaded", bytes: e.compressedSize });
        });
      } else {
        for (const e of todo) {
          const before = counter.received;
          const { resumed } = await downloadEntryByRange(url, e, cache, {
            counter,
            retries: opts.retries,
            backoffMs: opts.backoffMs,
            onBytes: (b) => emit({ type: "bytes", url, n: b }),
          });
          const status = resumed ? "resumed" : "downloaded";
          report.files.push({ file: cache.csvPath(e), entry: e.name, status, bytes: counter.received - before });
          emit({ type: "file", file: e.name, status, bytes: counter.received - before });
        }
      }
      for (const e of wanted) {
        fetched.add(e.name);
        fetchedMonths.add(`${e.force} ${e.month}`);
        csvFiles.push(cache.csvPath(e));
      }
    } finally {
      if (spool) await fs.promises.rm(spool, { force: true });
    }
    // An archive covers the 36 months to its newest (police.uk keeps 36 in each; a month absent inside
    // them is a gap in the data, not in the archive); months before that are in an older archive.
    const newest = entries.map((e) => e.month).sort().pop();
    const covers = newest ? addMonths(newest, -(ARCHIVE_MONTHS - 1)) : null;
    if (singleArchive(opts.archiveUrl) || !covers || !from || from >= covers) break;
    if (archiveMonth && addMonths(covers, -1) >= archiveMonth) break;
    archiveMonth = addMonths(covers, -1);
    to = archiveMonth;
    if (monthRange(from, to).length > ARCHIVE_MONTHS * MAX_ARCHIVES) break;
  }
  report.from = opts.from ?? from ?? "";
  report.to = opts.to ?? [...fetchedMonths].map((fm) => fm.split(" ")[1]!).sort().pop() ?? "";
  if (report.from && report.to && report.from <= report.to) {
    for (const force of forces) {
      const absent = monthRange(report.from, report.to).filter((m) => !fetchedMonths.has(`${force} ${m}`));
      if (absent.length) report.missing[force] = absent;
    }
  }
  report.bytesReceived = counter.received;
  report.requests = counter.requests;
  if (!csvFiles.length) {
    throw new AppError("data.missing", `the archive has no street files for ${forces.join(", ")} between ${report.from} and ${report.to}`, {
      hint: "`safecity fetch police --list` shows the months each force has",
    });
  }
  if (store && !opts.downloadOnly) report.import = await importPoliceData(store, csvFiles.sort(), { user: opts.user });
  return report;
}
