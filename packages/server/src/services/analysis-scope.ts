import {
  AppError,
  type AreaRef,
  CRIME_TYPES,
  type CrimeTypeMonthRow,
  DEFAULT_CRIME_GROUPS,
  type CrossForceDecision,
  type HomeForces,
  crimeTypeId,
  crimeTypeName,
  crossForceDecision,
  defaultPeriod,
  findCrimeType,
  interiorGaps,
  isMonth,
  type MonthlyCount,
  missingMonthsWarning,
  monthRange,
  type OtherForcesRule,
  forceLabel,
  homeForces as findHomeForces,
  parseOtherForces,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import type { AreaScope } from "../db/repositories/area.repository.ts";
import { populationOfArea, sumLsoaPopulation } from "../db/repositories/population.repository.ts";
import { importedMonthsByForce } from "../db/repositories/peer-counts.repository.ts";
import { countsByMonthAndType, latestImportedMonth, policeForceAreasOf, rowsByForce } from "../db/repositories/rollup.repository.ts";
import { resolveArea } from "./area.service.ts";
import { flaggedMonthsInPeriod } from "./data-quality.service.ts";

/**
 * Refuses an impossible period (input.invalid): a month not YYYY-MM, `from` after `to`, or `from`
 * after the latest month of police data loaded (any force): no month of such a period can have
 * data (`from=9999-01`). `to` may run past the data: those months are reported as missing.
 */
export async function checkPeriod(store: Store, query: { from?: string | undefined; to?: string | undefined }): Promise<void> {
  for (const [name, value] of [["--from", query.from], ["--to", query.to]] as const) {
    if (value !== undefined && !isMonth(value)) throw new AppError("input.invalid", `${name} must be YYYY-MM; got \`${value}\``);
  }
  if (query.from && query.to && query.from > query.to) throw new AppError("input.invalid", `--from ${query.from} is after --to ${query.to}`);
  if (query.from) {
    const latest = await latestImportedMonth(store);
    if (latest && query.from > latest) {
      throw new AppError("input.invalid", `--from ${query.from} is after ${latest}, the latest month of police data loaded`, {
        hint: `choose a first month up to ${latest}`,
      });
    }
  }
}

/** What every analysis command takes. */
export interface AnalysisQuery {
  area: string;
  from?: string;
  to?: string;
  /** A crime group ("All crime", "Theft (all)") or one police.uk crime type ("burglary"). Default "All crime". */
  type?: string;
  /**
   * Rows from other forces' files in the area (decision 0022): `complete` (default: counted only when
   * that force's files cover every month of the period), `all` (as they come) or `none`.
   */
  otherForces?: string;
}

/** The area, period and data coverage an analysis runs on. */
export interface AnalysisScope {
  area: AreaRef;
  scope: AreaScope;
  from: string;
  to: string;
  /** Every month of the period. */
  months: string[];
  /** Months of the period with a file from the principal force. */
  monthsPresent: string[];
  /** Months of the period with no file from the principal force: unknown, never zero. */
  missingMonths: string[];
  /** Missing months between two loaded months of the period (a broken time series). */
  gaps: string[];
  /** True when no month was chosen and the default period (latest 12 complete months without a gap) is used. */
  defaulted: boolean;
  /**
   * Said at the top of every page and in the API/CLI result when months are missing or flagged as
   * unusual by the data quality checks (decision 0016); else null.
   */
  warning: string | null;
  /** Every month of the principal force flagged as unusual by the data quality checks (not only this period's). */
  flaggedMonths: string[];
  principalForce: string | null;
  /** Roll-up rows in the area (all time) by the force whose files they came from. */
  forces: { force: string; n: number }[];
  /** The area's own force(s), always counted: its police force area(s), else the force with most rows (decision 0022). */
  homeForces: string[];
  /** Which other forces' rows count over the period, and the notes saying so (decision 0022); every roll-up and incident read applies it. */
  otherForces: CrossForceDecision;
  /** Months with an imported file, per force with rows in the area: to judge the rule again over a wider window. */
  forceMonths: Record<string, string[]>;
  /** The crime group analysed and its police.uk types. */
  group: { name: string; types: string[] };
  notes: string[];
}

/** Groups analysed: the defaults, plus any single crime type asked for by name. */
export function resolveGroup(type: string | undefined): { name: string; types: string[] } {
  if (type === undefined || type.trim() === "") return { name: "All crime", types: [...DEFAULT_CRIME_GROUPS["All crime"]!] };
  const wanted = type.trim().toLowerCase();
  const group = Object.keys(DEFAULT_CRIME_GROUPS).find((g) => g.toLowerCase() === wanted);
  if (group) return { name: group, types: [...DEFAULT_CRIME_GROUPS[group]!] };
  const t = findCrimeType(type);
  if (t) return { name: t, types: [t] };
  throw new AppError("input.invalid", `unknown crime type or group \`${type}\``, {
    hint: `use a group (${Object.keys(DEFAULT_CRIME_GROUPS).join(", ")}) or a police.uk type (${CRIME_TYPES.join(", ")})`,
  });
}

export function typeIdsOf(types: readonly string[]): number[] {
  return types.map((t) => crimeTypeId(t)!).sort((a, b) => a - b);
}

/**
 * Resolves the area and period and finds which months are covered: months missing from the
 * area's principal force (the force whose files hold most of its rows) are reported, never zero.
 * Without `from` and `to` the default period is the latest 12 complete months of that force without
 * a gap (core defaultPeriod); with one of them, the other is the first/last month imported.
 */
export async function loadAnalysisScope(store: Store, query: AnalysisQuery): Promise<AnalysisScope> {
  await checkPeriod(store, query);
  const group = resolveGroup(query.type);
  const resolved = await resolveArea(store, query.area);
  const notes = resolved.note ? [resolved.note] : [];
  const rule = parseOtherForces(query.otherForces);
  const { forces, home: found, forceMonths } = await areaForces(store, resolved.scope);
  if (found.note) notes.push(found.note);
  const principalForce = found.home[0] || null;
  const imported = loadedMonths(found.home, forceMonths);
  const defaulted = !query.from && !query.to;
  const fallback = defaulted ? defaultPeriod(imported) : null;
  if (fallback?.note) notes.push(fallback.note);
  const from = query.from ?? fallback?.from ?? imported[0];
  const to = query.to ?? fallback?.to ?? imported.at(-1);
  if (!from || !to) {
    throw new AppError("data.missing", `no police data has been imported for ${resolved.ref.name}, and no period was given`, {
      hint: "import police.uk data covering the area (`safecity import <zip>`), or give --from and --to",
    });
  }
  if (from > to) throw new AppError("input.invalid", `--from ${from} is after --to ${to}`);
  const months = monthRange(from, to);
  if (months.length > 240) throw new AppError("input.invalid", `the period ${from} to ${to} is ${months.length} months; at most 240 (20 years)`);
  const importedSet = new Set(imported);
  const monthsPresent = months.filter((m) => importedSet.has(m));
  const missingMonths = months.filter((m) => !importedSet.has(m));
  if (!principalForce) notes.push("no police data has been imported for this area yet");
  else if (missingMonths.length) {
    notes.push(`${missingMonths.length} month(s) of the period have no ${principalForce} file: their counts are unknown, not zero (${compactMonths(missingMonths)})`);
  }
  if (found.home.length > 1) {
    notes.push(`the area lies in ${found.home.length} force areas (${found.home.map(forceLabel).join(", ")}): a month counts as loaded only when each has a file for it`);
  }
  const otherForces = await decideOtherForces(store, resolved.scope, rule, found.home, forceMonths, monthsPresent);
  notes.push(...otherForces.notes);
  const gaps = interiorGaps(months, importedSet);
  const missingWarning = principalForce ? missingMonthsWarning({ months: months.length, missing: missingMonths, force: principalForce }) : null;
  const flagged = await flaggedMonthsInPeriod(store, principalForce, from, to);
  const warning = [missingWarning, flagged.warning].filter(Boolean).join(" ") || null;
  const flaggedMonths = flagged.forceMonths;
  return {
    area: resolved.ref,
    scope: resolved.scope,
    from,
    to,
    months,
    monthsPresent,
    missingMonths,
    gaps,
    defaulted,
    warning,
    flaggedMonths,
    principalForce,
    forces,
    homeForces: found.home,
    otherForces,
    forceMonths,
    group,
    notes,
  };
}

/**
 * The forces with rows in the area (all time, most first), its home force(s) (core homeForces: its
 * police force areas, else the force with most rows) and the months each force has files for.
 */
export async function areaForces(store: Store, scope: AreaScope): Promise<{ forces: { force: string; n: number }[]; home: HomeForces; forceMonths: Record<string, string[]> }> {
  const forces = await rowsByForce(store, scope);
  const home = findHomeForces(await policeForceAreasOf(store, scope), forces);
  const forceMonths = Object.fromEntries(await importedMonthsByForce(store, forces.map((f) => f.force).filter(Boolean)));
  return { forces, home, forceMonths };
}

/** Months every home force has a file for (one home force: its months). */
export function loadedMonths(home: readonly string[], forceMonths: Record<string, string[]>): string[] {
  if (home.length === 0) return [];
  const [first, ...rest] = home.map((f) => forceMonths[f] ?? []);
  return first!.filter((m) => rest.every((r) => r.includes(m)));
}

/** The cross-force rule over `months` (those with home data), with each force's rows in the area over them. */
export async function decideOtherForces(
  store: Store,
  scope: AreaScope,
  rule: OtherForcesRule,
  home: readonly string[],
  forceMonths: Record<string, string[]>,
  months: readonly string[],
): Promise<CrossForceDecision> {
  const rows = months.length ? await rowsByForce(store, scope, { from: months[0]!, to: months.at(-1)! }) : [];
  return crossForceDecision(
    rule,
    home,
    rows.map((r) => ({ force: r.force, rows: r.n, monthsImported: forceMonths[r.force] ?? [] })),
    months,
  );
}

/**
 * The same area, force and group over other months (`from`..`to`, default the scope's `to`):
 * months with no file from the principal force stay missing, never zero. For comparisons that
 * reach before the period (year on year) or need a longer history (a seasonal profile).
 */
export async function rewindowScope(store: Store, s: AnalysisScope, from: string, to = s.to): Promise<AnalysisScope> {
  const months = monthRange(from, to);
  const loaded = new Set(loadedMonths(s.homeForces, s.forceMonths));
  const monthsPresent = months.filter((m) => loaded.has(m));
  const missingMonths = months.filter((m) => !loaded.has(m));
  // the rule is judged over the union of this window and the scope's period, so that both are counted alike
  const [first, last] = [[from, s.from].sort()[0]!, [to, s.to].sort()[1]!];
  const union = monthRange(first, last).filter((m) => loaded.has(m));
  const otherForces = await decideOtherForces(store, s.scope, s.otherForces.rule, s.homeForces, s.forceMonths, union);
  const previous = new Set(s.otherForces.notes);
  const notes = [...s.notes.filter((n) => !previous.has(n)), ...otherForces.notes];
  return { ...s, from, to, months, monthsPresent, missingMonths, gaps: interiorGaps(months, loaded), otherForces, notes };
}

/** The first month the home force(s) have a file for, up to `to`; null when none. */
export async function firstLoadedMonth(_store: Store, s: AnalysisScope, to = s.to): Promise<string | null> {
  return loadedMonths(s.homeForces, s.forceMonths).find((m) => m <= to) ?? null;
}

/** "2024-05..2024-12, 2025-03": runs of consecutive months. */
export function compactMonths(months: readonly string[]): string {
  const runs: string[][] = [];
  for (const m of months) {
    const run = runs.at(-1);
    if (run && monthRange(run.at(-1)!, m).length === 2) run.push(m);
    else runs.push([m]);
  }
  return runs.map((r) => (r.length === 1 ? r[0]! : `${r[0]}..${r.at(-1)}`)).join(", ");
}

/** Roll-up counts of the period as per-type rows (crime type names). */
export async function loadTypeRows(store: Store, s: AnalysisScope): Promise<CrimeTypeMonthRow[]> {
  const rows = await countsByMonthAndType(store, s.scope, { from: s.from, to: s.to, excludeForces: s.otherForces.excludeForces });
  return rows.map((r) => ({ month: r.month, crimeType: crimeTypeName(r.crimeTypeId), count: r.n }));
}

/** Monthly counts of one group over every month of the period: months not imported are `count: null`. */
export function monthlyForGroup(rows: readonly CrimeTypeMonthRow[], s: AnalysisScope, types: readonly string[]): MonthlyCount[] {
  const wanted = new Set(types);
  const present = new Set(s.monthsPresent);
  const sums = new Map<string, number>(s.monthsPresent.map((m) => [m, 0]));
  for (const r of rows) if (wanted.has(r.crimeType) && present.has(r.month)) sums.set(r.month, sums.get(r.month)! + r.count);
  return s.months.map((m) => ({ month: m, count: sums.get(m) ?? null }));
}

export interface AreaPopulation {
  /** Calendar year -> residents, as trendSeries takes it; undefined when none is known. */
  byYear: Record<string, number> | undefined;
  source: string;
}

/**
 * Residents of the area by year: the area's own rows in the population table (LAD, CSP, PFA
 * estimates), else the sum of its LSOAs' Census 2021 populations (wards, custom LSOA lists).
 */
export async function loadAreaPopulation(store: Store, s: Pick<AnalysisScope, "area" | "scope">): Promise<AreaPopulation> {
  if (s.area.code) {
    const rows = await populationOfArea(store, s.area.code);
    if (rows.length) {
      return {
        byYear: Object.fromEntries(rows.map((r) => [String(r.year), r.persons])),
        source: rows.map((r) => `${r.year}: ${r.source}`).join("; "),
      };
    }
  }
  const sum = await sumLsoaPopulation(store, s.scope, 2021);
  if (sum.lsoas > 0 && sum.persons > 0) return { byYear: { "2021": sum.persons }, source: `2021: sum of ${sum.lsoas} LSOAs (Census 2021)` };
  return { byYear: undefined, source: "none: install reference data for rates" };
}

/** The scope as JSON output shows it. */
export function scopeJson(s: AnalysisScope) {
  return {
    area: s.area,
    from: s.from,
    to: s.to,
    months: s.months.length,
    monthsPresent: s.monthsPresent,
    missingMonths: s.missingMonths,
    gaps: s.gaps,
    defaulted: s.defaulted,
    warning: s.warning,
    principalForce: s.principalForce,
    forces: s.forces,
    homeForces: s.homeForces,
    otherForces: otherForcesJson(s.otherForces),
    group: s.group,
  };
}

/** The cross-force rule as results show it (decision 0022). */
export function otherForcesJson(d: CrossForceDecision) {
  return { rule: d.rule, home: d.home, counted: d.counted, leftOut: d.leftOut };
}
