import { addMonths, DEFAULT_CRIME_GROUPS, type PeriodComparisons, periodComparisons, type YearOnYearResult, yearOnYear } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type AnalysisScope, loadTypeRows, monthlyForGroup, rewindowScope } from "./analysis-scope.ts";

/** Years of history the comparisons reach back (5 listed, plus the year before the first for its change). */
export const HISTORY_YEARS = 5;

export interface GroupComparisons extends PeriodComparisons {
  group: string;
  yearOnYear: YearOnYearResult;
}

/**
 * Every comparison assessments use for each crime group (the default groups, plus a single police.uk
 * type chosen that is not a group), ending at the period's last month: year on year, the same
 * quarter last year, rolling 12 months, and 5 financial and calendar years. Read from the roll-up
 * over the 6 years to the period's end, so they reach before the period chosen; months the principal
 * force has no file for are unknown, never zero (core periodComparisons, yearOnYear).
 */
export async function comparisonsByGroup(store: Store, scope: AnalysisScope): Promise<GroupComparisons[]> {
  const wide = await rewindowScope(store, scope, addMonths(scope.to, -(12 * (HISTORY_YEARS + 1) - 1)));
  const rows = await loadTypeRows(store, wide);
  const defaults = Object.entries(DEFAULT_CRIME_GROUPS).map(([name, types]) => ({ name, types }));
  const wanted = Object.hasOwn(DEFAULT_CRIME_GROUPS, scope.group.name) ? defaults : [...defaults, scope.group];
  return wanted.map((g) => {
    const monthly = monthlyForGroup(rows, wide, g.types);
    return { group: g.name, yearOnYear: yearOnYear(monthly, scope.to), ...periodComparisons(monthly, scope.to, HISTORY_YEARS) };
  });
}
