import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { GENERATE_DEFAULTS } from "../generate/plan.ts";
import { writeGeneratedArchive } from "../generate/write-archive.ts";
import { type CliContext, printJson } from "./context.ts";
import { registerGenerateIncidentsCommand } from "./generate-incidents.command.ts";

interface GenerateOptions {
  rows?: string;
  seed: string;
  out?: string;
  months: string;
  start: string;
  forces: string;
  json?: boolean;
}

export function registerGenerateCommand(program: Command, ctx: () => CliContext): void {
  const generate = program
    .command("generate")
    .description("write deterministic synthetic police.uk street-level data (YYYY-MM/YYYY-MM-<force>-street.csv) for benchmarks")
    // Not requiredOption: `generate incidents` shares --rows/--out/--seed and commander checks a parent's required options too.
    .option("--rows <n>", "number of rows to write, exactly")
    .option("--out <dir>", "output folder (must be new or empty)")
    .option("--seed <s>", "any string; the same seed writes the same bytes", GENERATE_DEFAULTS.seed)
    .option("--months <m>", "months to spread the rows over", String(GENERATE_DEFAULTS.months))
    .option("--start <YYYY-MM>", "first month", GENERATE_DEFAULTS.start)
    .option("--forces <f>", "number of police forces", String(GENERATE_DEFAULTS.forces))
    .option("--json", "print a machine-readable report")
    .action(async (o: GenerateOptions) => {
      const c = ctx();
      if (o.rows === undefined || o.out === undefined) {
        throw new AppError("input.invalid", `cannot generate: ${o.rows === undefined ? "--rows <n>" : "--out <dir>"} is required`);
      }
      const problems: string[] = [];
      const rows = wholeNumber("--rows", o.rows, problems);
      const months = wholeNumber("--months", o.months, problems);
      const forces = wholeNumber("--forces", o.forces, problems);
      if (problems.length) throw new AppError("input.invalid", `cannot generate:\n  - ${problems.join("\n  - ")}`);
      const report = await writeGeneratedArchive(o.out, { rows, seed: o.seed, months, start: o.start, forces });
      if (o.json) {
        printJson(c, report);
        return;
      }
      const p = report.params;
      c.out.write(
        `wrote ${report.rows.toLocaleString("en-GB")} rows in ${report.files} files (${(report.bytes / 1e6).toFixed(1)} MB) to ${report.out}\n` +
          `  ${report.months[0] ?? "-"} .. ${report.months.at(-1) ?? "-"} (${p.months} months from ${p.start}), ` +
          `${report.world.forces} forces, ${report.world.localAuthorities} local authorities, ${report.world.lsoas} LSOAs, seed "${p.seed}"\n` +
          `  ${(report.elapsedMs / 1000).toFixed(1)} s, ${report.rowsPerSecond.toLocaleString("en-GB")} rows/s\n`,
      );
    });
  registerGenerateIncidentsCommand(generate, ctx);
}

/** Accepts `2000000`, `2_000_000` and `2,000,000`; anything else is a problem quoting what was typed. */
export function wholeNumber(option: string, text: string, problems: string[]): number {
  const clean = text.replace(/[_,]/g, "");
  if (/^\d+$/.test(clean)) return Number(clean);
  problems.push(`${option} must be a whole number; got \`${text}\``);
  return 0;
}
