/**
 * Synthetic local incident extract (issue 14 item 6): a partner-style CSV with its mapping.json, with
 * repeat victimisation and near-repeat structure planted at known rates, for tests, benchmarks and
 * the demo. Seeded (generate/prng.ts): the same options write the same bytes.
 *
 * Layout of `local-incidents.csv` (one header line, then one row per incident, sorted by date):
 *   incident_ref      "LI" + 7 digits, unique
 *   occurred_date     DD/MM/YYYY
 *   occurred_time     HH:MM (empty for about 1 in 10 rows: time not known)
 *   offence_category  the extract's local category (mapped in mapping.json to police.uk crime types)
 *   easting,northing  British National Grid metres (whole metres), inside a square of `areaMetres` (12 km)
 *   victim_ref        "V" + 7 digits (domestic abuse and violence rows), empty otherwise
 *   address_ref       "P" + 8 digits: a home, a venue or a burglary address
 *   domestic, alcohol, night_time_economy, hate, vulnerable: Y or N
 *
 * What is planted:
 * - Domestic abuse (`domesticShare` of the rows): victims arrive uniformly in time (from 3 years
 *   before `start`, so the process is steady by then); after each incident, with probability
 *   `repeatRate`, the same victim has another one 1..365 days later (1 + exponential with mean 45,
 *   redrawn past 365), at home. So in steady state a share `repeatRate` of domestic incidents are
 *   repeats within 365 days of the victim's previous one (the repeatMeasures rule): the planted rate.
 * - Burglary (`burglaryShare`): uniform in space and time; each "first" burglary, with probability
 *   `nearRepeatRate`, is followed by one at another address 1..`nearRepeatMetres` metres away
 *   (uniform in the disc) and 1..`nearRepeatDays` days later: Knox ratio > 1 in those bands.
 * - The rest: night-time-economy violence at 20 venues (alcohol flags), public order, criminal
 *   damage, vehicle crime, uniform; hate and vulnerable flags at small rates.
 */
import fs from "node:fs";
import path from "node:path";
import { Prng, seedFromString } from "./prng.ts";

export interface LocalIncidentOptions {
  rows: number;
  seed: string;
  /** First day, YYYY-MM-DD (default 2024-01-01). */
  start: string;
  /** Days covered (default 731: 2024 as look-back and 2025 to measure). */
  days: number;
  repeatRate: number;
  nearRepeatRate: number;
  nearRepeatMetres: number;
  nearRepeatDays: number;
  domesticShare: number;
  burglaryShare: number;
  /** Side of the square area in metres (default 12,000: a city; 30,000 for a metropolitan force area). */
  areaMetres: number;
}

export const LOCAL_GENERATE_DEFAULTS: Omit<LocalIncidentOptions, "rows"> = {
  seed: "local-1",
  start: "2024-01-01",
  days: 731,
  repeatRate: 0.3,
  nearRepeatRate: 0.25,
  nearRepeatMetres: 200,
  nearRepeatDays: 14,
  domesticShare: 0.3,
  burglaryShare: 0.3,
  areaMetres: 12_000,
};

/** South-west corner of the area: BNG (whole metres); the side is `areaMetres`. */
export const LOCAL_CITY = { minX: 440_000, minY: 105_000 } as const;

export const LOCAL_EXTRACT_HEADER = [
  "incident_ref",
  "occurred_date",
  "occurred_time",
  "offence_category",
  "easting",
  "northing",
  "victim_ref",
  "address_ref",
  "domestic",
  "alcohol",
  "night_time_economy",
  "hate",
  "vulnerable",
] as const;

/** Local category -> police.uk crime type. */
export const LOCAL_CATEGORIES: Readonly<Record<string, string>> = {
  "Domestic assault": "Violence and sexual offences",
  "Assault with injury": "Violence and sexual offences",
  "Burglary - residential": "Burglary",
  "Public order offence": "Public order",
  "Criminal damage": "Criminal damage and arson",
  "Theft from vehicle": "Vehicle crime",
};

/** The extract's mapping.json, in the format `safecity incidents import --mapping` reads. */
export const LOCAL_EXTRACT_MAPPING = {
  date: { column: "occurred_date", format: "DD/MM/YYYY" },
  time: { column: "occurred_time" },
  offence: { column: "offence_category", map: LOCAL_CATEGORIES },
  location: { easting: "easting", northing: "northing" },
  victim: { column: "victim_ref" },
  place: { column: "address_ref" },
  flags: {
    domestic: { column: "domestic" },
    alcohol: { column: "alcohol" },
    "night-time-economy": { column: "night_time_economy" },
    hate: { column: "hate" },
    vulnerable: { column: "vulnerable" },
  },
};

