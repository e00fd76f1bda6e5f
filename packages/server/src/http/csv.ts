/**
 * CSV downloads of the tables behind the charts (RFC 4180: CRLF, fields quoted when needed).
 * A text cell beginning with = + - @, a tab or a carriage return would be read as a formula by
 * spreadsheets (CSV injection, OWASP): such cells are prefixed with a single quote. Numbers are
 * written as numbers (a negative number stays a number).
 */
export type CsvCell = string | number | boolean | null | undefined;

export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function field(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  const s = neutraliseCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

/** A table as the pages show it and as its CSV download. */
export interface DataTable {
  /** File name stem and `?table=` value. */
  id: string;
  caption: string;
  header: string[];
  /** Right-aligned (numeric) columns. */
  numeric?: boolean[];
  rows: CsvCell[][];
}

export function tableCsv(t: DataTable): string {
  return toCsv(t.header, t.rows);
}
