import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import yauzl from "yauzl";
import yazl from "yazl";

/**
 * A stand-in for data.police.uk's archive in the tests: a zip built from real police.uk files in the
 * archive layout (`YYYY-MM/YYYY-MM-<force>-street.csv`), served on 127.0.0.1 with or without Range
 * support, counting every body byte it sends, and able to drop one connection mid-transfer.
 */

/** Every CSV entry of the given zips (entry name -> bytes), optionally filtered. */
export async function zipEntries(zipPath: string, keep: (name: string) => boolean = () => true): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zipPath, { lazyEntries: true }, (e, z) => (e || !z ? reject(e) : resolve(z))));
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith(".csv") || !keep(entry.fileName)) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on("end", () => resolve());
    zip.on("error", reject);
    zip.readEntry();
  });
  zip.close();
  return out;
}

/** A zip in the archive layout; entries named in `stored` are not compressed (so a flipped byte is a CRC failure, not an inflate error). */
export async function buildArchive(entries: Map<string, Buffer>, stored: ReadonlySet<string> = new Set()): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date("2026-01-01T00:00:00Z");
  const folders = new Set([...entries.keys()].map((n) => n.split("/")[0]!));
  for (const f of [...folders].sort()) zip.addEmptyDirectory(f, { mtime });
  for (const [name, data] of [...entries].sort(([a], [b]) => a.localeCompare(b))) zip.addBuffer(data, name, { mtime, compress: !stored.has(name) });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Where an entry's data lies in the archive: [start, end). */
export async function entryDataRange(archive: Buffer, name: string): Promise<{ start: number; end: number }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(archive, { lazyEntries: true }, (e, z) => (e || !z ? reject(e) : resolve(z))));
  return new Promise((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return zip.readEntry();
      const h = entry.relativeOffsetOfLocalHeader;
      const start = h + 30 + archive.readUInt16LE(h + 26) + archive.readUInt16LE(h + 28);
      resolve({ start, end: start + entry.compressedSize });
    });
    zip.on("end", () => reject(new Error(`${name} not in the archive`)));
    zip.readEntry();
  });
}

export interface ServedRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
}

export interface ArchiveServer {
  /** Base of the archive folder, e.g. http://127.0.0.1:1234/data/archive/ */
  base: string;
  requests: ServedRequest[];
  /** Body bytes sent since the last reset. */
  bytesSent: number;
  reset(): void;
  /** Archive bytes to serve from now on. */
  setArchive(archive: Buffer): void;
  /**
   * Drop the connection once, after sending archive bytes up to (not including) this offset, and,
   * when given, after `before` resolves (e.g. once the client has written those bytes).
   */
  dropOnceAt(offset: number, before?: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function startArchiveServer(archive: Buffer, opts: { range: boolean; names: string[]; others?: Record<string, Buffer> }): Promise<ArchiveServer> {
  let current = archive;
  let dropAt: number | null = null;
  let beforeDrop: (() => Promise<void>) | undefined;
  const state = { requests: [] as ServedRequest[], bytesSent: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const range = req.headers.range ?? null;
    const record = (status: number) => state.requests.push({ method: req.method ?? "", path: url.pathname, range, status });
    const name = url.pathname.replace(/^\/data\/archive\//, "");
    if (!opts.names.includes(name) && !opts.others?.[name]) {
      record(404);
      res.writeHead(404).end("not found");
      return;
    }
    const data = opts.others?.[name] ?? current;
    const etag = `"${createHash("sha256").update(data).digest("hex").slice(0, 16)}"`;
    const common = { etag, "last-modified": "Thu, 01 Jan 2026 00:00:00 GMT", "content-type": "application/zip" };
    if (req.method === "HEAD") {
      record(200);
      res.writeHead(200, { ...common, "content-length": data.length, ...(opts.range ? { "accept-ranges": "bytes" } : {}) }).end();
      return;
    }
    let start = 0;
    let end = data.length;
    let status = 200;
    const m = opts.range && range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (m) {
      status = 206;
      if (m[1] === "") start = Math.max(0, data.length - Number(m[2]));
      else {
        start = Number(m[1]);
        end = m[2] === "" ? data.length : Math.min(data.length, Number(m[2]) + 1);
      }
    }
    record(status);
    res.writeHead(status, {
      ...common,
      "content-length": end - start,
      ...(status === 206 ? { "content-range": `bytes ${start}-${end - 1}/${data.length}`, "accept-ranges": "bytes" } : {}),
    });
    if (dropAt !== null && dropAt > start && dropAt < end) {
      const cut = dropAt;
      dropAt = null;
      state.bytesSent += cut - start;
      const wait = beforeDrop ?? (() => Promise.resolve());
      // A half-close (FIN after the bytes), so the client receives every byte sent before the connection ends.
      res.write(data.subarray(start, cut), () => {
        wait().finally(() => res.socket?.end());
      });
      return;
    }
    state.bytesSent += end - start;
    res.end(data.subarray(start, end));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}/data/archive/`,
    get requests() {
      return state.requests;
    },
    get bytesSent() {
      return state.bytesSent;
    },
    reset() {
      state.requests = [];
      state.bytesSent = 0;
    },
    setArchive(a: Buffer) {
      current = a;
    },
    dropOnceAt(offset: number, before?: () => Promise<void>) {
      dropAt = offset;
      beforeDrop = before;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
