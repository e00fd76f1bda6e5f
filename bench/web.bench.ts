/**
 * Load benchmark of the web application (`npm run bench:web`): not a timed test.
 *
 * Starts the real server (`safecity serve` on a temporary SQLite data directory), imports the real
 * Hampshire 2025 year (../shared/data/police/hampshire-2025.zip) with the CLI, creates a user and an
 * API token, then runs autocannon with 50 connections for 30 s against, one after the other,
 *   1. the overview page `/overview?area=Southampton&from=2025-01&to=2025-12` (session cookie),
 *   2. `GET /api/v1/overview?…` (bearer token) — these two only when they exist (answer 200),
 *   3. the status page `/` (session cookie), and
 *   4. `GET /api/v1/counts?area=Southampton&from=2025-01&to=2025-12` (bearer token), and
 *   5. the trends page `/trends?area=Southampton&from=2025-01&to=2025-12` (session cookie; issue 12: p95 < 150 ms), and
 *   6. the map page `/map?…` (session cookie; issue 12: p95 < 300 ms; the Leaflet map is drawn in the browser from
 *      /api/v1, so this is the page with its paged tables).
 * Reports requests/s, p50/p95/p99 latency (computed from every response's
 * time, which autocannon reports per response; its own summary has p97.5, not p95) and errors
 * (connection errors, timeouts, non-2xx). Target: p95 < 150 ms and no errors.
 *
 * Options: --duration <s> (default 30)  --connections <n> (default 50)  --no-docs (do not rewrite
 * docs/benchmarks.md)  --note "text" (added to the section)  --baseline <dir> (another checkout, e.g.
 * `git archive <commit> | tar -x -C <dir>` with node_modules linked: its server is started too, after
 * this one, on the same data, and its trends and overview pages are measured in the same run, marked
 * "baseline" (or --baseline-label), with the ratio to this checkout's).
 * Writes the figures between `<!-- web:start -->` and `<!-- web:end -->` in docs/benchmarks.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "../e2e/harness.ts";
import type * as Harness from "../e2e/harness.ts";
import { openStore } from "../packages/server/src/db/database.ts";
import { countByArea } from "../packages/server/src/services/counts.service.ts";
import { gitHead, load, type Measured, machine, measuredRow, sessionCookie, writeDocsSection } from "./load-kit.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOCS = path.join(ROOT, "docs/benchmarks.md");
const ZIP = path.resolve(ROOT, "../shared/data/police/hampshire-2025.zip");
const TARGET_P95_MS = 150;
/** The map page's own target (issue 12): its tables name wards and streets of a Gi* surface. */
const MAP_TARGET_P95_MS = 300;
const targetOf = (name: string) => (name.startsWith("map page") ? MAP_TARGET_P95_MS : TARGET_P95_MS);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function section(rows: Measured[], meta: { when: string; connections: number; duration: number; importSummary: string; notes: string[]; loadBefore: number }): string {
  const f = (n: number, d = 1) => n.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
  const lines = [
    "<!-- web:start -->",
    "## Web under load (`npm run bench:web`)",
    "",
    `Measured ${meta.when} on ${machine()}; code main@${gitHead(ROOT)}. The server (\`safecity serve\`, one Node process, SQLite) and`,
    "autocannon (in the benchmark's process) share the same machine. One run per case; these machines are noisy (10–30%).",
    "",
    `Data: ${meta.importSummary}. Load: ${meta.connections} connections for ${meta.duration} s per case, one case after the other.`,
    `Machine load average (1 min) before / after: ${meta.loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (other work shares the machine).`,
    "",
    "| case | auth | requests/s | requests | p50 ms | p95 ms | p99 ms | max ms | errors | timeouts | non-2xx | target: p95 (150 ms; map page 300 ms), no errors |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} \`${r.path}\` | ${r.auth} | ${f(r.rps, 0)} | ${r.total.toLocaleString("en-GB")} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max, 0)} | ${r.errors} | ${r.timeouts} | ${r.non2xx} | ${r.p95 < targetOf(r.name) && r.errors + r.timeouts + r.non2xx === 0 ? "✅" : "❌"} |`,
    ),
    "",
    "Percentiles are computed from every response's latency as autocannon reports it (its summary has p97.5, not p95).",
    "Issue 4 asks for the overview page and its API; the status page (`/`) and the counts API are measured as well; issue 12 the trends page (p95 < 150 ms) and the map page (p95 < 300 ms).",
  ];
  for (const n of meta.notes) lines.push("", `Note: ${n}`);
  lines.push("<!-- web:end -->");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const duration = Number(arg("--duration") ?? 30);
  const connections = Number(arg("--connections") ?? 50);
  if (!fs.existsSync(ZIP)) throw new Error(`${ZIP} not found: the benchmark needs the shared real data`);
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const loadBefore = os.loadavg()[0]!;
  const baselineDir = arg("--baseline");
  let server: RunningServer | null = null;
  let baseline: RunningServer | null = null;
  try {
    server = await startServer();
    const ready = await prepare(server);
    const { importSummary } = ready;
    const period = "area=Southampton&from=2025-01&to=2025-12";
    const cases: Case[] = [
      { name: "overview page", path: `/overview?${period}`, auth: "session cookie", headers: ready.session, optional: true },
      { name: "overview API", path: `/api/v1/overview?${period}`, auth: "bearer token", headers: ready.bearer, optional: true },
      { name: "status page", path: "/", auth: "session cookie", headers: ready.session },
      { name: "counts API", path: `/api/v1/counts?${period}`, auth: "bearer token", headers: ready.bearer },
      { name: "trends page", path: `/trends?${period}`, auth: "session cookie", headers: ready.session, optional: true },
      { name: "map page", path: `/map?${period}`, auth: "session cookie", headers: ready.session, optional: true },
    ];
    const rows: Measured[] = [];
    const notes: string[] = [];
    for (const c of cases) await measureCase(server, c, connections, duration, rows, notes);
    if (baselineDir) {
      // The other checkout's own harness, so its server runs that checkout's code (its REPO_ROOT).
      const other = (await import(path.resolve(baselineDir, "e2e/harness.ts"))) as typeof Harness;
      baseline = await other.startServer();
      const b = await prepare(baseline);
      const label = `baseline ${arg("--baseline-label") ?? path.basename(path.resolve(baselineDir))}`;
      for (const name of ["trends page", "overview page"]) {
        const c = cases.find((x) => x.name === name)!;
        const before = rows.length;
        await measureCase(baseline, { ...c, name: `${name} (${label})`, headers: c.auth === "bearer token" ? b.bearer : b.session }, connections, duration, rows, notes);
        const mine = rows.find((r) => r.name === name);
        const theirs = rows[before];
        if (mine && theirs)
          notes.push(
            `${name}: this checkout against the baseline (${baselineDir}; its server started after this checkout's cases, same data, same run): ${(mine.rps / theirs.rps).toFixed(2)}× the requests/s, p95 ${(mine.p95 / theirs.p95).toFixed(2)}× (${mine.p95.toFixed(1)} ms against ${theirs.p95.toFixed(1)} ms).`,
          );
      }
      await baseline.stop();
      baseline = null;
    }
    // What a cache miss costs: countByArea in this process on the same database, 20 calls.
    const store = await openStore({ databaseUrl: null, sqlitePath: path.join(server.dataDir, "safecity.db") });
    const q = { area: "Southampton", from: "2025-01", to: "2025-12" };
    await countByArea(store, q);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await countByArea(store, q);
    const missMs = (performance.now() - t0) / 20;
    await store.close();
    notes.push(
      `\`/api/v1/counts\` is served from the API's data-version cache after the first request (\`cache: "data"\`); a miss runs \`countByArea\`, measured here at ${missMs.toFixed(1)} ms per call (SQLite, synchronous: about ${Math.floor(1000 / missMs)} misses/s on one thread).`,
    );
    if (arg("--note")) notes.push(arg("--note")!);
    const text = section(rows, { when, connections, duration, importSummary, notes, loadBefore });
    process.stdout.write(`${text}\n`);
    if (!process.argv.includes("--no-docs")) writeDocsSection(DOCS, "web", text);
  } finally {
    await baseline?.stop();
    await server?.stop();
  }
}

