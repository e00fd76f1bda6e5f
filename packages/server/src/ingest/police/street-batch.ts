import type { StreetRow } from "./street-row.ts";

/**
 * Validated street rows in columns, as the parser hands them to the writer (across a worker thread
 * boundary when parsing runs in a worker): typed arrays for the numbers (transferred, not copied),
 * one string for every row's texts (a single copy, sliced again on the other side), and the
 * repeated values (month, `Reported by`, `Falls within`, outcome) as indexes into the file's own
 * dictionary, whose new entries travel with the batch that first uses them. No object per row.
 */
export interface StreetBatch {
  count: number;
  /** Per row: crime id, location, LSOA code, LSOA name, context, longitude text, latitude text. */
  text: string;
  /** TEXTS_PER_ROW lengths per row, in that order. */
  lengths: Uint32Array;
  /** The line each row starts on. */
  lines: Uint32Array;
  /** Per row: month, `Reported by`, `Falls within`, `Last outcome category` as dictionary indexes. */
  values: Uint32Array;
  /** Dictionary entries first used in this batch (their indexes follow the previous batches'). */
  newValues: string[];
  monthKeys: Uint32Array;
  /** NaN for a row without a location. */
  lon: Float64Array;
  lat: Float64Array;
  crimeTypes: Uint8Array;
  /** 1 when the crime id is lowercase hexadecimal of even length (storable as its bytes). */
  packable: Uint8Array;
}

const TEXTS_PER_ROW = 7;
const VALUES_PER_ROW = 4;

/** The typed arrays' buffers, to transfer with postMessage. */
export function batchTransferList(b: StreetBatch): ArrayBuffer[] {
  return [b.lengths, b.lines, b.values, b.monthKeys, b.lon, b.lat, b.crimeTypes, b.packable].map((a) => a.buffer as ArrayBuffer);
}

/** Collects validated rows of one file into batches (the parser's side). */
export class StreetBatchBuilder {
  private readonly dictionary = new Map<string, number>();
  private newValues: string[] = [];
  private parts: string[] = [];
  private count = 0;
  private lengths: Uint32Array;
  private lines: Uint32Array;
  private values: Uint32Array;
  private monthKeys: Uint32Array;
  private lon: Float64Array;
  private lat: Float64Array;
  private crimeTypes: Uint8Array;
  private packable: Uint8Array;

  constructor(readonly capacity: number) {
    this.lengths = new Uint32Array(capacity * TEXTS_PER_ROW);
    this.lines = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity * VALUES_PER_ROW);
    this.monthKeys = new Uint32Array(capacity);
    this.lon = new Float64Array(capacity);
    this.lat = new Float64Array(capacity);
    this.crimeTypes = new Uint8Array(capacity);
    this.packable = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  add(row: StreetRow, line: number): void {
    const i = this.count++;
    const parts = this.parts;
    const crimeId = row.crimeId ?? "";
    parts.push(crimeId, row.location, row.lsoaCode, row.lsoaName, row.context, row.longitudeText, row.latitudeText);
    let o = i * TEXTS_PER_ROW;
    const l = this.lengths;
    l[o++] = crimeId.length;
    l[o++] = row.location.length;
    l[o++] = row.lsoaCode.length;
    l[o++] = row.lsoaName.length;
    l[o++] = row.context.length;
    l[o++] = row.longitudeText.length;
    l[o] = row.latitudeText.length;
    o = i * VALUES_PER_ROW;
    this.values[o++] = this.valueIndex(row.month);
    this.values[o++] = this.valueIndex(row.reportedBy);
    this.values[o++] = this.valueIndex(row.fallsWithin);
    this.values[o] = this.valueIndex(row.outcome);
    this.lines[i] = line;
    this.monthKeys[i] = row.monthKey;
    this.lon[i] = row.longitude ?? Number.NaN;
    this.lat[i] = row.latitude ?? Number.NaN;
    this.crimeTypes[i] = row.crimeTypeId;
    this.packable[i] = row.crimeIdPackable ? 1 : 0;
  }

