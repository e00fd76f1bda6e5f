import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yauzl from "yauzl";

/** The read-only real data beside the project (`../shared/data`): never copied into the repo. */
export const SHARED_DATA = path.resolve(fileURLToPath(new URL("../../../../../shared/data", import.meta.url)));
export const POLICE_DIR = path.join(SHARED_DATA, "police");
export const REFERENCE_DIR = path.join(SHARED_DATA, "reference");
export const HAMPSHIRE_2025 = path.join(POLICE_DIR, "hampshire-2025.zip");
export const HAMPSHIRE_2024 = path.join(POLICE_DIR, "hampshire-2024-01-to-04.zip");
export const ALL_FORCES_2025_01 = path.join(POLICE_DIR, "all-forces-2025-01.zip");

export function sharedDataPresent(): boolean {
  return fs.existsSync(HAMPSHIRE_2025);
}

/** Reads one zip entry whole (small entries only). */
export function readZipEntry(zipPath: string, entryName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
        });
      });
      zip.on("end", () => reject(new Error(`${entryName} not in ${zipPath}`)));
      zip.readEntry();
    });
  });
}

/** The header and first `n` data lines of Hampshire's real January 2025 street file. */
export async function realStreetLines(n: number): Promise<string[]> {
  const text = (await readZipEntry(HAMPSHIRE_2025, "2025-01/2025-01-hampshire-street.csv")).toString("utf8");
  return text.split("\n").slice(0, n + 1).map((l) => l.replace(/\r$/, ""));
}
