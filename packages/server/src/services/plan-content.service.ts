import {
  type ActionProgress,
  AppError,
  canAmendUnderDelegation,
  canRecordProgress,
  type KeyAction,
  PLAN_STATE_LABELS,
  type PartnerOrganisation,
  type Plan,
  type Priority,
  planEditability,
  type Target,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import {
  type ActionFields,
  countActionsOfPriority,
  deleteAction,
  deleteLink,
  deletePartner,
  deletePriority,
  deleteTarget,
  findAction,
  findIndicatorKey,
  findLink,
  findOrganisationName,
  findPriority,
  findTarget,
  insertAction,
  insertLink,
  insertPriority,
  insertProgress,
  insertTarget,
  listPartners,
  listPriorities,
  type StoredLink,
  updateAction as updateActionRow,
  updateLink as updateLinkRow,
  updatePriority as updatePriorityRow,
  updateTarget as updateTargetRow,
  upsertPartner,
} from "../db/repositories/plan-content.repository.ts";
import { insertAmendment } from "../db/repositories/plan-governance.repository.ts";
import { type PlanFields, updatePlan } from "../db/repositories/plan.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { auditPlan, conflictError, governanceSnapshot, mustFindPlan, type PlanActor, requireActionMonitor, requirePlanManager } from "./plan-access.ts";
import {
  type ActionInput,
  checkAction,
  checkLink,
  checkPriority,
  checkProgress,
  checkTarget,
  type LinkInput,
  type PriorityInput,
  type ProgressInput,
  problem,
  type TargetInput,
  throwIfProblems,
} from "./plan-input.ts";

/**
 * Changes to a plan's content: the plan's own fields, priorities, key actions, progress, targets,
 * read-across links and partners. Every function checks access first, then the plan's
 * editability (core `planEditability`), then writes the change and its audit row in ONE
 * transaction. Updates and removals name the `rowVersion` the caller read; a stale one is refused
 * with `plan.conflict`. In `recommended` only the delegate may change content and each change is
 * also listed as a delegated amendment (`opts.amendment` is its summary; a default is written).
 *
 * Signatures (all async; `now` is the instant recorded in the audit row):
 *   updatePlanDetails(store, actor, planId, rowVersion, fields, now, opts?)          -> Plan
 *   addPriority(store, actor, planId, input, now, opts?)                             -> Priority
 *   updatePriority(store, actor, priorityId, rowVersion, changes, now, opts?)        -> Priority
 *   removePriority(store, actor, priorityId, rowVersion, now, opts?)                 -> void
 *   addAction / updateAction / removeAction (actionId ...)                           -> KeyAction
 *     updateAction with only `status`/`milestones` is monitoring: the owning organisation's
 *     editors may do it, in every state but superseded, and it is not an amendment.
 *   addProgress(store, actor, actionId, {date, status, note}, now)                   -> ActionProgress
 *   addTarget / updateTarget / removeTarget, addLink / updateLink / removeLink
 *   setPartner(store, actor, planId, organisationId, role, now, opts?)               -> PartnerOrganisation[]
 *   removePartner(store, actor, planId, organisationId, now, opts?)                  -> PartnerOrganisation[]
 * Errors: plan.not_found, plan.forbidden, plan.locked, plan.conflict, input.invalid.
 */

export interface ChangeOptions {
  /** Summary of the delegated amendment when the plan is `recommended` (a default is written). */
  amendment?: string;
}

interface Change<T> {
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  result: T;
  /** Default summary of the change, used for a delegated amendment. */
  summary: string;
}

const today = (now: Date): string => now.toISOString().slice(0, 10);

/** Access and editability for a content change; returns whether it is a delegated amendment. */
async function requireContentEditor(tx: Store, actor: PlanActor, plan: Plan): Promise<"open" | "delegated"> {
  const editability = planEditability(plan.state);
  if (editability === "delegated") {
    const rule = canAmendUnderDelegation(await governanceSnapshot(tx, plan), actor.email);
    if (!rule.ok) throw new AppError("plan.forbidden", rule.reason);
    return "delegated";
  }
  requirePlanManager(actor, "change a plan's priorities, actions, targets, links or partners");
  if (editability === "locked")
    throw new AppError(
      "plan.locked",
      `Plan ${plan.id} is ${PLAN_STATE_LABELS[plan.state].toLowerCase()} (${plan.state}): its content is locked. Action progress and status can still be recorded.`,
      { hint: `to change priorities, actions or targets, start the next annual version once it is published (\`safecity plan new-year ${plan.id}\`)` },
    );
  return "open";
}

/** Runs a content change of plan `planId` with its checks, audit row and (when delegated) amendment in one transaction. */
function changeContent<T>(
  store: Store,
  actor: PlanActor,
  planId: number,
  now: Date,
  opts: ChangeOptions,
  work: (tx: Store, plan: Plan) => Promise<Change<T>>,
): Promise<T> {
  return inTransaction(store, async (tx) => {
    const plan = await mustFindPlan(tx, planId);
    const mode = await requireContentEditor(tx, actor, plan);
    const c = await work(tx, plan);
    await auditPlan(tx, actor, now, planId, c.action, c.target, { before: c.before, after: c.after });
    if (mode === "delegated") {
      const amendment = { planId, date: today(now), by: actor.email, post: plan.delegation?.post ?? "", summary: opts.amendment?.trim() || c.summary };
      const id = await insertAmendment(tx, amendment);
      await auditPlan(tx, actor, now, planId, "plan.amendment.create", `amendment:${id}`, { after: { ...amendment, change: c.action, target: c.target } });
    }
    return c.result;
  });
}

/** A monitoring change (action status, milestones, progress): the owner's editors too, any state but superseded. */
function changeMonitoring<T>(store: Store, actor: PlanActor, actionId: number, now: Date, work: (tx: Store, action: KeyAction) => Promise<Change<T>>): Promise<T> {
  return inTransaction(store, async (tx) => {
    const action = await mustFindAction(tx, actionId);
    requireActionMonitor(actor, action);
    const plan = await mustFindPlan(tx, action.planId);
    const rule = canRecordProgress(plan.state);
    if (!rule.ok) throw new AppError("plan.locked", rule.reason);
    const c = await work(tx, action);
    await auditPlan(tx, actor, now, plan.id, c.action, c.target, { before: c.before, after: c.after });
    return c.result;
  });
}

async function planIdOf<T extends { planId: number }>(find: Promise<T | null>, what: string): Promise<number> {
  const r = await find;
  if (!r) throw new AppError("plan.not_found", `No ${what}`, { hint: "reload the plan: it may have been removed" });
  return r.planId;
}

async function mustFindAction(store: Store, id: number): Promise<KeyAction> {
  const a = await findAction(store, id);
  if (!a) throw new AppError("plan.not_found", `No action with id ${id}`, { hint: "reload the plan: it may have been removed" });
  return a;
}

/** `changes` laid over `before`, ignoring changes that are undefined. */
function merge<T extends object>(before: T, changes: object): T {
  return { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
}

function requireSaved(n: number, conflict: () => Promise<AppError>): Promise<void> {
  return n === 1 ? Promise.resolve() : conflict().then((e) => Promise.reject(e));
}

// --- the plan's own fields ----------------------------------------------------------------------

export async function updatePlanDetails(
  store: Store,
  actor: PlanActor,
  planId: number,
  rowVersion: number,
  fields: Partial<PlanFields>,
  now: Date,
  opts: ChangeOptions = {},
): Promise<Plan> {
  return changeContent(store, actor, planId, now, opts, async (tx, before) => {
    const problems = [];
    if (fields.title !== undefined && !fields.title.trim()) problems.push(problem("plan", "title", "Enter the plan's title"));
    if (fields.periodFrom !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(fields.periodFrom))
      problems.push(problem("plan", "periodFrom", `First month must be YYYY-MM; got \`${fields.periodFrom}\``));
    if (fields.periodTo !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(fields.periodTo))
      problems.push(problem("plan", "periodTo", `Last month must be YYYY-MM; got \`${fields.periodTo}\``));
    throwIfProblems(problems, "plan");
    const n = await updatePlan(tx, planId, rowVersion, fields, now.toISOString());
    await requireSaved(n, () => conflictError(tx, `Plan ${planId}`, `plan:${planId}`, rowVersion, before.rowVersion));
    const after = await mustFindPlan(tx, planId);
    return { action: "plan.update", target: `plan:${planId}`, before, after, result: after, summary: `Changed the plan's ${Object.keys(fields).join(", ")}` };
  });
}

// --- priorities ---------------------------------------------------------------------------------

export async function addPriority(store: Store, actor: PlanActor, planId: number, input: PriorityInput, now: Date, opts: ChangeOptions = {}): Promise<Priority> {
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    throwIfProblems(checkPriority(input), "priority");
    const existing = await listPriorities(tx, planId);
    const position = input.position ?? Math.max(0, ...existing.map((p) => p.position)) + 1;
    const id = await insertPriority(tx, planId, {
      position,
      title: input.title.trim(),
      rationale: input.rationale ?? "",
      evidence: input.evidence ?? [],
      areaCodes: input.areaCodes ?? [],
      years: input.years ?? [],
    });
    const after = (await findPriority(tx, id))!;
    return { action: "plan.priority.create", target: `priority:${id}`, before: null, after, result: after, summary: `Added priority "${after.title}"` };
  });
}

