import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ArchiveEntry } from "./archive-entries.ts";

/**
 * The local cache of `safecity fetch police` (default `<data folder>/police-archive`):
 *
 *   <month>/<month>-<force>-street.csv        verified files, the police.uk archive layout (importable as a folder)
 *   <month>/<month>-<force>-street.csv.json   what it was checked against: CRC-32, size, archive URL
 *   <month>/<...>.part-<crc>                  compressed bytes of an unfinished download (resumed by Range)
 *   listings/<hash of URL>.json               an archive's street entries and its size/ETag/Last-Modified
 *   spool/<hash of URL>.zip.part              a whole archive being streamed from a server without Range
 */
export interface CachedListing {
  url: string;
  validator: string;
  entries: ArchiveEntry[];
}

export class ArchiveCache {
  constructor(readonly root: string) {}

  csvPath(entry: ArchiveEntry): string {
    return path.join(this.root, entry.month, path.basename(entry.name));
  }

  partPath(entry: ArchiveEntry): string {
    return `${this.csvPath(entry)}.part-${entry.crc32.toString(16).padStart(8, "0")}`;
  }

  spoolPath(url: string): string {
    return path.join(this.root, "spool", `${hashOf(url)}.zip.part`);
  }

  private listingPath(url: string): string {
    return path.join(this.root, "listings", `${hashOf(url)}.json`);
  }

  async prepare(entry?: ArchiveEntry): Promise<void> {
    await fs.promises.mkdir(entry ? path.join(this.root, entry.month) : this.root, { recursive: true, mode: 0o700 });
  }

  /** True when the entry's verified file is here: same CRC-32 and size as the archive lists now. */
  async has(entry: ArchiveEntry): Promise<boolean> {
    try {
      const [stat, meta] = await Promise.all([fs.promises.stat(this.csvPath(entry)), fs.promises.readFile(`${this.csvPath(entry)}.json`, "utf8")]);
      const m = JSON.parse(meta) as { crc32: number; size: number };
      return stat.size === entry.uncompressedSize && m.size === entry.uncompressedSize && m.crc32 === entry.crc32;
    } catch {
      return false;
    }
  }

  async markVerified(entry: ArchiveEntry, url: string): Promise<void> {
    const meta = { crc32: entry.crc32, size: entry.uncompressedSize, url, entry: entry.name, verifiedAt: new Date().toISOString() };
    await fs.promises.writeFile(`${this.csvPath(entry)}.json`, `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600 });
  }

  async listing(url: string): Promise<CachedListing | null> {
    try {
      const l = JSON.parse(await fs.promises.readFile(this.listingPath(url), "utf8")) as CachedListing;
      return l.url === url && Array.isArray(l.entries) ? l : null;
    } catch {
      return null;
    }
  }

  async saveListing(listing: CachedListing): Promise<void> {
    const file = this.listingPath(listing.url);
    await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.promises.writeFile(`${file}.tmp`, JSON.stringify(listing), { mode: 0o600 });
    await fs.promises.rename(`${file}.tmp`, file);
  }
}

function hashOf(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 16);
}
