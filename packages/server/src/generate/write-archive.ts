import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import { type GenerateParams, GENERATE_DEFAULTS, checkGenerateParams, planFiles } from "./plan.ts";
import { seedFromString } from "./prng.ts";
import { RowEncoder, buildRowTables } from "./row-encoder.ts";
import { type WorldOptions, buildWorld } from "./world.ts";

export interface GenerateReport {
  out: string;
  rows: number;
  files: number;
  months: string[];
  bytes: number;
  elapsedMs: number;
  rowsPerSecond: number;
  world: { forces: number; localAuthorities: number; lsoas: number; mapPoints: number };
  /** Every parameter actually used, defaults included. */
  params: GenerateParams;
}

export interface GenerateProgress {
  rows: number;
  totalRows: number;
  files: number;
  totalFiles: number;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Writes a police.uk-layout folder (`<out>/YYYY-MM/YYYY-MM-<force>-street.csv`) of generated rows.
 * Streams: each file is written in 1 MB chunks, the next chunk encoded while the previous one is
 * being written (two buffers, one write in flight: the disk's pace is the backpressure).
 * `out` must be missing or empty so no stale file from another run is mixed in.
 */
export async function writeGeneratedArchive(
  out: string,
  opts: Partial<GenerateParams> & { rows: number },
  onProgress?: (p: GenerateProgress) => void,
  /** Codes and names for the world (the demo city's); the rows' random draws are the same either way. */
  shape: Pick<WorldOptions, "firstLsoaNumber" | "names"> = {},
): Promise<GenerateReport> {
  const params: GenerateParams = { ...GENERATE_DEFAULTS, ...opts };
  checkGenerateParams(params);
  const started = performance.now();
  const dir = path.resolve(out);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new AppError("input.invalid", `output folder ${dir} is not empty`, {
      hint: "choose a new or empty folder: generated files are never mixed with existing ones",
    });
  }
  const seed = seedFromString(params.seed);
  const world = buildWorld({ seed, forces: params.forces, ...shape });
  const tables = buildRowTables();
  const files = planFiles(world, params);

  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  let rowsDone = 0;
  let bytes = 0;
  let filesDone = 0;
  const months = new Set<string>();
  for (const file of files) {
    if (!months.has(file.month)) {
      fs.mkdirSync(path.join(dir, file.month), { recursive: true });
      months.add(file.month);
    }
    const encoder = new RowEncoder(world, tables, file, seed);
    const handle = await fs.promises.open(path.join(dir, file.relativePath), "w");
    try {
      let which = 0;
      let inFlight: Promise<unknown> | null = null;
      let first = true;
      while (first || !encoder.done) {
        const buf = buffers[which]!;
        let start = 0;
        if (first) {
          buf.set(encoder.header, 0);
          start = encoder.header.length;
          first = false;
        }
        const { end, rows } = encoder.fill(buf, start);
        if (inFlight) await inFlight;
        inFlight = writeAll(handle, buf, end);
        bytes += end;
        rowsDone += rows;
        which ^= 1;
      }
      if (inFlight) await inFlight;
    } finally {
      await handle.close();
    }
    filesDone++;
    onProgress?.({ rows: rowsDone, totalRows: params.rows, files: filesDone, totalFiles: files.length });
  }
  const elapsedMs = performance.now() - started;
  return {
    out: dir,
    rows: rowsDone,
    files: files.length,
    months: [...months],
    bytes,
    elapsedMs: Math.round(elapsedMs),
    rowsPerSecond: Math.round(rowsDone / (elapsedMs / 1000)),
    world: {
      forces: world.forces.length,
      localAuthorities: world.localAuthorityCount,
      lsoas: world.lsoaCount,
      mapPoints: world.pointCount,
    },
    params,
  };
}

async function writeAll(handle: fs.promises.FileHandle, buf: Buffer, length: number): Promise<void> {
  let offset = 0;
  while (offset < length) {
    const { bytesWritten } = await handle.write(buf, offset, length - offset);
    offset += bytesWritten;
  }
}
