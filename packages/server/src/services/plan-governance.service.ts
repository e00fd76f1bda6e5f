import {
  AppError,
  canStartNextVersion,
  canSupersede,
  type ConsultationResponse,
  governanceTransition,
  isIsoDate,
  type Plan,
  type ProblemLine,
  type TransitionRequest,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type AuditEntry, listAudit } from "../db/repositories/audit.repository.ts";
import {
  insertAction,
  insertLink,
  insertPriority,
  insertTarget,
  listActions,
  listLinks,
  listPartners,
  listPriorities,
  listTargets,
  upsertPartner,
} from "../db/repositories/plan-content.repository.ts";
import { findGovernance, type GovernanceChange, insertResponse, updateGovernance } from "../db/repositories/plan-governance.repository.ts";
import { findNextVersion, findPlan, insertPlan, updatePlan } from "../db/repositories/plan.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { auditPlan, conflictError, governanceSnapshot, mustFindPlan, type PlanActor, requirePlanManager } from "./plan-access.ts";
import { problem, throwIfProblems } from "./plan-input.ts";

/**
 * The plan's governance cycle (docs/decisions/0005-partnership-plan.md), decided by core's
 * `governanceTransition` and recorded here with its audit row in one transaction.
 *
 *   transition(store, actor, planId, request: TransitionRequest, now, opts?: { rowVersion, note })  -> Plan
 *       refused: AppError("plan.invalid_transition", reason). Records the step's date and
 *       resolution (and Cabinet's delegation); publishing version n+1 supersedes version n.
 *   setConsultees(store, actor, planId, consultees: string[], now)                             -> string[]
 *   recordConsultationResponse(store, actor, planId, { consultee, date, summary }, now)         -> ConsultationResponse
 *   startNextVersion(store, actor, planId, now)  -> Plan   (`new-year`: version+1 in draft, carrying
 *       priorities, open actions, targets, links, partners and consultees forward)
 *   planTimeline(store, planId, opts?) / recordTimeline(store, target, opts?)  -> audit rows, newest first
 *
 * Governance steps are for analysts and admins (`plan.forbidden` otherwise); anyone may read.
 * `opts.rowVersion` is the plan version the caller read; without it the step applies to the
 * plan as it is (the CLI), still refused if someone saves between the read and the write.
 */

export interface ResponseInput {
  consultee: string;
  /** YYYY-MM-DD. */
  date: string;
  summary: string;
}

const dedupe = (names: string[]): string[] => [...new Set(names.map((n) => n.trim()).filter((n) => n !== ""))];

async function saveGovernance(tx: Store, plan: Plan, readVersion: number, change: GovernanceChange, now: Date): Promise<void> {
  const n = await updateGovernance(tx, plan.id, readVersion, change, now.toISOString());
  if (n !== 1) throw await conflictError(tx, `Plan ${plan.id}`, `plan:${plan.id}`, readVersion, plan.rowVersion);
}

export async function transition(
  store: Store,
  actor: PlanActor,
  planId: number,
  request: TransitionRequest,
  now: Date,
  opts: { rowVersion?: number; note?: string } = {},
): Promise<Plan> {
  requirePlanManager(actor, "record the plan's governance steps");
  return inTransaction(store, async (tx) => {
    const plan = await mustFindPlan(tx, planId);
    const readVersion = opts.rowVersion ?? plan.rowVersion;
    if (readVersion !== plan.rowVersion) throw await conflictError(tx, `Plan ${planId}`, `plan:${planId}`, readVersion, plan.rowVersion);
    const snapshot = await governanceSnapshot(tx, plan);
    const decided = governanceTransition(snapshot, request);
    if (!decided.ok) throw new AppError("plan.invalid_transition", decided.reason);

    let version = readVersion;
    const change: GovernanceChange = { state: decided.next };
    switch (request.to) {
      case "consultation":
        change.consultees = dedupe([...snapshot.consultees, ...(request.consultees ?? [])]);
        break;
      case "recommended":
        change.cabinetDate = request.date;
        change.cabinetResolution = request.resolution.trim();
        if (request.delegation) {
          if ((await updatePlan(tx, planId, version, { delegation: request.delegation }, now.toISOString())) !== 1)
            throw await conflictError(tx, `Plan ${planId}`, `plan:${planId}`, version, plan.rowVersion);
          version += 1;
        }
        break;
      case "approved":
        change.councilDate = request.date;
        change.councilResolution = request.resolution.trim();
        break;
      case "published":
        change.publishedDate = request.date;
        break;
      case "review":
        change.reviewDate = request.date;
        break;
      case "draft":
        break;
    }
    await saveGovernance(tx, plan, version, change, now);
    await auditPlan(tx, actor, now, planId, "plan.transition", `plan:${planId}`, {
      before: { state: plan.state },
      after: { ...request, state: decided.next, ...(opts.note?.trim() ? { note: opts.note.trim() } : {}) },
    });
    if (request.to === "published" && plan.previousId !== null) await supersede(tx, actor, plan, now);
    return mustFindPlan(tx, planId);
  });
}

