/**
 * Local incident import benchmark: `npm run bench:incidents` (a measurement, not a timed test).
 *
 *   npm run bench:incidents                    1,000,000 generated incidents into SQLite
 *   options: --rows N (default 1000000)  --pg (PostgreSQL too, TEST_DATABASE_URL)  --keep  --no-docs
 *
 * Writes a partner-style extract with the synthetic generator (generate/local-incidents.ts: victim
 * and address identifiers, BNG points, five flags), then imports it in a child process (this script
 * with --child) through the import service: mapping checked, every row checked, identifiers
 * pseudonymised with HMAC-SHA-256, one transaction. rows/s = rows / the import's wall time in the
 * child (its store open excluded); rows per CPU second = rows / the child's user + system CPU time
 * over the import (what the import costs, whatever else the machine is doing); peak RSS = the
 * child's maxRSS. Target: 100,000 rows/s on SQLite.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openStore } from "../packages/server/src/db/database.ts";
import { LOCAL_GENERATE_DEFAULTS, writeLocalIncidentExtract } from "../packages/server/src/generate/local-incidents.ts";
import { importLocalIncidents } from "../packages/server/src/services/local-import.service.ts";
import { gitHead, machine, writeDocsSection } from "./load-kit.ts";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const TARGET = 100_000;
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const log = (s: string) => process.stderr.write(`${s}\n`);

if (args[0] === "--child") {
  // --child <csv> <mapping> <sqlite path | postgres url>
  const [, csv, mapping, target] = args as [string, string, string, string];
  const store = await openStore(target.startsWith("postgres") ? { databaseUrl: target, sqlitePath: "" } : { databaseUrl: null, sqlitePath: target });
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await importLocalIncidents(store, csv, { mappingFile: mapping, dataset: "bench", actor: { label: "bench", ip: null }, now: new Date() });
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  process.stdout.write(JSON.stringify({ rows: r.rows, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const rows = Number(option("--rows") ?? 1_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-bench-incidents-"));
try {
  let t = performance.now();
  const extract = writeLocalIncidentExtract(dir, { ...LOCAL_GENERATE_DEFAULTS, rows });
  log(`generated ${extract.rows.toLocaleString("en-GB")} rows, ${(extract.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const env = { ...process.env, SAFECITY_PSEUDONYM_KEY: crypto.randomBytes(32).toString("hex") };
  const targets: [string, string][] = [["SQLite", path.join(dir, "safecity.db")]];
  if (args.includes("--pg")) {
    const schema = `bench_${crypto.randomBytes(4).toString("hex")}`;
    const base = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
    execFileSync("psql", [base, "-qc", `create schema ${schema}`]);
    const url = new URL(base);
    url.searchParams.set("options", `-c search_path=${schema}`);
    targets.push(["PostgreSQL", url.toString()]);
  }
  const lines: string[] = [];
  for (const [name, target] of targets) {
    t = performance.now();
    const out = execFileSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--child", extract.csv, extract.mapping, target], { env, cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 });
    const r = JSON.parse(out) as { rows: number; ms: number; cpuMs: number; maxRssMb: number };
    const rate = r.rows / (r.ms / 1000);
    const cpuRate = r.rows / (r.cpuMs / 1000);
    const load = os.loadavg()[0]!.toFixed(1);
    log(`${name}: ${r.rows.toLocaleString("en-GB")} rows in ${(r.ms / 1000).toFixed(1)} s = ${Math.round(rate).toLocaleString("en-GB")} rows/s (${Math.round(cpuRate).toLocaleString("en-GB")} rows per CPU second), peak RSS ${r.maxRssMb.toFixed(0)} MB (load ${load})`);
    lines.push(
      `| ${name} | ${r.rows.toLocaleString("en-GB")} | ${(extract.bytes / 1e6).toFixed(0)} | ${(r.ms / 1000).toFixed(1)} | ${Math.round(rate).toLocaleString("en-GB")} | ${Math.round(cpuRate).toLocaleString("en-GB")} | ${r.maxRssMb.toFixed(0)} | ${load} | ${name === "SQLite" ? (rate >= TARGET ? "✅" : "❌") : "–"} ≥ 100,000 rows/s |`,
    );
  }
  if (!args.includes("--no-docs")) {
    writeDocsSection(
      path.join(ROOT, "docs/benchmarks.md"),
      "incidents-import",
      [
        "<!-- incidents-import:start -->",
        "## Local incident import (`npm run bench:incidents`)",
        "",
        `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}, code ${gitHead(ROOT)}.`,
        "A generated partner extract (generate/local-incidents.ts) imported through the import service in a child process:",
        "mapping and every row checked, victim and address identifiers pseudonymised (HMAC-SHA-256), one transaction.",
        "",
        "| store | rows | MB | import s | rows/s | rows per CPU s | peak RSS MB | load avg | target |",
        "|---|---|---|---|---|---|---|---|---|",
        ...lines,
        "<!-- incidents-import:end -->",
      ].join("\n"),
    );
  }
} finally {
  if (!args.includes("--keep")) fs.rmSync(dir, { recursive: true, force: true });
}
