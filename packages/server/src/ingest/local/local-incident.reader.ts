import crypto from "node:crypto";
import fs from "node:fs";
import { type CrimeType, crimeTypeId, LOCAL_FLAGS, type LocalFlag, type ProblemLine, toBng } from "@safecity/core";
import { CsvRecordReader } from "../csv/csv-record-reader.ts";
import { FLAG_BITS, type LocalMapping, offenceLookup } from "./local-mapping.ts";
import type { Pseudonymiser } from "./pseudonymiser.ts";

/** A checked, pseudonymised row, ready to store: no raw identifier is left in it. */
export interface LocalRow {
  /** YYYYMMDD */
  day: number;
  minutes: number | null;
  crimeTypeId: number;
  offenceCode: string;
  victimKey: string | null;
  locationKey: string | null;
  x: number | null;
  y: number | null;
  lsoa: string | null;
  flags: number;
}

export interface LocalReadResult {
  sha256: string;
  rows: number;
  firstDay: number | null;
  lastDay: number | null;
  /** Every bad row (file:line (field): message), in line order, at most `maxProblems`. */
  problems: ProblemLine[];
  /** Problems found, listed or not. */
  problemCount: number;
}

const BATCH = 2000;
const YES = ["y", "yes", "1", "true"];
const NO = ["n", "no", "0", "false", ""];
const LSOA = /^[EW]0[01]\d{6}$/;

/** A cell value as quoted in a message: at most 30 characters. */
function shown(value: string): string {
  const v = value.trim();
  return `\`${v.length > 30 ? `${v.slice(0, 30)}…` : v}\``;
}

/**
 * Reads a partner extract with its mapping: every row checked, identifiers replaced by keyed
 * pseudonyms at once (the raw value lives only in the parser's buffer), good rows handed to `sink`
 * in batches. Once a row is bad, no more rows go to the sink (the caller rolls back), but checking
 * goes on to the end so every bad row is listed. Victim and place values are never quoted in a
 * message; other values are quoted (shortened) so the partner can find them, unless the same value
 * is a victim or place identifier anywhere in the file (an identifier typed into the wrong column):
 * those are replaced by `(an identifier)` after a second read of the (failed) file.
 */
export async function readLocalIncidents(
  filePath: string,
  label: string,
  mapping: LocalMapping,
  pseudonyms: Pseudonymiser,
  sink: (rows: LocalRow[]) => Promise<void>,
  opts: { maxProblems?: number } = {},
): Promise<LocalReadResult> {
  const maxProblems = opts.maxProblems ?? 1000;
  const problems: ProblemLine[] = [];
  let problemCount = 0;
  const problem = (line: number | undefined, field: string | undefined, message: string) => {
    problemCount++;
    if (problems.length < maxProblems) problems.push({ file: label, line, field, message });
  };
  const offences = offenceLookup(mapping);
  /** Values quoted in the listed problems, filled in at the end (placeholders until then). */
  const quoted: string[] = [];
  const quote = (value: string): string => {
    if (problems.length >= maxProblems) return "";
    quoted.push(value.trim());
    return `\u0000${quoted.length - 1}\u0000`;
  };
  const context: RowContext = {
    mapping,
    offences: new Memo((code) => offences.get(code.toLowerCase())),
    days: new Memo((text) => parseDay(text, mapping.date.format) ?? undefined),
    times: new Memo(parseTime),
    pseudonyms,
    quote,
    problem,
  };
  let columns: ColumnIndex | null = null;
  let fatal = false;
  let pending: LocalRow[] = [];
  let rows = 0;
  let firstDay: number | null = null;
  let lastDay: number | null = null;
  const hash = crypto.createHash("sha256");

  const reader = new CsvRecordReader(
    (fields, line) => {
      if (fatal) return;
      if (!columns) {
        const header = indexColumns(fields, mapping);
        if (typeof header === "string") {
          problem(line, undefined, header);
          fatal = true;
        } else columns = header;
        return;
      }
      const row = checkRow(fields, line, columns, context);
      if (!row) return;
      rows++;
      if (firstDay === null || row.day < firstDay) firstDay = row.day;
      if (lastDay === null || row.day > lastDay) lastDay = row.day;
      if (problemCount === 0) pending.push(row);
    },
    (p) => {
      problem(p.line, undefined, p.message);
      if (p.fatal) fatal = true;
    },
  );

  let stream: fs.ReadStream;
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
    stream = fs.createReadStream(filePath, { highWaterMark: 1 << 20 });
  } catch (e) {
    problem(undefined, undefined, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"}): check the path`);
    return { sha256: "", rows: 0, firstDay, lastDay, problems, problemCount };
  }
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    if (!fatal) reader.push(chunk as Buffer);
    if (pending.length >= BATCH && problemCount === 0) {
      const batch = pending;
      pending = [];
      await sink(batch);
    }
  }
  if (!fatal) reader.end();
  if (!columns && !fatal) problem(undefined, undefined, "the file is empty: expected a header row naming the mapped columns, then one row per incident");
  else if (columns && rows === 0 && problemCount === 0) problem(undefined, undefined, "the file has a header but no rows");
  if (pending.length && problemCount === 0) await sink(pending);
  const identifiers = quoted.length && columns ? await identifiersAmong(filePath, columns, new Set(quoted.map((q) => q.toLowerCase()))) : new Set<string>();
  for (const p of problems) {
    p.message = p.message.replace(/\u0000(\d+)\u0000/g, (_, i: string) => {
      const value = quoted[Number(i)]!;
      return identifiers.has(value.toLowerCase()) ? "`(an identifier)`" : shown(value);
    });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { sha256: hash.digest("hex"), rows, firstDay, lastDay, problems, problemCount };
}

