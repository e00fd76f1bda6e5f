import path from "node:path";
import type { Command } from "commander";
import { installReference, type ReferenceInstallReport } from "../services/reference.service.ts";
import { type CliContext, printJson } from "./context.ts";

export function registerReferenceCommand(program: Command, ctx: () => CliContext): void {
  const reference = program.command("reference").description("reference data: geography lookups, populations, IMD, boundaries, ONS CSP crime tables");
  reference
    .command("install")
    .description("install (or replace) reference data, in one transaction: from the publishers' official sources (downloaded and cached), or --from a folder or mirror URL")
    .option("--from <dir|url>", "a folder of the publishers' own files (recognised by their columns) and/or the mirror layout of ../shared/data/reference, or an http(s) URL of a mirror")
    .option("--sources-url <url>", "without --from: fetch each official source as <url>/<publisher's file name> from a mirror of them (env SAFECITY_REFERENCE_SOURCES_URL)")
    .option("--cache <dir>", "without --from: where downloads are kept (default <data dir>/reference-sources)")
    .option("--refresh", "without --from: download again even what the cache holds")
    .option("--json", "print the report as JSON")
    .action(async (opts: { from?: string; sourcesUrl?: string; cache?: string; refresh?: boolean; json?: boolean }) => {
      const c = ctx();
      const sourcesUrl = opts.sourcesUrl ?? (process.env.SAFECITY_REFERENCE_SOURCES_URL || undefined);
      const cacheDir = path.resolve(opts.cache ?? path.join(c.config.dataDir, "reference-sources"));
      const report = await installReference(await c.store(), opts.from, { cacheDir, ...(sourcesUrl ? { sourcesUrl } : {}), ...(opts.refresh ? { refresh: true } : {}) });
      if (opts.json) printJson(c, report);
      else printReport(c, report);
    });
}

function printReport(c: CliContext, r: ReferenceInstallReport): void {
  const fmt = (n: number) => n.toLocaleString("en-GB");
  const nameWidth = Math.max(...r.datasets.map((d) => d.name.length), 7);
  c.out.write(`Reference data installed from ${r.source} in ${(r.elapsedMs / 1000).toFixed(1)} s\n\n`);
  for (const d of r.downloads) {
    const what = d.status === "failed" ? "FAILED" : `${d.status} ${fmt(d.bytes)} bytes, sha256 ${d.sha256!.slice(0, 12)}…`;
    c.out.write(`  ${d.file}: ${what} (${d.publisher}, ${d.licence})\n`);
  }
  for (const d of r.downloads.filter((x) => x.status === "failed")) c.err.write(`warning: ${d.error}\n  what to do: ${d.hint}\n`);
  if (r.downloads.length) c.out.write("\n");
  c.out.write(`  ${"dataset".padEnd(nameWidth)}  ${"rows".padStart(9)}  file\n`);
  for (const d of r.datasets) {
    const file = d.status === "installed" ? d.file! : `missing${d.required ? " (required)" : ""}: ${d.files.join(" or ")}`;
    c.out.write(`  ${d.name.padEnd(nameWidth)}  ${(d.status === "installed" ? fmt(d.rows) : "-").padStart(9)}  ${file}\n`);
  }
  c.out.write("\n  table rows after install:\n");
  for (const [t, n] of Object.entries(r.tables)) c.out.write(`    ${t.padEnd(18)} ${fmt(n).padStart(9)}\n`);
  const unused = r.datasets.flatMap((d) => d.alternativesNotUsed);
  for (const i of r.ignored) c.out.write(`  not recognised: ${i.file}: ${i.why}\n`);
  if (unused.length) c.out.write(`\n  alternatives present, not read: ${unused.join(", ")}\n`);
  for (const n of r.notLoaded) c.out.write(`  not loaded: ${n.file} (${n.why})\n`);
  if (r.policeGeoReplaced) c.out.write(`\n  ${fmt(r.policeGeoReplaced)} LSOAs first seen in police data now carry reference geography\n`);
}
