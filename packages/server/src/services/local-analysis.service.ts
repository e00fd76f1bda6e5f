import {
  AppError,
  CRIME_TYPES,
  type CrimeType,
  crimeTypeName,
  DEFAULT_CRIME_GROUPS,
  type KnoxMetric,
  type KnoxResult,
  knoxTest,
  LOCAL_FLAGS,
  type LocalFlag,
  type LocalIncident,
  type RepeatMeasures,
  repeatMeasures,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { countWithoutLsoa, readLocalRows } from "../db/repositories/local-incident.repository.ts";
import type { LocalRow } from "../ingest/local/local-incident.reader.ts";
import { FLAG_BITS, flagsOfBits } from "../ingest/local/local-mapping.ts";
import { resolveArea } from "./area.service.ts";
import { auditRead, datasetForReading, type LocalReader } from "./local-access.service.ts";

/** What both analyses take: the dataset, an area (optional: the whole dataset), a period, filters. */
export interface LocalQuery {
  dataset?: string | undefined;
  /** An area as `--area` elsewhere; its LSOAs. Omitted: every incident of the dataset. */
  area?: string | undefined;
  /** YYYY-MM-DD or YYYY-MM (a month: its first day for `from`, its last for `to`). */
  from: string;
  to: string;
  flag?: string | undefined;
  /** A police.uk crime type or one of the default crime groups ("Theft (all)"). */
  offence?: string | undefined;
}

export interface LocalScope {
  dataset: string;
  area: { code: string | null; name: string } | null;
  from: string;
  to: string;
  flag: LocalFlag | null;
  offence: string | null;
  /** Incidents of the dataset in the period with no LSOA code: outside any area, so left out when an area is given. */
  leftOutWithoutLsoa: number;
}

const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  return Number(iso.replaceAll("-", ""));
}

function isoOf(day: number): string {
  return `${Math.floor(day / 10000)}-${String(Math.floor(day / 100) % 100).padStart(2, "0")}-${String(day % 100).padStart(2, "0")}`;
}

function epochDays(day: number): number {
  return Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, day % 100) / DAY_MS;
}

/** `from`/`to` as YYYY-MM-DD: a month becomes its first or last day; anything else is refused. */
export function periodDays(from: string, to: string): { from: string; to: string } {
  const norm = (v: string, name: string, end: boolean): string => {
    const t = v.trim();
    if (/^\d{4}-\d{2}$/.test(t)) {
      const [y, m] = t.split("-").map(Number) as [number, number];
      if (m < 1 || m > 12) throw new AppError("input.invalid", `${name} must be YYYY-MM-DD or YYYY-MM; got \`${t}\``);
      return end ? new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) : `${t}-01`;
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(t) && new Date(`${t}T00:00:00Z`).toISOString().slice(0, 10) === t) return t;
    throw new AppError("input.invalid", `${name} must be YYYY-MM-DD or YYYY-MM; got \`${t.slice(0, 20)}\``);
  };
  const f = norm(from, "--from", false);
  const t = norm(to, "--to", true);
  if (f > t) throw new AppError("input.invalid", `--from ${f} is after --to ${t}`);
  return { from: f, to: t };
}

function parseFlag(flag: string | undefined): LocalFlag | null {
  if (flag === undefined || flag === "") return null;
  const f = flag.trim().toLowerCase() as LocalFlag;
  if (!LOCAL_FLAGS.includes(f)) throw new AppError("input.invalid", `--flag must be one of ${LOCAL_FLAGS.join(", ")}; got \`${flag.slice(0, 30)}\``);
  return f;
}

function parseOffence(offence: string | undefined): { label: string; types: Set<number> } | null {
  if (offence === undefined || offence === "") return null;
  const wanted = offence.trim().toLowerCase();
  const group = Object.entries(DEFAULT_CRIME_GROUPS).find(([g]) => g.toLowerCase() === wanted);
  const types: readonly CrimeType[] | undefined = group ? group[1] : CRIME_TYPES.filter((t) => t.toLowerCase() === wanted);
  if (!types || types.length === 0) {
    throw new AppError("input.invalid", `\`${offence.slice(0, 40)}\` is not a police.uk crime type or group`, { hint: `one of: ${[...Object.keys(DEFAULT_CRIME_GROUPS), ...CRIME_TYPES].join(", ")}` });
  }
  return { label: group ? group[0] : types[0]!, types: new Set(types.map((t) => CRIME_TYPES.indexOf(t) + 1)) };
}

interface Loaded {
  scope: LocalScope;
  rows: LocalRow[];
}