/**
 * Which of `candidates` (values quoted in problems, lower-cased) are victim or place identifiers
 * somewhere in the file: a second read of a file that failed anyway, holding only the candidates
 * in memory (not every identifier of a million-row file).
 */
async function identifiersAmong(filePath: string, c: ColumnIndex, candidates: Set<string>): Promise<Set<string>> {
  const found = new Set<string>();
  const columns = [c.victim, c.place].filter((i): i is number => i !== null);
  if (!columns.length) return found;
  let header = true;
  const reader = new CsvRecordReader(
    (fields) => {
      if (header) {
        header = false;
        return;
      }
      for (const i of columns) {
        const v = fields[i]?.trim().toLowerCase();
        if (v && candidates.has(v)) found.add(v);
      }
    },
    () => {},
  );
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    reader.push(chunk as Buffer);
    if (reader.done) break;
  }
  reader.end();
  return found;
}

interface ColumnIndex {
  date: number;
  time: number | null;
  offence: number;
  latitude: number | null;
  longitude: number | null;
  easting: number | null;
  northing: number | null;
  lsoa: number | null;
  victim: number | null;
  place: number | null;
  flags: { flag: LocalFlag; index: number; yes: Set<string>; no: Set<string> }[];
  width: number;
}

function indexColumns(header: readonly string[], mapping: LocalMapping): ColumnIndex | string {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing: string[] = [];
  const find = (name: string | undefined): number | null => {
    if (name === undefined) return null;
    const i = names.indexOf(name.trim().toLowerCase());
    if (i < 0) missing.push(name);
    return i < 0 ? null : i;
  };
  const l = mapping.location;
  const index: ColumnIndex = {
    date: find(mapping.date.column) ?? -1,
    time: find(mapping.time?.column),
    offence: find(mapping.offence.column) ?? -1,
    latitude: find(l.latitude),
    longitude: find(l.longitude),
    easting: find(l.easting),
    northing: find(l.northing),
    lsoa: find(l.lsoa),
    victim: find(mapping.victim?.column),
    place: find(mapping.place?.column),
    flags: [],
    width: 0,
  };
  for (const flag of LOCAL_FLAGS) {
    const spec = mapping.flags?.[flag];
    if (!spec) continue;
    const i = find(spec.column);
    if (i !== null) {
      index.flags.push({ flag, index: i, yes: new Set((spec.yes ?? YES).map((v) => v.trim().toLowerCase())), no: new Set((spec.no ?? NO).map((v) => v.trim().toLowerCase())) });
    }
  }
  if (missing.length) return `the header has no column ${missing.map((m) => `\`${m}\``).join(", ")} named in the mapping: fix the mapping's column names or the file's header`;
  const used = [index.date, index.time, index.offence, index.latitude, index.longitude, index.easting, index.northing, index.lsoa, index.victim, index.place, ...index.flags.map((f) => f.index)];
  index.width = Math.max(...used.map((u) => u ?? -1)) + 1;
  return index;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseDay(text: string, format: string): { day: number; minutes: number | null } | null {
  const t = text.trim();
  let m: RegExpExecArray | null;
  let y: number;
  let mo: number;
  let d: number;
  let minutes: number | null = null;
  const withTime = format.endsWith("HH:MM");
  if (format.startsWith("YYYY")) {
    m = (withTime ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::\d{2})?$/ : /^(\d{4})-(\d{2})-(\d{2})$/).exec(t);
    if (!m) return null;
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else {
    m = (withTime ? /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::\d{2})?$/ : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/).exec(t);
    if (!m) return null;
    d = Number(m[1]);
    mo = Number(m[2]);
    y = Number(m[3]);
  }
  if (withTime) {
    const h = Number(m[4]);
    const mi = Number(m[5]);
    if (h > 23 || mi > 59) return null;
    minutes = h * 60 + mi;
  }
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]!) return null;
  if (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return null;
  return { day: y * 10000 + mo * 100 + d, minutes };
}

function parseTime(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  const m = /^(\d{1,2}):?(\d{2})(?::\d{2})?$/.exec(t);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  return h > 23 || mi > 59 ? undefined : h * 60 + mi;
}

function parseNumber(text: string): number | null | undefined {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** What checking a row needs besides the row: the mapping, memos of parsed values, the pseudonymiser, the problem list. */
interface RowContext {
  mapping: LocalMapping;
  /** A file's offence code (trimmed) -> its crime type, when the mapping has it. */
  offences: Memo<CrimeType>;
  /** Date text -> day (and minutes), when it is a date. */
  days: Memo<{ day: number; minutes: number | null }>;
  /** Time text -> minutes after midnight (null: empty, unknown), when it is a time. */
  times: Memo<number | null>;
  pseudonyms: Pseudonymiser;
  quote: (value: string) => string;
  problem: (line: number | undefined, field: string | undefined, message: string) => void;
}

/**
 * A function of a text, remembered for the first `limit` distinct texts it was defined for: an
 * extract repeats its dates, times and offence codes row after row, so most rows look them up
 * rather than parse them. Undefined (a bad value) is never remembered, so a file of bad values
 * cannot fill it; a kept key is copied (a sliced string would keep the parser's whole chunk alive).
 */
class Memo<T> {
  private readonly known = new Map<string, T>();
  constructor(
    private readonly compute: (text: string) => T | undefined,
    private readonly limit = 10_000,
  ) {}

  get(text: string): T | undefined {
    let v = this.known.get(text);
    if (v === undefined) {
      v = this.compute(text);
      if (v !== undefined && this.known.size < this.limit) this.known.set(Buffer.from(text, "utf8").toString("utf8"), v);
    }
    return v;
  }
}

function checkRow(fields: readonly string[], line: number, c: ColumnIndex, context: RowContext): LocalRow | null {
  const { mapping, pseudonyms, quote } = context;
  const problem = context.problem;
  if (fields.length < c.width) {
    problem(line, undefined, `${fields.length} field${fields.length === 1 ? "" : "s"} where the mapped columns need ${c.width}: the row is cut short or its commas are not quoted`);
    return null;
  }
  let ok = true;
  const date = context.days.get(fields[c.date]!);
  if (!date) {
    problem(line, mapping.date.column, `${quote(fields[c.date]!)} is not a date in the form ${mapping.date.format}`);
    ok = false;
  }
  let minutes = date?.minutes ?? null;
  if (c.time !== null) {
    const t = context.times.get(fields[c.time]!);
    if (t === undefined) {
      problem(line, mapping.time!.column, `${quote(fields[c.time]!)} is not a time HH:MM (00:00 to 23:59; empty when unknown)`);
      ok = false;
    } else if (t !== null) minutes = t;
  }
  const code = fields[c.offence]!.trim();
  const crimeType = context.offences.get(code);
  if (code === "") {
    problem(line, mapping.offence.column, "no offence: every row needs an offence code or category");
    ok = false;
  } else if (!crimeType) {
    problem(line, mapping.offence.column, `${quote(code)} is not in the mapping's offence map: add it, mapped to a police.uk crime type`);
    ok = false;
  }
  let x: number | null = null;
  let y: number | null = null;
  if (c.latitude !== null && c.longitude !== null) {
    const lat = parseNumber(fields[c.latitude]!);
    const lon = parseNumber(fields[c.longitude]!);
    if (lat === undefined || lon === undefined || (lat === null) !== (lon === null)) {
      problem(line, `${mapping.location.latitude}/${mapping.location.longitude}`, "latitude and longitude must both be numbers, or both empty");
      ok = false;
    } else if (lat !== null && lon !== null) {
      if (lat < 49 || lat > 61 || lon < -9 || lon > 2.5) {
        problem(line, `${mapping.location.latitude}/${mapping.location.longitude}`, `${quote(fields[c.latitude]!)}, ${quote(fields[c.longitude]!)} is not in Great Britain (latitude 49 to 61, longitude -9 to 2.5; are the two columns swapped?)`);
        ok = false;
      } else [x, y] = toBng(lon, lat);
    }
  } else if (c.easting !== null && c.northing !== null) {
    const e = parseNumber(fields[c.easting]!);
    const n = parseNumber(fields[c.northing]!);
    if (e === undefined || n === undefined || (e === null) !== (n === null)) {
      problem(line, `${mapping.location.easting}/${mapping.location.northing}`, "easting and northing must both be numbers (metres), or both empty");
      ok = false;
    } else if (e !== null && n !== null) {
      if (e < 0 || e > 700_000 || n < 0 || n > 1_300_000) {
        problem(line, `${mapping.location.easting}/${mapping.location.northing}`, `${quote(fields[c.easting]!)}, ${quote(fields[c.northing]!)} is not a British National Grid point in metres (easting 0 to 700000, northing 0 to 1300000)`);
        ok = false;
      } else {
        x = e;
        y = n;
      }
    }
  }
  let lsoa: string | null = null;
  if (c.lsoa !== null) {
    const v = fields[c.lsoa]!.trim().toUpperCase();
    if (v !== "" && !LSOA.test(v)) {
      problem(line, mapping.location.lsoa, `${quote(fields[c.lsoa]!)} is not an LSOA code (E01 or W01 and 6 digits)`);
      ok = false;
    } else if (v !== "") lsoa = v;
  }
  if (ok && x === null && lsoa === null) {
    problem(line, undefined, "no location: the row has neither a point nor an LSOA code");
    ok = false;
  }
  let flags = 0;
  for (const f of c.flags) {
    const v = fields[f.index]!.trim().toLowerCase();
    if (f.yes.has(v)) flags |= FLAG_BITS[f.flag];
    else if (!f.no.has(v)) {
      problem(line, mapping.flags![f.flag]!.column, `${quote(fields[f.index]!)} is neither yes (${[...f.yes].join(", ")}) nor no (${[...f.no].map((n) => n || "empty").join(", ")}) for the ${f.flag} flag`);
      ok = false;
    }
  }
  if (!ok || !date || !crimeType) return null;
  return {
    day: date.day,
    minutes,
    crimeTypeId: crimeTypeId(crimeType)!,
    offenceCode: code,
    victimKey: c.victim === null ? null : pseudonyms.pseudonym(fields[c.victim]!),
    locationKey: c.place === null ? null : pseudonyms.pseudonym(fields[c.place]!),
    x,
    y,
    lsoa,
    flags,
  };
}