  /** The rows so far as a batch (null when there are none); the builder starts a new one. */
  take(): StreetBatch | null {
    if (this.count === 0) return null;
    const n = this.count;
    const batch: StreetBatch = {
      count: n,
      text: this.parts.join(""),
      lengths: this.lengths.slice(0, n * TEXTS_PER_ROW),
      lines: this.lines.slice(0, n),
      values: this.values.slice(0, n * VALUES_PER_ROW),
      newValues: this.newValues,
      monthKeys: this.monthKeys.slice(0, n),
      lon: this.lon.slice(0, n),
      lat: this.lat.slice(0, n),
      crimeTypes: this.crimeTypes.slice(0, n),
      packable: this.packable.slice(0, n),
    };
    this.parts = [];
    this.newValues = [];
    this.count = 0;
    return batch;
  }

  private valueIndex(value: string): number {
    let index = this.dictionary.get(value);
    if (index === undefined) {
      index = this.dictionary.size;
      // A copy: `value` is a slice of the parser's whole chunk of text, which a kept key would pin.
      const key = value.length < 13 ? value : Buffer.from(value, "utf8").toString("utf8");
      this.dictionary.set(key, index);
      this.newValues.push(key);
    }
    return index;
  }
}

/** Reads one file's batches back into a reused StreetRow, row by row, in order (the writer's side). */
export class StreetBatchReader {
  private readonly dictionary: string[] = [];
  private batch: StreetBatch | null = null;
  private row = 0;
  private offset = 0;

  /** @param coordinateText fill `longitudeText`/`latitudeText` (only writers that send text need them). */
  constructor(private readonly coordinateText: boolean) {}

  load(batch: StreetBatch): void {
    for (const v of batch.newValues) this.dictionary.push(v);
    this.batch = batch;
    this.row = 0;
    this.offset = 0;
  }

  /** Fills `row` with the next row of the loaded batch; returns its line, or 0 past the last row. */
  next(row: StreetRow): number {
    const b = this.batch;
    if (!b || this.row >= b.count) return 0;
    const i = this.row++;
    const text = b.text;
    const l = b.lengths;
    const d = this.dictionary;
    let o = i * TEXTS_PER_ROW;
    let at = this.offset;
    const crimeIdEnd = at + l[o++]!;
    row.crimeId = crimeIdEnd === at ? null : text.slice(at, crimeIdEnd);
    at = crimeIdEnd;
    let end = at + l[o++]!;
    row.location = text.slice(at, end);
    at = end;
    end = at + l[o++]!;
    row.lsoaCode = text.slice(at, end);
    at = end;
    end = at + l[o++]!;
    row.lsoaName = text.slice(at, end);
    at = end;
    end = at + l[o++]!;
    row.context = text.slice(at, end);
    at = end;
    const lonLength = l[o++]!;
    const latLength = l[o]!;
    if (this.coordinateText) {
      row.longitudeText = text.slice(at, at + lonLength);
      row.latitudeText = text.slice(at + lonLength, at + lonLength + latLength);
    }
    this.offset = at + lonLength + latLength;
    o = i * VALUES_PER_ROW;
    row.month = d[b.values[o++]!]!;
    row.reportedBy = d[b.values[o++]!]!;
    row.fallsWithin = d[b.values[o++]!]!;
    row.outcome = d[b.values[o]!]!;
    row.monthKey = b.monthKeys[i]!;
    const lon = b.lon[i]!;
    row.longitude = Number.isNaN(lon) ? null : lon;
    row.latitude = row.longitude === null ? null : b.lat[i]!;
    row.crimeTypeId = b.crimeTypes[i]!;
    row.crimeIdPackable = b.packable[i] === 1;
    return b.lines[i]!;
  }
}
