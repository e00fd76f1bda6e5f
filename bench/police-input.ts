/**
 * Reading police.uk street CSV for the benchmark's naive baseline: a zip archive or a folder in the
 * police.uk layout, streamed, split into lines. Deliberately plain (this is the baseline, not the product).
 */
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";

const STREET_CSV = /(^|\/)\d{4}-\d{2}-[^/]+-street\.csv$/;

/** Uncompressed bytes and file count of the street CSVs in a zip archive or folder. */
export async function inputSize(input: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  if (fs.statSync(input).isDirectory()) {
    for (const f of listStreetFiles(input)) {
      bytes += fs.statSync(f).size;
      files++;
    }
    return { bytes, files };
  }
  const zip = await openZip(input);
  try {
    for await (const entry of zipEntries(zip)) {
      if (!STREET_CSV.test(entry.fileName)) continue;
      bytes += entry.uncompressedSize;
      files++;
    }
  } finally {
    zip.close();
  }
  return { bytes, files };
}

/** Every street CSV of the input as a stream of text, in name order for folders, archive order for zips. */
export async function* streetCsvStreams(input: string): AsyncGenerator<{ name: string; stream: Readable }> {
  if (fs.statSync(input).isDirectory()) {
    for (const f of listStreetFiles(input)) yield { name: path.relative(input, f), stream: fs.createReadStream(f, { highWaterMark: 1 << 20 }) };
    return;
  }
  const zip = await openZip(input);
  try {
    for await (const entry of zipEntries(zip)) {
      if (!STREET_CSV.test(entry.fileName)) continue;
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error("no stream")) : resolve(s))),
      );
      yield { name: entry.fileName, stream };
    }
  } finally {
    zip.close();
  }
}

/** Lines of a stream (without `\r\n`/`\n`), batched per chunk. */
export async function* lineBatches(stream: Readable): AsyncGenerator<string[]> {
  let rest = "";
  stream.setEncoding("utf8");
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const lines = text.split("\n");
    rest = lines.pop()!;
    yield lines.map(stripCr);
  }
  if (rest) yield [stripCr(rest)];
}

/** The simple quote-aware split a naive loader would write. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function listStreetFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => STREET_CSV.test(p.split(path.sep).join("/")))
    .sort()
    .map((p) => path.join(dir, p));
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => (err || !zip ? reject(err ?? new Error("no zip")) : resolve(zip))),
  );
}

async function* zipEntries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => {
        cleanup();
        resolve(e);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const cleanup = () => {
        zip.off("entry", onEntry);
        zip.off("end", onEnd);
        zip.off("error", onError);
      };
      zip.on("entry", onEntry);
      zip.on("end", onEnd);
      zip.on("error", onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}
