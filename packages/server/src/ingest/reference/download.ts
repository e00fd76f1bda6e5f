import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import { type OfficialSource, sourceUrl } from "./official-sources.ts";
import { sha256Of } from "./source.ts";

/*
 * Downloads the official sources into a cache folder, one file each under the publisher's name,
 * with a `<file>.meta` note (URL, sha256, size, when). A file already cached from the same URL
 * whose bytes still hash to the note's sha256 is not fetched again (unless `refresh`). A download
 * is written to `<file>.part` and renamed only once complete and checked: HTTP 200, the size the
 * server announced, and bytes of the expected format (a zip or workbook starts `PK`; a CSV or
 * GeoJSON is text, not an HTML page a moved address answers with).
 */

export interface Downloaded {
  source: OfficialSource;
  url: string;
  file: string;
  sha256: string;
  bytes: number;
  cached: boolean;
}

export interface DownloadFailure {
  source: OfficialSource;
  url: string | null;
  message: string;
  hint: string;
}

interface Meta {
  url: string;
  sha256: string;
  bytes: number;
  fetchedAt: string;
}

export function byHandHint(s: OfficialSource): string {
  return `download "${s.title}" by hand from ${s.page}, save it (as ${s.file} or under the publisher's own name) in a folder, and run \`safecity reference install --from <folder>\``;
}

function checkFormat(s: OfficialSource, head: Buffer): string | null {
  const zip = head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (s.format === "xlsx" || s.format === "zip") return zip ? null : `expected a ${s.format === "xlsx" ? ".xlsx workbook" : "zip"}, got ${describe(head)}`;
  if (zip || head.includes(0)) return `expected ${s.format === "csv" ? "CSV" : "GeoJSON"} text, got binary data`;
  const text = head.toString("utf8").replace(/^\ufeff/, "").trimStart();
  if (/^<(!doctype|html|\?xml)/i.test(text)) return `expected ${s.format === "csv" ? "CSV" : "GeoJSON"}, got an HTML or XML page (the address may have moved)`;
  if (s.format === "geojson" && !text.startsWith("{")) return "expected GeoJSON (a JSON object)";
  return null;
}

function describe(head: Buffer): string {
  const t = head.toString("utf8").trimStart();
  return /^<(!doctype|html)/i.test(t) ? "an HTML page (the address may have moved)" : `${head.length} bytes starting ${JSON.stringify(t.slice(0, 20))}`;
}

function readMeta(p: string): Meta | null {
  try {
    return JSON.parse(fs.readFileSync(p, "utf8")) as Meta;
  } catch {
    return null;
  }
}

/** Fetches one source into `cacheDir` (or finds it there); throws AppError `reference.download_failed` naming the URL and dataset. */
export async function downloadSource(s: OfficialSource, opts: { cacheDir: string; mirrorBase?: string; refresh?: boolean; fetchImpl?: typeof fetch }): Promise<Downloaded> {
  const url = sourceUrl(s, opts.mirrorBase);
  const feeds = s.feeds.join(", ");
  const fail = (message: string) => new AppError("reference.download_failed", `${s.id} (${feeds}): ${message}`, { hint: byHandHint(s) });
  if (!url) throw fail(`no direct download address is known for "${s.title}" (${s.publisher})`);
  const dest = path.join(opts.cacheDir, s.file);
  const metaPath = `${dest}.meta`;
  const meta = readMeta(metaPath);
  if (!opts.refresh && meta?.url === url && fs.existsSync(dest)) {
    const raw = fs.readFileSync(dest);
    if (sha256Of(raw) === meta.sha256) return { source: s, url, file: s.file, sha256: meta.sha256, bytes: raw.length, cached: true };
  }
  fs.mkdirSync(opts.cacheDir, { recursive: true });
  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(url, { redirect: "follow" });
  } catch (e) {
    throw fail(`could not fetch ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw fail(`fetching ${url} failed: HTTP ${res.status} ${res.statusText}`.trim());
  }
  const part = `${dest}.part`;
  const hash = crypto.createHash("sha256");
  const out = fs.createWriteStream(part);
  let bytes = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const b = Buffer.from(chunk);
      if (head.length < 4096) head = Buffer.concat([head, b]).subarray(0, 4096);
      hash.update(b);
      bytes += b.length;
      if (!out.write(b)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } catch (e) {
    out.destroy();
    fs.rmSync(part, { force: true });
    throw fail(`the download from ${url} was interrupted after ${bytes} bytes: ${(e as Error).message}`);
  }
  const announced = Number(res.headers.get("content-length") ?? Number.NaN);
  const problem = bytes === 0 ? "the server sent an empty file" : Number.isFinite(announced) && !res.headers.get("content-encoding") && announced !== bytes ? `received ${bytes} bytes of the ${announced} announced` : checkFormat(s, head);
  if (problem) {
    fs.rmSync(part, { force: true });
    throw fail(`${url}: ${problem}`);
  }
  const sha256 = hash.digest("hex");
  fs.renameSync(part, dest);
  fs.writeFileSync(metaPath, JSON.stringify({ url, sha256, bytes, fetchedAt: new Date().toISOString() } satisfies Meta, null, 2));
  return { source: s, url, file: s.file, sha256, bytes, cached: false };
}