/** Marks the version `plan` was carried forward from as superseded (when `plan` is published). */
async function supersede(tx: Store, actor: PlanActor, plan: Plan, now: Date): Promise<void> {
  const previous = plan.previousId === null ? null : await findPlan(tx, plan.previousId);
  if (!previous || !canSupersede(previous.state).ok) return;
  await saveGovernance(tx, previous, previous.rowVersion, { state: "superseded" }, now);
  await auditPlan(tx, actor, now, previous.id, "plan.supersede", `plan:${previous.id}`, {
    before: { state: previous.state },
    after: { state: "superseded", supersededBy: plan.id, version: plan.version },
  });
}

/** Names the consultees (while the plan is in draft or consultation). */
export async function setConsultees(store: Store, actor: PlanActor, planId: number, consultees: string[], now: Date): Promise<string[]> {
  requirePlanManager(actor, "name the plan's consultees");
  return inTransaction(store, async (tx) => {
    const plan = await mustFindPlan(tx, planId);
    if (plan.state !== "draft" && plan.state !== "consultation")
      throw new AppError("plan.locked", `Consultees are named while the plan is in draft or consultation; plan ${planId} is ${plan.state}.`);
    const before = (await findGovernance(tx, planId))?.consultees ?? [];
    const after = dedupe(consultees);
    await saveGovernance(tx, plan, plan.rowVersion, { consultees: after }, now);
    await auditPlan(tx, actor, now, planId, "plan.consultees.update", `plan:${planId}`, { before: { consultees: before }, after: { consultees: after } });
    return after;
  });
}

/** Records a consultee's response (while the plan is in consultation); a consultee not yet named is added. */
export async function recordConsultationResponse(
  store: Store,
  actor: PlanActor,
  planId: number,
  input: ResponseInput,
  now: Date,
): Promise<ConsultationResponse> {
  requirePlanManager(actor, "record consultation responses");
  const problems: ProblemLine[] = [];
  if (!input.consultee?.trim()) problems.push(problem("response", "consultee", "Name who responded, e.g. `Overview and Scrutiny Management Committee`"));
  if (!isIsoDate(input.date)) problems.push(problem("response", "date", `Date must be YYYY-MM-DD; got \`${input.date}\``));
  if (!input.summary?.trim()) problems.push(problem("response", "summary", "Summarise what the consultee said"));
  throwIfProblems(problems, "consultation response");
  return inTransaction(store, async (tx) => {
    const plan = await mustFindPlan(tx, planId);
    if (plan.state !== "consultation")
      throw new AppError("plan.locked", `Responses are recorded while the plan is in consultation; plan ${planId} is ${plan.state}.`, {
        hint: plan.state === "draft" ? `start consultation first (\`safecity plan transition ${planId} consultation --date YYYY-MM-DD\`)` : undefined,
      });
    const consultee = input.consultee.trim();
    const consultees = (await findGovernance(tx, planId))?.consultees ?? [];
    if (!consultees.includes(consultee)) await saveGovernance(tx, plan, plan.rowVersion, { consultees: [...consultees, consultee] }, now);
    const response = { planId, consultee, date: input.date, summary: input.summary.trim() };
    const id = await insertResponse(tx, { ...response, recordedBy: actor.email, createdAt: now.toISOString() });
    await auditPlan(tx, actor, now, planId, "plan.response.create", `response:${id}`, { after: { id, ...response } });
    return { id, ...response };
  });
}

