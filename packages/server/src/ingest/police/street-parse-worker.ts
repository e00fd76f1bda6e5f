import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { batchTransferList } from "./street-batch.ts";
import { StreetFileParser, type StreetParseEvent, type StreetParseOptions } from "./street-file-parser.ts";

/**
 * Street files parsed and validated on a second core (decision 0021): the importing thread reads the
 * bytes and writes rows while a worker thread turns the bytes into validated columnar batches.
 * `openStreetParse` gives the same interface in the importing thread, for small imports where
 * starting a worker costs more than it saves.
 */
export interface StreetParse {
  /** Feeds the next chunk; may wait while the worker is behind (at most MAX_IN_FLIGHT bytes queued). */
  push(chunk: Buffer): void | Promise<void>;
  /** A fatal problem stopped reading: feed no more. */
  readonly done: boolean;
  /** Every event delivered; resolves to the sha256 of the bytes read. */
  end(): Promise<string>;
  /** Abandons the file (rolled back): the worker drops it. */
  abort(): void;
}

/** The worker's marker in workerData: the module that creates the worker is the one it runs. */
const WORKER_FLAG = "safecityStreetParser";
/** Bytes sent to the worker and not yet parsed, at most: bounds memory whatever the input size. */
const MAX_IN_FLIGHT = 4 * 1024 * 1024;
/** Chunks this long and owning their whole buffer move to the worker without a copy. */
const TRANSFER_MIN_BYTES = 256 * 1024;

type ToWorker =
  | { type: "file"; id: number; opts: StreetParseOptions }
  | { type: "chunk"; id: number; chunk: Uint8Array }
  | { type: "end"; id: number }
  | { type: "abort"; id: number };

type FromWorker =
  | { type: "ready" }
  | { type: "event"; id: number; event: StreetParseEvent }
  | { type: "ack"; id: number; bytes: number }
  | { type: "end"; id: number; sha256: string }
  | { type: "error"; id: number; message: string };

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) serve();

/** The worker thread: one file at a time, in the order the importing thread sends them. */
function serve(): void {
  const port = parentPort!;
  let id = -1;
  let parser: StreetFileParser | null = null;
  port.postMessage({ type: "ready" } satisfies FromWorker);
  port.on("message", (m: ToWorker) => {
    try {
      if (m.type === "file") {
        id = m.id;
        const fileId = m.id;
        parser = new StreetFileParser(m.opts, (event) => {
          const transfer = event.kind === "rows" ? batchTransferList(event.batch) : [];
          port.postMessage({ type: "event", id: fileId, event } satisfies FromWorker, transfer);
        });
      } else if (m.id !== id || !parser) {
        return;
      } else if (m.type === "chunk") {
        parser.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
        port.postMessage({ type: "ack", id, bytes: m.chunk.byteLength } satisfies FromWorker);
      } else if (m.type === "end") {
        const sha256 = parser.end();
        port.postMessage({ type: "end", id, sha256 } satisfies FromWorker);
        parser = null;
      } else {
        parser = null;
      }
    } catch (e) {
      port.postMessage({ type: "error", id, message: (e as Error).message } satisfies FromWorker);
      parser = null;
    }
  });
}

/** Parses in this thread: events are delivered during `push` and `end`. */
export function parseInThread(opts: StreetParseOptions, onEvent: (e: StreetParseEvent) => void): StreetParse {
  const parser = new StreetFileParser(opts, onEvent);
  return {
    push: (chunk) => parser.push(chunk),
    get done() {
      return parser.done;
    },
    end: async () => parser.end(),
    abort: () => {},
  };
}

/** The file URL of tsx's ESM API (its `import` export: the `require` one cannot load ES modules in a worker). */
function tsxEsmApi(from: string): string {
  const manifest = createRequire(from).resolve("tsx/package.json");
  const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifest), pkg.exports["./esm/api"]!.import.default)).href;
}

