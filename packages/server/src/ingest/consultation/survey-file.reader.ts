import fs from "node:fs";
import path from "node:path";
import { type CheckedPublicResponse, type ConsultationPriority, checkPublicResponse, mapSurveyHeader, type ProblemLine, type SurveyColumns } from "@safecity/core";
import { CsvRecordReader } from "../csv/csv-record-reader.ts";

/** A good row of a survey export: the checked response and the line it starts on. */
export interface SurveyRow {
  line: number;
  response: CheckedPublicResponse;
}

export interface SurveyFileResult {
  /** The name problems are reported against (the file's base name). */
  file: string;
  /** What each answer was read from: header names. */
  mapping: { overall: string | null; organisation: string | null; priorities: { position: number; title: string; column: string }[]; ignored: string[] };
  rows: SurveyRow[];
  /** Rows with no answer in any mapped column (a survey opened and left): skipped, not a problem. */
  empty: number[];
  /** Every problem in line order; the file is good only when this is empty. */
  problems: ProblemLine[];
}

/**
 * Reads and checks a whole survey export (CSV, a header row, one response a row) without writing
 * anything. The header is mapped by core's `mapSurveyHeader`; each row is checked by
 * `checkPublicResponse` (the same limits as the web form) and every bad row is reported as
 * `file:line (column): message`. Columns not mapped (names, emails, timestamps) are never read.
 */
export async function readSurveyFile(filePath: string, priorities: readonly ConsultationPriority[], label = path.basename(filePath)): Promise<SurveyFileResult> {
  const problems: ProblemLine[] = [];
  const rows: SurveyRow[] = [];
  const empty: number[] = [];
  let header: string[] | null = null;
  let columns: SurveyColumns | null = null;
  let fatal = false;
  const problem = (line: number | undefined, field: string | undefined, message: string) => problems.push({ file: label, line, field, message });
  const result = (): SurveyFileResult => ({
    file: label,
    mapping: mappingOf(header ?? [], columns, priorities),
    rows: problems.length ? [] : rows,
    empty,
    problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  });

  const reader = new CsvRecordReader(
    (fields, line) => {
      if (fatal) return;
      if (!header) {
        header = [...fields];
        const mapped = mapSurveyHeader(header, priorities);
        if (!mapped.ok) {
          problem(line, undefined, mapped.message);
          fatal = true;
        } else columns = mapped.columns;
        return;
      }
      const c = columns!;
      const used = [c.overall, c.organisation, ...c.priorities.values()].filter((i): i is number => i !== null);
      const width = Math.max(...used) + 1;
      if (fields.length < width) {
        problem(line, undefined, `${fields.length} field${fields.length === 1 ? "" : "s"} where the answers need ${width} (the header has ${header.length}): check the row's quoting and commas`);
        return;
      }
      const at = (i: number | null) => (i === null ? "" : (fields[i] ?? ""));
      const comments = new Map<number, string>();
      for (const [id, i] of c.priorities) comments.set(id, at(i));
      if (at(c.overall).trim() === "" && [...comments.values()].every((v) => v.trim() === "")) {
        empty.push(line);
        return;
      }
      const checked = checkPublicResponse({ overall: at(c.overall), organisation: at(c.organisation), comments }, priorities);
      if (!checked.ok) {
        for (const p of checked.problems) problem(line, columnOf(p.field, c, header), p.message);
        return;
      }
      rows.push({ line, response: checked.value });
    },
    (p) => {
      problem(p.line, undefined, p.message);
      if (p.fatal) fatal = true;
    },
  );

  let stream: fs.ReadStream;
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
    stream = fs.createReadStream(filePath);
  } catch (e) {
    problem(undefined, undefined, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check the path`);
    return result();
  }
  for await (const chunk of stream) {
    reader.push(chunk as Buffer);
    if (fatal) break;
  }
  stream.destroy();
  if (!fatal) reader.end();
  if (!header && !fatal) problem(undefined, undefined, "the file is empty: expected a header row naming the columns (Overall view, Priority 1, …, Organisation) and one response a row");
  return result();
}

/** The header name of the column a response field was read from. */
function columnOf(field: string, c: SurveyColumns, header: readonly string[]): string {
  const index = field === "overall" ? c.overall : field === "organisation" ? c.organisation : (c.priorities.get(Number(field.replace(/^priority-/, ""))) ?? null);
  return index === null ? field : (header[index] ?? field).replace(/\ufeff/g, "").trim();
}

function mappingOf(header: readonly string[], c: SurveyColumns | null, priorities: readonly ConsultationPriority[]): SurveyFileResult["mapping"] {
  if (!c) return { overall: null, organisation: null, priorities: [], ignored: [] };
  const name = (i: number | null) => (i === null ? null : (header[i] ?? "").replace(/\ufeff/g, "").trim());
  return {
    overall: name(c.overall),
    organisation: name(c.organisation),
    priorities: [...priorities]
      .sort((a, b) => a.position - b.position)
      .filter((p) => c.priorities.has(p.id))
      .map((p) => ({ position: p.position, title: p.title, column: name(c.priorities.get(p.id)!)! })),
    ignored: c.ignored,
  };
}
