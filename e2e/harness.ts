import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "../fixtures/test-data.ts";

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = path.join(REPO_ROOT, "packages/server/bin/safecity.js");
export const CHROMIUM = process.env.SAFECITY_CHROMIUM || "/usr/bin/chromium";

/**
 * Whether the browser tests can run. Missing Chromium skips them with the reason printed, unless
 * SAFECITY_REQUIRE_BROWSER=1 (CI), which makes it a failure.
 */
export function browserAvailability(): { skip: boolean; reason?: string } {
  if (fs.existsSync(CHROMIUM)) return { skip: false };
  const reason = `Chromium not found at ${CHROMIUM} (apt install chromium, or set SAFECITY_CHROMIUM)`;
  if (process.env.SAFECITY_REQUIRE_BROWSER === "1") throw new Error(`${reason}; SAFECITY_REQUIRE_BROWSER=1 makes browser tests mandatory`);
  console.warn(`skipping browser tests: ${reason}`);
  return { skip: true, reason };
}

export interface RunningServer {
  url: string;
  dataDir: string;
  /** Everything the server has printed so far (stdout and stderr), e.g. the first-run setup code. */
  output(): string;
  /** Runs `safecity <args>` against the same data directory. */
  cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/** A port that was free a moment ago (for a server whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * The real server (`safecity serve`, on `port` or a free one) on a fresh temporary SQLite data
 * directory, with `env` added to its environment (SAFECITY_TILE_URL=none unless `env` sets it).
 */
export async function startServer(opts: { port?: number; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-e2e-"));
  // No base map unless a test asks for one: tests never reach the internet (the default is OpenStreetMap's tiles).
  const env = { ...process.env, SAFECITY_TILE_URL: "none", ...opts.env, SAFECITY_DATA_DIR: dataDir, DATABASE_URL: "", SAFECITY_USER: "e2e" };
  const child: ChildProcess = spawn(process.execPath, [BIN, "serve", "--port", String(opts.port ?? 0), "--host", "127.0.0.1"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 120 s:\n${output}`)), 120_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  let url: string;
  try {
    url = await started;
  } catch (e) {
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    dataDir,
    output: () => output,
    cli: (args, stdin) => run(args, env, stdin),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium with a fresh profile directory; `close()` also removes the profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1024, height: 768 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/** Creates a user through the real CLI and returns the generated password. */
export async function createUser(server: RunningServer, email: string, role: string): Promise<string> {
  const r = await server.cli(["user", "add", "--email", email, "--name", `${role} user`, "--role", role]);
  if (r.code !== 0) throw new Error(`safecity user add failed: ${r.stderr}`);
  return /Password: (\S+)/.exec(r.stdout)![1]!;
}

/**
 * The committed fixtures on a running server (the reference subset and Southampton 2025-01..03,
 * through the CLI) and an analyst account, analyst@council.gov.uk, whose password it returns.
 */
export async function loadFixturesWithAnalyst(server: RunningServer): Promise<string> {
  for (const args of [["reference", "install", "--from", FIXTURE_REFERENCE_DIR], ["import", FIXTURE_SOUTHAMPTON_2025]]) {
    const r = await server.cli(args);
    if (r.code !== 0) throw new Error(`safecity ${args[0]} failed: ${r.stderr}`);
  }
  return createUser(server, "analyst@council.gov.uk", "analyst");
}
