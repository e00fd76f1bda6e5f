/**
 * What the HTTP load benchmarks share: autocannon with every response's latency kept (its own
 * summary has p97.5, not p95), percentiles, signing in like a browser, the machine and commit, and
 * rewriting one marked section of docs/benchmarks.md.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface AutocannonInstance {
  on(event: "response", fn: (client: unknown, statusCode: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  opts: { url: string; connections: number; duration: number; headers?: Record<string, string> },
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface LoadResult {
  result: AutocannonResult;
  /** Every response's latency in ms, sorted. */
  times: Float64Array;
  bytes: number;
}

export interface Measured {
  name: string;
  path: string;
  auth: string;
  rps: number;
  total: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  bytesPerResponse: number;
  connections?: number;
  firstRequestMs?: number;
}

/** The nearest-rank percentile of sorted values (NaN when empty). */
export function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function load(url: string, headers: Record<string, string>, connections: number, duration: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let bytes = 0;
    const instance = autocannon({ url, connections, duration, headers }, (err, result) => {
      if (err) reject(err);
      else resolve({ result, times: Float64Array.from(times).sort(), bytes });
    });
    instance.on("response", (_client, _status, resBytes, ms) => {
      times.push(ms);
      bytes += resBytes;
    });
  });
}

export function measuredRow(c: { name: string; path: string; auth: string }, { result, times, bytes }: LoadResult): Measured {
  return {
    name: c.name,
    path: c.path,
    auth: c.auth,
    rps: result.requests.total / result.duration,
    total: result.requests.total,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    bytesPerResponse: times.length ? bytes / times.length : 0,
  };
}

/** Signs in through the login form like a browser: anonymous cookie + CSRF token, then the session cookie. */
export async function sessionCookie(
  base: string,
  email: string,
  password: string,
  fetchFn: (url: string, init?: RequestInit) => Response | Promise<Response> = fetch,
): Promise<string> {
  const page = await fetchFn(`${base}/login`);
  const anon = page.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetchFn(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: anon.join("; "), origin: base },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("safecity_session="));
  if (res.status !== 303 || !session) throw new Error(`sign-in failed: ${res.status}`);
  return session.split(";")[0]!;
}

export function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  return `${cpus.length} × ${model}, ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function gitHead(root: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages"], { cwd: root, encoding: "utf8" }).trim();
    return dirty ? `${head} plus uncommitted changes under packages/` : head;
  } catch {
    return "unknown";
  }
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` (appends it when absent). */
export function writeDocsSection(file: string, name: string, text: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let doc = fs.existsSync(file)
    ? fs.readFileSync(file, "utf8")
    : "# Benchmarks\n\nFigures measured on this project's machines. Each section is rewritten by its benchmark script; keep the markers.\n";
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) doc = doc.slice(0, a) + text + doc.slice(b + end.length);
  else doc = `${doc.trimEnd()}\n\n${text}\n`;
  fs.writeFileSync(file, doc);
}