const DAY_MS = 86_400_000;
const FLAG = { domestic: 1, alcohol: 2, nte: 4, hate: 8, vulnerable: 16 } as const;
const CATEGORY_NAMES = Object.keys(LOCAL_CATEGORIES);
const [DOMESTIC, ASSAULT, BURGLARY, PUBLIC_ORDER, DAMAGE, VEHICLE] = [0, 1, 2, 3, 4, 5];

export interface LocalIncidentReport {
  out: string;
  csv: string;
  mapping: string;
  rows: number;
  bytes: number;
  from: string;
  to: string;
  params: LocalIncidentOptions;
  planted: {
    /** Share of domestic incidents that are repeats within 365 days (steady state). */
    repeatRate: number;
    nearRepeat: { rate: number; metres: number; days: number };
    /** Period over which the repeat rate is recovered: from the same date a year after the start (a full year of look-back). */
    measureFrom: string;
    measureTo: string;
  };
}

/** Generated rows as columns (compact, sortable by day). */
export interface LocalIncidentColumns {
  n: number;
  day: Int32Array;
  minutes: Int16Array;
  category: Uint8Array;
  x: Int32Array;
  y: Int32Array;
  victim: Int32Array;
  place: Int32Array;
  flags: Uint8Array;
}

export function generateLocalIncidents(opts: LocalIncidentOptions): LocalIncidentColumns {
  const n = opts.rows;
  const rng = new Prng(seedFromString(opts.seed), 7);
  const startDay = Date.parse(`${opts.start}T00:00:00Z`) / DAY_MS;
  const endDay = startDay + opts.days - 1;
  const cols: LocalIncidentColumns = {
    n: 0,
    day: new Int32Array(n),
    minutes: new Int16Array(n),
    category: new Uint8Array(n),
    x: new Int32Array(n),
    y: new Int32Array(n),
    victim: new Int32Array(n).fill(-1),
    place: new Int32Array(n),
    flags: new Uint8Array(n),
  };
  let nextPlace = 1;
  let nextVictim = 1;
  const push = (day: number, category: number, x: number, y: number, victim: number, place: number, flags: number): boolean => {
    if (cols.n >= n) return false;
    const k = cols.n++;
    cols.day[k] = day;
    cols.minutes[k] = rng.int(10) === 0 ? -1 : rng.int(1440);
    cols.category[k] = category;
    cols.x[k] = x;
    cols.y[k] = y;
    cols.victim[k] = victim;
    cols.place[k] = place;
    cols.flags[k] = flags | (rng.int(50) === 0 ? FLAG.hate : 0);
    return true;
  };
  const size = opts.areaMetres;
  const px = (): number => LOCAL_CITY.minX + rng.int(size);
  const py = (): number => LOCAL_CITY.minY + rng.int(size);
  const span = opts.days;

  // Domestic abuse: chains of incidents per victim, from a 3-year burn-in.
  const domesticRows = Math.round(n * opts.domesticShare);
  const burnIn = 3 * 365;
  let written = 0;
  while (written < domesticRows) {
    const victim = nextVictim++;
    const home = nextPlace++;
    const [hx, hy] = [px(), py()];
    const vulnerable = rng.int(8) === 0 ? FLAG.vulnerable : 0;
    let day = startDay - burnIn + rng.int(span + burnIn);
    while (day <= endDay) {
      if (day >= startDay) {
        if (written >= domesticRows) break;
        push(day, DOMESTIC, hx, hy, victim, home, FLAG.domestic | vulnerable | (rng.int(4) === 0 ? FLAG.alcohol : 0));
        written++;
      }
      if (rng.float() >= opts.repeatRate) break;
      day += repeatGap(rng);
    }
  }

  // Burglary with near repeats.
  const burglaryRows = Math.round(n * opts.burglaryShare);
  const r2 = opts.nearRepeatMetres;
  for (let b = 0; b < burglaryRows; ) {
    const day = startDay + rng.int(span);
    const [x, y] = [px(), py()];
    push(day, BURGLARY, x, y, -1, nextPlace++, 0);
    b++;
    if (b < burglaryRows && rng.float() < opts.nearRepeatRate) {
      let dx = 0;
      let dy = 0;
      do {
        dx = rng.int(2 * r2 + 1) - r2;
        dy = rng.int(2 * r2 + 1) - r2;
      } while (dx * dx + dy * dy >= r2 * r2 || (dx === 0 && dy === 0));
      const later = day + 1 + rng.int(opts.nearRepeatDays);
      if (later <= endDay) {
        push(later, BURGLARY, x + dx, y + dy, -1, nextPlace++, 0);
        b++;
      }
    }
  }

  // Night-time economy venues and background crime.
  const centre = size / 2 - 1000;
  const venues = Array.from({ length: 20 }, () => ({
    x: LOCAL_CITY.minX + centre + rng.int(2000),
    y: LOCAL_CITY.minY + centre + rng.int(2000),
    place: nextPlace++,
  }));
  while (cols.n < n) {
    const day = startDay + rng.int(span);
    const kind = rng.int(4);
    if (kind === 0) {
      const v = venues[Math.min(rng.int(20), rng.int(20))]!; // busier venues first
      push(day, ASSAULT, v.x, v.y, nextVictim++, v.place, FLAG.nte | (rng.int(3) ? FLAG.alcohol : 0));
    } else {
      const category = [PUBLIC_ORDER, DAMAGE, VEHICLE][kind - 1]!;
      push(day, category, px(), py(), -1, nextPlace++, 0);
    }
  }
  return cols;
}

