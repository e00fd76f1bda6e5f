import { ASB, CRIME_TYPES, type CrimeType } from "@safecity/core";
import { AliasTable } from "./alias-table.ts";
import type { PlannedFile } from "./plan.ts";
import { Prng } from "./prng.ts";
import { CRIME_TYPE_PER_MILLE, SEASON_ALL, SEASON_BY_TYPE, UNDER_INVESTIGATION_BY_AGE, outcomeWeights } from "./vocabulary.ts";
import type { World } from "./world.ts";

export const POLICE_STREET_HEADER =
  "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

const ascii = (s: string): Uint8Array => Buffer.from(s, "utf8");
const HEADER_BYTES = ascii(`${POLICE_STREET_HEADER}\n`);
const NO_LOCATION_BYTES = ascii(",,No Location,,,");
const ASB_OUTCOME_BYTES = ascii(",\n");
const ASB_INDEX = CRIME_TYPES.indexOf(ASB as CrimeType);
/** Share of a force's located rows drawn from its emerging places by the last month (0 at the first). */
const EMERGING_EXTRA_SHARE = 0.04;
/** Two lowercase hex digits per byte value. */
const HEX = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const h = b.toString(16).padStart(2, "0");
  HEX[2 * b] = h.charCodeAt(0);
  HEX[2 * b + 1] = h.charCodeAt(1);
}

/** Draw tables shared by every file of a run: crime type by calendar month, outcome by type and age. */
export interface RowTables {
  readonly typeByCalendarMonth: readonly AliasTable[];
  readonly typeBytes: readonly Uint8Array[];
  /** [type][age bucket] -> table over `outcomeBytes[type][age]` (each `<outcome>,\n`). */
  readonly outcomes: readonly (readonly AliasTable[])[];
  readonly outcomeBytes: readonly (readonly Uint8Array[])[];
  readonly maxTailBytes: number;
}

/** Relative volume of one calendar month (0 = January), the sum over types of share x seasonality. */
export function calendarMonthWeight(calendarMonth: number): number {
  let w = 0;
  for (const t of CRIME_TYPES) w += typeWeight(t, calendarMonth);
  return w;
}

function typeWeight(type: CrimeType, calendarMonth: number): number {
  const own = SEASON_BY_TYPE[type];
  return CRIME_TYPE_PER_MILLE[type] * SEASON_ALL[calendarMonth]! * (own ? own[calendarMonth]! : 1);
}

export function buildRowTables(): RowTables {
  const typeByCalendarMonth = Array.from({ length: 12 }, (_, m) => new AliasTable(CRIME_TYPES.map((t) => typeWeight(t, m))));
  const typeBytes = CRIME_TYPES.map((t) => ascii(`${t},`));
  const outcomes: AliasTable[][] = [];
  const outcomeBytes: Uint8Array[][] = [];
  let maxTail = 0;
  for (const t of CRIME_TYPES) {
    const base = Object.entries(outcomeWeights(t));
    const baseTotal = base.reduce((a, [, w]) => a + w, 0);
    const names = [...base.map(([name]) => name), "Under investigation"];
    const bytes = names.map((name) => ascii(`${name},\n`));
    outcomeBytes.push(bytes);
    for (const b of bytes) maxTail = Math.max(maxTail, b.length);
    outcomes.push(
      [...UNDER_INVESTIGATION_BY_AGE, 0].map((ui) => new AliasTable([...base.map(([, w]) => (w / baseTotal) * (1 - ui)), ui])),
    );
  }
  for (const b of typeBytes) maxTail = Math.max(maxTail, b.length);
  return { typeByCalendarMonth, typeBytes, outcomes, outcomeBytes, maxTailBytes: maxTail };
}

/**
 * Encodes the rows of one planned file straight into byte buffers, a chunk at a time, so memory
 * stays flat whatever the row count. Deterministic: the file's own PRNG stream is derived from
 * the seed, the month and the force.
 */
