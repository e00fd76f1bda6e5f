import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./harness.ts";

/**
 * Support for the public website's browser test and screenshots: the `safecity` command on a given
 * data directory, and a link checker over a folder of static files.
 */

const BIN = path.join(REPO_ROOT, "packages/server/bin/safecity.js");

export function runSafecity(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
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

/** Every file under `root`, as paths relative to it with forward slashes, sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p).split(path.sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

export interface LinkReport {
  /** Internal references checked (href, src, CSS url()). */
  checked: number;
  /** External http(s) links seen (not fetched). */
  external: string[];
  /** `file: reference (why)` for every reference that does not resolve. */
  broken: string[];
  /** Files no page or stylesheet refers to (other than index.html). */
  unreferenced: string[];
}

const ATTR = /\s(?:href|src)="([^"]*)"/g;
const CSS_URL = /url\(\s*["']?([^"')]+)["']?\s*\)/g;
const ID = /\sid="([^"]*)"/g;

function unescapeAttr(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

/**
 * Checks every internal reference of a static site: each href/src in its HTML files and each
 * url() in its CSS must be relative (no leading `/`, which breaks file://), stay inside the site,
 * name an existing file, and a `#fragment` must name an id on the target page.
 */
export function checkLinks(root: string): LinkReport {
  const files = listFiles(root);
  const ids = new Map<string, Set<string>>();
  const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");
  for (const f of files.filter((x) => x.endsWith(".html"))) ids.set(f, new Set([...read(f).matchAll(ID)].map((m) => unescapeAttr(m[1]!))));
  const report: LinkReport = { checked: 0, external: [], broken: [], unreferenced: [] };
  const referenced = new Set<string>(["index.html"]);
  const check = (from: string, ref: string) => {
    if (/^(https?:|mailto:)/i.test(ref)) {
      report.external.push(ref);
      return;
    }
    if (/^data:/i.test(ref)) return;
    report.checked++;
    if (ref.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(ref)) {
      report.broken.push(`${from}: ${ref} (not a relative link)`);
      return;
    }
    const [pathPart, fragment] = ref.split("#", 2) as [string, string | undefined];
    const clean = pathPart.split("?")[0]!;
    const target = clean === "" ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURIComponent(clean)));
    if (target.startsWith("..")) {
      report.broken.push(`${from}: ${ref} (outside the site)`);
      return;
    }
    if (!files.includes(target)) {
      report.broken.push(`${from}: ${ref} (no file ${target})`);
      return;
    }
    referenced.add(target);
    if (fragment && target.endsWith(".html") && !ids.get(target)?.has(fragment)) report.broken.push(`${from}: ${ref} (no id "${fragment}" in ${target})`);
  };
  for (const f of files) {
    if (f.endsWith(".html")) for (const m of read(f).matchAll(ATTR)) check(f, unescapeAttr(m[1]!));
    if (f.endsWith(".css")) for (const m of read(f).matchAll(CSS_URL)) check(f, m[1]!);
  }
  report.unreferenced = files.filter((f) => !referenced.has(f));
  return report;
}