function repeatGap(rng: Prng): number {
  for (;;) {
    const gap = 1 + Math.floor(-45 * Math.log(1 - rng.float()));
    if (gap <= 365) return gap;
  }
}

/** Writes DIR/local-incidents.csv, DIR/mapping.json and DIR/planted.json. */
export function writeLocalIncidentExtract(outDir: string, opts: LocalIncidentOptions): LocalIncidentReport {
  fs.mkdirSync(outDir, { recursive: true });
  const cols = generateLocalIncidents(opts);
  const order = new Uint32Array(cols.n);
  for (let i = 0; i < cols.n; i++) order[i] = i;
  order.sort((a, b) => cols.day[a]! - cols.day[b]! || a - b);
  const csv = path.join(outDir, "local-incidents.csv");
  const fd = fs.openSync(csv, "w");
  let bytes = 0;
  let chunk = `${LOCAL_EXTRACT_HEADER.join(",")}\n`;
  const yn = (f: number, bit: number): string => ((f & bit) !== 0 ? "Y" : "N");
  for (let k = 0; k < cols.n; k++) {
    const i = order[k]!;
    const d = new Date(cols.day[i]! * DAY_MS);
    const date = `${pad(d.getUTCDate(), 2)}/${pad(d.getUTCMonth() + 1, 2)}/${d.getUTCFullYear()}`;
    const m = cols.minutes[i]!;
    const time = m < 0 ? "" : `${pad(Math.floor(m / 60), 2)}:${pad(m % 60, 2)}`;
    const v = cols.victim[i]!;
    const f = cols.flags[i]!;
    chunk += `LI${pad(k + 1, 7)},${date},${time},${CATEGORY_NAMES[cols.category[i]!]},${cols.x[i]},${cols.y[i]},${v < 0 ? "" : `V${pad(v, 7)}`},P${pad(cols.place[i]!, 8)},${yn(f, FLAG.domestic)},${yn(f, FLAG.alcohol)},${yn(f, FLAG.nte)},${yn(f, FLAG.hate)},${yn(f, FLAG.vulnerable)}\n`;
    if (chunk.length > 1 << 20) {
      bytes += fs.writeSync(fd, chunk);
      chunk = "";
    }
  }
  bytes += fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  const mapping = path.join(outDir, "mapping.json");
  fs.writeFileSync(mapping, `${JSON.stringify(LOCAL_EXTRACT_MAPPING, null, 2)}\n`);
  const startDay = Date.parse(`${opts.start}T00:00:00Z`) / DAY_MS;
  const iso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
  const report: LocalIncidentReport = {
    out: outDir,
    csv,
    mapping,
    rows: cols.n,
    bytes,
    from: iso(startDay),
    to: iso(startDay + opts.days - 1),
    params: opts,
    planted: {
      repeatRate: opts.repeatRate,
      nearRepeat: { rate: opts.nearRepeatRate, metres: opts.nearRepeatMetres, days: opts.nearRepeatDays },
      measureFrom: `${Number(opts.start.slice(0, 4)) + 1}${opts.start.slice(4)}`,
      measureTo: iso(startDay + opts.days - 1),
    },
  };
  fs.writeFileSync(path.join(outDir, "planted.json"), `${JSON.stringify(report.planted, null, 2)}\n`);
  return report;
}

function pad(v: number, width: number): string {
  return String(v).padStart(width, "0");
}
