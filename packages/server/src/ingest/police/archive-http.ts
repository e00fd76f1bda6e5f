import { Readable } from "node:stream";
import { AppError } from "@safecity/core";
import yauzl from "yauzl";

/**
 * HTTP access to a remote zip archive (data.police.uk's monthly archive or a mirror), through
 * Range requests when the server honours them. Node's own fetch (undici) does the HTTP.
 */

/**
 * What yauzl reads first from an archive's end: the end-of-central-directory record with the longest
 * comment a zip may carry, and the 20-byte ZIP64 locator before it.
 */
export const ZIP_TAIL_BYTES = 22 + 0xffff + 20;
const HEADER_TIMEOUT_MS = 60_000;
const IDLE_TIMEOUT_MS = 120_000;
const USER_AGENT = "safecity (police.uk archive fetch)";

export interface ByteCounter {
  /** Body bytes received over HTTP (every request). */
  received: number;
  requests: number;
}

/** What to say when an archive cannot be fetched: the URL, and the manual route. */
export function byHandHint(url: string): string {
  return `download ${url} by hand (or the force's files from https://data.police.uk/data/), then \`safecity import <folder or zip>\``;
}

export function fetchFailed(url: string, what: string): AppError {
  return new AppError("fetch.failed", `${url}: ${what}`, { hint: `check the address and the network and run the same command again (it resumes); or ${byHandHint(url)}` });
}

/** A GET with headers; the response once its headers arrive. Network failures become fetch.failed naming the URL. */
export async function httpGet(url: string, headers: Record<string, string>, counter: ByteCounter, method = "GET"): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), HEADER_TIMEOUT_MS);
  counter.requests++;
  try {
    return await fetch(url, { method, headers: { "user-agent": USER_AGENT, "accept-encoding": "identity", ...headers }, signal: controller.signal, redirect: "follow" });
  } catch (e) {
    throw fetchFailed(url, `cannot connect (${causeText(e)})`);
  } finally {
    clearTimeout(timer);
  }
}

function causeText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "AbortError") return "no answer within a minute";
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

/** Bytes read ahead of the consumer (the disk) before reading pauses. */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * A response's body as chunks, counted; a connection that drops or stalls throws fetch.failed naming
 * the URL, after every byte that did arrive has been yielded. The body is read eagerly (up to 8 MB
 * ahead): a web stream that errors discards the chunks still queued in it, and those bytes would
 * have to be downloaded again.
 */
export async function* bodyChunks(url: string, response: Response, counter: ByteCounter): AsyncGenerator<Buffer> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const queue: Buffer[] = [];
  let queued = 0;
  let finished = false;
  let failure: AppError | null = null;
  let wakeConsumer: (() => void) | null = null;
  let wakePump: (() => void) | null = null;
  let stopped = false;
  const wake = () => {
    wakeConsumer?.();
    wakeConsumer = null;
  };
  const pump = (async () => {
    try {
      while (!stopped) {
        if (queued >= READ_AHEAD_BYTES) {
          await new Promise<void>((r) => {
            wakePump = r;
          });
          continue;
        }
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(fetchFailed(url, "the transfer stalled for two minutes")), IDLE_TIMEOUT_MS);
        });
        try {
          const step = await Promise.race([reader.read(), idle]);
          if (step.done) break;
          counter.received += step.value.byteLength;
          queue.push(Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength));
          queued += step.value.byteLength;
          wake();
        } finally {
          clearTimeout(timer);
        }
      }
    } catch (e) {
      failure = e instanceof AppError ? e : fetchFailed(url, `the connection was lost mid-transfer (${causeText(e)})`);
    } finally {
      finished = true;
      wake();
    }
  })();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        queued -= chunk.length;
        (wakePump as (() => void) | null)?.();
        wakePump = null;
        yield chunk;
        continue;
      }
      if (finished) {
        if (failure) throw failure;
        return;
      }
      await new Promise<void>((r) => {
        wakeConsumer = r;
      });
    }
  } finally {
    stopped = true;
    (wakePump as (() => void) | null)?.();
    reader.cancel().catch(() => {});
    await pump;
  }
}

async function readAll(url: string, response: Response, counter: ByteCounter): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of bodyChunks(url, response, counter)) parts.push(c);
  return Buffer.concat(parts);
}

export function statusError(url: string, response: Response): AppError {
  if (response.status === 404) {
    return new AppError("fetch.not_found", `${url}: not found (HTTP 404)`, {
      hint: `the archive of that month may not be published yet: try an earlier --to, or leave --to out for the latest archive; or ${byHandHint(url)}`,
    });
  }
  return fetchFailed(url, `the server answered HTTP ${response.status} ${response.statusText}`);
}