export class RowEncoder {
  readonly header: Uint8Array = HEADER_BYTES;
  /** The most bytes one row can take: `fill` stops when less than this is left. */
  readonly maxRowBytes: number;
  private remaining: number;
  private readonly rng: Prng;
  private readonly prefix: Uint8Array;
  private readonly typeTable: AliasTable;
  private readonly outcomeAge: number;
  private readonly noLocationThreshold: number;
  private readonly emergingThreshold: number;

  constructor(
    private readonly world: World,
    private readonly tables: RowTables,
    private readonly file: PlannedFile,
    seed: number,
  ) {
    this.remaining = file.rows;
    this.rng = new Prng(seed, 1 + file.monthIndex * 4096 + file.force.index);
    this.prefix = ascii(`,${file.month},${file.force.name},${file.force.name},`);
    this.typeTable = tables.typeByCalendarMonth[file.monthIndex % 12]!;
    this.outcomeAge = Math.min(file.monthsBeforeEnd, UNDER_INVESTIGATION_BY_AGE.length);
    this.noLocationThreshold = Math.floor(file.force.noLocationRate * 4294967296);
    this.emergingThreshold = Math.floor(EMERGING_EXTRA_SHARE * file.progress * 4294967296);
    this.maxRowBytes =
      64 + this.prefix.length + Math.max(world.maxPointBytes, NO_LOCATION_BYTES.length) + 2 * tables.maxTailBytes + 2;
  }

  get done(): boolean {
    return this.remaining === 0;
  }

  /** Writes whole rows into `buf` from `start`; returns the end offset and how many rows were written. */
  fill(buf: Uint8Array, start: number): { end: number; rows: number } {
    const { rng, prefix, typeTable, tables, world } = this;
    const { points, emergingPoints, emergingPointIndex } = this.file.force;
    const emergingThreshold = this.emergingThreshold;
    const pointStart = this.file.force.pointStart;
    const pointBytes = world.pointBytes;
    const pointOffsets = world.pointOffsets;
    const limit = buf.length - this.maxRowBytes;
    let p = start;
    let rows = 0;
    while (this.remaining > 0 && p <= limit) {
      const type = typeTable.draw(rng);
      if (type !== ASB_INDEX) {
        // A 64-hex Crime ID: 32 random bytes.
        for (let k = 0; k < 8; k++) {
          const u = rng.u32();
          let i = 2 * (u >>> 24);
          buf[p++] = HEX[i]!;
          buf[p++] = HEX[i + 1]!;
          i = 2 * ((u >>> 16) & 255);
          buf[p++] = HEX[i]!;
          buf[p++] = HEX[i + 1]!;
          i = 2 * ((u >>> 8) & 255);
          buf[p++] = HEX[i]!;
          buf[p++] = HEX[i + 1]!;
          i = 2 * (u & 255);
          buf[p++] = HEX[i]!;
          buf[p++] = HEX[i + 1]!;
        }
      }
      for (let k = 0; k < prefix.length; k++) buf[p++] = prefix[k]!;
      if (rng.u32() < this.noLocationThreshold) {
        for (let k = 0; k < NO_LOCATION_BYTES.length; k++) buf[p++] = NO_LOCATION_BYTES[k]!;
      } else {
        const point =
          pointStart + (rng.u32() < emergingThreshold ? emergingPointIndex[emergingPoints.draw(rng)]! : points.draw(rng));
        const end = pointOffsets[point + 1]!;
        for (let k = pointOffsets[point]!; k < end; k++) buf[p++] = pointBytes[k]!;
      }
      const tb = tables.typeBytes[type]!;
      for (let k = 0; k < tb.length; k++) buf[p++] = tb[k]!;
      let ob: Uint8Array;
      if (type === ASB_INDEX) ob = ASB_OUTCOME_BYTES;
      else ob = tables.outcomeBytes[type]![tables.outcomes[type]![this.outcomeAge]!.draw(rng)]!;
      for (let k = 0; k < ob.length; k++) buf[p++] = ob[k]!;
      this.remaining--;
      rows++;
    }
    return { end: p, rows };
  }
}
