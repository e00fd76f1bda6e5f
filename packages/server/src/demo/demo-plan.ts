import type { Store } from "../db/database.ts";
import type { Actor } from "../services/audit.ts";
import type { DemoCity } from "./demo-city.ts";

export interface DemoPlanReport {
  planId: number | null;
}

/** The demo partnership plan (added when the plan services are in place). */
export async function loadDemoPlan(_store: Store, _city: DemoCity, _opts: { actor: Actor; now: () => Date }): Promise<DemoPlanReport> {
  return { planId: null };
}
