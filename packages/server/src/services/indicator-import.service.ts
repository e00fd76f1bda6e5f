import { AppError, type Indicator, type IndicatorUnit, type PeriodType, type ProblemLine, periodOfType } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { insertAudit } from "../db/repositories/audit.repository.ts";
import {
  insertIndicator,
  knownAreaCodes,
  listIndicators,
  storedValues,
  upsertIndicatorValues,
  valueKey,
} from "../db/repositories/plan-indicator.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { readIndicatorFile } from "../ingest/indicators/indicator-file.reader.ts";
import type { Actor } from "./audit.ts";
import { STANDARD_INDICATORS } from "./standard-indicators.ts";

export interface ReplacedValue {
  indicator: string;
  area: string;
  period: string;
  from: number;
  to: number;
}

export interface IndicatorImportReport {
  file: string;
  /** Values new to the store. */
  imported: number;
  /** Values that replaced a different stored value for the same indicator, area and period. */
  replaced: number;
  /** Values identical to the stored ones: nothing written. */
  unchanged: number;
  /** Every bad row (`file:line (field): message`); when any, nothing was written. */
  errors: ProblemLine[];
  /** Each replacement, old and new value. */
  replacements: ReplacedValue[];
}

/**
 * Imports an `indicator,area,period,value` file in one transaction: every row is checked first and
 * a file with any bad row writes nothing (the report lists them all). Re-importing the same file
 * changes nothing; a different value for a stored indicator, area and period replaces it and is
 * listed. The built-in indicators (`STANDARD_INDICATORS`) are accepted even before they are stored,
 * and created with the first good file that uses them. One audit row records the import.
 */
export async function importIndicatorFile(store: Store, filePath: string, opts: { actor: Actor; now: Date; label?: string }): Promise<IndicatorImportReport> {
  const stored = await listIndicators(store);
  const byKey = new Map<string, Indicator | (typeof STANDARD_INDICATORS)[number]>(STANDARD_INDICATORS.map((i) => [i.key, i]));
  for (const i of stored) byKey.set(i.key, i);
  const importable = new Map<string, { periodType: PeriodType; unit: IndicatorUnit }>();
  for (const [key, i] of byKey) if (i.source === "imported") importable.set(key, { periodType: i.periodType, unit: i.unit });
  const derivedKeys = stored.filter((i) => i.source === "derived").map((i) => i.key);

  const read = await readIndicatorFile(
    filePath,
    {
      indicators: importable,
      periodProblem,
      knownAreas: (codes) => knownAreaCodes(store, codes),
    },
    opts.label,
  );
  const report: IndicatorImportReport = { file: read.file, imported: 0, replaced: 0, unchanged: 0, errors: read.problems, replacements: [] };
  if (read.problems.length) {
    for (const p of read.problems) {
      const key = p.field === "indicator" ? derivedKeys.find((k) => p.message.includes(`\`${k}\``)) : undefined;
      if (key) p.message = `\`${key}\` is derived from the police data and cannot be imported: leave its rows out of the file`;
    }
    return report;
  }
  if (read.rows.length === 0) {
    report.errors.push({ file: read.file, message: "the file has a header but no rows: add one row per value (indicator,area,period,value)" });
    return report;
  }

  await inTransaction(store, async (tx) => {
    const ids = new Map(stored.map((i) => [i.key, i.id]));
    const created: string[] = [];
    for (const key of new Set(read.rows.map((r) => r.indicatorKey))) {
      if (ids.has(key)) continue;
      const standard = STANDARD_INDICATORS.find((s) => s.key === key)!;
      ids.set(key, await insertIndicator(tx, standard));
      created.push(key);
    }
    const rows = read.rows.map((r) => ({ indicatorId: ids.get(r.indicatorKey)!, areaCode: r.areaCode, period: r.period, value: r.value, key: r.indicatorKey }));
    const before = await storedValues(
      tx,
      [...new Set(rows.map((r) => r.indicatorId))],
      rows.map((r) => r.areaCode),
    );
    const changed = rows.filter((r) => {
      const old = before.get(valueKey(r));
      if (old === undefined) report.imported++;
      else if (old === r.value) report.unchanged++;
      else {
        report.replaced++;
        report.replacements.push({ indicator: r.key, area: r.areaCode, period: r.period, from: old, to: r.value });
      }
      return old !== r.value;
    });
    if (changed.length === 0) return;
    await upsertIndicatorValues(tx, changed, read.file, opts.now.toISOString());
    await insertAudit(tx, {
      at: opts.now.toISOString(),
      actor: opts.actor.label,
      action: "indicator.import",
      target: `file:${read.file}`,
      before: report.replacements.length ? { replaced: report.replacements.map(({ indicator, area, period, from }) => ({ indicator, area, period, value: from })) } : null,
      after: { imported: report.imported, replaced: report.replaced, unchanged: report.unchanged, createdIndicators: created },
      ip: opts.actor.ip,
    });
  });
  return report;
}

/** Why `period` is not a period of `type`, in the words of core's `periodOfType`; null when it is. */
function periodProblem(type: PeriodType, period: string): string | null {
  try {
    periodOfType(type, period);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The import report as an error for callers that stop on a bad file (the CLI). */
export function badIndicatorFileError(report: IndicatorImportReport): AppError {
  const rows = new Set(report.errors.map((e) => e.line).filter((l) => l !== undefined)).size;
  return new AppError(
    "indicator.bad_file",
    `${report.file}: ${report.errors.length} problem${report.errors.length === 1 ? "" : "s"}${rows ? ` on ${rows} row${rows === 1 ? "" : "s"}` : ""}; nothing was imported`,
    { problems: report.errors, hint: "fix the listed lines and import the file again (the whole file is imported or none of it)" },
  );
}
