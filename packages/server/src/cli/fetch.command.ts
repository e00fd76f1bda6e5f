import path from "node:path";
import { AppError, formatProblem, monthRuns } from "@safecity/core";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { type FetchEvent, type FetchPoliceReport, fetchPoliceData, listPoliceArchive } from "../services/police-fetch.service.ts";
import { type CliContext, printJson } from "./context.ts";

interface FetchFlags {
  force: string[];
  from?: string;
  to?: string;
  archiveUrl?: string;
  cache?: string;
  list?: boolean;
  json?: boolean;
  downloadOnly?: boolean;
}

export function registerFetchCommand(program: Command, ctx: () => CliContext): void {
  const fetch = program.command("fetch").description("download public data from its publishers");
  fetch
    .command("police")
    .description("download police.uk street-level crime for some forces from the data.police.uk monthly archive (only their files), then import it")
    .option("--force <name>", "a force as police.uk names its files, e.g. hampshire (repeat for several)", (v: string, all: string[]) => [...all, v], [])
    .option("--from <YYYY-MM>", "first month (default: 24 months before --to)")
    .option("--to <YYYY-MM>", "last month (default: the latest the archive has)")
    .option("--archive-url <url>", "a mirror: a folder of YYYY-MM.zip archives, a URL with {month}, or one .zip (env SAFECITY_POLICE_ARCHIVE_URL)")
    .option("--cache <dir>", "where downloaded files are kept (default <data folder>/police-archive)")
    .option("--list", "list the forces and months the archive has, and download nothing")
    .option("--download-only", "download and verify, but do not import")
    .option("--json", "print a machine-readable report")
    .action(async (flags: FetchFlags) => {
      const c = ctx();
      const archiveUrl = flags.archiveUrl ?? process.env.SAFECITY_POLICE_ARCHIVE_URL ?? null;
      const cacheDir = path.resolve(flags.cache ?? path.join(c.config.dataDir, "police-archive"));
      if (flags.list) {
        const listing = await listPoliceArchive({ archiveUrl, to: flags.to, cacheDir });
        if (flags.json) return printJson(c, listing);
        c.out.write(`${listing.url}\n\n`);
        for (const f of listing.forces) c.out.write(`${f.force.padEnd(28)} ${monthRuns(f.months).map((r) => (r.from === r.to ? r.from : `${r.from}..${r.to}`)).join(", ")}\n`);
        return;
      }
      const progress = !flags.json && c.err.isTTY ? ttyProgress(c) : lineProgress(c, !!flags.json);
      let report: FetchPoliceReport;
      try {
        report = await fetchPoliceData(flags.downloadOnly ? null : await c.store(), {
          forces: flags.force,
          from: flags.from,
          to: flags.to,
          archiveUrl,
          cacheDir,
          user: c.config.user,
          onEvent: progress.event,
        });
      } finally {
        progress.stop();
      }
      if (flags.json) printJson(c, report);
      else printSummary(c, report, cacheDir);
      // Anything but imported, replaced, already imported or not yet supported (outcomes files) did not go in.
      const fine = new Set<string>(["imported", "replaced", "already imported", "not yet supported"]);
      const failed = report.import?.files.filter((f) => !fine.has(f.status)) ?? [];
      if (failed.length) {
        if (!flags.json) {
          for (const f of failed) {
            c.err.write(`\n${f.file}: ${f.status}: ${f.message ?? ""}\n`);
            for (const e of f.errors) c.err.write(`  ${formatProblem(e)}\n`);
          }
        }
        throw new AppError("import.bad_rows", `${failed.length} of ${report.import!.files.length} downloaded file(s) not imported (see above); the others were`, {
          hint: `the files are in ${cacheDir}; fix or remove them and run \`safecity import ${cacheDir}\``,
        });
      }
    });
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

/** Without a terminal: one line per file (and per archive), nothing that redraws. */
function lineProgress(c: CliContext, quiet: boolean) {
  return {
    event: (e: FetchEvent) => {
      if (quiet) return;
      if (e.type === "archive") c.err.write(`archive ${e.url} (${e.mode === "whole" ? "no Range support: streaming the whole archive once" : e.mode})\n`);
      else if (e.type === "file") c.err.write(`${e.status.padEnd(10)} ${kb(e.bytes).padStart(9)}  ${e.file}\n`);
      else if (e.type === "note") c.err.write(`${e.message}\n`);
    },
    stop: () => {},
  };
}

/** On a terminal: bytes, entries, rate and ETA on one redrawn line. */
function ttyProgress(c: CliContext) {
  const bar = new cliProgress.SingleBar(
    {
      format: "downloading [{bar}] {percentage}% | {done} of {total_mb} MB | {entries} files | {rate}/s | ETA {eta_formatted}",
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let bytes = 0;
  let total = 0;
  let entries = 0;
  let entriesTotal = 0;
  let running = false;
  const payload = () => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    return {
      done: (bytes / 1048576).toFixed(1),
      total_mb: (total / 1048576).toFixed(1),
      entries: `${entries}/${entriesTotal}`,
      rate: `${(bytes / seconds / 1048576).toFixed(2)} MB`,
    };
  };
  return {
    event: (e: FetchEvent) => {
      if (e.type === "archive" && e.mode === "whole") {
        c.err.write(`${e.url}: the server ignores Range requests; streaming the whole archive once\n`);
        if (e.size) total += e.size;
      } else if (e.type === "note") c.err.write(`${e.message}\n`);
      else if (e.type === "plan") {
        total += e.bytes;
        entriesTotal += e.download;
      } else if (e.type === "bytes") bytes += e.n;
      else if (e.type === "file" && e.status !== "cached") entries++;
      if (!running && total > 0) {
        bar.start(total, bytes, payload());
        running = true;
      } else if (running) {
        if (bar.getTotal() !== total) bar.setTotal(total);
        bar.update(Math.min(bytes, total), payload());
      }
    },
    stop: () => {
      if (running) bar.stop();
    },
  };
}

function printSummary(c: CliContext, r: FetchPoliceReport, cacheDir: string): void {
  const count = (s: string) => r.files.filter((f) => f.status === s).length;
  c.out.write(
    `${r.files.length} street file(s) ${r.from}..${r.to}: ${count("downloaded")} downloaded, ${count("resumed")} resumed, ${count("cached")} already in ${cacheDir}` +
      ` (${(r.bytesReceived / 1048576).toFixed(1)} MB received in ${r.requests} request(s))\n`,
  );
  for (const [force, months] of Object.entries(r.missing)) {
    c.out.write(`${force}: the archive has no street file for ${monthRuns(months).map((m) => (m.from === m.to ? m.from : `${m.from}..${m.to}`)).join(", ")}\n`);
  }
  if (!r.import) return;
  const byStatus = Object.entries(r.import.totals.byStatus).map(([s, n]) => `${n} ${s}`);
  c.out.write(`import: ${r.import.totals.rows.toLocaleString("en-GB")} rows from ${r.import.totals.files} file(s) (${byStatus.join(", ")})\n`);
}
