/**
 * Import benchmark: `npm run bench:import` (a measurement, not a timed test).
 *
 *   npm run bench:import                      Hampshire 2025 (real) + 2M generated rows, SQLite and PostgreSQL
 *   npm run bench:import -- --national        also 18M generated rows over 36 months (slow, ~4 GB in the temp dir)
 *   options: --rows N (generated size, default 2,000,000)  --skip-postgres  --full-baseline
 *            --no-docs (do not rewrite docs/benchmarks.md)  --keep (keep the temp dir)  --note "text" (added to the section)
 *            --timeout-s N (per case; default 2 min or the time at 5,000 rows/s for the product, whichever is longer)
 *
 * For every input and store it measures, each in its own child process (wall time and peak RSS of
 * that process, start-up included):
 *   - naive: bench/import-naive.ts, one prepared INSERT per row in one transaction into a TEXT table;
 *   - product: `node packages/server/bin/safecity.js import <input> --json` on a fresh SQLite data dir
 *     or a fresh PostgreSQL schema.
 * The naive PostgreSQL loader does ~8k rows/s (a round trip per row), so on generated inputs it runs
 * on the first 400,000 rows unless --full-baseline; its rows/s is still a rate over the rows it loaded.
 * Prints a markdown table and writes it between the import markers of docs/benchmarks.md.
 */
import { execFileSync, } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeGeneratedArchive } from "../packages/server/src/generate/write-archive.ts";
import { type ChildRun, runChild } from "./child-run.ts";
import { inPgSchema, PG_URL, withPg } from "./pg-schema.ts";
import { inputSize } from "./police-input.ts";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const HAMPSHIRE = path.resolve(ROOT, "../shared/data/police/hampshire-2025.zip");
const SAFECITY_BIN = path.join(ROOT, "packages/server/bin/safecity.js");
const NAIVE = path.join(ROOT, "bench/import-naive.ts");
const DOCS = path.join(ROOT, "docs/benchmarks.md");
const TARGETS = { sqlite: 250_000, postgres: 150_000, rssMb: 400 } as const;
const NAIVE_PG_LIMIT = 400_000;

type StoreName = "sqlite" | "postgres";
const STORE_LABEL: Record<StoreName, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

interface Input {
  label: string;
  path: string;
  bytes: number;
  files: number;
  expectedRows: number;
}

interface Result {
  input: Input;
  store: StoreName;
  loader: "naive" | "safecity import";
  rows?: number;
  wallMs?: number;
  /** The importer's own elapsedMs (product only). */
  ownMs?: number;
  peakRssMb?: number;
  note?: string;
  error?: string;
}


