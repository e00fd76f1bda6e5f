import { AppError, isMonth, monthFromIndex, monthIndex } from "@safecity/core";
import { calendarMonthWeight } from "./row-encoder.ts";
import { ANNUAL_GROWTH } from "./vocabulary.ts";
import { type GeneratedForce, type World, largestRemainder } from "./world.ts";

export interface GenerateParams {
  /** Rows to write, exactly. */
  rows: number;
  /** Any string; the same seed gives the same bytes. Default "1". */
  seed: string;
  /** Months to spread rows over. Default 36 (police.uk keeps 36 months online). */
  months: number;
  /** First month. Default "2023-01". */
  start: string;
  /** Number of forces. Default 43 (England and Wales). */
  forces: number;
}

export const GENERATE_DEFAULTS = { seed: "1", months: 36, start: "2023-01", forces: 43 } as const;

export interface PlannedFile {
  readonly month: string;
  readonly monthIndex: number;
  /** 0 for the last generated month: recent months have more "Under investigation" outcomes. */
  readonly monthsBeforeEnd: number;
  /** 0 at the first generated month, 1 at the last: how far emerging hot spots have grown. */
  readonly progress: number;
  readonly force: GeneratedForce;
  readonly rows: number;
  /** `YYYY-MM/YYYY-MM-<force>-street.csv` */
  readonly relativePath: string;
}

/** Checks the parameters, reporting every problem at once. */
export function checkGenerateParams(p: GenerateParams): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(p.rows) || p.rows < 0) problems.push(`--rows must be a whole number >= 0; got \`${p.rows}\``);
  if (!Number.isInteger(p.months) || p.months < 1 || p.months > 600) problems.push(`--months must be 1..600; got \`${p.months}\``);
  if (!isMonth(p.start)) problems.push(`--start must be YYYY-MM; got \`${p.start}\``);
  if (!Number.isInteger(p.forces) || p.forces < 1 || p.forces > 100) problems.push(`--forces must be 1..100; got \`${p.forces}\``);
  if (problems.length) throw new AppError("input.invalid", `cannot generate:\n  - ${problems.join("\n  - ")}`);
}

/**
 * Splits the rows over month x force files: a month's weight follows the seasonality of the crime
 * mix and a gentle trend, a force's its size. Exact total (largest remainder); empty files are left out.
 */
export function planFiles(world: World, p: GenerateParams): PlannedFile[] {
  const first = monthIndex(p.start);
  const cells: { m: number; force: GeneratedForce }[] = [];
  const weights: number[] = [];
  for (let m = 0; m < p.months; m++) {
    const monthWeight = calendarMonthWeight((first + m) % 12) * (1 + (ANNUAL_GROWTH * m) / 12);
    for (const force of world.forces) {
      cells.push({ m, force });
      weights.push(monthWeight * force.weight);
    }
  }
  const counts = largestRemainder(weights, p.rows);
  const files: PlannedFile[] = [];
  cells.forEach(({ m, force }, i) => {
    const rows = counts[i]!;
    if (rows === 0) return;
    const month = monthFromIndex(first + m);
    files.push({
      month,
      monthIndex: first + m,
      monthsBeforeEnd: p.months - 1 - m,
      progress: p.months > 1 ? m / (p.months - 1) : 1,
      force,
      rows,
      relativePath: `${month}/${month}-${force.slug}-street.csv`,
    });
  });
  return files;
}
