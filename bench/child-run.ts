/** Benchmarks' child processes: wall time and peak RSS of `node <args>`, with a timeout that kills its process group. */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);

export interface ChildRun {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  wallMs: number;
  peakRssMb: number;
}

/** Runs `node <args>` and measures its wall time and peak RSS (GNU time when present, else /proc polling). */
export async function runChild(nodeArgs: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<ChildRun> {
  const gnuTime = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  const rssFile = path.join(os.tmpdir(), `safecity-bench-rss-${crypto.randomBytes(4).toString("hex")}`);
  const [cmd, argv] = gnuTime ? [gnuTime, ["-f", "%M", "-o", rssFile, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const started = performance.now();
  // Its own process group, so a timeout kills the child and everything it started, nothing else.
  const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let timedOut = false;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, timeoutMs);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  let polledKb = 0;
  const poll = gnuTime
    ? null
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
          if (m) polledKb = Math.max(polledKb, Number(m[1]));
        } catch {
          // the process has exited
        }
      }, 20);
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  if (poll) clearInterval(poll);
  let peakKb = polledKb;
  if (gnuTime) {
    try {
      const lines = fs.readFileSync(rssFile, "utf8").trim().split("\n");
      peakKb = Number(lines.at(-1)) || 0;
    } catch {
      peakKb = 0;
    }
    fs.rmSync(rssFile, { force: true });
  }
  return { code, timedOut, stdout, stderr, wallMs, peakRssMb: Math.round(peakKb / 1024) };
}

