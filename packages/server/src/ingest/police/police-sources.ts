import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import yauzl from "yauzl";

export type SourceKind = "street" | "outcomes" | "stop-and-search";

/** One CSV to import: a file on disk or an entry of a zip archive, opened lazily and streamed. */
export interface PoliceSource {
  /** What the user sees: `path/to/file.csv` or `archive.zip:2025-01/2025-01-hampshire-street.csv`. */
  label: string;
  /** Just the file name. */
  fileName: string;
  kind: SourceKind;
  /** From the police.uk file name `YYYY-MM-<force>-street.csv`, else null. */
  force: string | null;
  month: string | null;
  /** Uncompressed size in bytes. */
  size: number;
  open(): Promise<AsyncIterable<Buffer>>;
}

export interface OpenedSources {
  sources: PoliceSource[];
  /** Files that are not police.uk CSVs (read-me files, other formats), listed in the report. */
  ignored: string[];
  close(): void;
}

/**
 * Largest uncompressed zip entry imported: police.uk's largest street file (the Metropolitan
 * Police, one month) is about 25 MB, so 256 MB is ten times room. The size an entry declares is
 * checked before anything is read, and yauzl (validateEntrySizes) stops a stream that inflates past
 * what its entry declared.
 */
export const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024 * 1024;
/**
 * Highest compression ratio accepted for an entry over 1 MB: police.uk CSVs deflate about 6-10 to 1;
 * a zip bomb (a long run of one character) reaches 1,000 to 1.
 */
export const DEFAULT_MAX_COMPRESSION_RATIO = 100;

export interface SourceLimits {
  maxEntryBytes?: number;
  maxCompressionRatio?: number;
  /**
   * Name files by their base name only, in labels and messages (uploads: the server's upload
   * folder is nobody's business, and the register keeps what the user would recognise).
   */
  namesOnly?: boolean;
}

function shown(p: string, limits: SourceLimits): string {
  return limits.namesOnly ? path.basename(p) : p;
}

const POLICE_FILE = /^(\d{4}-(?:0[1-9]|1[0-2]))-(.+)-(street|outcomes|stop-and-search)\.csv$/i;

/** Classifies a file name; plain `*.csv` files without the police.uk name are treated as street files. */
export function describeFileName(fileName: string): { kind: SourceKind; force: string | null; month: string | null } {
  const m = POLICE_FILE.exec(fileName);
  if (!m) return { kind: "street", force: null, month: null };
  return { kind: m[3]!.toLowerCase() as SourceKind, force: m[2]!.toLowerCase(), month: m[1]! };
}

/**
 * Resolves every path (CSV files, folders searched recursively, `.zip` archives) into sources.
 * Everything is checked before anything is imported: a missing path, an unreadable archive or an
 * unsafe entry name fails the whole operation up front.
 */
export async function openSources(paths: readonly string[], limits: SourceLimits = {}): Promise<OpenedSources> {
  const sources: PoliceSource[] = [];
  const ignored: string[] = [];
  const zips: yauzl.ZipFile[] = [];
  const close = () => {
    for (const z of zips) z.close();
  };
  try {
    for (const p of paths) await addPath(p, sources, ignored, zips, limits);
  } catch (e) {
    close();
    throw e;
  }
  return { sources, ignored, close };
}

async function addPath(p: string, sources: PoliceSource[], ignored: string[], zips: yauzl.ZipFile[], limits: SourceLimits): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(p);
  } catch {
    throw new AppError("import.not_found", `${shown(p, limits)}: no such file or folder`, { hint: "check the path; police.uk archives are .zip files" });
  }
  if (stat.isDirectory()) {
    const entries = (await fs.promises.readdir(p)).sort();
    for (const name of entries) {
      const child = path.join(p, name);
      const s = await fs.promises.stat(child);
      if (s.isDirectory() || /\.(csv|zip)$/i.test(name)) await addPath(child, sources, ignored, zips, limits);
      else ignored.push(shown(child, limits));
    }
    return;
  }
  if (/\.zip$/i.test(p)) {
    const zip = await openZip(p, limits);
    zips.push(zip.file);
    sources.push(...zip.sources);
    ignored.push(...zip.ignored);
    return;
  }
  if (!/\.csv$/i.test(p)) {
    throw new AppError("import.unsupported", `${shown(p, limits)}: not a .csv or .zip file`, { hint: "import police.uk street CSV files, folders of them, or .zip archives" });
  }
  const fileName = path.basename(p);
  sources.push({
    label: shown(p, limits),
    fileName,
    ...describeFileName(fileName),
    size: stat.size,
    open: async () => readFileChunks(p),
  });
}

