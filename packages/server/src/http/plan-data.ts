import { AppError, type KeyAction, type Plan, type TransitionRequest } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { publicResponseCounts } from "../services/consultation.service.ts";
import { listIndicators } from "../services/indicator.service.ts";
import { performanceForPlan } from "../services/performance.service.ts";
import { recordConsultationResponse, setConsultees, startNextVersion, transition } from "../services/plan-governance.service.ts";
import { createPlan, listPlans, planDetail } from "../services/plan.service.ts";
import type { AppContext } from "./env.ts";
import type { PlanPageData } from "./plan-page.tsx";
import { listField, planActor } from "./plan-route-kit.ts";

/**
 * The plan pages' calls into the plan services, shaped for the pages: one place that knows which
 * service gives what, so the route modules stay a few lines each.
 */

/** Everything the plan page shows: the plan's detail with each target measured and named by its indicator. */
export async function loadPlanPage(c: AppContext, planId: number): Promise<PlanPageData> {
  const store = c.var.deps.store;
  const [d, indicators, publicResponses] = await Promise.all([
    planDetail(store, planId, { measure: performanceForPlan }),
    listIndicators(store),
    publicResponseCounts(store, planId),
  ]);
  return {
    plan: d.plan,
    governance: d.governance,
    priorities: d.priorities,
    actions: d.actions.map(({ progress, ...action }) => ({ action, latest: progress.at(-1) ?? null })),
    targets: d.targets.map(({ performance, ...target }) => ({ target, indicator: indicators.find((i) => i.id === target.indicatorId) ?? null, performance })),
    links: d.links,
    partners: d.partners,
    responses: d.responses,
    amendments: d.amendments,
    publicResponses,
  };
}

/** The plan and its actions (for the grants page's action names and allocation form). */
export async function planSummary(store: Store, planId: number): Promise<{ plan: Plan; actions: { id: number; title: string }[] }> {
  const d = await planDetail(store, planId);
  return { plan: d.plan, actions: d.actions.map((a) => ({ id: a.id, title: a.title })) };
}

/** One key action of the plan, or a refusal naming both ids. */
export async function planAction(store: Store, planId: number, actionId: number): Promise<KeyAction> {
  const action = (await planDetail(store, planId)).actions.find((a) => a.id === actionId);
  if (!action) throw new AppError("plan.not_found", `Plan ${planId} has no key action with id ${actionId}.`, { hint: "open the plan and use the action's own form" });
  return action;
}

export function planList(c: AppContext): Promise<Plan[]> {
  return listPlans(c.var.deps.store);
}

/** The new-plan form's fields to `createPlan`. */
export function startPlan(c: AppContext, v: Record<string, string>): Promise<Plan> {
  return createPlan(
    c.var.deps.store,
    planActor(c),
    {
      title: v.title ?? "",
      areaCode: v.areaCode ?? "",
      periodFrom: v.periodFrom ?? "",
      periodTo: v.periodTo ?? "",
      ...(v.partnershipName ? { partnershipName: v.partnershipName } : {}),
      ...(v.statutoryBasis ? { statutoryBasis: v.statutoryBasis } : {}),
      ...(v.assessmentRef ? { assessmentRef: v.assessmentRef } : {}),
    },
    c.var.deps.now(),
  );
}

/** The transition form's fields as core's `TransitionRequest` (core refuses what is missing, with the reason). */
export function transitionRequest(v: Record<string, string>): TransitionRequest {
  const date = v.date ?? "";
  switch (v.to) {
    case "consultation":
      return { to: "consultation", date, consultees: listField(v, "consultees") };
    case "recommended": {
      const given = v.delegationPost || v.delegateEmail || v.afterConsulting;
      return {
        to: "recommended",
        date,
        resolution: v.resolution ?? "",
        ...(given ? { delegation: { post: v.delegationPost ?? "", delegateEmail: v.delegateEmail ?? "", afterConsulting: v.afterConsulting ?? "" } } : {}),
      };
    }
    case "approved":
      return { to: "approved", date, resolution: v.resolution ?? "" };
    case "draft":
      return { to: "draft", date, note: v.note ?? "" };
    default:
      return { to: v.to as "published", date };
  }
}

/** Records a governance step named by the transition form, at the plan version the form was opened on. */
export function planTransition(c: AppContext, planId: number, rowVersion: number, v: Record<string, string>): Promise<Plan> {
  return transition(c.var.deps.store, planActor(c), planId, transitionRequest(v), c.var.deps.now(), { rowVersion });
}

export function planResponse(c: AppContext, planId: number, v: Record<string, string>) {
  return recordConsultationResponse(c.var.deps.store, planActor(c), planId, { consultee: v.consultee ?? "", date: v.date ?? "", summary: v.summary ?? "" }, c.var.deps.now());
}

/** Names the consultees when the list changed (they are named while the plan is in draft or consultation). */
export async function planConsultees(c: AppContext, planId: number, consultees: string[]): Promise<void> {
  const store = c.var.deps.store;
  const { governance } = await planDetail(store, planId);
  if (JSON.stringify(governance.consultees) === JSON.stringify(consultees)) return;
  await setConsultees(store, planActor(c), planId, consultees, c.var.deps.now());
}

export function planNextVersion(c: AppContext, planId: number): Promise<Plan> {
  return startNextVersion(c.var.deps.store, planActor(c), planId, c.var.deps.now());
}
