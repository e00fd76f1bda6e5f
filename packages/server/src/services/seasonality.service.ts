import { type MonthlyCount, type SeasonalProfileResult, seasonalProfile } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type AnalysisQuery, type AnalysisScope, loadAnalysisScope, loadTypeRows, monthlyForGroup } from "./analysis-scope.ts";

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

/** Seasonal profile of one crime group (default All crime) over the period's months present. */
export async function assessSeasonality(store: Store, query: AnalysisQuery, loaded?: { scope: AnalysisScope }): Promise<SeasonalityResult> {
  const scope = loaded?.scope ?? (await loadAnalysisScope(store, query));
  const rows = await loadTypeRows(store, scope);
  const monthly = monthlyForGroup(rows, scope, scope.group.types);
  const profile = seasonalProfile(monthly, { subject: scope.group.name.toLowerCase() });
  return {
    scope,
    group: scope.group.name,
    status: profile.sufficient ? "ok" : "insufficient",
    message: profile.message,
    monthly,
    profile,
    notes: [...scope.notes, ...profile.notes],
  };
}