interface Case {
  name: string;
  path: string;
  auth: string;
  headers: Record<string, string>;
  optional?: boolean;
}

/** Imports the real year with the server's CLI, adds an analyst with an API token and signs in. */
async function prepare(server: RunningServer): Promise<{ importSummary: string; session: Record<string, string>; bearer: Record<string, string> }> {
  process.stderr.write(`server at ${server.url}; importing ${path.basename(ZIP)}…\n`);
  const imported = await server.cli(["import", ZIP, "--json"]);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const report = JSON.parse(imported.stdout) as { totals: { files: number; rows: number }; elapsedMs: number };
  const importSummary = `hampshire-2025.zip imported with the CLI (${report.totals.files} files, ${report.totals.rows.toLocaleString("en-GB")} rows)`;
  const user = await server.cli(["user", "add", "--email", "bench@council.gov.uk", "--name", "Bench", "--role", "analyst"]);
  if (user.code !== 0) throw new Error(`user add failed: ${user.stderr}`);
  const password = /Password: (\S+)/.exec(user.stdout)![1]!;
  const token = await server.cli(["user", "token", "--email", "bench@council.gov.uk", "--name", "bench"]);
  if (token.code !== 0) throw new Error(`user token failed: ${token.stderr}`);
  const cookie = await sessionCookie(server.url, "bench@council.gov.uk", password);
  return { importSummary, session: { cookie }, bearer: { authorization: `Bearer ${token.stdout.trim()}` } };
}

/** One case: checked once (an optional page that does not answer 200 is noted, not measured), warmed up, then loaded. */
async function measureCase(server: RunningServer, c: Case, connections: number, duration: number, rows: Measured[], notes: string[]): Promise<void> {
  const check = await fetch(`${server.url}${c.path}`, { headers: c.headers });
  const body = await check.text();
  if (check.status !== 200 && c.optional) {
    notes.push(`${c.name} (\`${c.path}\`) not measured: it answered ${check.status} at this commit.`);
    return;
  }
  if (check.status !== 200) throw new Error(`${c.path} answered ${check.status}: ${body.slice(0, 300)}`);
  if (c.name === "counts API") process.stderr.write(`counts: total ${(JSON.parse(body) as { total: number }).total}\n`);
  await load(`${server.url}${c.path}`, c.headers, 10, 3); // warm-up
  process.stderr.write(`${c.name}: ${connections} connections for ${duration} s…\n`);
  const measured = await load(`${server.url}${c.path}`, c.headers, connections, duration);
  const { result } = measured;
  const row = measuredRow(c, measured);
  rows.push(row);
  process.stderr.write(
    `  ${Math.round(row.rps)} req/s, p50 ${row.p50} ms, p95 ${row.p95} ms, p99 ${row.p99} ms (autocannon p50 ${result.latency.p50}, p97.5 ${result.latency.p97_5}, p99 ${result.latency.p99}), errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench:web failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
