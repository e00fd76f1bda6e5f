import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import zlib from "node:zlib";
import { AppError } from "@safecity/core";
import { REFERENCE_MANIFEST } from "./manifest.ts";
import type { ReferenceFile } from "./reference-data.ts";

/** A mirror on disk: a directory given by the user, or a temporary copy fetched over HTTP. */
export interface MirrorDir {
  root: string;
  /** The `--from` argument as given. */
  origin: string;
  /** URL of each file, when fetched (for messages). */
  urlOf(rel: string): string;
  cleanup(): void;
}

export function isUrl(from: string): boolean {
  return /^https?:\/\//i.test(from);
}

/** Opens a local mirror directory; `reference.not_found` when it does not exist. */
export function openMirrorDir(dir: string): MirrorDir {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new AppError("reference.not_found", `reference mirror directory not found: ${root}`, {
      hint: "pass --from with a directory laid out like ../shared/data/reference (geography/, imd/, population/, boundaries/, ons-crime-tables/) or an http(s) URL of one",
    });
  }
  return { root, origin: dir, urlOf: (rel) => path.join(root, rel), cleanup: () => {} };
}

/**
 * Fetches the mirror layout from `baseUrl` into a temporary directory, file by file, streamed to
 * disk. For each dataset the candidates are tried in order until one answers 200; a 404 on every
 * candidate of a required dataset is `reference.download_failed` naming the URL.
 */
export async function fetchMirror(baseUrl: string, opts: { fetchImpl?: typeof fetch } = {}): Promise<MirrorDir> {
  const doFetch = opts.fetchImpl ?? fetch;
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  const urlOf = (rel: string) => new URL(rel.split("/").map(encodeURIComponent).join("/"), base).toString();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-reference-"));
  const cleanup = () => fs.rmSync(root, { recursive: true, force: true });
  try {
    for (const entry of REFERENCE_MANIFEST) {
      let got = false;
      const tried: string[] = [];
      for (const rel of entry.files) {
        const url = urlOf(rel);
        tried.push(url);
        let res: Response;
        try {
          res = await doFetch(url);
        } catch (e) {
          throw new AppError("reference.download_failed", `could not fetch ${url}: ${(e as Error).message}`, { hint: "check the URL and the network, or download the mirror and pass --from <dir>" });
        }
        if (res.status === 404) {
          await res.body?.cancel();
          continue;
        }
        if (!res.ok || !res.body) {
          throw new AppError("reference.download_failed", `fetching ${url} failed: HTTP ${res.status} ${res.statusText}`, { hint: "try again later, or download the mirror and pass --from <dir>" });
        }
        const dest = path.join(root, ...rel.split("/"));
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), fs.createWriteStream(dest));
        got = true;
        break;
      }
      if (!got && entry.required) {
        throw new AppError("reference.download_failed", `required reference file not found (HTTP 404): ${tried.join(", ")}`, {
          hint: `the mirror at ${base} must contain ${entry.files[0]} (see docs/reference-data.md for the layout)`,
        });
      }
    }
  } catch (e) {
    cleanup();
    throw e;
  }
  return { root, origin: baseUrl, urlOf, cleanup };
}

/** Reads one mirror file (gunzipped when `.gz`), or null when absent. */
export function readMirrorFile(mirror: MirrorDir, rel: string): ReferenceFile | null {
  const abs = path.join(mirror.root, ...rel.split("/"));
  if (!fs.existsSync(abs)) return null;
  return fileFromBytes(rel, fs.readFileSync(abs));
}

export function sha256Of(bytes: Buffer): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** A file's text (gunzipped when its name ends `.gz`; UTF-8, else Windows-1252); `sha256` defaults to the bytes' as stored. */
export function fileFromBytes(rel: string, raw: Buffer, sha256 = sha256Of(raw)): ReferenceFile {
  let bytes: Buffer = raw;
  if (rel.endsWith(".gz")) {
    try {
      bytes = zlib.gunzipSync(raw);
    } catch (e) {
      throw new AppError("reference.bad_file", `${rel}: not a valid gzip file (${(e as Error).message})`, {
        problems: [{ file: rel, message: "gzip decompression failed" }],
        hint: "download the file again from the publisher",
      });
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
  }
  return { path: rel, text, sha256 };
}

export function mirrorHasFile(mirror: MirrorDir, rel: string): boolean {
  return fs.existsSync(path.join(mirror.root, ...rel.split("/")));
}
