/**
 * Load test of the server under the issue 16 attacks (`npm run bench:attack`): not a timed test.
 *
 * Starts the real server (`safecity serve`, temporary SQLite data directory, 127.0.0.1), installs
 * the committed reference subset and imports the Southampton fixture with the CLI, signs in an
 * analyst, then for --duration seconds (default 30) runs at the same time:
 *   - body-limit attack: --body-clients (default 4) anonymous clients each POSTing 8 MB chunked
 *     form bodies to /login, one after the other;
 *   - long-parameter attack: --param-clients (default 4) clients requesting
 *     /api/v1/counts and /overview with a 15,000-character `area`;
 *   - long-line attack: one client uploading, one after the other, a CSV whose second line is one
 *     50 MB field and a zip of about 1 MB holding a 1 GB line (zip bomb), through the Data page;
 * while a probe requests /healthz and the overview page (`/overview?area=Southampton&from=2025-01&to=2025-03`)
 * in turn, one request at a time (each a curl process, timed by curl), and the server's RSS is
 * read from /proc every 100 ms.
 * Target (issue 16): /healthz and the overview page under 1 s, server RSS under 1 GB.
 *
 * Options: --duration <s>  --body-clients <n>  --param-clients <n>  --no-docs  --note "text".
 * Writes the figures between `<!-- attack:start -->` and `<!-- attack:end -->` in docs/benchmarks.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import yazl from "yazl";
import { freePort, type RunningServer, startServer } from "../e2e/harness.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "../fixtures/test-data.ts";
import { gitHead, machine, percentile, sessionCookie, writeDocsSection } from "./load-kit.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOCS = path.join(ROOT, "docs/benchmarks.md");
const MB = 1024 * 1024;
const execFileAsync = promisify(execFile);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The pid of `safecity serve --port <port>` (the harness does not expose it). */
function serverPid(port: number): number {
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
      const i = cmd.indexOf("--port");
      if (cmd.includes("serve") && i >= 0 && cmd[i + 1] === String(port)) return Number(d);
    } catch {
      // a process that ended meanwhile
    }
  }
  throw new Error(`no safecity serve process on port ${port}`);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** `bytes` of `fill` as a stream of 1 MB chunks. */
function filler(bytes: number, fill: string): Readable {
  const block = Buffer.alloc(MB, fill);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return this.push(null);
      const n = Math.min(MB, left);
      left -= n;
      this.push(n === MB ? block : block.subarray(0, n));
    },
  });
}

const HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n";

async function zipBomb(file: string): Promise<number> {
  const zip = new yazl.ZipFile();
  const content = Readable.from(
    (async function* () {
      yield Buffer.from(`${HEADER},2025-01,X,X,-1.4,50.9,`);
      for await (const chunk of filler(1024 * MB, "a")) yield chunk as Buffer;
    })(),
  );
  zip.addReadStream(content, "2025-01/2025-01-bomb-street.csv");
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on("close", () => resolve()).on("error", reject);
  });
  return fs.statSync(file).size;
}