/**
 * `new-year`: starts version n+1 in draft from a published plan (or one in annual review),
 * carrying forward its priorities, open actions (not completed or cancelled), targets, read-across
 * links, partners and consultees. The old version is superseded when the new one is published.
 */
export async function startNextVersion(store: Store, actor: PlanActor, planId: number, now: Date): Promise<Plan> {
  requirePlanManager(actor, "start the next annual version of a plan");
  return inTransaction(store, async (tx) => {
    const plan = await mustFindPlan(tx, planId);
    const rule = canStartNextVersion(plan.state);
    if (!rule.ok) throw new AppError("plan.invalid_transition", rule.reason);
    const existing = await findNextVersion(tx, planId);
    if (existing)
      throw new AppError("plan.invalid_transition", `Version ${existing.version} (plan ${existing.id}) was already started from plan ${planId}; work on that one.`);
    const governance = await findGovernance(tx, planId);
    const newId = await insertPlan(tx, {
      title: plan.title,
      areaCode: plan.areaCode,
      partnershipName: plan.partnershipName,
      periodFrom: plan.periodFrom,
      periodTo: plan.periodTo,
      version: plan.version + 1,
      previousId: plan.id,
      state: "draft",
      assessmentRef: plan.assessmentRef,
      statutoryBasis: plan.statutoryBasis,
      keyDecision: plan.keyDecision,
      consultees: governance?.consultees ?? [],
      demo: plan.demo,
      createdAt: now.toISOString(),
    });
    const priorityIds = new Map<number, number>();
    for (const p of await listPriorities(tx, planId)) {
      const { id, planId: _, rowVersion, ...fields } = p;
      priorityIds.set(id, await insertPriority(tx, newId, fields));
    }
    const open = (await listActions(tx, planId)).filter((a) => a.status !== "completed" && a.status !== "cancelled");
    for (const a of open) {
      const { id, planId: _, rowVersion, ownerOrganisationName, ...fields } = a;
      await insertAction(tx, newId, { ...fields, priorityId: priorityIds.get(a.priorityId)! });
    }
    const targets = await listTargets(tx, planId);
    for (const t of targets) {
      const { id, planId: _, rowVersion, ...fields } = t;
      await insertTarget(tx, newId, { ...fields, priorityId: t.priorityId === null ? null : (priorityIds.get(t.priorityId) ?? null) });
    }
    for (const l of await listLinks(tx, planId)) await insertLink(tx, newId, { kind: l.kind, name: l.name, url: l.url, note: l.note });
    for (const p of await listPartners(tx, planId)) await upsertPartner(tx, newId, p.organisationId, p.role);
    const carried = { from: planId, version: plan.version + 1, priorities: priorityIds.size, actions: open.length, targets: targets.length };
    await auditPlan(tx, actor, now, newId, "plan.new_year", `plan:${newId}`, { after: { ...carried, planId: newId } });
    await auditPlan(tx, actor, now, planId, "plan.new_year", `plan:${planId}`, { after: { ...carried, planId: newId } });
    return mustFindPlan(tx, newId);
  });
}

/** Every audit row of a plan, newest first. */
export function planTimeline(store: Store, planId: number, opts: { limit?: number } = {}): Promise<(AuditEntry & { id: number })[]> {
  return listAudit(store, { planId, limit: opts.limit ?? 1000 });
}

/** The audit rows of one record (`action:17`, `priority:3`, `plan:2`), newest first. */
export function recordTimeline(store: Store, target: string, opts: { limit?: number } = {}): Promise<(AuditEntry & { id: number })[]> {
  return listAudit(store, { target, limit: opts.limit ?? 1000 });
}
