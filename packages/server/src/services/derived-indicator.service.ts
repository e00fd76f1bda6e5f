import {
  AppError,
  type CrimeTypeMonthRow,
  formatCount,
  type Indicator,
  type IndicatorValue,
  isAppError,
  monthIndex,
  monthRange,
  periodMonths,
  periodOfMonth,
  populationFor,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import {
  type AnalysisScope,
  type AreaPopulation,
  compactMonths,
  loadAnalysisScope,
  loadAreaPopulation,
  loadTypeRows,
  monthlyForGroup,
  resolveGroup,
} from "./analysis-scope.ts";
import { assessPeers } from "./peers.service.ts";

/** A period left out of a derived series, and why. */
export interface LeftOutPeriod {
  period: string;
  reason: string;
}

export interface DerivedSeries {
  area: { code: string | null; name: string; level: string };
  /** Complete periods only, oldest first. */
  values: IndicatorValue[];
  /** Periods with a month of no police data, or only partly inside the data loaded: unknown, not zero. */
  leftOut: LeftOutPeriod[];
  notes: string[];
}

/**
 * The series of a derived indicator, computed from the roll-up at read time (so always as current
 * as the data): the crime type or group's count in the area per period of the indicator's type,
 * its rate per 1,000 residents, or the area's rank in its most similar group (1 = lowest rate).
 * Only complete periods are given: a period with a month that has no file from the area's
 * principal force is left out and listed, never counted as zero. `areaCode` defaults to the
 * indicator's own area.
 */
export async function derivedSeries(store: Store, indicator: Indicator, areaCode?: string, cache: DerivedSeriesCache = new Map()): Promise<DerivedSeries> {
  const spec = indicator.derived;
  if (!spec) throw new AppError("input.invalid", `indicator ${indicator.key} is imported, not derived from the police data`);
  const areaQuery = areaCode ?? spec.areaCode;
  const types = resolveGroup(spec.crime).types;
  let loaded = cache.get(areaQuery);
  if (!loaded) {
    loaded = loadAreaData(store, areaQuery);
    cache.set(areaQuery, loaded);
  }
  const data = await loaded;
  if (data instanceof AppError) return { area: { code: areaQuery, name: areaQuery, level: "" }, values: [], leftOut: [], notes: [data.message] };
  const { scope, rows } = data;
  const area = { code: scope.area.code, name: scope.area.name, level: scope.area.level };
  const notes = [...scope.notes];
  const { complete, leftOut } = completePeriods(indicator, scope);
  const monthly = monthlyForGroup(rows, scope, types);
  const countOf = (period: string) => {
    const { from, to } = periodMonths(period);
    return monthly.filter((m) => m.month >= from && m.month <= to).reduce((s, m) => s + (m.count ?? 0), 0);
  };

  const values: IndicatorValue[] = [];
  if (spec.measure === "count") {
    for (const p of complete) values.push({ period: p, value: countOf(p) });
  } else if (spec.measure === "rate_per_1000") {
    data.population ??= loadAreaPopulation(store, scope);
    const population = await data.population;
    if (!population.byYear) notes.push(`no population for ${area.name}: rates need reference data (\`safecity reference install\`)`);
    else {
      notes.push(`population: ${population.source} (the year nearest each period's first month)`);
      const stand = new Map<string, { persons: number; periods: string[]; missing: Set<string> }>();
      for (const p of complete) {
        const from = periodMonths(p).from;
        const used = populationFor(population.byYear, monthIndex(from));
        const persons = used.value!;
        values.push({ period: p, value: (countOf(p) / persons) * 1000 });
        if (used.year !== null && used.year !== from.slice(0, 4)) {
          const s = stand.get(used.year) ?? { persons, periods: [], missing: new Set<string>() };
          s.periods.push(p);
          s.missing.add(from.slice(0, 4));
          stand.set(used.year, s);
        }
      }
      for (const [year, s] of stand) notes.push(populationStandInNote(year, s.persons, s.periods, [...s.missing]));
    }
  } else {
    // The group is computed once (from the open indicators, which do not change by period) and given to the later periods.
    let group: string[] | undefined;
    for (const p of complete) {
      const { from, to } = periodMonths(p);
      const peers = await assessPeers(store, { area: areaQuery, type: spec.crime, from, to, allGroups: false, peers: group }, undefined);
      group ??= peers.members.filter((m) => m.rank > 0).map((m) => m.code);
      const side = peers.groups[0]?.policeUk;
      if (side?.status === "ok" && side.result) values.push({ period: p, value: side.result.target.rank });
      else leftOut.push({ period: p, reason: `no rank: ${side?.message ?? "no peer comparison"}` });
    }
    notes.push(`rank in the most similar group by rate per 1,000 (1 = lowest rate)${group ? `; group: ${area.code}, ${group.join(", ")}` : ""}`);
  }
  if (leftOut.length) notes.push(`${leftOut.length} period(s) left out (incomplete data, never counted as zero): ${leftOut.map((l) => l.period).join(", ")}`);
  return { area, values, leftOut, notes };
}

/** "rates for 2024-01 to 2025-06 (17 periods) use the 2021 population (4,000 residents), the nearest year loaded: there is none for 2024 or 2025". */
function populationStandInNote(year: string, persons: number, periods: string[], missing: string[]): string {
  const span = periods.length === 1 ? periods[0] : `${periods[0]} to ${periods[periods.length - 1]} (${periods.length} periods)`;
  const none = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} or ${missing[missing.length - 1]}`;
  return `rates for ${span} use the ${year} population (${formatCount(persons)} residents), the nearest year loaded: there is none for ${none}`;
}

interface AreaData {
  scope: AnalysisScope;
  /** Roll-up counts of every crime type over the months loaded. */
  rows: CrimeTypeMonthRow[];
  population?: Promise<AreaPopulation>;
}

/**
 * Area data shared by the derived series of one read (a performance report measures many
 * indicators on one area: its scope and roll-up rows are loaded once), by area as given.
 */
export type DerivedSeriesCache = Map<string, Promise<AreaData | AppError>>;

/**
 * The area's scope over every month loaded and its roll-up rows; the AppError when no police data
 * covers it, or the area is no longer known (its data or reference rows were removed since the
 * indicator was defined): the target then reads "no value" with this reason instead of failing
 * the whole report.
 */
async function loadAreaData(store: Store, area: string): Promise<AreaData | AppError> {
  try {
    // every month loaded: with `to` given the first month is the first loaded (with neither, the
    // default period would be only the latest 12 months without a gap)
    const latest = await loadAnalysisScope(store, { area });
    const scope = await loadAnalysisScope(store, { area, to: latest.to });
    return { scope, rows: await loadTypeRows(store, scope) };
  } catch (e) {
    if (isAppError(e) && (e.code === "data.missing" || e.code === "area.not_found")) return e;
    throw e;
  }
}

/** Periods of the indicator's type wholly inside the loaded months and with every month present. */
function completePeriods(indicator: Indicator, scope: AnalysisScope): { complete: string[]; leftOut: LeftOutPeriod[] } {
  const present = new Set(scope.monthsPresent);
  const complete: string[] = [];
  const leftOut: LeftOutPeriod[] = [];
  const periods = [...new Set(scope.months.map((m) => periodOfMonth(indicator.periodType, m)))];
  for (const p of periods) {
    const { from, to } = periodMonths(p);
    const months = monthRange(from, to);
    const outside = months.filter((m) => m < scope.from || m > scope.to);
    const missing = months.filter((m) => m >= scope.from && m <= scope.to && !present.has(m));
    if (outside.length) leftOut.push({ period: p, reason: `only partly inside the data loaded (${scope.from} to ${scope.to})` });
    else if (missing.length) leftOut.push({ period: p, reason: `no ${scope.principalForce ?? "police"} file for ${compactMonths(missing)}` });
    else complete.push(p);
  }
  return { complete, leftOut };
}
