import type { Command } from "commander";
import { type ReferenceInstallReport, installReference } from "../services/reference.service.ts";
import { type CliContext, printJson } from "./context.ts";

export function registerReferenceCommand(program: Command, ctx: () => CliContext): void {
  const reference = program.command("reference").description("reference data: geography lookups, populations, IMD, boundaries, ONS CSP crime tables");
  reference
    .command("install")
    .description("install (or replace) reference data from a mirror directory or URL, in one transaction")
    .requiredOption("--from <dir|url>", "a directory laid out like ../shared/data/reference, or an http(s) URL of one")
    .option("--json", "print the report as JSON")
    .action(async (opts: { from: string; json?: boolean }) => {
      const c = ctx();
      const report = await installReference(await c.store(), opts.from);
      if (opts.json) printJson(c, report);
      else printReport(c, report);
    });
}

function printReport(c: CliContext, r: ReferenceInstallReport): void {
  const fmt = (n: number) => n.toLocaleString("en-GB");
  const nameWidth = Math.max(...r.datasets.map((d) => d.name.length), 7);
  c.out.write(`Reference data installed from ${r.source} in ${(r.elapsedMs / 1000).toFixed(1)} s\n\n`);
  c.out.write(`  ${"dataset".padEnd(nameWidth)}  ${"rows".padStart(9)}  file\n`);
  for (const d of r.datasets) {
    const file = d.status === "installed" ? d.file! : `missing${d.required ? " (required)" : ""}: ${d.files.join(" or ")}`;
    c.out.write(`  ${d.name.padEnd(nameWidth)}  ${(d.status === "installed" ? fmt(d.rows) : "-").padStart(9)}  ${file}\n`);
  }
  c.out.write("\n  table rows after install:\n");
  for (const [t, n] of Object.entries(r.tables)) c.out.write(`    ${t.padEnd(18)} ${fmt(n).padStart(9)}\n`);
  const unused = r.datasets.flatMap((d) => d.alternativesNotUsed);
  if (unused.length) c.out.write(`\n  alternatives present, not read: ${unused.join(", ")}\n`);
  for (const n of r.notLoaded) c.out.write(`  not loaded: ${n.file} (${n.why})\n`);
  if (r.policeGeoReplaced) c.out.write(`\n  ${fmt(r.policeGeoReplaced)} LSOAs first seen in police data now carry reference geography\n`);
}
