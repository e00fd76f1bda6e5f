import fs from "node:fs";
import path from "node:path";
import { STREET_HEADER } from "../../src/ingest/police/street-row.ts";

/** One generated police.uk street row: what the test counts independently of the roll-up. */
export interface StreetRecord {
  month: string;
  lsoaCode: string;
  lsoaName: string;
  crimeType: string;
}

/** Writes police.uk street files `YYYY-MM-<force>-street.csv` (one per month) into `dir`; returns their paths. */
export function writeStreetFiles(dir: string, force: string, records: readonly StreetRecord[]): string[] {
  const byMonth = new Map<string, StreetRecord[]>();
  for (const r of records) byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r]);
  const files: string[] = [];
  for (const [month, rows] of [...byMonth].sort((a, b) => a[0].localeCompare(b[0]))) {
    const lines = [STREET_HEADER.join(",")];
    for (const [i, r] of rows.entries()) {
      const id = r.crimeType === "Anti-social behaviour" ? "" : `${month.replace("-", "")}${String(i).padStart(6, "0")}`.padEnd(16, "a");
      lines.push([id, month, "Testshire Police", "Testshire Police", "-1.404", "50.909", "On or near Test Street", r.lsoaCode, r.lsoaName, r.crimeType, "", ""].join(","));
    }
    const file = path.join(dir, `${month}-${force}-street.csv`);
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    files.push(file);
  }
  return files;
}

/** `n` copies of a record. */
export function times(n: number, r: StreetRecord): StreetRecord[] {
  return Array.from({ length: n }, () => ({ ...r }));
}