export async function updatePriority(
  store: Store,
  actor: PlanActor,
  priorityId: number,
  rowVersion: number,
  changes: Partial<PriorityInput>,
  now: Date,
  opts: ChangeOptions = {},
): Promise<Priority> {
  const planId = await planIdOf(findPriority(store, priorityId), `priority with id ${priorityId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = await findPriority(tx, priorityId);
    if (!before) throw await conflictError(tx, `Priority ${priorityId}`, `priority:${priorityId}`, rowVersion, null);
    const merged = merge(before, changes);
    throwIfProblems(checkPriority(merged), "priority");
    const n = await updatePriorityRow(tx, priorityId, rowVersion, { ...changes, ...(changes.title ? { title: changes.title.trim() } : {}) });
    await requireSaved(n, () => conflictError(tx, `Priority ${priorityId}`, `priority:${priorityId}`, rowVersion, before.rowVersion));
    const after = (await findPriority(tx, priorityId))!;
    return { action: "plan.priority.update", target: `priority:${priorityId}`, before, after, result: after, summary: `Changed priority "${after.title}"` };
  });
}

export async function removePriority(store: Store, actor: PlanActor, priorityId: number, rowVersion: number, now: Date, opts: ChangeOptions = {}): Promise<void> {
  const planId = await planIdOf(findPriority(store, priorityId), `priority with id ${priorityId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = await findPriority(tx, priorityId);
    if (!before) throw await conflictError(tx, `Priority ${priorityId}`, `priority:${priorityId}`, rowVersion, null);
    const actions = await countActionsOfPriority(tx, priorityId);
    if (actions > 0)
      throw new AppError("input.invalid", `Priority ${priorityId} ("${before.title}") still has ${actions} key action${actions === 1 ? "" : "s"}; move them to another priority or remove them first.`);
    const n = await deletePriority(tx, priorityId, rowVersion);
    await requireSaved(n, () => conflictError(tx, `Priority ${priorityId}`, `priority:${priorityId}`, rowVersion, before.rowVersion));
    return { action: "plan.priority.delete", target: `priority:${priorityId}`, before, after: null, result: undefined, summary: `Removed priority "${before.title}"` };
  });
}

