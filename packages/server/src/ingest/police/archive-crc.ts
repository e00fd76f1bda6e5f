import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { AppError } from "@safecity/core";
import type { ArchiveEntry } from "./archive-entries.ts";
import { byHandHint } from "./archive-http.ts";

/**
 * Checks an entry's bytes against its central-directory record (CRC-32 and size) while writing them:
 * the file appears under its final name only when both match, so a corrupt or truncated download
 * never reaches the cache or the database.
 */

function crc32(data: Buffer, value: number): number {
  // zlib.crc32 (Node 20.15+) is the same CRC-32 as zip's (IEEE 802.3).
  const fn = (zlib as unknown as { crc32?: (d: Buffer, v?: number) => number }).crc32;
  if (!fn) throw new AppError("config.invalid", "checking downloads needs zlib.crc32, from Node.js 20.15", { hint: "upgrade Node.js to 20.15 or later" });
  return fn(data, value);
}

function corrupt(url: string, entry: ArchiveEntry, what: string): AppError {
  return new AppError("fetch.corrupt_entry", `${url}: entry \`${entry.name}\` ${what}; it was discarded and nothing was imported`, {
    hint: `run the command again to download it afresh; if it fails again the archive itself is damaged: ${byHandHint(url)}`,
  });
}

/** Writes the entry's uncompressed bytes to `outFile`, verified; refuses (and leaves nothing) on a CRC or size mismatch. */
export async function writeVerified(chunks: AsyncIterable<Buffer>, entry: ArchiveEntry, outFile: string, url: string): Promise<void> {
  const tmp = `${outFile}.tmp`;
  let crc = 0;
  let size = 0;
  try {
    await pipeline(
      chunks,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > entry.uncompressedSize) throw corrupt(url, entry, `expands past the ${entry.uncompressedSize} bytes its directory declares`);
          crc = crc32(chunk, crc);
          yield chunk;
        }
      },
      fs.createWriteStream(tmp, { mode: 0o600 }),
    );
    if (size !== entry.uncompressedSize) throw corrupt(url, entry, `is ${size} bytes, not the ${entry.uncompressedSize} its directory declares`);
    if (crc >>> 0 !== entry.crc32) {
      throw corrupt(url, entry, `fails its CRC-32 check (${hex(crc >>> 0)} read, ${hex(entry.crc32)} declared)`);
    }
    await fs.promises.rename(tmp, outFile);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    if (e instanceof AppError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code && /^Z_/.test(err.code)) throw corrupt(url, entry, `cannot be inflated (${err.message})`);
    throw e;
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}

/** The uncompressed bytes of an entry's compressed data saved in `file` (stored: as is; deflate: inflated). */
export function entryBytes(file: string, entry: ArchiveEntry): AsyncIterable<Buffer> {
  const raw = fs.createReadStream(file);
  return entry.method === 0 ? raw : raw.pipe(zlib.createInflateRaw()).on("close", () => raw.destroy());
}