async function load(store: Store, reader: LocalReader, q: LocalQuery, lookBackDays: number, what: string, now: Date): Promise<Loaded> {
  const period = periodDays(q.from, q.to);
  const flag = parseFlag(q.flag);
  const offence = parseOffence(q.offence);
  const dataset = await datasetForReading(store, reader, q.dataset);
  const area = q.area ? await resolveArea(store, q.area) : null;
  const fromDay = dayNumber(period.from);
  const toDay = dayNumber(period.to);
  const loadFrom = Number(new Date(Date.UTC(Math.floor(fromDay / 10000), (Math.floor(fromDay / 100) % 100) - 1, (fromDay % 100) - lookBackDays)).toISOString().slice(0, 10).replaceAll("-", ""));
  const scope: LocalScope = {
    dataset: dataset.name,
    area: area ? { code: area.ref.code ?? null, name: area.ref.name } : null,
    from: period.from,
    to: period.to,
    flag,
    offence: offence?.label ?? null,
    leftOutWithoutLsoa: area ? await countWithoutLsoa(store, dataset.id, fromDay, toDay) : 0,
  };
  await auditRead(store, reader, now, dataset, what, { area: scope.area?.code ?? scope.area?.name ?? null, from: scope.from, to: scope.to, flag, offence: scope.offence });
  const all = await readLocalRows(store, dataset.id, loadFrom, toDay, area ? area.scope : null);
  const rows = all.filter((r) => (flag === null || (r.flags & FLAG_BITS[flag]) !== 0) && (offence === null || offence.types.has(r.crimeTypeId)));
  return { scope, rows };
}

function toIncident(r: LocalRow): LocalIncident {
  return {
    date: isoOf(r.day),
    minutes: r.minutes,
    victimKey: r.victimKey,
    locationKey: r.locationKey,
    x: r.x,
    y: r.y,
    lsoa: r.lsoa,
    offenceGroup: crimeTypeName(r.crimeTypeId),
    flags: flagsOfBits(r.flags),
  };
}

export interface RepeatsResult {
  scope: LocalScope;
  measures: RepeatMeasures;
}

/** Repeat victimisation measures of a dataset (core's repeatMeasures), after the access check; the read is audited. */
export async function localRepeats(store: Store, reader: LocalReader, q: LocalQuery & { repeatWindowDays?: number; topLocations?: number }, now = new Date()): Promise<RepeatsResult> {
  const window = q.repeatWindowDays ?? 365;
  const { scope, rows } = await load(store, reader, q, window, "repeats", now);
  // Flag and offence are filtered here (groups of several types included), so core sees the rows to measure.
  const measures = repeatMeasures(rows.map(toIncident), { from: scope.from, to: scope.to, repeatWindowDays: window, ...(q.topLocations ? { topLocations: q.topLocations } : {}) });
  return { scope, measures: { ...measures, flag: scope.flag, offenceGroup: scope.offence } };
}

export interface NearRepeatQuery extends LocalQuery {
  distanceBands: readonly number[];
  timeBands: readonly number[];
  permutations: number;
  seed: number;
  metric: KnoxMetric;
}

export interface NearRepeatResult {
  scope: LocalScope;
  /** Incidents in the period without a point (left out of the Knox test). */
  leftOutWithoutPoint: number;
  knox: KnoxResult;
}

/** The Knox test over a dataset's incidents with a point (core's knoxTest); time in whole days. Audited. */
export async function localNearRepeat(store: Store, reader: LocalReader, q: NearRepeatQuery, now = new Date()): Promise<NearRepeatResult> {
  if (!Number.isInteger(q.permutations) || q.permutations < 1 || q.permutations > 9999) throw new AppError("input.invalid", "--permutations must be a whole number from 1 to 9999 (99 or 999 are usual)");
  if (!Number.isInteger(q.seed)) throw new AppError("input.invalid", "--seed must be a whole number");
  const { scope, rows } = await load(store, reader, q, 0, "near-repeat", now);
  const fromDay = dayNumber(scope.from);
  const inPeriod = rows.filter((r) => r.day >= fromDay);
  const points = inPeriod.filter((r) => r.x !== null && r.y !== null).map((r) => ({ x: r.x!, y: r.y!, t: epochDays(r.day) }));
  const knox = knoxTest(points, { distanceBands: q.distanceBands, timeBands: q.timeBands, permutations: q.permutations, seed: q.seed, metric: q.metric });
  return { scope, leftOutWithoutPoint: inPeriod.length - points.length, knox };
}

/** `0,100,200,400` -> [0, 100, 200, 400]; `inf`/`Infinity` allowed last. */
export function parseBands(text: string, name: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const values = parts.map((p) => (/^(inf|infinity)$/i.test(p) ? Number.POSITIVE_INFINITY : Number(p)));
  const ok = values.length >= 2 && values.every((v, i) => !Number.isNaN(v) && v >= 0 && (i === 0 || v > values[i - 1]!)) && values[0] === 0;
  if (!ok) throw new AppError("input.invalid", `${name} must be increasing break points starting at 0, e.g. 0,100,200,400; got \`${text.slice(0, 60)}\``);
  return values;
}