// --- key actions --------------------------------------------------------------------------------

async function checkActionReferences(tx: Store, planId: number, a: ActionInput): Promise<void> {
  const problems = checkAction(a);
  if (Number.isInteger(a.priorityId)) {
    const p = await findPriority(tx, a.priorityId);
    if (!p || p.planId !== planId) problems.push(problem("action", "priorityId", `Plan ${planId} has no priority with id ${a.priorityId}`));
  }
  if (Number.isInteger(a.ownerOrganisationId) && (await findOrganisationName(tx, a.ownerOrganisationId)) === null)
    problems.push(problem("action", "ownerOrganisationId", `No organisation with id ${a.ownerOrganisationId}; add it first (\`safecity user add --organisation ...\`)`));
  throwIfProblems(problems, "action");
}

function actionFields(a: ActionInput): ActionFields {
  return {
    priorityId: a.priorityId,
    title: a.title.trim(),
    ownerOrganisationId: a.ownerOrganisationId,
    leadRole: a.leadRole.trim(),
    startDate: a.startDate,
    dueDate: a.dueDate,
    milestones: a.milestones ?? [],
    status: a.status ?? "not_started",
    budgetLine: a.budgetLine ?? null,
  };
}

export async function addAction(store: Store, actor: PlanActor, planId: number, input: ActionInput, now: Date, opts: ChangeOptions = {}): Promise<KeyAction> {
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    await checkActionReferences(tx, planId, input);
    const id = await insertAction(tx, planId, actionFields(input));
    const after = (await findAction(tx, id))!;
    return { action: "plan.action.create", target: `action:${id}`, before: null, after, result: after, summary: `Added action "${after.title}" (${after.ownerOrganisationName})` };
  });
}

