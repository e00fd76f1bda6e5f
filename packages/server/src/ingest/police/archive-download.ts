import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import yauzl from "yauzl";
import type { ArchiveCache } from "./archive-cache.ts";
import { entryBytes, writeVerified } from "./archive-crc.ts";
import type { ArchiveEntry } from "./archive-entries.ts";
import { type ByteCounter, bodyChunks, byHandHint, rangeBytes, rangeChunks } from "./archive-http.ts";

/** Attempts per download after a dropped connection (each resumes where the last stopped). */
export const DEFAULT_RETRIES = 3;

export interface DownloadOptions {
  counter: ByteCounter;
  retries?: number;
  /** Compressed bytes of this entry (or of the whole archive) received so far. */
  onBytes?: (n: number) => void;
  /** Milliseconds before retry `attempt` (default 1 s x attempt); tests pass 0. */
  backoffMs?: (attempt: number) => number;
}

const LOCAL_HEADER = 0x04034b50;

async function withRetries<T>(opts: DownloadOptions, run: () => Promise<T>): Promise<T> {
  const retries = opts.retries ?? DEFAULT_RETRIES;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== "fetch.failed" || attempt >= retries) throw e;
      const wait = opts.backoffMs ? opts.backoffMs(attempt + 1) : 1000 * (attempt + 1);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Appends chunks to `file`, reporting each; whatever arrived before a failure stays on disk for the next attempt. */
async function appendChunks(file: string, chunks: AsyncIterable<Buffer>, onChunk: (n: number) => void): Promise<void> {
  const fd = await fs.promises.open(file, "a", 0o600);
  try {
    for await (const chunk of chunks) {
      await fd.write(chunk);
      onChunk(chunk.length);
    }
  } finally {
    await fd.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  return fs.promises.stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

/**
 * Downloads one entry by Range: its local header (30 bytes, to find where the data starts), then its
 * compressed data into a `.part` file, resumed from the part's length after a dropped connection or
 * an earlier interrupted run; then inflated, checked (CRC-32, size) and put in the cache.
 * Answers whether an earlier part was resumed.
 */
export async function downloadEntryByRange(url: string, entry: ArchiveEntry, cache: ArchiveCache, opts: DownloadOptions): Promise<{ resumed: boolean }> {
  await cache.prepare(entry);
  const part = cache.partPath(entry);
  const header = await withRetries(opts, () => rangeBytes(url, entry.localHeaderOffset, entry.localHeaderOffset + 30, opts.counter));
  if (header.readUInt32LE(0) !== LOCAL_HEADER) {
    throw new AppError("fetch.bad_archive", `${url}: no local file header where the directory places \`${entry.name}\` (offset ${entry.localHeaderOffset})`, {
      hint: `the archive may have changed while it was read: run the command again; or ${byHandHint(url)}`,
    });
  }
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  let have = await sizeOf(part);
  if (have > entry.compressedSize) {
    await fs.promises.rm(part, { force: true });
    have = 0;
  }
  const resumed = have > 0;
  opts.onBytes?.(have);
  await withRetries(opts, async () => {
    if (have >= entry.compressedSize) return;
    const chunks = await rangeChunks(url, dataStart + have, dataStart + entry.compressedSize, opts.counter);
    await appendChunks(part, chunks, (n) => {
      have += n;
      opts.onBytes?.(n);
    });
    if (have < entry.compressedSize) throw new AppError("fetch.failed", `${url}: the transfer of \`${entry.name}\` ended early`, { hint: "run again" });
  });
  try {
    await writeVerified(entryBytes(part, entry), entry, cache.csvPath(entry), url);
  } finally {
    // A verified part is done with; a corrupt one must be downloaded afresh, not resumed.
    await fs.promises.rm(part, { force: true });
  }
  await cache.markVerified(entry, url);
  return { resumed };
}

/**
 * For a server that ignores Range: the whole archive, streamed once into a spool file (the response
 * already open), then opened as a zip. The caller lists and extracts what it wants, then removes it.
 */
export async function spoolWholeArchive(url: string, response: Response, cache: ArchiveCache, opts: DownloadOptions): Promise<string> {
  const spool = cache.spoolPath(url);
  await fs.promises.mkdir(path.dirname(spool), { recursive: true, mode: 0o700 });
  await fs.promises.rm(spool, { force: true });
  try {
    await appendChunks(spool, bodyChunks(url, response, opts.counter), (n) => opts.onBytes?.(n));
  } catch (e) {
    await fs.promises.rm(spool, { force: true });
    throw e;
  }
  return spool;
}

export function openSpool(spool: string, url: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(spool, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false, strictFileNames: false } as yauzl.Options, (err, zip) => {
      if (err || !zip) {
        reject(
          new AppError("fetch.bad_archive", `${url}: what the server sent is not a readable zip archive (${err?.message ?? "unknown error"})`, {
            hint: `check --archive-url; or ${byHandHint(url)}`,
          }),
        );
      } else resolve(zip);
    });
  });
}

/** The wanted entries out of the spooled archive, each checked (CRC-32, size) into the cache. */
export async function extractFromSpool(spool: string, url: string, wanted: readonly ArchiveEntry[], cache: ArchiveCache, onEntry: (e: ArchiveEntry) => void): Promise<void> {
  const zip = await openSpool(spool, url);
  try {
    const byOffset = new Map<number, yauzl.Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (e: yauzl.Entry) => {
        byOffset.set(e.relativeOffsetOfLocalHeader, e);
        zip.readEntry();
      });
      zip.on("end", () => resolve());
      zip.on("error", reject);
      zip.readEntry();
    });
    for (const entry of wanted) {
      const found = byOffset.get(entry.localHeaderOffset);
      if (!found) throw new AppError("fetch.bad_archive", `${url}: entry \`${entry.name}\` vanished from the archive`, { hint: byHandHint(url) });
      await cache.prepare(entry);
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
        zip.openReadStream(found, (err, s) => (err || !s ? reject(err) : resolve(s)));
      });
      // The CRC and size checks are ours (writeVerified), the same as on the Range path.
      await writeVerified(stream as unknown as AsyncIterable<Buffer>, entry, cache.csvPath(entry), url);
      await cache.markVerified(entry, url);
      onEntry(entry);
    }
  } finally {
    zip.close();
  }
}
