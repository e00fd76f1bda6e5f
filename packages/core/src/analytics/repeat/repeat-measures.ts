/**
 * repeatMeasures: repeat victimisation for one flag and/or offence group over a period.
 *
 * The repeat rule (the Marac definition, "a repeat is any incident within 12 months of the
 * previous one"):
 * - Only incidents matching the filter count, both as repeats and as previous incidents.
 * - A victim's incidents are ordered by date, then time (unknown time first), then input order.
 * - An incident dated in [from, to] is a **repeat** when the same victim key has an earlier
 *   incident (in that order) no more than `repeatWindowDays` days before it (default 365: the
 *   same date next year still counts; a second incident on the same day is a repeat at 0 days).
 * - Earlier incidents are looked for back to `from - repeatWindowDays` (the look-back): an incident
 *   in the first month of the period whose previous one was last year is a repeat. Incidents after
 *   `to` are ignored.
 * - Incidents without a victim key count in `incidents` and the monthly totals, but not in
 *   incidence, prevalence or any repeat measure (noted).
 *
 * Measures: incidence (incidents with a victim key, exact Poisson interval), prevalence (distinct
 * victims), concentration (incidence / prevalence), repeat incidents / incidence and repeat
 * victims / prevalence (Wilson intervals), time to repeat in bands, the top repeat locations
 * (location keys with 2+ incidents in the period) and a monthly series of repeats.
 */
import { monthRange } from "../../domain/month.ts";
import { invalid } from "../stats/check.ts";
import type {
  LocalIncident,
  RepeatLocation,
  RepeatMeasures,
  RepeatMonth,
  RepeatOptions,
  TimeToRepeatBand,
} from "./local-incident.types.ts";
import { poissonCount, wilsonShare } from "./wilson.ts";

const DAY_MS = 86_400_000;
/** Time-to-repeat band breaks in days: same day, 1-7, 8-30, 31-90, 91-182, 183-365. */
const BAND_BREAKS = [0, 1, 8, 31, 91, 183, 366];

