import { AppError, type GovernanceSnapshot, type Plan, type Role } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { listAudit } from "../db/repositories/audit.repository.ts";
import { findGovernance, listResponses } from "../db/repositories/plan-governance.repository.ts";
import { listPriorities } from "../db/repositories/plan-content.repository.ts";
import { findPlan } from "../db/repositories/plan.repository.ts";
import { type Actor, audit } from "./audit.ts";

/*
 * Who may do what to a plan (docs/decisions/0005-partnership-plan.md, Roles), the plan's audit
 * rows and the conflict message. Shared by plan.service.ts, plan-content.service.ts and
 * plan-governance.service.ts.
 */

/** Someone acting on a plan: the audit label and address, plus what access checks need. */
export interface PlanActor extends Actor {
  /** The account's email (lower-cased); for the CLI `cli:<os user>`. */
  email: string;
  role: Role;
  organisationId: number | null;
}

/** The CLI acts as an administrator named after the OS user. */
export function cliPlanActor(osUser: string): PlanActor {
  const label = `cli:${osUser}`;
  return { label, ip: null, email: label, role: "admin", organisationId: null };
}

export function isPlanManager(actor: PlanActor): boolean {
  return actor.role === "admin" || actor.role === "analyst";
}

/** Analysts and admins edit plans and record governance steps. */
export function requirePlanManager(actor: PlanActor, what: string): void {
  if (!isPlanManager(actor))
    throw new AppError("plan.forbidden", `Only analysts and administrators may ${what}; you are signed in as ${actor.email} (${actor.role}).`, {
      hint: "ask an analyst or administrator to make the change, or to change your role",
    });
}

/** Editors change their own organisation's actions (status, milestones, progress); analysts and admins any. */
export function requireActionMonitor(actor: PlanActor, action: { id: number; ownerOrganisationId: number; ownerOrganisationName: string }): void {
  if (isPlanManager(actor)) return;
  if (actor.role === "editor" && actor.organisationId !== null && actor.organisationId === action.ownerOrganisationId) return;
  const why =
    actor.role === "editor"
      ? `action ${action.id} is owned by ${action.ownerOrganisationName}, and editors update only their own organisation's actions`
      : `${actor.role}s can read the plan but not change it`;
  throw new AppError("plan.forbidden", `You (${actor.email}) may not update action ${action.id}: ${why}.`, {
    hint: "ask someone in the owning organisation, an analyst or an administrator",
  });
}

export async function mustFindPlan(store: Store, planId: number): Promise<Plan> {
  const plan = await findPlan(store, planId);
  if (!plan) throw new AppError("plan.not_found", `No plan with id ${planId}`, { hint: "list plans with `safecity plan list`" });
  return plan;
}

/** What the governance rules in core need to know about the plan. */
export async function governanceSnapshot(store: Store, plan: Plan): Promise<GovernanceSnapshot> {
  const [governance, priorities, responses] = await Promise.all([
    findGovernance(store, plan.id),
    listPriorities(store, plan.id),
    listResponses(store, plan.id),
  ]);
  return {
    state: plan.state,
    priorityCount: priorities.length,
    consultees: governance?.consultees ?? [],
    responseCount: responses.length,
    keyDecision: plan.keyDecision,
    forwardPlanNoticeDate: plan.forwardPlanNoticeDate,
    impactAssessment: plan.impactAssessment,
    delegation: plan.delegation,
    cabinetDate: governance?.cabinetDate ?? null,
    councilDate: governance?.councilDate ?? null,
    publishedDate: governance?.publishedDate ?? null,
  };
}

/** Writes the audit row of a change to plan `planId` (call inside the change's transaction). */
export function auditPlan(
  store: Store,
  actor: PlanActor,
  now: Date,
  planId: number,
  action: string,
  target: string,
  change: { before?: unknown; after?: unknown } = {},
): Promise<void> {
  return audit(store, actor, now, action, target, change, planId);
}

/**
 * The refusal when a save names a version someone else has replaced: who changed it and when
 * (from the audit log), and what to do.
 */
export async function conflictError(store: Store, what: string, target: string, readVersion: number, currentVersion: number | null): Promise<AppError> {
  if (currentVersion === null) return new AppError("plan.not_found", `${what} no longer exists: someone deleted it since you opened it.`, { hint: "reload the plan" });
  const [last] = await listAudit(store, { target, limit: 1 });
  const by = last ? `by ${last.actor} at ${last.at}` : "by someone else";
  return new AppError(
    "plan.conflict",
    `${what} was changed ${by} since you opened it (you read version ${readVersion}, it is now version ${currentVersion}); reload it and apply your change again.`,
  );
}
