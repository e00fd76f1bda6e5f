import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SAFECITY_BIN = path.resolve(fileURLToPath(new URL("../../bin/safecity.js", import.meta.url)));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `safecity` command in a child process with the given store settings. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SAFECITY_BIN, ...args], {
      env: { ...process.env, ...env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
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
  });
}
