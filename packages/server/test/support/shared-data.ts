import yauzl from "yauzl";
import { FIXTURE_SOUTHAMPTON_2025 } from "../../../../fixtures/test-data.ts";

/**
 * Real data for the server's tests: the committed fixtures (fixtures/, always there) and the full
 * data beside the project (../shared/data), whose tests go through `needsSharedData(why)`.
 */
export {
  ALL_FORCES_2025_01,
  FIXTURE_MONTHS_2025,
  FIXTURE_REFERENCE_DIR,
  FIXTURE_SOUTHAMPTON_2024,
  FIXTURE_SOUTHAMPTON_2025,
  HAMPSHIRE_2024,
  HAMPSHIRE_2025,
  REFERENCE_DIR,
  needsSharedData,
} from "../../../../fixtures/test-data.ts";

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

/** The lines of one month's street file in the Southampton fixture, header first, without line endings or a last empty line. */
export async function fixtureStreetLines(month: string): Promise<string[]> {
  const text = (await readZipEntry(FIXTURE_SOUTHAMPTON_2025, `${month}/${month}-hampshire-street.csv`)).toString("utf8");
  return text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l !== "");
}

/** The header and first `n` data lines of the real January 2025 street file (Southampton's rows, from the fixture). */
export async function realStreetLines(n: number): Promise<string[]> {
  return (await fixtureStreetLines("2025-01")).slice(0, n + 1);
}

/** One police.uk CSV line's fields (fields holding commas are quoted; "" inside quotes is one quote). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
