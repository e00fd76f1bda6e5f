import { AppError } from "@safecity/core";

/**
 * A small tolerant CSV layer for the reference files (all a few MB): BOM, CRLF, quoted fields with
 * embedded commas and newlines, title and footer lines above and below the table (Nomis, ONS
 * workbooks saved as CSV), thousands separators (`"29,199"`, `"31,345 "`) and ONS markers (`[x]`).
 * Columns are found by normalised patterns, so `LAD24CD`, `ltla24_code` and `LAD22CD` all match.
 */

/** One parsed record with the 1-based physical line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Parses CSV text into records (quotes per RFC 4180; a lone `\r` or `\r\n` ends a line). */
export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text[i] === '"') {
        i++;
        let buf = "";
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) {
            buf += text.slice(i);
            i = n;
            break;
          }
          buf += text.slice(i, q);
          if (text[q + 1] === '"') {
            buf += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        for (const ch of buf) if (ch === "\n") line++;
        // Anything between the closing quote and the next delimiter is kept (tolerant).
        let j = i;
        while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++;
        cell = buf + text.slice(i, j);
        i = j;
      } else {
        let j = i;
        while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++;
        cell = text.slice(i, j);
        i = j;
      }
      cells.push(cell);
      if (i < n && text[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    line++;
    out.push({ line: start, cells });
  }
  return out;
}

/** Lower case, no BOM, `[note 1]` removed, every run of non-alphanumerics as one `_`. */
export function normaliseHeader(h: string): string {
  return h
    .replace(/\ufeff/g, "")
    .replace(/\[note[^\]]*\]/gi, "")
    .replace(/;\s*measures:\s*value\s*$/i, "") // Nomis bulk census files: `…: Total; measures: Value`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/** Human form of a header cell: whitespace collapsed, `[note 1]` removed. */
export function cleanLabel(h: string): string {
  return h
    .replace(/\ufeff/g, "")
    .replace(/\[note[^\]]*\]/gi, "")
    .replace(/\s+/g, " ")
    .trim();
}

export interface ColumnSpec {
  /** Name used in error messages, e.g. `LAD code`. */
  label: string;
  /** Tested against the normalised header (see normaliseHeader). First matching column wins. */
  patterns: RegExp[];
  required?: boolean;
}

export type Columns<K extends string> = Record<K, number>;

export interface CsvTable<K extends string> {
  file: string;
  header: string[];
  headerLine: number;
  columns: Columns<K>;
  /** Data records after the header, blank and footer lines removed. */
  records: CsvRecord[];
}

function isBlank(r: CsvRecord): boolean {
  return r.cells.every((c) => c.trim() === "");
}

/**
 * Finds the header row (the first of the first 50 records where every required column matches),
 * maps columns and returns the data records. Throws `reference.bad_file` naming the file and the
 * missing column(s) when no row qualifies.
 */
export function readTable<K extends string>(file: string, text: string, spec: Record<K, ColumnSpec>): CsvTable<K> {
  const records = parseCsv(text);
  const keys = Object.keys(spec) as K[];
  let best: { index: number; missing: K[] } | undefined;
  for (let r = 0; r < Math.min(records.length, 50); r++) {
    const rec = records[r]!;
    if (isBlank(rec)) continue;
    const normalised = rec.cells.map(normaliseHeader);
    const columns = {} as Columns<K>;
    const missing: K[] = [];
    for (const k of keys) {
      const idx = findColumn(normalised, spec[k].patterns);
      columns[k] = idx;
      if (idx < 0 && spec[k].required !== false) missing.push(k);
    }
    if (missing.length === 0) {
      const data = records.slice(r + 1).filter((x) => !isBlank(x));
      return { file, header: rec.cells.map(cleanLabel), headerLine: rec.line, columns, records: data };
    }
    if (!best || missing.length < best.missing.length) best = { index: r, missing };
  }
  const missingLabels = (best?.missing ?? keys).map((k) => spec[k].label);
  const near = best ? records[best.index]! : undefined;
  throw new AppError("reference.bad_file", `${file}: required column${missingLabels.length > 1 ? "s" : ""} ${missingLabels.map((l) => `\`${l}\``).join(", ")} not found`, {
    problems: [
      {
        file,
        ...(near ? { line: near.line } : {}),
        field: missingLabels.join(", "),
        message: near ? `closest header row has: ${near.cells.map(cleanLabel).filter(Boolean).slice(0, 12).join(" | ")}` : "the file has no rows",
      },
    ],
    hint: "check that this is the right file for its place in the mirror (see docs/reference-data.md), or download it again from the publisher",
  });
}

function findColumn(normalised: string[], patterns: RegExp[]): number {
  for (const p of patterns) {
    const idx = normalised.findIndex((h) => p.test(h));
    if (idx >= 0) return idx;
  }
  return -1;
}

/** A number cell: `29199`, `"29,199"`, `"31,345 "`, `1.2E-2`; ONS markers (`[x]`, `[u1]`) give null with the marker. */
export interface NumberCell {
  value: number | null;
  marker: string | null;
}

const MARKER_RE = /^\[[a-z0-9]+\]$/i;

export function parseNumberCell(raw: string | undefined): NumberCell | "invalid" {
  const s = (raw ?? "").trim();
  if (s === "") return { value: null, marker: null };
  if (MARKER_RE.test(s)) return { value: null, marker: s.toLowerCase() };
  const v = Number(s.replace(/,/g, ""));
  return Number.isFinite(v) ? { value: v, marker: null } : "invalid";
}

/** Reads one cell from a table row, trimmed. */
export function cell<K extends string>(table: CsvTable<K>, rec: CsvRecord, key: K): string {
  const idx = table.columns[key];
  return idx < 0 ? "" : (rec.cells[idx] ?? "").trim();
}

/** A required numeric cell; a non-number is an error naming file, line and column. Markers give null. */
export function numberAt<K extends string>(table: CsvTable<K>, rec: CsvRecord, key: K): number | null {
  const idx = table.columns[key];
  if (idx < 0) return null;
  const parsed = parseNumberCell(rec.cells[idx]);
  if (parsed === "invalid") {
    throw new AppError("reference.bad_file", `${table.file}:${rec.line}: column \`${table.header[idx]}\` should be a number; got \`${rec.cells[idx]}\``, {
      problems: [{ file: table.file, line: rec.line, field: table.header[idx] ?? "", message: `not a number: \`${rec.cells[idx]}\`` }],
      hint: "the file may be damaged or of another layout; download it again from the publisher",
    });
  }
  return parsed.value;
}

/** Throws a row error naming file, line and column. */
export function rowError(file: string, line: number, column: string, message: string): AppError {
  return new AppError("reference.bad_file", `${file}:${line}: ${message} (column \`${column}\`)`, {
    problems: [{ file, line, field: column, message }],
    hint: "the file may be damaged or of another layout; download it again from the publisher",
  });
}