const MONITORING_FIELDS = new Set(["status", "milestones"]);

/** Changes an action; only `status`/`milestones` is monitoring (see the file comment). */
export async function updateAction(
  store: Store,
  actor: PlanActor,
  actionId: number,
  rowVersion: number,
  changes: Partial<ActionInput>,
  now: Date,
  opts: ChangeOptions = {},
): Promise<KeyAction> {
  const keys = Object.keys(changes).filter((k) => changes[k as keyof ActionInput] !== undefined);
  const save = async (tx: Store, before: KeyAction): Promise<Change<KeyAction>> => {
    const merged: ActionInput = merge<ActionInput>(before, changes);
    await checkActionReferences(tx, before.planId, merged);
    const n = await updateActionRow(tx, actionId, rowVersion, actionFields(merged));
    await requireSaved(n, () => conflictError(tx, `Action ${actionId}`, `action:${actionId}`, rowVersion, before.rowVersion));
    const after = (await findAction(tx, actionId))!;
    return { action: "plan.action.update", target: `action:${actionId}`, before, after, result: after, summary: `Changed action "${after.title}" (${keys.join(", ")})` };
  };
  if (keys.length > 0 && keys.every((k) => MONITORING_FIELDS.has(k))) return changeMonitoring(store, actor, actionId, now, save);
  const planId = await planIdOf(findAction(store, actionId), `action with id ${actionId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => save(tx, await mustFindAction(tx, actionId)));
}

export async function removeAction(store: Store, actor: PlanActor, actionId: number, rowVersion: number, now: Date, opts: ChangeOptions = {}): Promise<void> {
  const planId = await planIdOf(findAction(store, actionId), `action with id ${actionId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = await findAction(tx, actionId);
    if (!before) throw await conflictError(tx, `Action ${actionId}`, `action:${actionId}`, rowVersion, null);
    const n = await deleteAction(tx, actionId, rowVersion);
    await requireSaved(n, () => conflictError(tx, `Action ${actionId}`, `action:${actionId}`, rowVersion, before.rowVersion));
    return { action: "plan.action.delete", target: `action:${actionId}`, before, after: null, result: undefined, summary: `Removed action "${before.title}"` };
  });
}

/** A dated progress update; the action takes the update's status. Editors of the owning organisation, analysts, admins. */
export async function addProgress(store: Store, actor: PlanActor, actionId: number, input: ProgressInput, now: Date): Promise<ActionProgress> {
  throwIfProblems(checkProgress(input), "progress update");
  return changeMonitoring(store, actor, actionId, now, async (tx, action) => {
    const progress = { actionId, date: input.date, author: actor.email, status: input.status, note: input.note.trim() };
    const id = await insertProgress(tx, { ...progress, createdAt: now.toISOString() });
    if (action.status !== input.status) {
      const n = await updateActionRow(tx, actionId, action.rowVersion, { status: input.status });
      await requireSaved(n, () => conflictError(tx, `Action ${actionId}`, `action:${actionId}`, action.rowVersion, action.rowVersion + 1));
    }
    const after = { id, ...progress };
    return { action: "plan.progress.create", target: `action:${actionId}`, before: { status: action.status }, after, result: after, summary: "" };
  });
}