/** Day number (days since 1970-01-01) of a YYYY-MM-DD date, or null when it is not a real date. */
export function localDayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function localDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function repeatMeasures(incidents: readonly LocalIncident[], options: RepeatOptions): RepeatMeasures {
  const from = localDayNumber(options.from);
  const to = localDayNumber(options.to);
  if (from === null) throw invalid(`from must be a date YYYY-MM-DD; got ${options.from}`);
  if (to === null) throw invalid(`to must be a date YYYY-MM-DD; got ${options.to}`);
  if (to < from) throw invalid(`to (${options.to}) is before from (${options.from})`, "swap the two dates");
  const window = options.repeatWindowDays ?? 365;
  if (!Number.isInteger(window) || window < 0) throw invalid(`repeatWindowDays must be a whole number of days; got ${window}`);
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw invalid(`confidence must be between 0 and 1 (e.g. 0.95); got ${confidence}`);
  const top = options.topLocations ?? 10;
  const lookBack = from - window;
  const flag = options.flag ?? null;
  const group = options.offenceGroup ?? null;

  interface Row {
    day: number;
    minutes: number;
    index: number;
    victim: string | null;
    location: string | null;
    repeatGap: number | null;
  }
  const rows: Row[] = [];
  for (let i = 0; i < incidents.length; i++) {
    const inc = incidents[i]!;
    if (flag && !inc.flags.includes(flag)) continue;
    if (group !== null && inc.offenceGroup !== group) continue;
    const day = localDayNumber(inc.date);
    if (day === null) throw invalid(`incident ${i} has date ${JSON.stringify(inc.date)}; expected a real date YYYY-MM-DD`);
    if (day < lookBack || day > to) continue;
    rows.push({ day, minutes: inc.minutes ?? -1, index: i, victim: inc.victimKey, location: inc.locationKey, repeatGap: null });
  }
  rows.sort((a, b) => a.day - b.day || a.minutes - b.minutes || a.index - b.index);

  const lastDay = new Map<string, number>();
  for (const r of rows) {
    if (r.victim === null) continue;
    const prev = lastDay.get(r.victim);
    if (prev !== undefined && r.day - prev <= window) r.repeatGap = r.day - prev;
    lastDay.set(r.victim, r.day);
  }

  const inPeriod = rows.filter((r) => r.day >= from);
  const keyed = inPeriod.filter((r) => r.victim !== null);
  const repeats = keyed.filter((r) => r.repeatGap !== null);
  const victims = new Set(keyed.map((r) => r.victim));
  const repeatVictims = new Set(repeats.map((r) => r.victim));

  const gaps = repeats.map((r) => r.repeatGap as number).sort((a, b) => a - b);
  const uniqueBreaks = [...BAND_BREAKS.filter((b) => b <= window), window + 1];
  const timeToRepeat: TimeToRepeatBand[] = uniqueBreaks.slice(0, -1).map((lo, k) => {
    const hi = uniqueBreaks[k + 1]!;
    const count = gaps.filter((g) => g >= lo && g < hi).length;
    const label = hi - lo === 1 ? (lo === 0 ? "same day" : `${lo} days`) : `${lo}-${hi - 1} days`;
    return { label, fromDays: lo, toDays: hi, count, share: wilsonShare(count, gaps.length, confidence) };
  });
  const medianDaysToRepeat = gaps.length === 0 ? null : median(gaps);

  const byLocation = new Map<string, number>();
  let located = 0;
  for (const r of inPeriod) {
    if (r.location === null) continue;
    located++;
    byLocation.set(r.location, (byLocation.get(r.location) ?? 0) + 1);
  }
  const repeatLocations: RepeatLocation[] = [...byLocation.entries()]
    .filter(([, count]) => count >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([locationKey, count]) => ({ locationKey, incidents: count, repeats: count - 1, share: wilsonShare(count, located, confidence) }));

  const months = monthRange(options.from.slice(0, 7), options.to.slice(0, 7));
  const slot = new Map(months.map((m, k) => [m, k]));
  const perMonth = months.map(() => ({ all: 0, keyed: 0, repeats: 0 }));
  for (const r of inPeriod) {
    const c = perMonth[slot.get(localDateOfDay(r.day).slice(0, 7))!]!;
    c.all++;
    if (r.victim !== null) c.keyed++;
    if (r.repeatGap !== null) c.repeats++;
  }
  const monthly: RepeatMonth[] = months.map((month, k) => {
    const c = perMonth[k]!;
    return { month, incidents: c.all, repeats: c.repeats, repeatShare: wilsonShare(c.repeats, c.keyed, confidence) };
  });

  const notes: string[] = [];
  const without = inPeriod.length - keyed.length;
  if (without > 0) notes.push(`${without} incident(s) without a victim key are counted in incidents but not in the victim measures`);
  if (options.from.slice(8) !== "01") notes.push(`the first month (${months[0]}) is part of a month`);
  if (localDateOfDay(to + 1).slice(8) !== "01") notes.push(`the last month (${months[months.length - 1]}) is part of a month`);
  const sameDay = gaps.filter((g) => g === 0).length;
  if (sameDay > 0) notes.push(`${sameDay} repeat(s) on the same day as the previous incident (check for duplicate records)`);

  return {
    from: options.from,
    to: options.to,
    flag,
    offenceGroup: group,
    repeatWindowDays: window,
    lookBackFrom: localDateOfDay(lookBack),
    confidence,
    incidents: inPeriod.length,
    withoutVictimKey: without,
    incidence: poissonCount(keyed.length, confidence),
    prevalence: victims.size,
    concentration: victims.size === 0 ? null : keyed.length / victims.size,
    repeatIncidents: wilsonShare(repeats.length, keyed.length, confidence),
    repeatVictims: wilsonShare(repeatVictims.size, victims.size, confidence),
    timeToRepeat,
    medianDaysToRepeat,
    repeatLocations,
    monthly,
    notes,
  };
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
