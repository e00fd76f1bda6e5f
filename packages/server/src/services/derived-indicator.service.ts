import {
  AppError,
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
import { type AnalysisScope, compactMonths, loadAnalysisScope, loadAreaPopulation, loadTypeRows, monthlyForGroup } from "./analysis-scope.ts";
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
export async function derivedSeries(store: Store, indicator: Indicator, areaCode?: string): Promise<DerivedSeries> {
  const spec = indicator.derived;
  if (!spec) throw new AppError("input.invalid", `indicator ${indicator.key} is imported, not derived from the police data`);
  let scope: AnalysisScope;
  try {
    scope = await loadAnalysisScope(store, { area: areaCode ?? spec.areaCode, type: spec.crime });
  } catch (e) {
    if (isAppError(e) && e.code === "data.missing") {
      return { area: { code: areaCode ?? spec.areaCode, name: areaCode ?? spec.areaCode, level: "" }, values: [], leftOut: [], notes: [e.message] };
    }
    throw e;
  }
  const area = { code: scope.area.code, name: scope.area.name, level: scope.area.level };
  const notes = [...scope.notes];
  const { complete, leftOut } = completePeriods(indicator, scope);
  const rows = await loadTypeRows(store, scope);
  const monthly = monthlyForGroup(rows, scope, scope.group.types);
  const countOf = (period: string) => {
    const { from, to } = periodMonths(period);
    return monthly.filter((m) => m.month >= from && m.month <= to).reduce((s, m) => s + (m.count ?? 0), 0);
  };

  const values: IndicatorValue[] = [];
  if (spec.measure === "count") {
    for (const p of complete) values.push({ period: p, value: countOf(p) });
  } else if (spec.measure === "rate_per_1000") {
    const population = await loadAreaPopulation(store, scope);
    if (!population.byYear) notes.push(`no population for ${area.name}: rates need reference data (\`safecity reference install\`)`);
    else {
      notes.push(`population: ${population.source} (the year nearest each period's first month)`);
      for (const p of complete) {
        const persons = populationFor(population.byYear, monthIndex(periodMonths(p).from)).value!;
        values.push({ period: p, value: (countOf(p) / persons) * 1000 });
      }
    }
  } else {
    for (const p of complete) {
      const { from, to } = periodMonths(p);
      const peers = await assessPeers(store, { area: areaCode ?? spec.areaCode, type: spec.crime, from, to, allGroups: false }, undefined);
      const side = peers.groups[0]?.policeUk;
      if (side?.status === "ok" && side.result) values.push({ period: p, value: side.result.target.rank });
      else leftOut.push({ period: p, reason: `no rank: ${side?.message ?? "no peer comparison"}` });
    }
    notes.push("rank in the most similar group by rate per 1,000 (1 = lowest rate)");
  }
  if (leftOut.length) notes.push(`${leftOut.length} period(s) left out (incomplete data, never counted as zero): ${leftOut.map((l) => l.period).join(", ")}`);
  return { area, values, leftOut, notes };
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