interface Counter {
  requests: number;
  statuses: Map<number, number>;
  errors: number;
  maxMs: number;
}
function counter(): Counter {
  return { requests: 0, statuses: new Map(), errors: 0, maxMs: 0 };
}
async function count(c: Counter, run: () => Promise<Response>): Promise<void> {
  const t = performance.now();
  try {
    const res = await run();
    await res.arrayBuffer();
    c.statuses.set(res.status, (c.statuses.get(res.status) ?? 0) + 1);
  } catch {
    c.errors++;
  }
  c.requests++;
  c.maxMs = Math.max(c.maxMs, performance.now() - t);
}
const statuses = (c: Counter) =>
  [...c.statuses]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${n}× ${s}`)
    .join(", ") || "none";

async function main(): Promise<void> {
  const duration = Number(arg("--duration") ?? 30);
  const bodyClients = Number(arg("--body-clients") ?? 4);
  const paramClients = Number(arg("--param-clients") ?? 4);
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const loadBefore = os.loadavg()[0]!;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-attack-"));
  let server: RunningServer | null = null;
  try {
    const port = await freePort();
    server = await startServer({ port });
    const pid = serverPid(port);
    for (const args of [
      ["reference", "install", "--from", FIXTURE_REFERENCE_DIR],
      ["import", FIXTURE_SOUTHAMPTON_2025],
    ]) {
      const r = await server.cli(args);
      if (r.code !== 0) throw new Error(`safecity ${args.join(" ")} failed: ${r.stderr}`);
    }
    const user = await server.cli(["user", "add", "--email", "bench@council.gov.uk", "--name", "Bench", "--role", "analyst"]);
    if (user.code !== 0) throw new Error(`user add failed: ${user.stderr}`);
    const password = /Password: (\S+)/.exec(user.stdout)![1]!;
    const cookie = await sessionCookie(server.url, "bench@council.gov.uk", password);
    const dataPage = await (await fetch(`${server.url}/data`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dataPage)?.[1] ?? "";

    process.stderr.write("building the attack files…\n");
    const longLine = path.join(work, "2025-01-longline-street.csv");
    fs.writeFileSync(longLine, Buffer.concat([Buffer.from(`${HEADER},2025-01,X,X,-1.4,50.9,`), Buffer.alloc(50 * MB, "x"), Buffer.from(",E01017145,Southampton 001A,Burglary,,\n")]));
    const bomb = path.join(work, "bomb.zip");
    const bombBytes = await zipBomb(bomb);

    const overview = "/overview?area=Southampton&from=2025-01&to=2025-03";
    const baseline = { healthz: [] as number[], overview: [] as number[] };
    const probe = { healthz: [] as number[], overview: [] as number[], failures: 0 };

    const rssBefore = rssMb(pid);
    let rssPeak = rssBefore;
    const rssTimer = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(pid));
    }, 100);
    const body = counter();
    const param = counter();
    const upload = counter();
    const longArea = "x".repeat(15000);

    const bodyAttack = async () => {
      while (Date.now() < until) {
        await count(body, () =>
          fetch(`${server!.url}/login`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: Readable.toWeb(filler(8 * MB, "a")) as ReadableStream,
            duplex: "half",
          } as RequestInit),
        );
      }
    };
    const paramAttack = async (i: number) => {
      while (Date.now() < until) {
        const p = i % 2 ? `/api/v1/counts?area=${longArea}` : `/overview?area=${longArea}`;
        await count(param, () => fetch(`${server!.url}${p}`, { headers: { cookie } }));
      }
    };
    const uploadAttack = async () => {
      for (let n = 0; Date.now() < until; n++) {
        const file = n % 2 ? bomb : longLine;
        const form = new FormData();
        form.append("files", new Blob([fs.readFileSync(file)]), path.basename(file));
        await count(upload, () => fetch(`${server!.url}/data/upload?_csrf=${encodeURIComponent(csrf)}`, { method: "POST", headers: { cookie }, body: form, redirect: "manual" }));
      }
    };
    // Each probe is a separate curl process, so the attacking clients' work in this process does not
    // delay the probe's own timing; curl reports the request's total time.
    const curlMs = async (p: string): Promise<number> => {
      const { stdout } = await execFileAsync("curl", ["-s", "-o", "/dev/null", "-m", "30", "-H", `cookie: ${cookie}`, "-w", "%{http_code} %{time_total}", `${server!.url}${p}`]);
      const [status, seconds] = stdout.trim().split(" ");
      if (status !== "200") probe.failures++;
      return Number(seconds) * 1000;
    };
    const prober = async () => {
      while (Date.now() < until) {
        for (const [k, p] of [["healthz", "/healthz"], ["overview", overview]] as const) {
          try {
            probe[k].push(await curlMs(p));
          } catch {
            probe.failures++;
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    for (let i = 0; i < 10; i++) {
      for (const [k, p] of [["healthz", "/healthz"], ["overview", overview]] as const) baseline[k].push(await curlMs(p));
    }
    probe.failures = 0;
    const until = Date.now() + duration * 1000;
    process.stderr.write(`attacking for ${duration} s…\n`);
    await Promise.all([
      ...Array.from({ length: bodyClients }, bodyAttack),
      ...Array.from({ length: paramClients }, (_, i) => paramAttack(i)),
      uploadAttack(),
      prober(),
    ]);
    clearInterval(rssTimer);
    // Let the queued imports of the attack files finish (each refused quickly).
    await new Promise((r) => setTimeout(r, 2000));
    const rssAfter = rssMb(pid);

    const sorted = (xs: number[]) => Float64Array.from(xs).sort();
    const f = (n: number, d = 0) => n.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d });
    const row = (name: string, base: number[], xs: number[]) => {
      const s = sorted(xs);
      const b = sorted(base);
      const max = s[s.length - 1] ?? Number.NaN;
      return `| ${name} | ${f(percentile(b, 50), 1)} | ${xs.length} | ${f(percentile(s, 50), 1)} | ${f(percentile(s, 95), 1)} | ${f(max, 1)} | ${max < 1000 ? "✅" : "❌"} |`;
    };
    const notes: string[] = [];
    if (arg("--note")) notes.push(arg("--note")!);
    const lines = [
      "<!-- attack:start -->",
      "## Server under the issue 16 attacks (`npm run bench:attack`)",
      "",
      `Measured ${when} on ${machine()}; code main@${gitHead(ROOT)}. The server (\`safecity serve\`, SQLite, 127.0.0.1) and the attacking`,
      `clients share the machine. Machine load average (1 min) before / after: ${loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores.`,
      "",
      `For ${duration} s at once: ${bodyClients} clients POSTing 8 MB chunked bodies to \`/login\` (${f(body.requests)} requests: ${statuses(body)}; ${body.errors} connection errors);`,
      `${paramClients} clients requesting \`/api/v1/counts\` and \`/overview\` with a 15,000-character \`area\` (${f(param.requests)} requests: ${statuses(param)});`,
      `one client uploading in turn a CSV with a 50 MB field and a ${f(bombBytes / MB, 1)} MB zip holding a 1 GB line (${f(upload.requests)} uploads: ${statuses(upload)}).`,
      "A probe (curl, its own process, signed in) requested `/healthz` and the overview page in turn, one at a time; idle = 10 of each before the attack:",
      "",
      "| probe | idle p50 ms | requests under attack | p50 ms | p95 ms | max ms | under 1 s |",
      "|---|---:|---:|---:|---:|---:|---|",
      row("`/healthz`", baseline.healthz, probe.healthz),
      row(`overview page \`${overview}\``, baseline.overview, probe.overview),
      "",
      `Probe failures (non-200 or no answer in 30 s): ${probe.failures}. Server RSS: ${f(rssBefore)} MB before, peak ${f(rssPeak)} MB during (target under 1,024 MB: ${rssPeak < 1024 ? "✅" : "❌"}), ${f(rssAfter)} MB after.`,
      "The uploads' imports run in a child process (`safecity import-job`): the long line is refused at its file:line after 1 MB, the zip bomb before its entry is read.",
    ];
    for (const n of notes) lines.push("", `Note: ${n}`);
    lines.push("<!-- attack:end -->");
    const text = lines.join("\n");
    process.stdout.write(`${text}\n`);
    if (!process.argv.includes("--no-docs")) writeDocsSection(DOCS, "attack", text);
  } finally {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench:attack failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
