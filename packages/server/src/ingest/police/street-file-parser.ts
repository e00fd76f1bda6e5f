import { createHash } from "node:crypto";
import { CsvRecordReader } from "../csv/csv-record-reader.ts";
import { type StreetBatch, StreetBatchBuilder } from "./street-batch.ts";
import { emptyStreetRow, parseStreetRow } from "./street-row.ts";

/** What parsing one street file produces, in file order. */
export type StreetParseEvent =
  | { kind: "header"; fields: string[]; line: number }
  | { kind: "rows"; batch: StreetBatch }
  /** A record that is not a valid street row (parseStreetRow's message). */
  | { kind: "invalid"; line: number; message: string }
  /** Broken quoting, bad UTF-8, an over-long record (fatal: reading stopped). */
  | { kind: "csv"; line: number; message: string; fatal: boolean };

export interface StreetParseOptions {
  /** The month in the file name, when there is one: every row must carry it. */
  month: string | null;
  maxRecordBytes?: number | undefined;
  /** Rows per batch (default 8192). */
  batchRows?: number;
}

/**
 * Parses and validates one police.uk street file fed chunk by chunk, and hashes its bytes: CSV
 * records, the header, then every row validated and packed into columnar batches. Problems are
 * emitted in file order between the batches (a batch is cut before each one), so the consumer sees
 * exactly what a row-by-row reader would. Runs in the importing thread or in a worker
 * (street-parse-worker.ts); both give the same events.
 */
export class StreetFileParser {
  private readonly hash = createHash("sha256");
  private readonly reader: CsvRecordReader;
  private readonly builder: StreetBatchBuilder;
  private readonly row = emptyStreetRow();
  private sawHeader = false;

  constructor(
    opts: StreetParseOptions,
    private readonly emit: (event: StreetParseEvent) => void,
  ) {
    this.builder = new StreetBatchBuilder(opts.batchRows ?? 8192);
    this.reader = new CsvRecordReader(
      (fields, line) => {
        if (!this.sawHeader) {
          this.sawHeader = true;
          this.emit({ kind: "header", fields: [...fields], line });
          return;
        }
        const invalid = parseStreetRow(fields, opts.month, this.row);
        if (invalid) {
          this.flush();
          this.emit({ kind: "invalid", line, message: invalid });
          return;
        }
        this.builder.add(this.row, line);
        if (this.builder.full) this.flush();
      },
      (p) => {
        this.flush();
        this.emit({ kind: "csv", line: p.line, message: p.message, fatal: p.fatal });
      },
      { maxRecordBytes: opts.maxRecordBytes },
    );
  }

  /** True once a fatal problem stopped reading. */
  get done(): boolean {
    return this.reader.done;
  }

  push(chunk: Buffer): void {
    // Stopped: what a reader that stops feeding at `done` would have hashed (the worker may get more).
    if (this.reader.done) return;
    this.hash.update(chunk);
    this.reader.push(chunk);
    // Rows reach the writer at least once per chunk, so it writes while the next chunk is parsed.
    this.flush();
  }

  /** Parses what is left; returns the sha256 of every byte pushed. */
  end(): string {
    this.reader.end();
    this.flush();
    return this.hash.digest("hex");
  }

  private flush(): void {
    const batch = this.builder.take();
    if (batch) this.emit({ kind: "rows", batch });
  }
}