const CHUNK_BYTES = 1 << 20;
/** Chunks read between two turns of the event loop (so a server importing in the background still answers). */
const CHUNKS_PER_TURN = 8;

/**
 * A file's bytes in 1 MB chunks, read synchronously: a stream costs several event-loop round trips
 * per chunk (open, read, end, close through the thread pool), which for police.uk's many small files
 * was idle time. Still streamed: one chunk at a time is in memory.
 */
async function* readFileChunks(file: string): AsyncGenerator<Buffer> {
  const fd = fs.openSync(file, "r");
  try {
    for (let n = 1; ; n++) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) return;
      yield read === CHUNK_BYTES ? chunk : chunk.subarray(0, read);
      if (n % CHUNKS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** An entry name that could escape the folder it is extracted to, or is otherwise unsafe. */
export function unsafeEntryReason(name: string): string | null {
  if (name.includes("\\")) return "contains a backslash";
  if (name.startsWith("/") || /^[a-z]:/i.test(name)) return "is an absolute path";
  if (name.split("/").some((part) => part === "..")) return "climbs out of the archive with `..`";
  return null;
}

async function openZip(zipPath: string, limits: SourceLimits): Promise<{ file: yauzl.ZipFile; sources: PoliceSource[]; ignored: string[] }> {
  const zipName = shown(zipPath, limits);
  // Entry names are validated here (not by yauzl) so the error can name the entry.
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true, decodeStrings: false } as yauzl.Options, (err, zf) => {
      if (err || !zf) reject(badArchive(zipName, err));
      else resolve(zf);
    });
  });
  const entries: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      file.on("entry", (entry: yauzl.Entry) => {
        entries.push(entry);
        file.readEntry();
      });
      file.on("end", () => resolve());
      file.on("error", (err: Error) => reject(badArchive(zipName, err)));
      file.readEntry();
    });
  } catch (e) {
    file.close();
    throw e;
  }
  const sources: PoliceSource[] = [];
  const ignored: string[] = [];
  for (const entry of entries) {
    const name = Buffer.isBuffer(entry.fileName) ? (entry.fileName as Buffer).toString("utf8") : String(entry.fileName);
    const unsafe = unsafeEntryReason(name);
    if (unsafe) {
      file.close();
      throw new AppError("import.unsafe_entry", `${zipName}: entry \`${name}\` ${unsafe}; nothing was imported`, {
        hint: "the archive is not a police.uk download or has been tampered with; download it again",
      });
    }
    if (name.endsWith("/")) continue;
    const fileName = name.split("/").pop()!;
    if (!/\.csv$/i.test(fileName)) {
      ignored.push(`${zipName}:${name}`);
      continue;
    }
    const oversize = oversizeEntryReason(entry, limits);
    if (oversize) {
      file.close();
      throw new AppError("import.unsafe_entry", `${zipName}: entry \`${name}\` ${oversize}; nothing was imported`, {
        hint: "police.uk street files are a few MB each; download the archive again from data.police.uk",
      });
    }
    sources.push({
      label: `${zipName}:${name}`,
      fileName,
      ...describeFileName(fileName),
      size: entry.uncompressedSize,
      open: () =>
        new Promise<AsyncIterable<Buffer>>((resolve, reject) => {
          file.openReadStream(entry, (err, stream) => {
            if (err || !stream) reject(badArchive(`${zipName}:${name}`, err));
            else resolve(stream);
          });
        }),
    });
  }
  return { file, sources, ignored };
}

/** Why an entry is too big to expand (declared size or compression ratio), or null. */
export function oversizeEntryReason(entry: { uncompressedSize: number; compressedSize: number }, limits: SourceLimits = {}): string | null {
  const maxBytes = limits.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const maxRatio = limits.maxCompressionRatio ?? DEFAULT_MAX_COMPRESSION_RATIO;
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
  if (entry.uncompressedSize > maxBytes) return `expands to ${mb(entry.uncompressedSize)}, over the ${mb(maxBytes)} limit for one file`;
  if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize > maxRatio * Math.max(1, entry.compressedSize)) {
    const ratio = Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize));
    return `expands ${ratio} times (${mb(entry.compressedSize)} to ${mb(entry.uncompressedSize)}), more than the ${maxRatio} times a CSV does: it looks like a zip bomb`;
  }
  return null;
}

function badArchive(where: string, err: Error | null | undefined): AppError {
  return new AppError("import.bad_archive", `${where}: cannot read the zip archive (${err?.message ?? "unknown error"})`, {
    hint: "the file may be truncated or not a zip: download it again from data.police.uk",
  });
}
