import type { Store } from "../db/database.ts";
import { findAreaByCode, findKnownLsoaCodes } from "../db/repositories/area.repository.ts";
import { indicatorsByIds } from "../db/repositories/plan-indicator.repository.ts";
import { wardsOfLsoas } from "../db/repositories/ward.repository.ts";
import { buildDecisionReport, type DecisionReport, type DecisionReportOptions } from "../publish/decision-report.ts";
import { grantsOfPlan } from "./grant.service.ts";
import { performanceForPlan } from "./performance.service.ts";
import { planDetail } from "./plan.service.ts";

/**
 * The committee decision report of a plan (publish/decision-report.ts): its detail with measured
 * targets, its grants, and the wards of the LSOAs its priorities target (a priority on a whole
 * area, such as the city, makes "All" wards affected). plan.not_found when there is no such plan.
 */
export async function decisionReportOfPlan(store: Store, planId: number, options: DecisionReportOptions = {}): Promise<DecisionReport> {
  const detail = await planDetail(store, planId, { measure: performanceForPlan });
  const grants = await grantsOfPlan(store, planId);
  const codes = [...new Set(detail.priorities.flatMap((p) => p.areaCodes))];
  const lsoas = new Set(await findKnownLsoaCodes(store, codes));
  const wholeAreas: string[] = [];
  for (const code of codes.filter((c) => !lsoas.has(c))) wholeAreas.push((await findAreaByCode(store, code))?.name ?? code);
  const wards = await wardsOfLsoas(store, [...lsoas]);
  const indicators = await indicatorsByIds(
    store,
    detail.targets.map((t) => t.indicatorId),
  );
  const indicatorNames = new Map([...indicators].map(([id, i]) => [id, i.name]));
  return buildDecisionReport({ detail, grants, wards, wholeAreas, indicatorNames, options });
}
