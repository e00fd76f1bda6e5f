/**
 * Import speed against DuckDB (issue 15): `npm run bench:import-duckdb` (a measurement, not a test).
 *
 *   npm run bench:import-duckdb                     ../shared/data/police (real, extracted) + a generated 4M-row set
 *   npm run bench:import-duckdb -- --dir <folder>   the real national files (police.uk layout, CSVs or zips) instead
 *   options: --rows N (generated size, default 4,000,000)  --skip-postgres  --no-split | --split-all  --no-docs  --keep
 *            --note "text"
 *
 * For every input, in one run, each loader in its own child process (wall time and peak RSS of that
 * process, start-up included), one after the other so the machine's load is shared alike:
 *   - DuckDB: bench/duckdb-load.ts, `create table as select * from read_csv('<folder>/**\/*-street.csv')`
 *     into a fresh database file (the baseline: DuckDB's own parallel CSV reader);
 *   - SQLite: `safecity import <folder> --json` on a fresh data dir;
 *   - PostgreSQL: the same on a fresh schema.
 * Then, unless --no-split, for the first input (every input with --split-all), one more SQLite import run with --cpu-prof (from the TypeScript sources) gives
 * the CPU time split by phase, per thread: read+hash, parse, validate, hand-off (batches between the
 * threads), write, roll-up, index. Prints a markdown section and writes it between the import-duckdb
 * markers of docs/benchmarks.md, with the load average at the start and end of each case.
 */
import { execFileSync, } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeGeneratedArchive } from "../packages/server/src/generate/write-archive.ts";
import { type ChildRun, runChild } from "./child-run.ts";
import { inPgSchema, } from "./pg-schema.ts";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const SHARED_POLICE = path.resolve(ROOT, "../shared/data/police");
const SAFECITY_BIN = path.join(ROOT, "packages/server/bin/safecity.js");
const DUCKDB_LOAD = path.join(ROOT, "bench/duckdb-load.ts");
const DOCS = path.join(ROOT, "docs/benchmarks.md");
const TARGETS = { sqlite: 400_000, postgres: 150_000, rssMb: 500 } as const;
const MARK = { start: "<!-- import-duckdb:start -->", end: "<!-- import-duckdb:end -->" };

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const log = (s: string) => process.stderr.write(`${s}\n`);
const load = () => os.loadavg()[0]!.toFixed(1);

interface Input {
  label: string;
  dir: string;
  files: number;
  bytes: number;
}

type Loader = "DuckDB read_csv" | "safecity → SQLite" | "safecity → PostgreSQL";

interface Result {
  input: Input;
  loader: Loader;
  rows?: number;
  wallMs?: number;
  ownMs?: number;
  peakRssMb?: number;
  loadStart: string;
  loadEnd?: string;
  error?: string;
}