/** An archive opened by its tail: with Range support (`ranged`) or the full body to stream (`whole`). */
export type OpenedArchive =
  | { mode: "ranged"; url: string; size: number; validator: string; tail: Buffer; tailStart: number }
  | { mode: "whole"; url: string; size: number | null; validator: string; response: Response };

export function validatorOf(response: Response, size: number | null): string {
  return [size ?? "", response.headers.get("etag") ?? "", response.headers.get("last-modified") ?? ""].join("|");
}

/**
 * Asks for the archive's last 64 KiB (where its directory ends). A 206 answer gives that tail and the
 * archive's size; a 200 means the server ignores Range, and its body is the whole archive, kept for
 * streaming so nothing is requested twice.
 */
export async function openRemoteArchive(url: string, counter: ByteCounter): Promise<OpenedArchive> {
  const response = await httpGet(url, { range: `bytes=-${ZIP_TAIL_BYTES}` }, counter);
  if (response.status === 200) {
    const length = Number(response.headers.get("content-length"));
    const size = Number.isFinite(length) && length > 0 ? length : null;
    return { mode: "whole", url, size, validator: validatorOf(response, size), response };
  }
  if (response.status !== 206) {
    response.body?.cancel().catch(() => {});
    throw statusError(url, response);
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
  if (!range) {
    response.body?.cancel().catch(() => {});
    throw fetchFailed(url, `the server answered 206 without a usable Content-Range (\`${response.headers.get("content-range")}\`)`);
  }
  const tail = await readAll(url, response, counter);
  const size = Number(range[3]);
  return { mode: "ranged", url, size, validator: validatorOf(response, size), tail, tailStart: Number(range[1]) };
}

/** The archive's identity without its body (HEAD): size, ETag, Last-Modified; null when the server cannot say. */
export async function remoteValidator(url: string, counter: ByteCounter): Promise<string | null> {
  const response = await httpGet(url, {}, counter, "HEAD");
  if (!response.ok) return null;
  const length = Number(response.headers.get("content-length"));
  return validatorOf(response, Number.isFinite(length) && length > 0 ? length : null);
}

/** Bytes [start, end) of the archive, as chunks: one Range request, checked to answer that range. */
export async function rangeChunks(url: string, start: number, end: number, counter: ByteCounter): Promise<AsyncGenerator<Buffer>> {
  const response = await httpGet(url, { range: `bytes=${start}-${end - 1}` }, counter);
  if (response.status !== 206) {
    response.body?.cancel().catch(() => {});
    if (response.status === 200) throw fetchFailed(url, "the server stopped honouring Range requests part way; run the command again");
    throw statusError(url, response);
  }
  const got = /^bytes (\d+)-(\d+)\//.exec(response.headers.get("content-range") ?? "");
  if (!got || Number(got[1]) !== start || Number(got[2]) !== end - 1) {
    response.body?.cancel().catch(() => {});
    throw fetchFailed(url, `asked for bytes ${start}-${end - 1}, the server sent \`${response.headers.get("content-range")}\``);
  }
  return bodyChunks(url, response, counter);
}

export async function rangeBytes(url: string, start: number, end: number, counter: ByteCounter): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of await rangeChunks(url, start, end, counter)) parts.push(c);
  const buf = Buffer.concat(parts);
  if (buf.length !== end - start) throw fetchFailed(url, `asked for ${end - start} bytes at ${start}, got ${buf.length}`);
  return buf;
}

/**
 * yauzl's random-access reader over HTTP: reads inside the tail already fetched cost nothing; other
 * reads fetch `readAhead` bytes at once, so walking the central directory (about 100 bytes an entry)
 * takes a few requests, not two per entry.
 */
export class HttpRangeReader extends yauzl.RandomAccessReader {
  private block: { start: number; data: Buffer };
  constructor(
    private readonly archive: Extract<OpenedArchive, { mode: "ranged" }>,
    private readonly counter: ByteCounter,
    private readonly readAhead = 1024 * 1024,
  ) {
    super();
    this.block = { start: archive.tailStart, data: archive.tail };
  }

  private async bytes(position: number, length: number): Promise<Buffer> {
    const inBlock = (b: { start: number; data: Buffer }) => position >= b.start && position + length <= b.start + b.data.length;
    if (!inBlock(this.block)) {
      const end = Math.min(this.archive.size, position + Math.max(length, this.readAhead));
      this.block = { start: position, data: await rangeBytes(this.archive.url, position, end, this.counter) };
    }
    const at = position - this.block.start;
    return this.block.data.subarray(at, at + length);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    this.bytes(position, length).then(
      (data) => {
        data.copy(buffer, offset);
        callback(null, data.length);
      },
      (e: Error) => callback(e),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const self = this;
    return Readable.from(
      (async function* () {
        yield await self.bytes(start, end - start);
      })(),
    );
  }
}