// --- targets ------------------------------------------------------------------------------------

async function checkTargetReferences(tx: Store, planId: number, t: TargetInput): Promise<void> {
  const problems = checkTarget(t);
  if (t.priorityId != null) {
    const p = await findPriority(tx, t.priorityId);
    if (!p || p.planId !== planId) problems.push(problem("target", "priorityId", `Plan ${planId} has no priority with id ${t.priorityId}`));
  }
  if (Number.isInteger(t.indicatorId) && (await findIndicatorKey(tx, t.indicatorId)) === null)
    problems.push(problem("target", "indicatorId", `No indicator with id ${t.indicatorId}; list them with \`safecity indicators list\``));
  throwIfProblems(problems, "target");
}

function targetFields(t: TargetInput): Omit<Target, "id" | "planId" | "rowVersion"> {
  return {
    priorityId: t.priorityId ?? null,
    indicatorId: t.indicatorId,
    baselinePeriod: t.baselinePeriod.trim(),
    baselineValue: t.baselineValue,
    kind: t.kind,
    targetValue: t.targetValue,
    deadline: t.deadline.trim(),
    tolerancePercent: t.tolerancePercent ?? null,
  };
}

export async function addTarget(store: Store, actor: PlanActor, planId: number, input: TargetInput, now: Date, opts: ChangeOptions = {}): Promise<Target> {
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    await checkTargetReferences(tx, planId, input);
    const id = await insertTarget(tx, planId, targetFields(input));
    const after = (await findTarget(tx, id))!;
    return { action: "plan.target.create", target: `target:${id}`, before: null, after, result: after, summary: `Added a target on indicator ${after.indicatorId}` };
  });
}

export async function updateTarget(
  store: Store,
  actor: PlanActor,
  targetId: number,
  rowVersion: number,
  changes: Partial<TargetInput>,
  now: Date,
  opts: ChangeOptions = {},
): Promise<Target> {
  const planId = await planIdOf(findTarget(store, targetId), `target with id ${targetId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = await findTarget(tx, targetId);
    if (!before) throw await conflictError(tx, `Target ${targetId}`, `target:${targetId}`, rowVersion, null);
    const merged: TargetInput = merge<TargetInput>(before, changes);
    await checkTargetReferences(tx, planId, merged);
    const n = await updateTargetRow(tx, targetId, rowVersion, targetFields(merged));
    await requireSaved(n, () => conflictError(tx, `Target ${targetId}`, `target:${targetId}`, rowVersion, before.rowVersion));
    const after = (await findTarget(tx, targetId))!;
    return { action: "plan.target.update", target: `target:${targetId}`, before, after, result: after, summary: `Changed target ${targetId} (${Object.keys(changes).join(", ")})` };
  });
}

export async function removeTarget(store: Store, actor: PlanActor, targetId: number, rowVersion: number, now: Date, opts: ChangeOptions = {}): Promise<void> {
  const planId = await planIdOf(findTarget(store, targetId), `target with id ${targetId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = await findTarget(tx, targetId);
    if (!before) throw await conflictError(tx, `Target ${targetId}`, `target:${targetId}`, rowVersion, null);
    const n = await deleteTarget(tx, targetId, rowVersion);
    await requireSaved(n, () => conflictError(tx, `Target ${targetId}`, `target:${targetId}`, rowVersion, before.rowVersion));
    return { action: "plan.target.delete", target: `target:${targetId}`, before, after: null, result: undefined, summary: `Removed target ${targetId}` };
  });
}

// --- read-across links --------------------------------------------------------------------------

function linkFields(l: LinkInput) {
  return { kind: l.kind, name: l.name.trim(), url: l.url?.trim() || null, note: l.note?.trim() ?? "" };
}

