import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { TestBrowser } from "../http-client.ts";
import { SAFECITY_BIN } from "./cli.ts";

/** A real `safecity serve` process (free port) with its output kept: the JSON log lines and the banner. */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The JSON log lines on stdout so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ids of the process's direct children now (the import-job process). */
  children(): number[];
  /** A TestBrowser talking to this server over real HTTP. */
  browser(headers?: Record<string, string>): TestBrowser;
}

export async function startServe(env: Record<string, string>, timeoutMs = 120_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [SAFECITY_BIN, "serve", "--port", "0", "--host", "127.0.0.1"], {
    env: { ...process.env, FORCE_COLOR: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => {
    out += d;
  });
  child.stderr!.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  let url: string | null = null;
  while (!url) {
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) url = m[1]!;
    else if (child.exitCode !== null) throw new Error(`safecity serve exited with ${child.exitCode}:\n${out}`);
    else if (Date.now() - started > timeoutMs) {
      child.kill("SIGKILL");
      throw new Error(`safecity serve did not start in ${timeoutMs / 1000} s:\n${out}`);
    } else await sleep(50);
  }
  const base = url;
  return {
    url: base,
    child,
    output: () => out,
    logs: () =>
      out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    children: () => {
      try {
        return execFileSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" })
          .split("\n")
          .map((s) => Number(s.trim()))
          .filter((n) => n > 0);
      } catch {
        return [];
      }
    },
    browser: (headers = {}) => new TestBrowser({ request: (input, init) => fetch(input, { ...init, redirect: "manual" }) }, base, headers),
  };
}

/** Whether a process id is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
