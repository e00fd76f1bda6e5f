import {
  AppError,
  DEFAULT_CRIME_GROUPS,
  isAppError,
  type MonthlyCount,
  type TrendChangeResult,
  type TrendPeriod,
  type TrendSeriesResult,
  requirePeriod,
  trendChange,
  trendSeries,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { areaPopulationNote } from "./population-note.ts";
import {
  type AnalysisQuery,
  type AnalysisScope,
  type AreaPopulation,
  loadAnalysisScope,
  loadAreaPopulation,
  loadTypeRows,
  monthlyForGroup,
} from "./analysis-scope.ts";

export interface TrendsQuery extends AnalysisQuery {
  /** Period of the series and of the change. Default "quarter". */
  period?: string;
  /** Every default crime group (plus the single type `type` names, when it is not a group) instead of only `type`. Default: all groups when no type is given. */
  allGroups?: boolean;
}

export interface GroupTrend {
  group: string;
  types: string[];
  /** Sum over the months present; null when no month is present. */
  total: number | null;
  monthly: MonthlyCount[];
  series: TrendSeriesResult;
  /** null when no month has data (then `message` says so). */
  change: TrendChangeResult | null;
  message: string | null;
}

export interface TrendsResult {
  scope: AnalysisScope;
  population: AreaPopulation;
  groups: GroupTrend[];
  params: { period: TrendPeriod; periodSource: "given" | "default"; groups: string[]; ratePer: 1000 };
  notes: string[];
}

/** Trend series and change for every crime group asked for (or one), from the roll-up. */
export async function assessTrends(store: Store, query: TrendsQuery, loaded?: { scope: AnalysisScope; population: AreaPopulation }): Promise<TrendsResult> {
  const period = requirePeriod(query.period ?? "quarter");
  const scope = loaded?.scope ?? (await loadAnalysisScope(store, query));
  const population = loaded?.population ?? (await loadAreaPopulation(store, scope));
  const rows = await loadTypeRows(store, scope);
  const all = query.allGroups ?? query.type === undefined;
  const defaults = Object.entries(DEFAULT_CRIME_GROUPS).map(([name, types]) => ({ name, types: [...types] }));
  // every group, plus a single police.uk type asked for that is not a group of its own (Shoplifting)
  const groups = all ? (Object.hasOwn(DEFAULT_CRIME_GROUPS, scope.group.name) ? defaults : [...defaults, scope.group]) : [scope.group];
  const popOpt = population.byYear ? { population: population.byYear } : {};
  const out: GroupTrend[] = groups.map((g) => {
    const monthly = monthlyForGroup(rows, scope, g.types);
    const present = monthly.filter((m) => m.count !== null);
    const total = present.length ? present.reduce((s, m) => s + m.count!, 0) : null;
    const series = trendSeries(monthly, { period, ...popOpt });
    let change: TrendChangeResult | null = null;
    let message: string | null = null;
    try {
      change = trendChange(monthly, { period, ...popOpt });
    } catch (e) {
      if (!isAppError(e) || e.code !== "data.missing") throw e;
      message = e.message;
    }
    return { group: g.name, types: g.types, total, monthly, series, change, message };
  });
  const notes = [...scope.notes];
  if (!population.byYear) notes.push("no population for the area: rates per 1,000 are not given");
  else notes.push(areaPopulationNote(scope, population));
  if (scope.monthsPresent.length === 0) notes.push(`no month of ${scope.from}..${scope.to} has police data for the area`);
  return {
    scope,
    population,
    groups: out,
    params: { period, periodSource: query.period ? "given" : "default", groups: groups.map((g) => g.name), ratePer: 1000 },
    notes,
  };
}

/** A group's monthly counts (for seasonality and the narrative), or an error when the group is unknown. */
export function groupTrend(result: TrendsResult, group: string): GroupTrend {
  const g = result.groups.find((x) => x.group === group);
  if (!g) throw new AppError("input.invalid", `no trend for group \`${group}\``);
  return g;
}