export async function addLink(store: Store, actor: PlanActor, planId: number, input: LinkInput, now: Date, opts: ChangeOptions = {}): Promise<StoredLink> {
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    throwIfProblems(checkLink(input), "link");
    const id = await insertLink(tx, planId, linkFields(input));
    const after = (await findLink(tx, id))!;
    return { action: "plan.link.create", target: `link:${id}`, before: null, after, result: after, summary: `Added the read-across to ${after.name}` };
  });
}

export async function updateLink(
  store: Store,
  actor: PlanActor,
  linkId: number,
  rowVersion: number,
  changes: Partial<LinkInput>,
  now: Date,
  opts: ChangeOptions = {},
): Promise<StoredLink> {
  const planId = await planIdOf(findLink(store, linkId), `link with id ${linkId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = await findLink(tx, linkId);
    if (!before) throw await conflictError(tx, `Link ${linkId}`, `link:${linkId}`, rowVersion, null);
    const merged: LinkInput = merge<LinkInput>(before, changes);
    throwIfProblems(checkLink(merged), "link");
    const n = await updateLinkRow(tx, linkId, rowVersion, linkFields(merged));
    await requireSaved(n, () => conflictError(tx, `Link ${linkId}`, `link:${linkId}`, rowVersion, before.rowVersion));
    const after = (await findLink(tx, linkId))!;
    return { action: "plan.link.update", target: `link:${linkId}`, before, after, result: after, summary: `Changed the read-across to ${after.name}` };
  });
}

export async function removeLink(store: Store, actor: PlanActor, linkId: number, rowVersion: number, now: Date, opts: ChangeOptions = {}): Promise<void> {
  const planId = await planIdOf(findLink(store, linkId), `link with id ${linkId}`);
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = await findLink(tx, linkId);
    if (!before) throw await conflictError(tx, `Link ${linkId}`, `link:${linkId}`, rowVersion, null);
    const n = await deleteLink(tx, linkId, rowVersion);
    await requireSaved(n, () => conflictError(tx, `Link ${linkId}`, `link:${linkId}`, rowVersion, before.rowVersion));
    return { action: "plan.link.delete", target: `link:${linkId}`, before, after: null, result: undefined, summary: `Removed the read-across to ${before.name}` };
  });
}

// --- partners -----------------------------------------------------------------------------------

/** Adds the organisation to the partnership, or changes its role. */
export async function setPartner(
  store: Store,
  actor: PlanActor,
  planId: number,
  organisationId: number,
  role: string,
  now: Date,
  opts: ChangeOptions = {},
): Promise<PartnerOrganisation[]> {
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const problems = [];
    const name = await findOrganisationName(tx, organisationId);
    if (name === null) problems.push(problem("partner", "organisationId", `No organisation with id ${organisationId}`));
    if (!role.trim()) problems.push(problem("partner", "role", "Say what part it plays, e.g. `responsible authority`, `co-operating body`, `voluntary sector`"));
    throwIfProblems(problems, "partner");
    const before = (await listPartners(tx, planId)).find((p) => p.organisationId === organisationId) ?? null;
    await upsertPartner(tx, planId, organisationId, role.trim());
    const partners = await listPartners(tx, planId);
    const after = partners.find((p) => p.organisationId === organisationId) ?? null;
    return {
      action: before ? "plan.partner.update" : "plan.partner.create",
      target: `partner:${planId}:${organisationId}`,
      before,
      after,
      result: partners,
      summary: `${before ? "Changed" : "Added"} partner ${name} (${role.trim()})`,
    };
  });
}

export async function removePartner(store: Store, actor: PlanActor, planId: number, organisationId: number, now: Date, opts: ChangeOptions = {}): Promise<PartnerOrganisation[]> {
  return changeContent(store, actor, planId, now, opts, async (tx) => {
    const before = (await listPartners(tx, planId)).find((p) => p.organisationId === organisationId);
    if (!before) throw new AppError("plan.not_found", `Organisation ${organisationId} is not a partner in plan ${planId}`, { hint: "reload the plan" });
    await deletePartner(tx, planId, organisationId);
    return {
      action: "plan.partner.delete",
      target: `partner:${planId}:${organisationId}`,
      before,
      after: null,
      result: await listPartners(tx, planId),
      summary: `Removed partner ${before.name}`,
    };
  });
}
