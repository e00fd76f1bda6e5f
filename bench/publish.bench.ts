/**
 * Publishing benchmark: `npm run bench:publish` (a measurement, not a timed test).
 *
 *   npm run bench:publish                 the demo partnership on SQLite, 5 timed publications
 *   options: --runs N (default 5)  --keep (keep the temp dir)  --no-docs (do not rewrite docs/benchmarks.md)
 *
 * Loads the demo partnership (`safecity demo`: 90,000 generated rows, its plan, grants) into a
 * temporary SQLite store, then times `publishPlan` in process (the whole job: the plan with measured
 * targets, the Strategic Assessment of the latest 24 months, the map, rendering every page and chart,
 * copying the assets, writing the folder and recording the publication): the first run cold (vega
 * loads), then `--runs` more. Then once through the CLI in a child process (`safecity publish`, Node
 * start-up included) and a `--republish` of the first publication. Target: under 10 s.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openStore } from "../packages/server/src/db/database.ts";
import { loadDemo } from "../packages/server/src/services/demo.service.ts";
import { publishPlan } from "../packages/server/src/services/publication.service.ts";
import { gitHead, machine, writeDocsSection } from "./load-kit.ts";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const SAFECITY_BIN = path.join(ROOT, "packages/server/bin/safecity.js");
const TARGET_MS = 10_000;

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(option("--runs") ?? 5);
const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-bench-publish-"));
try {
  const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, "safecity.db") });
  const actor = { label: "bench", ip: null };
  let t = performance.now();
  const demo = await loadDemo(store, { actor });
  log(`demo loaded in ${seconds(performance.now() - t)} (plan ${demo.plan.planId}, ${demo.police.rows.toLocaleString("en-GB")} rows)`);

  const times: number[] = [];
  const cpu: number[] = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    t = performance.now();
    const c0 = process.cpuUsage();
    const r = await publishPlan(store, demo.plan.planId, { outDir: path.join(dir, `site-${i}`), actor, now: new Date() });
    times.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    files = r.files;
    bytes = r.bytes;
    log(`publication ${r.publication.number}: ${seconds(times.at(-1)!)} (CPU ${seconds(cpu.at(-1)!)})${i === 0 ? " (cold)" : ""}`);
  }
  await store.close();
  const cold = times[0]!;
  const warm = times.slice(1);

  const env = { ...process.env, SAFECITY_DATA_DIR: dir, DATABASE_URL: "", SAFECITY_USER: "bench" };
  // the first command after a source change rebuilds the CLI bundle (docs/decisions/0003-cli-bundle.md): not timed
  execFileSync(process.execPath, [SAFECITY_BIN, "publish", "--list"], { env, stdio: "pipe" });
  t = performance.now();
  execFileSync(process.execPath, [SAFECITY_BIN, "publish", "--plan", String(demo.plan.planId), "--out", path.join(dir, "site-cli")], { env, stdio: "pipe" });
  const cli = performance.now() - t;
  t = performance.now();
  const again = execFileSync(process.execPath, [SAFECITY_BIN, "publish", "--republish", "1", "--out", path.join(dir, "site-again")], { env, encoding: "utf8" });
  const republish = performance.now() - t;
  if (!again.includes("identical")) throw new Error(`republish did not report identical bytes:\n${again}`);

  const met = cold <= TARGET_MS && cli <= TARGET_MS;
  const text = [
    "<!-- publish:start -->",
    "## Publishing the public website (`npm run bench:publish`)",
    "",
    `Machine: ${machine()}; git ${gitHead(ROOT)}; measured ${new Date().toISOString().slice(0, 10)}. Store: SQLite with the demo partnership`,
    `(\`safecity demo\`: ${demo.police.rows.toLocaleString("en-GB")} generated rows, ${demo.plan.priorities} priorities, ${demo.plan.actions} actions, ${demo.plan.targets} targets, grants). A publication: ${files} files, ${bytes.toLocaleString("en-GB")} bytes.`,
    "",
    "| What | Time |",
    "| --- | ---: |",
    `| \`publishPlan\` in process, first (cold: vega loads) | ${seconds(cold)} (CPU ${seconds(cpu[0]!)}) |`,
    `| \`publishPlan\` in process, median of ${warm.length} more (min ${seconds(Math.min(...warm))}) | ${seconds(median(warm))} (CPU ${seconds(median(cpu.slice(1)))}) |`,
    `| \`safecity publish --plan\` in a child process (Node start-up included) | ${seconds(cli)} |`,
    `| \`safecity publish --republish\` (rebuild from the snapshot, identical bytes) | ${seconds(republish)} |`,
    "",
    `Load average when measured: ${os.loadavg().map((x) => x.toFixed(1)).join(", ")} on ${os.cpus().length} cores. Target: under ${TARGET_MS / 1000} s: ${met ? "met" : "not met"} in wall-clock time at this load;`,
    "CPU time is what a publication costs the process whatever else the machine is doing.",
    "<!-- publish:end -->",
  ].join("\n");
  console.log(text);
  if (!args.includes("--no-docs")) writeDocsSection(path.join(ROOT, "docs/benchmarks.md"), "publish", text);
} finally {
  if (args.includes("--keep")) log(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
