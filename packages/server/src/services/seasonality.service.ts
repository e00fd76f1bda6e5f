import { type MonthlyCount, type SeasonalMethod, type SeasonalProfileResult, seasonalProfile } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type AnalysisQuery, type AnalysisScope, firstLoadedMonth, loadAnalysisScope, loadTypeRows, monthlyForGroup, rewindowScope } from "./analysis-scope.ts";

export interface SeasonalityResult {
  scope: AnalysisScope;
  group: string;
  /** "ok", or "insufficient" when fewer months are present than the profile needs (message says so). */
  status: "ok" | "insufficient";
  message: string | null;
  monthly: MonthlyCount[];
  profile: SeasonalProfileResult;
  notes: string[];
}

/**
 * Seasonal profile of one crime group (default All crime) over the period's months present. With
 * no months chosen (the default period is only the latest 12), the profile reads every month
 * loaded up to the period's end, since it needs 24 months or more; a note says so.
 */
export async function assessSeasonality(store: Store, query: AnalysisQuery & { method?: SeasonalMethod }, loaded?: { scope: AnalysisScope }): Promise<SeasonalityResult> {
  const period = loaded?.scope ?? (await loadAnalysisScope(store, query));
  const first = period.defaulted ? await firstLoadedMonth(store, period) : null;
  const scope = first && first < period.from ? await rewindowScope(store, period, first) : period;
  const history = scope === period ? [] : [`the seasonal profile reads every month loaded, ${scope.from} to ${scope.to}, as it needs 24 months or more`];
  const rows = await loadTypeRows(store, scope);
  const monthly = monthlyForGroup(rows, scope, scope.group.types);
  const profile = seasonalProfile(monthly, { subject: scope.group.name.toLowerCase(), ...(query.method ? { method: query.method } : {}) });
  return {
    scope,
    group: scope.group.name,
    status: profile.sufficient ? "ok" : "insufficient",
    message: profile.message,
    monthly,
    profile,
    notes: [...scope.notes, ...history, ...profile.notes],
  };
}
