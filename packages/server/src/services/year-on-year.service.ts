import { DEFAULT_CRIME_GROUPS, type YearOnYearResult, addMonths, yearOnYear } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type AnalysisScope, loadTypeRows, monthlyForGroup, rewindowScope } from "./analysis-scope.ts";

export interface GroupYearOnYear {
  group: string;
  result: YearOnYearResult;
}

/**
 * Year on year for each crime group (default: every default group): the 12 months ending at the
 * period's last month against the 12 before, from the roll-up over those 24 months (they may start
 * before the period chosen). Months the principal force has no file for are unknown, never zero;
 * core yearOnYear compares only months with data in both years.
 */
export async function yearOnYearByGroup(store: Store, scope: AnalysisScope, groups?: readonly { name: string; types: readonly string[] }[]): Promise<GroupYearOnYear[]> {
  const wide = await rewindowScope(store, scope, addMonths(scope.to, -23));
  const rows = await loadTypeRows(store, wide);
  const defaults = Object.entries(DEFAULT_CRIME_GROUPS).map(([name, types]) => ({ name, types }));
  // every group, plus a single police.uk type chosen that is not a group of its own (Shoplifting)
  const wanted = groups ?? (Object.hasOwn(DEFAULT_CRIME_GROUPS, scope.group.name) ? defaults : [...defaults, scope.group]);
  return wanted.map((g) => ({ group: g.name, result: yearOnYear(monthlyForGroup(rows, wide, g.types), scope.to) }));
}
