import {
  type ActionProgress,
  AppError,
  type ConsultationResponse,
  type DelegatedAmendment,
  type Delegation,
  type ImpactAssessment,
  type KeyAction,
  type PartnerOrganisation,
  type Plan,
  type PlanGovernance,
  type Priority,
  type ProblemLine,
  type Target,
  type TargetPerformance,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { findAreaByCode } from "../db/repositories/area.repository.ts";
import {
  listActions,
  listLinks,
  listPartners,
  listPriorities,
  listProgressOfPlan,
  listTargets,
  type StoredLink,
} from "../db/repositories/plan-content.repository.ts";
import { findGovernance, listAmendments, listResponses } from "../db/repositories/plan-governance.repository.ts";
import { findPlan, insertPlan, listPlans as listPlanRows } from "../db/repositories/plan.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { auditPlan, mustFindPlan, type PlanActor, requirePlanManager } from "./plan-access.ts";
import { isMonth, problem, throwIfProblems } from "./plan-input.ts";

/**
 * Partnership Plans: create, list, read one with everything on it.
 *
 *   createPlan(store, actor, input: NewPlanInput, now)  -> Plan      (analysts and admins; audits `plan.create`)
 *   listPlans(store)                                    -> Plan[]    (newest period first)
 *   getPlan(store, planId)                              -> Plan      (plan.not_found)
 *   planDetail(store, planId, opts?)                    -> PlanDetail (plan, governance record, priorities,
 *       actions with their progress, targets with their measured performance when given
 *       `opts.performance`, links, partners, consultation responses, delegated amendments)
 *
 * Content changes (priorities, actions, progress, targets, links, partners, the plan's fields) are
 * in plan-content.service.ts and re-exported here; governance steps, new-year and the audit
 * timelines in plan-governance.service.ts. Every reader may read; see plan-access.ts for who may change.
 */
export {
  addAction,
  addLink,
  addPriority,
  addProgress,
  addTarget,
  type ChangeOptions,
  removeAction,
  removeLink,
  removePartner,
  removePriority,
  removeTarget,
  setPartner,
  updateAction,
  updateLink,
  updatePlanDetails,
  updatePriority,
  updateTarget,
} from "./plan-content.service.ts";
export type { PlanActor } from "./plan-access.ts";
export { cliPlanActor } from "./plan-access.ts";

/** The statutory basis written when none is given: the CSP's duty to have a strategy. */
export const DEFAULT_STATUTORY_BASIS =
  "Crime and Disorder Act 1998, sections 5-7, and the Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007";

export interface NewPlanInput {
  title: string;
  /** ONS code of the partnership's area. */
  areaCode: string;
  /** Defaults to the area's name when the area is known, else its code. */
  partnershipName?: string;
  /** First and last month, YYYY-MM. */
  periodFrom: string;
  periodTo: string;
  assessmentRef?: string | null;
  statutoryBasis?: string;
  keyDecision?: boolean;
  forwardPlanNoticeDate?: string | null;
  impactAssessment?: ImpactAssessment | null;
  delegation?: Delegation | null;
  consultees?: string[];
  demo?: boolean;
}

export type ActionWithProgress = KeyAction & { progress: ActionProgress[] };
/** A target with its measured position (null when performance was not asked for or cannot be measured). */
export type TargetWithPerformance = Target & { performance: TargetPerformance | null };

export interface PlanDetail {
  plan: Plan;
  governance: PlanGovernance;
  priorities: Priority[];
  actions: ActionWithProgress[];
  targets: TargetWithPerformance[];
  links: StoredLink[];
  partners: PartnerOrganisation[];
  responses: ConsultationResponse[];
  amendments: DelegatedAmendment[];
}

/** Measures a plan's targets (performance.service.ts `performanceForPlan`); passed in to keep this file free of it. */
export type MeasureTargets = (store: Store, planId: number) => Promise<Map<number, TargetPerformance>>;

export async function createPlan(store: Store, actor: PlanActor, input: NewPlanInput, now: Date): Promise<Plan> {
  requirePlanManager(actor, "create a plan");
  const problems: ProblemLine[] = [];
  const title = input.title?.trim() ?? "";
  const areaCode = input.areaCode?.trim() ?? "";
  if (!title) problems.push(problem("plan", "title", "Enter the plan's title, e.g. `Community Safety Partnership Plan 2025-2028`"));
  if (!areaCode) problems.push(problem("plan", "areaCode", "Enter the ONS code of the partnership's area, e.g. `E22000001`"));
  if (!isMonth(input.periodFrom)) problems.push(problem("plan", "periodFrom", `First month must be YYYY-MM; got \`${input.periodFrom}\``));
  if (!isMonth(input.periodTo)) problems.push(problem("plan", "periodTo", `Last month must be YYYY-MM; got \`${input.periodTo}\``));
  if (isMonth(input.periodFrom) && isMonth(input.periodTo) && input.periodTo < input.periodFrom)
    problems.push(problem("plan", "periodTo", `Last month ${input.periodTo} is before the first month ${input.periodFrom}`));
  throwIfProblems(problems, "plan");
  return inTransaction(store, async (tx) => {
    const partnershipName = input.partnershipName?.trim() || (await findAreaByCode(tx, areaCode))?.name || areaCode;
    const id = await insertPlan(tx, {
      title,
      areaCode,
      partnershipName,
      periodFrom: input.periodFrom,
      periodTo: input.periodTo,
      assessmentRef: input.assessmentRef ?? null,
      statutoryBasis: input.statutoryBasis?.trim() || DEFAULT_STATUTORY_BASIS,
      keyDecision: input.keyDecision ?? false,
      forwardPlanNoticeDate: input.forwardPlanNoticeDate ?? null,
      impactAssessment: input.impactAssessment ?? null,
      delegation: input.delegation ?? null,
      consultees: input.consultees ?? [],
      demo: input.demo ?? false,
      createdAt: now.toISOString(),
    });
    const plan = await mustFindPlan(tx, id);
    await auditPlan(tx, actor, now, id, "plan.create", `plan:${id}`, { after: plan });
    return plan;
  });
}

export function listPlans(store: Store): Promise<Plan[]> {
  return listPlanRows(store);
}

export async function getPlan(store: Store, planId: number): Promise<Plan> {
  return mustFindPlan(store, planId);
}

/** Everything on a plan; `opts.measure` adds each target's performance. */
export async function planDetail(store: Store, planId: number, opts: { measure?: MeasureTargets } = {}): Promise<PlanDetail> {
  const plan = await findPlan(store, planId);
  if (!plan) throw new AppError("plan.not_found", `No plan with id ${planId}`, { hint: "list plans with `safecity plan list`" });
  const [governance, priorities, actions, progress, targets, links, partners, responses, amendments] = await Promise.all([
    findGovernance(store, planId),
    listPriorities(store, planId),
    listActions(store, planId),
    listProgressOfPlan(store, planId),
    listTargets(store, planId),
    listLinks(store, planId),
    listPartners(store, planId),
    listResponses(store, planId),
    listAmendments(store, planId),
  ]);
  const performance = opts.measure && targets.length > 0 ? await opts.measure(store, planId) : new Map<number, TargetPerformance>();
  return {
    plan,
    governance: governance!,
    priorities,
    actions: actions.map((a) => ({ ...a, progress: progress.filter((p) => p.actionId === a.id) })),
    targets: targets.map((t) => ({ ...t, performance: performance.get(t.id) ?? null })),
    links,
    partners,
    responses,
    amendments,
  };
}
