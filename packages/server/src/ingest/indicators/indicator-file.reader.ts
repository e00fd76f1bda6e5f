import fs from "node:fs";
import path from "node:path";
import type { IndicatorUnit, PeriodType, ProblemLine } from "@safecity/core";
import { CsvRecordReader } from "../csv/csv-record-reader.ts";
import { type IndicatorFileColumn, isWellFormedAreaCode, mapIndicatorHeader, parseIndicatorValue } from "./indicator-row.ts";

/** A valid row of an `indicators import` file. */
export interface IndicatorFileRow {
  line: number;
  indicatorKey: string;
  areaCode: string;
  period: string;
  value: number;
}

export interface IndicatorFileContext {
  /** Period type and unit of every indicator a file may name, by key. */
  indicators: ReadonlyMap<string, { periodType: PeriodType; unit: IndicatorUnit }>;
  /** Why `period` is not a period of `type` (with the form to use), or null when it is. */
  periodProblem(type: PeriodType, period: string): string | null;
  /** Which of these codes (not ONS-shaped) are areas the store knows. */
  knownAreas(codes: readonly string[]): Promise<Set<string>>;
}

export interface IndicatorFileResult {
  /** The name problems are reported against (the file's base name). */
  file: string;
  rows: IndicatorFileRow[];
  /** Every problem, in line order; the file is good only when this is empty. */
  problems: ProblemLine[];
}

/**
 * Reads and validates a whole `indicator,area,period,value` file without writing anything: every
 * bad row is reported as `file:line (field): message`; a row repeating an earlier row's
 * indicator, area and period is a problem too (which one would win is not obvious).
 */
export async function readIndicatorFile(filePath: string, ctx: IndicatorFileContext, label = path.basename(filePath)): Promise<IndicatorFileResult> {
  const problems: ProblemLine[] = [];
  const rows: IndicatorFileRow[] = [];
  const firstLine = new Map<string, number>();
  /** Rows whose area code is not ONS-shaped: checked against the store at the end. */
  const oddAreas = new Map<string, number[]>();
  let columns: Record<IndicatorFileColumn, number> | null = null;
  let sawHeader = false;
  let fatal = false;
  const problem = (line: number | undefined, field: string | undefined, message: string) => problems.push({ file: label, line, field, message });

  const reader = new CsvRecordReader(
    (fields, line) => {
      if (fatal) return;
      if (!sawHeader) {
        sawHeader = true;
        const header = mapIndicatorHeader(fields);
        if (!header.ok) {
          problem(line, undefined, header.message);
          fatal = true;
        } else columns = header.columns;
        return;
      }
      const row = checkRow(fields, line, columns!, ctx, (field, message) => problem(line, field, message));
      if (!row) return;
      const key = `${row.indicatorKey}\u0000${row.areaCode}\u0000${row.period}`;
      const earlier = firstLine.get(key);
      if (earlier !== undefined) {
        problem(line, "period", `${row.indicatorKey} for ${row.areaCode} in ${row.period} is already given on line ${earlier}: keep one of the two rows`);
        return;
      }
      firstLine.set(key, line);
      if (!isWellFormedAreaCode(row.areaCode)) oddAreas.set(row.areaCode, [...(oddAreas.get(row.areaCode) ?? []), line]);
      rows.push(row);
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
    return { file: label, rows: [], problems };
  }
  for await (const chunk of stream) {
    reader.push(chunk as Buffer);
    if (fatal) break;
  }
  stream.destroy();
  if (!fatal) reader.end();
  if (!sawHeader && !fatal) problem(undefined, undefined, "the file is empty: expected the header indicator,area,period,value and one row per value");

  if (oddAreas.size && !fatal) {
    const known = await ctx.knownAreas([...oddAreas.keys()]);
    for (const [code, lines] of oddAreas) {
      if (known.has(code)) continue;
      for (const line of lines) {
        problem(line, "area", `\`${code}\` is not an area code: give the ONS code of the area (a letter and 8 digits, e.g. E06000045 for a local authority, E22000113 for a CSP)`);
      }
    }
    const bad = new Set([...oddAreas.keys()].filter((c) => !known.has(c)));
    if (bad.size) rows.splice(0, rows.length, ...rows.filter((r) => !bad.has(r.areaCode)));
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { file: label, rows: problems.length ? [] : rows, problems };
}

function checkRow(
  fields: readonly string[],
  line: number,
  columns: Record<IndicatorFileColumn, number>,
  ctx: IndicatorFileContext,
  problem: (field: string | undefined, message: string) => void,
): IndicatorFileRow | null {
  const width = Math.max(...Object.values(columns)) + 1;
  if (fields.length < width) {
    problem(undefined, `${fields.length} field${fields.length === 1 ? "" : "s"} where the header has ${width}: every row needs indicator,area,period,value`);
    return null;
  }
  let ok = true;
  const indicatorKey = fields[columns.indicator]!.trim();
  const definition = ctx.indicators.get(indicatorKey) ?? ctx.indicators.get(indicatorKey.toLowerCase());
  const periodType = definition?.periodType;
  if (indicatorKey === "") {
    problem("indicator", "no indicator: give an indicator key (`safecity indicators list` shows them)");
    ok = false;
  } else if (periodType === undefined) {
    problem("indicator", `unknown indicator \`${indicatorKey}\`: use a key from \`safecity indicators list\` (${[...ctx.indicators.keys()].slice(0, 8).join(", ")}${ctx.indicators.size > 8 ? ", …" : ""})`);
    ok = false;
  }
  const areaText = fields[columns.area]!.trim();
  const areaCode = isWellFormedAreaCode(areaText.toUpperCase()) ? areaText.toUpperCase() : areaText;
  if (areaCode === "") {
    problem("area", "no area: give the ONS code of the area, e.g. E06000045");
    ok = false;
  }
  const period = fields[columns.period]!.trim();
  if (period === "") {
    problem("period", "no period: give the month (YYYY-MM), quarter (YYYY-Qn) or financial year (YYYY/YY) the value is for");
    ok = false;
  } else if (periodType !== undefined) {
    const why = ctx.periodProblem(periodType, period);
    if (why) {
      problem("period", why.includes("counts by") ? why : `${why}; ${indicatorKey} is measured by ${periodType.replace("_", " ")}`);
      ok = false;
    }
  }
  const value = parseIndicatorValue(fields[columns.value]!);
  if (!value.ok) {
    problem("value", value.message);
    ok = false;
  } else if (definition && (definition.unit === "count" || definition.unit === "rank") && !(Number.isInteger(value.value) && value.value >= (definition.unit === "rank" ? 1 : 0))) {
    problem("value", `${indicatorKey} is a ${definition.unit}, so its value must be a whole number of ${definition.unit === "rank" ? "1" : "0"} or more; got ${fields[columns.value]!.trim()}`);
    ok = false;
  }
  if (!ok || !value.ok || periodType === undefined) return null;
  const key = ctx.indicators.has(indicatorKey) ? indicatorKey : indicatorKey.toLowerCase();
  return { line, indicatorKey: key, areaCode, period, value: value.value };
}
