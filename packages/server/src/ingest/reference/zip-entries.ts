import { AppError } from "@safecity/core";
import yauzl from "yauzl";

/** A publisher's zip (Nomis bulk census tables, zipped shapefiles) read whole from memory. */
export interface ZipEntryData {
  name: string;
  bytes: Buffer;
}

/** No reference file is near this size; an entry that expands past it is refused (zip bomb). */
export const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

function bad(file: string, message: string): AppError {
  return new AppError("reference.bad_file", `${file}: ${message}`, {
    problems: [{ file, message }],
    hint: "download the zip again from the publisher",
  });
}

/**
 * The entries of a zip for which `want(name)` is true, decompressed (CRC checked by yauzl).
 * Folders, unsafe names and entries expanding past MAX_ENTRY_BYTES are refused or skipped.
 */
export function readZipEntries(bytes: Buffer, file: string, want: (name: string) => boolean): Promise<ZipEntryData[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(bad(file, `not a readable zip (${err?.message ?? "no entries"})`));
      const out: ZipEntryData[] = [];
      zip.on("error", (e: Error) => reject(bad(file, e.message)));
      zip.on("end", () => resolve(out));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith("/") || !want(entry.fileName)) return zip.readEntry();
        if (entry.uncompressedSize > MAX_ENTRY_BYTES) return reject(bad(file, `entry ${entry.fileName} expands to ${entry.uncompressedSize} bytes, past the ${MAX_ENTRY_BYTES}-byte limit`));
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(bad(file, `entry ${entry.fileName}: ${e?.message ?? "unreadable"}`));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_ENTRY_BYTES) stream.destroy(bad(file, `entry ${entry.fileName} expands past ${MAX_ENTRY_BYTES} bytes`));
            else chunks.push(c);
          });
          stream.on("error", (se: Error) => reject(se instanceof AppError ? se : bad(file, `entry ${entry.fileName}: ${se.message}`)));
          stream.on("end", () => {
            out.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