interface Split {
  input: Input;
  wallMs: number;
  rows: number;
  /** CPU ms by phase, per thread ("main", "worker"). */
  threads: { thread: string; phases: Record<string, number> }[];
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-duck-"));
  try {
    const inputs: Input[] = [];
    const dirOption = option("--dir");
    if (dirOption) {
      inputs.push(await prepareInput(`${path.basename(path.resolve(dirOption))} (real, --dir)`, path.resolve(dirOption), tmp));
    } else {
      if (!fs.existsSync(SHARED_POLICE)) throw new Error(`missing ${SHARED_POLICE}: give the real files with --dir`);
      inputs.push(await prepareInput("../shared/data/police (real)", SHARED_POLICE, tmp));
      const rows = Number((option("--rows") ?? "4000000").replace(/[_,]/g, ""));
      const out = path.join(tmp, "generated");
      log(`generating ${rows.toLocaleString("en-GB")} rows into ${out} …`);
      await writeGeneratedArchive(out, { rows, months: 12, seed: "bench", start: "2025-01" });
      inputs.push(describeFolder(`generated ${(rows / 1e6).toLocaleString("en-GB")}M (12 months)`, out));
    }
    const withPostgres = !flag("--skip-postgres");
    const results: Result[] = [];
    const splits: Split[] = [];
    const machine = describeMachine();
    for (const input of inputs) {
      log(`${input.label}: ${input.files} files, ${(input.bytes / 1e6).toFixed(0)} MB`);
      results.push(await runDuckDb(input, tmp));
      log(`  ${summarise(results.at(-1)!)}`);
      results.push(await runSafecity(input, "sqlite", tmp));
      log(`  ${summarise(results.at(-1)!)}`);
      if (withPostgres) {
        results.push(await runSafecity(input, "postgres", tmp));
        log(`  ${summarise(results.at(-1)!)}`);
      }
      // The profiled run is slow (sources through tsx, profiler on): the first input only unless --split-all.
      if (!flag("--no-split") && (flag("--split-all") || input === inputs[0])) {
        log("  CPU profile of a SQLite import …");
        splits.push(await profileSplit(input, tmp));
        for (const t of splits.at(-1)!.threads) log(`  ${t.thread}: ${Object.entries(t.phases).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(", ")}`);
      }
    }
    const section = render(machine, results, splits);
    process.stdout.write(`${section}\n`);
    if (!flag("--no-docs")) {
      writeDocs(section);
      log(`wrote the import-duckdb section of ${path.relative(ROOT, DOCS)}`);
    }
    if (results.some((r) => r.error)) process.exitCode = 1;
  } finally {
    if (flag("--keep")) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A folder of street CSVs as is, or zips (or a folder of zips) extracted once into `tmp` (DuckDB reads plain CSV). */
async function prepareInput(label: string, source: string, tmp: string): Promise<Input> {
  const zips = fs.statSync(source).isDirectory()
    ? (fs.readdirSync(source, { recursive: true }) as string[]).filter((f) => f.endsWith(".zip")).map((f) => path.join(source, f))
    : [source];
  if (!zips.length) return describeFolder(label, source);
  const out = path.join(tmp, "extracted");
  fs.mkdirSync(out, { recursive: true });
  for (const zip of zips.sort()) {
    log(`extracting ${path.basename(zip)} …`);
    // Later archives overwrite a force-month an earlier one also holds: each file once, for both loaders.
    execFileSync("unzip", ["-qo", zip, "*-street.csv", "-d", out]);
  }
  return describeFolder(label, out);
}

function describeFolder(label: string, dir: string): Input {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /-street\.csv$/.test(f));
  return { label, dir, files: files.length, bytes: files.reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0) };
}

async function runDuckDb(input: Input, tmp: string): Promise<Result> {
  const loadStart = load();
  const db = path.join(tmp, `duck-${crypto.randomBytes(4).toString("hex")}.db`);
  try {
    const run = await runChild(["--import", "tsx", DUCKDB_LOAD, path.join(input.dir, "**", "*-street.csv"), db], process.env);
    const base: Result = { input, loader: "DuckDB read_csv", loadStart, loadEnd: load() };
    if (run.code !== 0) return { ...base, error: `exit ${run.code}: ${run.stderr.trim().split("\n").slice(-2).join(" ").slice(0, 300)}` };
    return { ...base, rows: (JSON.parse(run.stdout) as { rows: number }).rows, wallMs: run.wallMs, peakRssMb: run.peakRssMb };
  } finally {
    fs.rmSync(db, { force: true });
    fs.rmSync(`${db}.wal`, { force: true });
  }
}