/** One worker thread parsing street files for one import run; `close` when the run ends. */
export class StreetParseWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private markReady: () => void = () => {};
  /** Settles once the worker has loaded its code (or has died: the first file then fails with why). */
  private readonly loaded = new Promise<void>((resolve) => (this.markReady = resolve));
  /** Set when the worker died: every later file fails with it instead of waiting for ever. */
  private broken: Error | null = null;
  private current: {
    id: number;
    onEvent: (e: StreetParseEvent) => void;
    inFlight: number;
    done: boolean;
    error: Error | null;
    wake: (() => void) | null;
    ended: ((sha256: string) => void) | null;
  } | null = null;

  constructor() {
    const self = import.meta.url;
    const workerData = { [WORKER_FLAG]: true };
    if (self.endsWith(".ts")) {
      // From the TypeScript sources (tests, `tsx`): the worker registers tsx's loader first (`--import` in a
      // worker's execArgv does not install it). The bundled CLI loads the bundle itself.
      const code = `import(${JSON.stringify(tsxEsmApi(self))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self)}); });`;
      this.worker = new Worker(code, { eval: true, workerData });
    } else {
      this.worker = new Worker(new URL(self), { workerData });
    }
    this.worker.on("message", (m: FromWorker) => (m.type === "ready" ? this.markReady() : this.receive(m)));
    this.worker.on("error", (e) => this.fail(e));
    this.worker.on("exit", (code) => this.fail(new Error(`the parsing worker stopped (exit code ${code})`)));
  }

  /**
   * Waits until the worker has loaded its code. The importer waits for it before opening a file's
   * transaction: loading (from TypeScript sources, through tsx) can take seconds on a busy machine,
   * and a write lock held meanwhile would make the server's own writes time out.
   */
  ready(): Promise<void> {
    return this.loaded;
  }

  open(opts: StreetParseOptions, onEvent: (e: StreetParseEvent) => void): StreetParse {
    const file = { id: this.nextId++, onEvent, inFlight: 0, done: false, error: null as Error | null, wake: null, ended: null } as NonNullable<
      StreetParseWorker["current"]
    >;
    file.error = this.broken;
    this.current = file;
    this.post({ type: "file", id: file.id, opts });
    const check = () => {
      if (file.error) throw file.error;
    };
    return {
      push: async (chunk: Buffer) => {
        check();
        const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.byteLength >= TRANSFER_MIN_BYTES;
        // Other chunks may share their memory with the stream that made them: copied.
        const data = whole ? new Uint8Array(chunk.buffer) : new Uint8Array(chunk);
        file.inFlight += data.byteLength;
        this.post({ type: "chunk", id: file.id, chunk: data }, [data.buffer as ArrayBuffer]);
        while (file.inFlight > MAX_IN_FLIGHT && !file.error) await new Promise<void>((resolve) => (file.wake = resolve));
        check();
      },
      get done() {
        return file.done;
      },
      end: () =>
        new Promise<string>((resolve, reject) => {
          if (file.error) return reject(file.error);
          file.ended = resolve;
          file.wake = () => {
            if (file.error) reject(file.error);
          };
          this.post({ type: "end", id: file.id });
        }),
      abort: () => {
        if (this.current === file) this.current = null;
        this.post({ type: "abort", id: file.id });
      },
    };
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }

  private post(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private receive(m: Exclude<FromWorker, { type: "ready" }>): void {
    const file = this.current;
    if (!file || m.id !== file.id || file.error) return;
    if (m.type === "event") {
      if (m.event.kind === "csv" && m.event.fatal) file.done = true;
      try {
        file.onEvent(m.event);
      } catch (e) {
        // A write failed (disk full, ...): reported to the importer at its next push or end.
        file.error = e as Error;
        file.wake?.();
      }
    } else if (m.type === "ack") {
      file.inFlight -= m.bytes;
      if (file.inFlight <= MAX_IN_FLIGHT) file.wake?.();
    } else if (m.type === "end") {
      this.current = null;
      file.ended?.(m.sha256);
    } else {
      file.error = new Error(`parsing failed: ${m.message}`);
      file.wake?.();
    }
  }

  private fail(e: Error): void {
    this.broken = e;
    this.markReady();
    const file = this.current;
    if (!file) return;
    file.error = e;
    file.wake?.();
  }
}