const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main(): Promise<void> {
  const generatedRows = Number((option("--rows") ?? "2000000").replace(/[_,]/g, ""));
  const withPostgres = !flag("--skip-postgres");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-bench-"));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const notes: string[] = [];
  try {
    const machine = describeMachine();
    let pgVersion = "";
    if (withPostgres) {
      try {
        pgVersion = await withPg(async (c) => (await c.query<{ server_version: string }>("show server_version")).rows[0]!.server_version);
      } catch (e) {
        throw new Error(`PostgreSQL at ${PG_URL} is unreachable (${(e as Error).message}); run with --skip-postgres`);
      }
    }

    const inputs: Input[] = [];
    if (!fs.existsSync(HAMPSHIRE)) throw new Error(`missing ${HAMPSHIRE}: the real police.uk archive is read from ../shared/data`);
    inputs.push({ label: "hampshire-2025.zip (real)", path: HAMPSHIRE, ...(await inputSize(HAMPSHIRE)), expectedRows: 164_975 });

    const generators: string[] = [];
    const generate = async (label: string, rows: number, months: number) => {
      const out = path.join(tmp, label.replace(/\W+/g, "-"));
      log(`generating ${rows.toLocaleString("en-GB")} rows over ${months} months into ${out} …`);
      const g = await writeGeneratedArchive(out, { rows, months, seed: "bench", start: months === 12 ? "2025-01" : "2023-01" });
      generators.push(
        `${label}: ${g.rows.toLocaleString("en-GB")} rows, ${g.files} files, ${(g.bytes / 1e6).toFixed(0)} MB in ${(g.elapsedMs / 1000).toFixed(1)} s ` +
          `(${g.rowsPerSecond.toLocaleString("en-GB")} rows/s, ${(g.bytes / 1e6 / (g.elapsedMs / 1000)).toFixed(0)} MB/s written)`,
      );
      inputs.push({ label, path: out, bytes: g.bytes, files: g.files, expectedRows: g.rows });
    };
    await generate(`generated ${shortCount(generatedRows)} (12 months)`, generatedRows, 12);
    if (flag("--national")) await generate("generated 18M (36 months, national)", 18_000_000, 36);

    const userNote = option("--note");
    if (userNote) notes.push(userNote);
    const importAvailable = await hasImportCommand();
    if (!importAvailable) notes.push("`safecity import` is not available yet: product rows are missing.");

    const results: Result[] = [];
    const stores: StoreName[] = withPostgres ? ["sqlite", "postgres"] : ["sqlite"];
    for (const input of inputs) {
      for (const store of stores) {
        log(`${input.label} → ${STORE_LABEL[store]}: naive baseline …`);
        results.push(await runNaive(input, store, tmp));
        log(`${input.label} → ${STORE_LABEL[store]}: safecity import …`);
        results.push(
          importAvailable
            ? await runProduct(input, store, tmp)
            : { input, store, loader: "safecity import", error: "import command not available yet" },
        );
        log(`  ${summarise(results.at(-2)!)}\n  ${summarise(results.at(-1)!)}`);
      }
    }

    const section = renderSection({ machine, pgVersion, inputs, generators, results, notes });
    process.stdout.write(`${section}\n`);
    if (!flag("--no-docs")) {
      writeDocsSection(section);
      log(`wrote the import section of ${path.relative(ROOT, DOCS)}`);
    }
    const failed = results.filter((r) => r.error);
    if (failed.length) {
      log(`\n${failed.length} case(s) did not run:`);
      for (const r of failed) log(`  ${r.input.label} / ${STORE_LABEL[r.store]} / ${r.loader}: ${r.error}`);
      process.exitCode = 1;
    }
  } finally {
    if (flag("--keep")) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function runNaive(input: Input, store: StoreName, tmp: string): Promise<Result> {
  const limit = store === "postgres" && !flag("--full-baseline") && input.expectedRows > NAIVE_PG_LIMIT ? NAIVE_PG_LIMIT : null;
  const base: Result = { input, store, loader: "naive" };
  if (limit) base.note = `first ${limit.toLocaleString("en-GB")} rows`;
  const limitArgs = limit ? ["--limit", String(limit)] : [];
  const timeout = timeoutFor(limit ?? input.expectedRows, store === "postgres" ? 3_000 : 20_000);
  let run: ChildRun;
  if (store === "sqlite") {
    const dir = fs.mkdtempSync(path.join(tmp, "naive-"));
    try {
      run = await runChild(["--import", "tsx", NAIVE, "sqlite", input.path, path.join(dir, "naive.db"), ...limitArgs], process.env, timeout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else {
    run = await inPgSchema((url) => runChild(["--import", "tsx", NAIVE, "postgres", input.path, url, ...limitArgs], process.env, timeout));
  }
  if (run.timedOut) return { ...base, error: `timed out after ${Math.round(timeout / 1000)} s` };
  if (run.code !== 0) return { ...base, error: `exit ${run.code}: ${tail(run.stderr)}` };
  const out = JSON.parse(run.stdout) as { rows: number };
  return { ...base, rows: out.rows, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
}

async function runProduct(input: Input, store: StoreName, tmp: string): Promise<Result> {
  const base: Result = { input, store, loader: "safecity import" };
  const timeout = timeoutFor(input.expectedRows, 5_000);
  const cli = (env: NodeJS.ProcessEnv) => runChild([SAFECITY_BIN, "import", input.path, "--json"], env, timeout);
  let run: ChildRun;
  if (store === "sqlite") {
    const dir = fs.mkdtempSync(path.join(tmp, "product-"));
    try {
      run = await cli({ ...process.env, SAFECITY_DATA_DIR: dir, DATABASE_URL: "" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else {
    run = await inPgSchema((url) => cli({ ...process.env, DATABASE_URL: url }));
  }
  let report: { totals?: { rows?: number }; elapsedMs?: number; peakRssMb?: number } | undefined;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  if (run.timedOut) {
    return { ...base, error: `timed out after ${Math.round(timeout / 1000)} s (slower than 5,000 rows/s, or stuck)` };
  }
  if (run.code !== 0 || !report?.totals) {
    const unknown = /unknown command/i.test(run.stderr);
    return { ...base, error: unknown ? "import command not available yet" : `exit ${run.code}: ${tail(run.stderr || run.stdout)}` };
  }
  const rows = report.totals.rows ?? 0;
  const result: Result = {
    ...base,
    rows,
    wallMs: run.wallMs,
    peakRssMb: Math.max(run.peakRssMb, report.peakRssMb ?? 0),
  };
  if (typeof report.elapsedMs === "number") result.ownMs = report.elapsedMs;
  if (rows !== input.expectedRows) result.note = `expected ${input.expectedRows.toLocaleString("en-GB")} rows`;
  return result;
}

async function hasImportCommand(): Promise<boolean> {
  const run = await runChild([SAFECITY_BIN, "--help"], process.env);
  return /^\s+import\b/m.test(run.stdout + run.stderr);
}

function describeMachine(): { cpus: number; cpu: string; memGb: number; node: string; date: string; code: string; load: string } {
  let code = "unknown commit";
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages"], { cwd: ROOT, encoding: "utf8" }).trim();
    code = `main@${sha}${dirty ? " plus uncommitted changes in packages/" : ""}`;
  } catch {
    // not a git checkout
  }
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux
  }
  return {
    cpus: os.availableParallelism(),
    cpu,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    code,
    load: os.loadavg()[0]!.toFixed(1),
  };
}

/** Generous limit for one case: 2 minutes, or the time at `minRate` rows/s if longer; `--timeout-s` overrides. */
const timeoutFor = (rows: number, minRate: number) =>
  option("--timeout-s") ? Number(option("--timeout-s")) * 1000 : Math.max(120_000, (rows / minRate) * 1000);
const rate = (r: Result) => (r.rows !== undefined && r.wallMs ? r.rows / (r.wallMs / 1000) : undefined);
/** MB/s over the uncompressed input; for a baseline limited to the first rows, in proportion to the rows read. */
const mbPerSecond = (r: Result) =>
  r.rows !== undefined && r.wallMs ? (r.input.bytes * (r.rows / r.input.expectedRows)) / 1e6 / (r.wallMs / 1000) : undefined;
const fmtInt = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-GB"));
const shortCount = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString("en-GB"));
/** The most telling part of a child's stderr: its first error line, else its last lines. */
const tail = (s: string) => {
  const lines = s.trim().split("\n").map((l) => l.trim()).filter(Boolean);
  const first = lines.find((l) => /error/i.test(l) && !/^at /.test(l));
  return (first ?? lines.slice(-3).join(" ")).slice(0, 300);
};

function summarise(r: Result): string {
  if (r.error) return `${r.loader}: ${r.error}`;
  return `${r.loader}: ${fmtInt(r.rows)} rows in ${((r.wallMs ?? 0) / 1000).toFixed(1)} s = ${fmtInt(rate(r))} rows/s, peak RSS ${r.peakRssMb} MB`;
}

function renderSection(d: {
  machine: ReturnType<typeof describeMachine>;
  pgVersion: string;
  inputs: Input[];
  generators: string[];
  results: Result[];
  notes: string[];
}): string {
  const m = d.machine;
  const lines: string[] = [];
  lines.push("<!-- import:start -->", "## Import (`npm run bench:import`)", "");
  lines.push(
    `Measured ${m.date} on ${m.cpus} × ${m.cpu}, ${m.memGb} GB RAM, Node ${m.node}` +
      `${d.pgVersion ? `, PostgreSQL ${d.pgVersion}` : ""}; code ${m.code}. One run per case; these machines are noisy (10–30%)` +
      ` and shared: load average ${m.load} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (1 min).`,
    "",
  );
  lines.push("Inputs (uncompressed street CSV):", "");
  for (const i of d.inputs) lines.push(`- ${i.label}: ${i.expectedRows.toLocaleString("en-GB")} rows, ${i.files} files, ${(i.bytes / 1e6).toFixed(1)} MB`);
  for (const g of d.generators) lines.push(`- generator (\`safecity generate\`, in process): ${g}`);
  lines.push("");
  lines.push(
    "| input | store | loader | rows | wall s | rows/s | MB/s | peak RSS MB | vs naive | target |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
  );
  for (const r of d.results) {
    const naive = d.results.find((x) => x.input === r.input && x.store === r.store && x.loader === "naive");
    const ratio = r.loader !== "naive" && rate(r) && naive && rate(naive) ? `${(rate(r)! / rate(naive)!).toFixed(2)}×` : "";
    let target = "";
    if (r.loader === "safecity import") {
      const want = TARGETS[r.store];
      target =
        rate(r) === undefined
          ? `≥ ${fmtInt(want)} rows/s, ≤ ${TARGETS.rssMb} MB`
          : `${rate(r)! >= want ? "✅" : "❌"} ≥ ${fmtInt(want)} rows/s; ${(r.peakRssMb ?? 0) <= TARGETS.rssMb ? "✅" : "❌"} ≤ ${TARGETS.rssMb} MB`;
    }
    const rowsCell = r.error ? `**${r.error}**` : `${fmtInt(r.rows)}${r.note ? ` (${r.note})` : ""}`;
    lines.push(
      `| ${r.input.label} | ${STORE_LABEL[r.store]} | ${r.loader} | ${rowsCell} | ${r.wallMs ? (r.wallMs / 1000).toFixed(1) : "–"} | ` +
        `${fmtInt(rate(r))} | ${mbPerSecond(r)?.toFixed(1) ?? "–"} | ${r.peakRssMb ?? "–"} | ${ratio} | ${target} |`,
    );
  }
  lines.push("");
  const own = d.results.filter((r) => r.ownMs);
  if (own.length) {
    lines.push(
      `The importer's own clock (its report's \`elapsedMs\`, without process start-up): ` +
        own
          .map((r) => `${r.input.label} → ${STORE_LABEL[r.store]} ${fmtInt(r.rows! / (r.ownMs! / 1000))} rows/s`)
          .join("; ") +
        ".",
      "",
    );
  }
  lines.push(
    "How: every case is a separate child process; rows/s = rows / wall time of that process, start-up and",
    "zip inflation included; MB/s over the uncompressed CSV bytes; peak RSS is the child's maximum resident set",
    "(GNU time `%M`, else /proc VmHWM). **naive** = bench/import-naive.ts: a split/quote-aware line parser and",
    "one prepared INSERT per row into a plain TEXT table, all in one transaction (better-sqlite3, WAL; pg, one",
    `round trip per row). **safecity import** = \`node packages/server/bin/safecity.js import <input> --json\` on a`,
    "fresh SQLite data dir or a fresh PostgreSQL schema. Targets: SQLite ≥ 250,000 rows/s end to end, PostgreSQL",
    "≥ 150,000 rows/s, peak RSS ≤ 400 MB whatever the input size.",
  );
  for (const n of d.notes) lines.push("", `Note: ${n}`);
  lines.push("<!-- import:end -->");
  return lines.join("\n");
}

function writeDocsSection(section: string): void {
  const start = "<!-- import:start -->";
  const end = "<!-- import:end -->";
  let text = fs.existsSync(DOCS)
    ? fs.readFileSync(DOCS, "utf8")
    : "# Benchmarks\n\nFigures measured on this project's machines. Each section is rewritten by its benchmark script; keep the markers.\n";
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) text = text.slice(0, a) + section + text.slice(b + end.length);
  else text = `${text.trimEnd()}\n\n${section}\n`;
  fs.mkdirSync(path.dirname(DOCS), { recursive: true });
  fs.writeFileSync(DOCS, text);
}

main().catch((e) => {
  process.stderr.write(`bench:import failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
