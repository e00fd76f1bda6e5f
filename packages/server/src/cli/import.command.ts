import { AppError, formatProblem } from "@safecity/core";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { dataQualityAfterImport } from "../services/data-quality.service.ts";
import { type ImportReport, importPoliceData } from "../services/import.service.ts";
import { type CliContext, printJson } from "./context.ts";
import { importedForces, importedMonths, printDataQuality } from "./data-quality-report.ts";
import { registerImportUndoCommand } from "./import-undo.command.ts";

export function registerImportCommand(program: Command, ctx: () => CliContext): void {
  const command = program
    .command("import")
    .description("import police.uk street-level crime: CSV files, folders and .zip archives")
    .argument("<paths...>", "files, folders or zip archives in the police.uk layout")
    .option("--skip-invalid", "import the valid rows of files with malformed rows, listing the rejected rows")
    .option("--replace", "replace a force-month even with a file of under half its rows (the replaced version is kept: `import undo`)")
    .option("--json", "print a machine-readable report")
    .action(async (paths: string[], options: { skipInvalid?: boolean; replace?: boolean; json?: boolean }) => {
      const c = ctx();
      const store = await c.store();
      const bar = !options.json && c.err.isTTY ? progressBar() : null;
      let report: ImportReport;
      try {
        report = await importPoliceData(store, paths, {
          skipInvalid: options.skipInvalid,
          replace: options.replace,
          user: c.config.user,
          onProgress: bar
            ? (p) => {
                if (bar.getTotal() !== p.bytesTotal) bar.setTotal(p.bytesTotal);
                bar.update(p.bytesDone, { rows: p.rows.toLocaleString("en-GB"), file: `${p.fileIndex + 1}/${p.fileCount}` });
              }
            : undefined,
        });
      } finally {
        bar?.stop();
      }
      const failed = report.files.filter((f) => f.status === "rejected" || f.status === "failed" || f.status === "refused");
      const forces = importedForces(report);
      const dataQuality = forces.length ? await dataQualityAfterImport(store, forces, importedMonths(report)) : null;
      if (options.json) {
        printJson(c, { ...report, dataQuality, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
      } else {
        printTable(c, report);
        printDataQuality(c, dataQuality);
      }
      if (failed.length) {
        if (!options.json) {
          for (const f of failed) {
            c.err.write(`\n${f.file}: ${f.message}\n`);
            for (const e of f.errors) c.err.write(`  ${formatProblem(e)}\n`);
            if (f.errorCount > f.errors.length) c.err.write(`  … and ${f.errorCount - f.errors.length} more problems\n`);
          }
        }
        const refusedOnly = failed.every((f) => f.status === "refused");
        throw new AppError(
          refusedOnly ? "import.replace_refused" : failed.some((f) => f.status === "failed") ? "import.bad_archive" : "import.bad_rows",
          `${failed.length} of ${report.files.length} file(s) not imported (see above); the others were`,
          {
            hint: refusedOnly
              ? "check the file; if it is right, import it again with --replace (the replaced version is kept: `safecity import undo <id>`)"
              : "fix the listed lines and import again; files already imported are skipped",
          },
        );
      }
    });
  registerImportUndoCommand(command, ctx);
}

function progressBar() {
  const bar = new cliProgress.SingleBar(
    {
      format: "importing [{bar}] {percentage}% | {rows} rows | {speed} | ETA {eta_formatted} | file {file}",
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      formatValue: (v, _o, type) => (type === "value" || type === "total" ? String(v) : String(v)),
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(1, 0, { rows: "0", file: "", speed: "" });
  const update = bar.update.bind(bar);
  bar.update = ((value: number, payload?: Record<string, unknown>) => {
    const seconds = (Date.now() - started) / 1000;
    const rows = Number(String(payload?.rows ?? "0").replace(/,/g, ""));
    update(value, { ...payload, speed: seconds > 0 ? `${Math.round(rows / seconds).toLocaleString("en-GB")} rows/s` : "" });
  }) as typeof bar.update;
  return bar;
}

function printTable(c: CliContext, report: ImportReport): void {
  const lines = report.files.map((f) =>
    [f.status.padEnd(18), String(f.rows).padStart(9), String(f.rejectedRows).padStart(9), String(f.noLocationRows).padStart(12), f.file].join("  "),
  );
  c.out.write(`${["status".padEnd(18), "rows".padStart(9), "rejected".padStart(9), "no location".padStart(12), "file"].join("  ")}\n`);
  for (const l of lines) c.out.write(`${l}\n`);
  const seconds = report.elapsedMs / 1000;
  c.out.write(
    `\n${report.totals.rows.toLocaleString("en-GB")} rows imported from ${report.totals.files} file(s) in ${seconds.toFixed(1)} s` +
      ` (${Math.round(report.totals.rows / Math.max(seconds, 0.001)).toLocaleString("en-GB")} rows/s)\n`,
  );
  if (report.interruptedEarlier) c.out.write(`${report.interruptedEarlier} earlier interrupted import(s) marked as interrupted\n`);
  if (report.ignored.length) c.out.write(`ignored (not CSV): ${report.ignored.join(", ")}\n`);
  for (const f of report.files.filter((x) => x.unknownLsoaRows > 0)) {
    c.err.write(`\n${f.file}: ${f.unknownLsoaRows} row(s) with an LSOA code the reference data does not know: imported, but kept out of every area (unknown LSOA)\n`);
    for (const w of f.warnings) c.err.write(`  ${formatProblem(w)}\n`);
    if (f.unknownLsoaRows > f.warnings.length) c.err.write(`  … and ${f.unknownLsoaRows - f.warnings.length} more\n`);
  }
}
