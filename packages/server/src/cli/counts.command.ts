import type { Command } from "commander";
import { type CountsResult, countByArea } from "../services/counts.service.ts";
import { OTHER_FORCES_HELP } from "./analysis-options.ts";
import { type CliContext, printJson } from "./context.ts";

export function registerCountsCommand(program: Command, ctx: () => CliContext): void {
  program
    .command("counts")
    .description("counts of crime for an area from the roll-up, by type and month")
    .requiredOption("--area <code|name>", "a code (E06000045) or a name, optionally level-qualified (lad:Southampton, csp:North Hampshire)")
    .option("--from <YYYY-MM>", "first month (default: the first month loaded)")
    .option("--to <YYYY-MM>", "last month (default: the last month loaded)")
    .option("--type <crime type>", "one police.uk crime type, e.g. Burglary")
    .option("--other-forces <rule>", OTHER_FORCES_HELP)
    .option("--json", "print JSON")
    .action(async (opts: { area: string; from?: string; to?: string; type?: string; otherForces?: string; json?: boolean }) => {
      const c = ctx();
      const result = await countByArea(await c.store(), opts);
      if (opts.json) {
        const { principalForce: _p, notes: _n, ...json } = result;
        printJson(c, { ...json, principalForce: result.principalForce, notes: result.notes });
      } else printCounts(c, result);
    });
}

function printCounts(c: CliContext, r: CountsResult): void {
  const fmt = (n: number) => n.toLocaleString("en-GB");
  c.out.write(`${r.area.name} (${r.area.level}${r.area.code ? ` ${r.area.code}` : ""}), ${r.from ?? "?"} to ${r.to ?? "?"}: ${fmt(r.total)} rows\n\n`);
  const types = Object.entries(r.byType);
  const width = Math.max(...types.map(([t]) => t.length), 10);
  for (const [type, n] of types) c.out.write(`  ${type.padEnd(width)}  ${fmt(n).padStart(9)}\n`);
  c.out.write("\n");
  for (const [month, n] of Object.entries(r.byMonth)) c.out.write(`  ${month}  ${fmt(n).padStart(9)}\n`);
  if (r.missingMonths.length) c.out.write(`\nmissing months: ${r.missingMonths.join(", ")}\n`);
  for (const note of r.notes) c.out.write(`note: ${note}\n`);
}