async function runSafecity(input: Input, store: "sqlite" | "postgres", tmp: string): Promise<Result> {
  const loadStart = load();
  const loader: Loader = store === "sqlite" ? "safecity → SQLite" : "safecity → PostgreSQL";
  const cli = (env: NodeJS.ProcessEnv) => runChild([SAFECITY_BIN, "import", input.dir, "--json"], env);
  let run: ChildRun;
  if (store === "sqlite") {
    const dir = fs.mkdtempSync(path.join(tmp, "sqlite-"));
    try {
      run = await cli({ ...process.env, SAFECITY_DATA_DIR: dir, DATABASE_URL: "" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else {
    run = await inPgSchema((url) => cli({ ...process.env, DATABASE_URL: url }));
  }
  const base: Result = { input, loader, loadStart, loadEnd: load() };
  let report: { totals?: { rows?: number; byStatus?: Record<string, number> }; elapsedMs?: number } | undefined;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  if (run.code !== 0 || !report?.totals) return { ...base, error: `exit ${run.code}: ${(run.stderr || run.stdout).trim().slice(-300)}` };
  return { ...base, rows: report.totals.rows ?? 0, wallMs: run.wallMs, ownMs: report.elapsedMs, peakRssMb: run.peakRssMb };
}

/** One SQLite import from the sources with --cpu-prof: CPU ms per phase and thread. */
async function profileSplit(input: Input, tmp: string): Promise<Split> {
  const dir = fs.mkdtempSync(path.join(tmp, "prof-"));
  const profDir = path.join(dir, "profiles");
  try {
    const run = await runChild(["--cpu-prof", "--cpu-prof-dir", profDir, SAFECITY_BIN, "import", input.dir, "--json"], {
      ...process.env,
      SAFECITY_DATA_DIR: dir,
      DATABASE_URL: "",
      SAFECITY_CLI_BUNDLE: "0",
    });
    const report = JSON.parse(run.stdout) as { totals: { rows: number } };
    const threads = fs
      .readdirSync(profDir)
      .sort()
      .map((f) => ({ file: f, phases: phasesOf(JSON.parse(fs.readFileSync(path.join(profDir, f), "utf8")) as CpuProfile) }))
      // The main thread writes, the parsing worker parses; tsx's module-loader threads (from the sources) do neither.
      .filter(({ phases }) => (phases.write ?? 0) > 0 || (phases.parse ?? 0) > 0)
      .map(({ phases }) => ({ thread: (phases.write ?? 0) > 0 ? "main" : "parse worker", phases }));
    return { input, wallMs: run.wallMs, rows: report.totals.rows, threads };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const PHASES = ["read+hash", "parse", "validate", "hand-off", "write", "roll-up", "index", "start-up, GC, other"] as const;

/** A frame's phase by its source file and function; frames of no phase take their caller's. */
function phaseOfFrame(url: string, fn: string): string | null {
  if (/csv-record-reader\.ts$/.test(url)) return "parse";
  if (/street-row\.ts$/.test(url) || /\/core\/src\/domain\//.test(url)) return "validate";
  if (/street-(batch|file-parser|parse-worker)\.ts$/.test(url)) return "hand-off";
  if (/incident-import\.(sqlite|postgres)\.ts$/.test(url)) return /writeRollup|addLsoaNames|rollup/i.test(fn) ? "roll-up" : "write";
  if (/import\.service\.ts$/.test(url)) return /^(add|cells)$|Rollup/.test(fn) ? "roll-up" : "write";
  if (/police-sources\.ts$|yauzl|zlib|crypto\/hash|node:fs/.test(url)) return "read+hash";
  return null;
}

function phasesOf(p: CpuProfile): Record<string, number> {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, string>();
  const phaseOf = (id: number): string => {
    const known = memo.get(id);
    if (known) return known;
    const n = byId.get(id)!;
    const fn = n.callFrame.functionName;
    let phase: string | null = null;
    if (fn === "(garbage collector)" || fn === "(program)" || fn === "(idle)") phase = fn === "(idle)" ? "idle" : PHASES.at(-1)!;
    else phase = phaseOfFrame(n.callFrame.url, fn);
    // The frame's own phase wins over its caller's, except that hashing/reading inside a phase is still read+hash.
    const resolved = phase ?? (parent.has(id) ? phaseOf(parent.get(id)!) : PHASES.at(-1)!);
    memo.set(id, resolved);
    return resolved;
  };
  const out: Record<string, number> = {};
  for (let i = 0; i < p.samples.length; i++) {
    const phase = phaseOf(p.samples[i]!);
    out[phase] = (out[phase] ?? 0) + (p.timeDeltas[i] ?? 0) / 1000;
  }
  return out;
}

function describeMachine(): string {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux
  }
  let code = "";
  try {
    code = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a checkout
  }
  return `${new Date().toISOString().replace(/\.\d+Z$/, "Z")} on ${os.availableParallelism()} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, code main@${code}`;
}

const rate = (r: Result) => (r.rows !== undefined && r.wallMs ? r.rows / (r.wallMs / 1000) : undefined);
const fmt = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-GB"));

function summarise(r: Result): string {
  if (r.error) return `${r.loader}: ${r.error}`;
  return `${r.loader}: ${fmt(r.rows)} rows in ${((r.wallMs ?? 0) / 1000).toFixed(1)} s = ${fmt(rate(r))} rows/s, peak RSS ${r.peakRssMb} MB (load ${r.loadStart} → ${r.loadEnd})`;
}

function render(machine: string, results: Result[], splits: Split[]): string {
  const lines: string[] = [MARK.start, "## Import against DuckDB (`npm run bench:import-duckdb`, issue 15)", ""];
  lines.push(`Measured ${machine}. Load average (1 min) at the start → end of each case is in its row: the machine is shared.`, "");
  lines.push("| input | loader | rows | wall s | rows/s | ratio to DuckDB | importer's own rows/s | peak RSS MB | load | target |");
  lines.push("|---|---|---:|---:|---:|---:|---:|---:|---|---|");
  for (const r of results) {
    const duck = results.find((x) => x.input === r.input && x.loader === "DuckDB read_csv");
    const ratio = r.loader !== "DuckDB read_csv" && rate(r) && duck && rate(duck) ? `${(rate(r)! / rate(duck)!).toFixed(2)}` : "";
    const want = r.loader === "safecity → SQLite" ? TARGETS.sqlite : r.loader === "safecity → PostgreSQL" ? TARGETS.postgres : null;
    const target =
      want === null || rate(r) === undefined
        ? ""
        : `${rate(r)! >= want ? "✅" : "❌"} ≥ ${fmt(want)} rows/s; ${(r.peakRssMb ?? 0) < TARGETS.rssMb ? "✅" : "❌"} < ${TARGETS.rssMb} MB`;
    const own = r.ownMs && r.rows ? fmt(r.rows / (r.ownMs / 1000)) : "";
    lines.push(
      `| ${r.input.label} (${r.input.files} files, ${(r.input.bytes / 1e6).toFixed(0)} MB) | ${r.loader} | ${r.error ? `**${r.error}**` : fmt(r.rows)} | ` +
        `${r.wallMs ? (r.wallMs / 1000).toFixed(1) : "–"} | ${fmt(rate(r))} | ${ratio} | ${own} | ${r.peakRssMb ?? "–"} | ${r.loadStart} → ${r.loadEnd ?? "?"} | ${target} |`,
    );
  }
  if (splits.length) {
    lines.push("", "CPU time by phase (ms; one more SQLite import with `--cpu-prof`, from the TypeScript sources, so slower than above):", "");
    const phases = [...PHASES, "idle"];
    lines.push(`| input | thread | ${phases.join(" | ")} |`, `|---|---|${phases.map(() => "---:").join("|")}|`);
    for (const s of splits) {
      for (const t of s.threads) {
        lines.push(`| ${s.input.label} (${fmt(s.rows)} rows, wall ${(s.wallMs / 1000).toFixed(1)} s) | ${t.thread} | ${phases.map((p) => fmt(t.phases[p] ?? 0)).join(" | ")} |`);
      }
    }
    lines.push(
      "",
      "Phases: read+hash (file reads, zip inflation, sha256), parse (CSV records), validate (street rows), hand-off",
      "(columnar batches built in the worker and read back in the main thread), write (incidents into the store, the",
      "register), roll-up (counts by LSOA × month × type, their INSERTs, new LSOA names), index (no separate index build:",
      "SQLite's incidents carry none, the roll-up's are kept as it is written in key order); start-up, GC, other;",
      "idle = the thread waiting (for the other thread or the disk).",
    );
  }
  lines.push(
    "",
    "How: each loader is a separate child process, one after the other on the same files; rows/s = rows / wall time",
    "of that process (start-up included); peak RSS = GNU time `%M`. DuckDB: `create table incident as select * from",
    "read_csv('<folder>/**/*-street.csv', header = true)` into a fresh database file (bench/duckdb-load.ts, @duckdb/node-api).",
    "safecity: `node packages/server/bin/safecity.js import <folder> --json` into a fresh SQLite data dir / PostgreSQL",
    `schema, every guarantee on (one transaction per file, sha256, replace-on-newer, every bad row reported). Targets:`,
    `SQLite ≥ ${fmt(TARGETS.sqlite)} rows/s, PostgreSQL ≥ ${fmt(TARGETS.postgres)} rows/s, peak RSS < ${TARGETS.rssMb} MB.`,
  );
  const note = option("--note");
  if (note) lines.push("", `Note: ${note}`);
  lines.push(MARK.end);
  return lines.join("\n");
}

function writeDocs(section: string): void {
  let text = fs.readFileSync(DOCS, "utf8");
  const a = text.indexOf(MARK.start);
  const b = text.indexOf(MARK.end);
  if (a >= 0 && b > a) text = text.slice(0, a) + section + text.slice(b + MARK.end.length);
  else {
    // Right after the import section, where readers look for import figures.
    const after = text.indexOf("<!-- import:end -->");
    const at = after >= 0 ? after + "<!-- import:end -->".length : text.length;
    text = `${text.slice(0, at)}\n\n${section}${text.slice(at)}`;
  }
  fs.writeFileSync(DOCS, text);
}

main().catch((e) => {
  process.stderr.write(`bench:import-duckdb failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
