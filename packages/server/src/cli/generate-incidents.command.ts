import fs from "node:fs";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { LOCAL_GENERATE_DEFAULTS, writeLocalIncidentExtract } from "../generate/local-incidents.ts";
import { type CliContext, printJson } from "./context.ts";
import { wholeNumber } from "./generate.command.ts";

interface IncidentsOptions {
  rows?: string;
  out?: string;
  seed?: string;
  start: string;
  days: string;
  repeatRate: string;
  nearRepeatRate: string;
  json?: boolean;
}

/** `safecity generate incidents --out DIR --rows N --seed S`: a synthetic partner extract (generate/local-incidents.ts). */
export function registerGenerateIncidentsCommand(generate: Command, ctx: () => CliContext): void {
  generate
    .command("incidents")
    .description("write a synthetic local incident extract (local-incidents.csv, mapping.json, planted.json) with planted repeat and near-repeat structure")
    .option("--start <YYYY-MM-DD>", "first day", LOCAL_GENERATE_DEFAULTS.start)
    .option("--days <n>", "days covered (the first 365 are look-back for the repeat measures)", String(LOCAL_GENERATE_DEFAULTS.days))
    .option("--repeat-rate <r>", "share of domestic abuse incidents that are repeats within 365 days", String(LOCAL_GENERATE_DEFAULTS.repeatRate))
    .option("--near-repeat-rate <r>", "share of burglaries followed by a near repeat (<200 m, 1-14 days)", String(LOCAL_GENERATE_DEFAULTS.nearRepeatRate))
    .action((own: IncidentsOptions, cmd: Command) => {
      const c = ctx();
      // --rows, --out, --seed and --json are parsed by `generate` itself (its options are read anywhere on the line).
      const shared = cmd.parent?.opts<{ rows?: string; out?: string; seed?: string; json?: boolean }>() ?? {};
      const o: IncidentsOptions = { ...own, rows: shared.rows, out: shared.out, seed: shared.seed, json: own.json || shared.json };
      const problems: string[] = [];
      if (o.rows === undefined) problems.push("--rows <n> is required");
      if (o.out === undefined) problems.push("--out <dir> is required");
      const rows = o.rows === undefined ? 0 : wholeNumber("--rows", o.rows, problems);
      const days = wholeNumber("--days", o.days, problems);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start) || Number.isNaN(Date.parse(`${o.start}T00:00:00Z`))) problems.push(`--start must be a date YYYY-MM-DD; got \`${o.start}\``);
      const repeatRate = rate("--repeat-rate", o.repeatRate, problems);
      const nearRepeatRate = rate("--near-repeat-rate", o.nearRepeatRate, problems);
      if (o.out !== undefined && fs.existsSync(o.out) && fs.readdirSync(o.out).length > 0) problems.push(`--out ${o.out} is not empty; give a new or empty folder`);
      if (problems.length) throw new AppError("input.invalid", `cannot generate incidents:\n  - ${problems.join("\n  - ")}`);
      const report = writeLocalIncidentExtract(o.out as string, {
        ...LOCAL_GENERATE_DEFAULTS,
        rows,
        seed: o.seed ?? LOCAL_GENERATE_DEFAULTS.seed,
        start: o.start,
        days,
        repeatRate,
        nearRepeatRate,
      });
      if (o.json) {
        printJson(c, report);
        return;
      }
      c.out.write(
        `wrote ${report.rows.toLocaleString("en-GB")} local incidents (${(report.bytes / 1e6).toFixed(1)} MB) to ${report.csv}, ${report.from} .. ${report.to}\n` +
          `  mapping: ${report.mapping}; planted: repeat rate ${report.planted.repeatRate} (domestic, measure ${report.planted.measureFrom} .. ${report.planted.measureTo}), ` +
          `near repeats ${report.planted.nearRepeat.rate} of burglaries within ${report.planted.nearRepeat.metres} m and ${report.planted.nearRepeat.days} days\n`,
      );
    });
}

function rate(option: string, text: string, problems: string[]): number {
  const v = Number(text);
  if (text.trim() !== "" && Number.isFinite(v) && v >= 0 && v < 1) return v;
  problems.push(`${option} must be a number from 0 to below 1; got \`${text}\``);
  return 0;
}
