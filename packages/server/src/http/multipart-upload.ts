import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { AppError } from "@safecity/core";
import busboy from "busboy";

export interface SavedFile {
  /** The name the browser sent, made safe (folders dropped, odd characters replaced). */
  name: string;
  path: string;
  bytes: number;
}

export interface MultipartResult {
  files: SavedFile[];
  fields: Record<string, string>;
}

export interface MultipartOptions {
  /** Directory the files are written to (it must exist). */
  dir: string;
  /** Most bytes accepted across all files. */
  limitBytes: number;
  /** Accepted file name endings, lower case with the dot (`.csv`, `.zip`). */
  extensions: readonly string[];
  maxFiles?: number;
}

/** `../../evil name.CSV` → `evil_name.CSV`: the base name, letters, digits, dot, dash and underscore only. */
export function safeFileName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "");
  return cleaned.slice(-200) || "upload";
}

/** The limit in words: `500 MB`, `0.5 MB`. */
export function formatLimit(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function tooLarge(limitBytes: number): AppError {
  return new AppError("upload.too_large", `The upload is larger than the ${formatLimit(limitBytes)} limit.`, {
    hint: "Upload fewer files at a time, or ask the administrator to raise SAFECITY_UPLOAD_LIMIT_MB.",
  });
}

/**
 * Streams a `multipart/form-data` request body to disk with busboy: each file goes straight into a
 * file under `opts.dir`, so memory use does not grow with the upload. Stops with
 * `upload.too_large` (413) once more than `limitBytes` of file data arrive (or at once when
 * Content-Length says so), and `upload.invalid` for a file that is not .csv/.zip or no file at all.
 * Files written before a failure are left in `opts.dir` for the caller to remove.
 */
export async function saveMultipart(req: Request, opts: MultipartOptions): Promise<MultipartResult> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError("upload.invalid", "Send the files as multipart/form-data (a form with enctype=\"multipart/form-data\").");
  }
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  // The multipart framing adds a few hundred bytes per part; 64 KiB of slack is plenty.
  if (Number.isFinite(declared) && declared > opts.limitBytes + 64 * 1024) throw tooLarge(opts.limitBytes);
  if (!req.body) throw new AppError("upload.invalid", "Choose a file to upload.");
  // Uploads are owner-only: the folder 0700, each file 0600.
  fs.chmodSync(opts.dir, 0o700);

  const files: SavedFile[] = [];
  const fields: Record<string, string> = {};
  const writes: Promise<void>[] = [];
  const outs: fs.WriteStream[] = [];
  let total = 0;
  let failure: AppError | null = null;
  const maxFiles = opts.maxFiles ?? 50;

  await new Promise<void>((resolve, reject) => {
    const bb = busboy({ headers: { "content-type": type }, limits: { files: maxFiles, fields: 20, fieldSize: 4096 } });
    const input = Readable.fromWeb(req.body as unknown as NodeReadableStream<Uint8Array>);
    const fail = (e: AppError) => {
      failure ??= e;
    };

    bb.on("file", (_field, stream, info) => {
      if (failure || !info.filename) {
        stream.resume();
        return;
      }
      const name = safeFileName(info.filename);
      if (!opts.extensions.some((ext) => name.toLowerCase().endsWith(ext))) {
        fail(new AppError("upload.invalid", `\`${name}\` is not a police.uk file: upload ${opts.extensions.join(" or ")} files.`));
        stream.resume();
        return;
      }
      let target = path.join(opts.dir, name);
      for (let n = 2; files.some((f) => f.path === target); n++) target = path.join(opts.dir, `${n}-${name}`);
      const saved: SavedFile = { name, path: target, bytes: 0 };
      files.push(saved);
      const out = fs.createWriteStream(target, { mode: 0o600 });
      outs.push(out);
      writes.push(
        new Promise<void>((res, rej) => {
          out.on("close", () => res());
          out.on("error", rej);
        }),
      );
      stream.on("data", (chunk: Buffer) => {
        if (failure) return;
        total += chunk.length;
        saved.bytes += chunk.length;
        if (total > opts.limitBytes) {
          fail(tooLarge(opts.limitBytes));
          stream.unpipe(out);
          out.destroy();
          stream.resume();
        }
      });
      stream.pipe(out);
    });
    bb.on("field", (name, value) => {
      fields[name] = value;
    });
    bb.on("filesLimit", () => fail(new AppError("upload.invalid", `Upload at most ${maxFiles} files at a time.`)));
    bb.on("error", (e) => reject(new AppError("upload.invalid", `The upload could not be read: ${(e as Error).message}`)));
    bb.on("close", () => resolve());
    input.on("error", (e) => reject(new AppError("upload.invalid", `The upload was interrupted: ${e.message}`)));
    // The whole body, framing included, is counted as it arrives (a chunked request has no
    // Content-Length to check up front): past the limit, reading stops and the request is refused.
    let rawBytes = 0;
    const rawLimit = opts.limitBytes + 64 * 1024;
    input.on("data", (chunk: Buffer) => {
      rawBytes += chunk.length;
      if (rawBytes > rawLimit) {
        fail(tooLarge(opts.limitBytes));
        input.unpipe(bb);
        input.destroy();
        for (const out of outs) out.destroy();
        resolve();
      }
    });
    input.pipe(bb);
  });
  const written = await Promise.allSettled(writes);
  if (failure) throw failure;
  const broken = written.find((w) => w.status === "rejected");
  if (broken) throw new Error(`could not save the upload: ${(broken.reason as Error).message}`);
  if (!files.length) throw new AppError("upload.invalid", "Choose a police.uk CSV or zip file to upload.");
  return { files, fields };
}
