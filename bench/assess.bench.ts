/**
 * Assessment benchmark: `npm run bench:assess` (a measurement, not a timed test).
 *
 *   npm run bench:assess                       2,000,000 generated rows + real Hampshire and reference data, SQLite
 *   npm run bench:assess -- --rows 18000000    national scale (slow: generating and importing take tens of minutes)
 *   options: --rows N (generated rows, default 2,000,000)  --runs N (timed runs, default 5)  --keep (keep the temp dir)
 *            --area <code|name> (default csp:Southampton)  --from/--to (default 2025-01..2025-12)
 *
 * Builds one SQLite store: reference data from ../shared/data/reference, the real Hampshire archives
 * (2024-01..04, 2025) and all forces for 2025-01, then N generated rows (`safecity generate --rows N
 * --seed 1`, 43 synthetic forces over 2023-01..2025-12, LSOA codes that never clash with real ones),
 * so the incident and roll-up tables have national-scale size around a real CSP. Then it times the
 * full assessment (`assessArea`: every section, schema check, canonical form) of the CSP in process:
 * one warm-up run, then `--runs` timed runs (median and min, per-section medians), and once through
 * the CLI in a child process (`safecity assess --json`, Node start-up included). Target: <= 2 s.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openStore } from "../packages/server/src/db/database.ts";
import { assessArea } from "../packages/server/src/services/assessment.service.ts";
import { importPoliceData } from "../packages/server/src/services/import.service.ts";
import { installReference } from "../packages/server/src/services/reference.service.ts";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const SHARED = path.resolve(ROOT, "../shared/data");
const SAFECITY_BIN = path.join(ROOT, "packages/server/bin/safecity.js");
const TARGET_MS = 2000;

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (n: number) => n.toLocaleString("en-GB");

async function main(): Promise<void> {
  const rows = Number((option("--rows") ?? "2000000").replace(/[_,]/g, ""));
  const runs = Number(option("--runs") ?? "5");
  const area = option("--area") ?? "csp:Southampton";
  const from = option("--from") ?? "2025-01";
  const to = option("--to") ?? "2025-12";
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`--rows must be a whole number; got ${option("--rows")}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-bench-assess-"));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
  log(`machine: ${machine}`);
  log(`load average at start: ${os.loadavg().map((v) => v.toFixed(2)).join(" ")}`);
  const store = await openStore({ databaseUrl: null, sqlitePath: path.join(tmp, "safecity.db") });
  try {
    let t = performance.now();
    await installReference(store, path.join(SHARED, "reference"));
    log(`reference data installed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const real = await importPoliceData(
      store,
      ["hampshire-2024-01-to-04.zip", "hampshire-2025.zip", "all-forces-2025-01.zip"].map((f) => path.join(SHARED, "police", f)),
      { user: "bench" },
    );
    log(`real police data: ${fmt(real.totals.rows)} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    let generatedRows = 0;
    if (rows > 0) {
      const gen = path.join(tmp, "generated");
      t = performance.now();
      execFileSync(process.execPath, [SAFECITY_BIN, "generate", "--rows", String(rows), "--seed", "1", "--out", gen], { stdio: ["ignore", "ignore", "inherit"] });
      log(`generated ${fmt(rows)} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      t = performance.now();
      const g = await importPoliceData(store, [gen], { user: "bench" });
      generatedRows = g.totals.rows;
      log(`generated rows imported: ${fmt(generatedRows)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      fs.rmSync(gen, { recursive: true, force: true });
    }
    const totalRows = (store.sqlite!.prepare("select count(*) as n from incident").get() as { n: number }).n;
    const dbBytes = fs.statSync(path.join(tmp, "safecity.db")).size;

    log(`assessing ${area} ${from}..${to}: 1 warm-up + ${runs} runs`);
    const query = { area, from, to };
    const warm = await assessArea(store, query);
    const sections = ["trends", "seasonality", "peers", "hotspots", "emerging", "concentration", "priorityAreas", "keyMessages"] as const;
    const totals: number[] = [];
    const per = new Map<string, number[]>();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const doc = await assessArea(store, query);
      totals.push(performance.now() - t0);
      for (const [k, v] of Object.entries(doc.timings)) per.set(k, [...(per.get(k) ?? []), v]);
    }
    t = performance.now();
    const env = { ...process.env, SAFECITY_DATA_DIR: tmp, DATABASE_URL: "" };
    const out = execFileSync(process.execPath, [SAFECITY_BIN, "assess", "--area", area, "--from", from, "--to", to, "--json"], { env, maxBuffer: 1 << 28 });
    const cliMs = performance.now() - t;

    const med = median(totals);
    const lines = [
      `## Assessment benchmark (bench/assess.bench.ts)`,
      "",
      `Machine: ${machine}; load average ${os.loadavg().map((v) => v.toFixed(2)).join(" ")} at the end.`,
      `Store: SQLite, ${fmt(totalRows)} incidents (${fmt(generatedRows)} generated with --rows ${fmt(rows)} --seed 1, plus real Hampshire 2024-01..04 and 2025 and all forces 2025-01), ${(dbBytes / 2 ** 20).toFixed(0)} MB; reference data installed.`,
      `Area: ${warm.area.name} (${warm.area.level} ${warm.area.code}), ${from}..${to}; ${warm.hotspots.cellCount ?? 0} Gi* cells, ${warm.emerging.cellCount ?? 0} × ${warm.emerging.steps?.length ?? 0} emerging bins; sections: ${sections.map((s) => `${s} ${warm[s].status}`).join(", ")}.`,
      "",
      "| measure | ms |",
      "|---|---:|",
      `| full assessment, in process, median of ${runs} | ${med.toFixed(0)} |`,
      `| full assessment, in process, min | ${Math.min(...totals).toFixed(0)} |`,
      `| \`safecity assess --json\` in a child process (Node start-up, store open, JSON out: ${(out.length / 2 ** 20).toFixed(1)} MB) | ${cliMs.toFixed(0)} |`,
      ...[...per.entries()].sort((a, b) => median(b[1]) - median(a[1])).map(([k, v]) => `| · ${k} (median) | ${median(v).toFixed(1)} |`),
      "",
      `Target <= ${fmt(TARGET_MS)} ms for the full assessment: ${med <= TARGET_MS ? "met" : "NOT met"} (median ${med.toFixed(0)} ms).`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await store.close();
    if (args.includes("--keep")) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
