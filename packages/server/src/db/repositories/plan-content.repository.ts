import type {
  ActionProgress,
  ActionStatus,
  KeyAction,
  Milestone,
  PartnerOrganisation,
  Priority,
  PriorityEvidence,
  ReadAcross,
  Target,
} from "@safecity/core";
import type { Kysely } from "kysely";
import type { Store } from "../database.ts";

/*
 * A plan's content (migration 0005): priorities, key actions and their progress, targets,
 * read-across links and partner organisations. Lists are JSON text in the tables and arrays here.
 * Updates and deletes name the row_version they read and return rows changed (0: someone saved
 * or deleted first, or no such record).
 */

type VersionedTable = "plan_priority" | "plan_action" | "plan_target" | "plan_link";
type AnyVersioned = Kysely<{ versioned: { id: number; row_version: number } }>;

async function versionedUpdate(store: Store, table: VersionedTable, id: number, rowVersion: number, columns: Record<string, unknown>): Promise<number> {
  const db = store.db as unknown as AnyVersioned;
  const r = await db
    .updateTable(table as unknown as "versioned")
    .set((eb) => ({ ...columns, row_version: eb("row_version", "+", 1) }))
    .where("id", "=", id)
    .where("row_version", "=", rowVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

async function versionedDelete(store: Store, table: VersionedTable, id: number, rowVersion: number): Promise<number> {
  const db = store.db as unknown as AnyVersioned;
  const r = await db
    .deleteFrom(table as unknown as "versioned")
    .where("id", "=", id)
    .where("row_version", "=", rowVersion)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const json = <T>(v: T | undefined): string | undefined => (v === undefined ? undefined : JSON.stringify(v));

// --- priorities -------------------------------------------------------------------------------

export type PriorityFields = Omit<Priority, "id" | "planId" | "rowVersion">;

interface PriorityRow {
  id: number;
  plan_id: number;
  position: number;
  title: string;
  rationale: string;
  evidence: string;
  area_codes: string;
  years: string;
  row_version: number;
}

function toPriority(r: PriorityRow): Priority {
  return {
    id: r.id,
    planId: r.plan_id,
    position: r.position,
    title: r.title,
    rationale: r.rationale,
    evidence: JSON.parse(r.evidence) as PriorityEvidence[],
    areaCodes: JSON.parse(r.area_codes) as string[],
    years: JSON.parse(r.years) as string[],
    rowVersion: r.row_version,
  };
}

function priorityColumns(f: Partial<PriorityFields>): Record<string, unknown> {
  return defined({
    position: f.position,
    title: f.title,
    rationale: f.rationale,
    evidence: json(f.evidence),
    area_codes: json(f.areaCodes),
    years: json(f.years),
  });
}

export async function insertPriority(store: Store, planId: number, f: PriorityFields): Promise<number> {
  const r = await store.db
    .insertInto("plan_priority")
    .values({ plan_id: planId, position: f.position, title: f.title, ...priorityColumns(f) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** In position order. */
export async function listPriorities(store: Store, planId: number): Promise<Priority[]> {
  const rows = await store.db.selectFrom("plan_priority").selectAll().where("plan_id", "=", planId).orderBy("position").orderBy("id").execute();
  return rows.map(toPriority);
}

export async function findPriority(store: Store, id: number): Promise<Priority | null> {
  const r = await store.db.selectFrom("plan_priority").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toPriority(r) : null;
}

export function updatePriority(store: Store, id: number, rowVersion: number, f: Partial<PriorityFields>): Promise<number> {
  return versionedUpdate(store, "plan_priority", id, rowVersion, priorityColumns(f));
}

export function deletePriority(store: Store, id: number, rowVersion: number): Promise<number> {
  return versionedDelete(store, "plan_priority", id, rowVersion);
}

// --- key actions ------------------------------------------------------------------------------

export type ActionFields = Omit<KeyAction, "id" | "planId" | "rowVersion" | "ownerOrganisationName">;

function selectActions(store: Store) {
  return store.db
    .selectFrom("plan_action")
    .innerJoin("organisation", "organisation.id", "plan_action.owner_organisation_id")
    .selectAll("plan_action")
    .select("organisation.name as owner_name");
}

type ActionRow = Awaited<ReturnType<ReturnType<typeof selectActions>["executeTakeFirstOrThrow"]>>;

function toAction(r: ActionRow): KeyAction {
  return {
    id: r.id,
    planId: r.plan_id,
    priorityId: r.priority_id,
    title: r.title,
    ownerOrganisationId: r.owner_organisation_id,
    ownerOrganisationName: r.owner_name,
    leadRole: r.lead_role,
    startDate: r.start_date,
    dueDate: r.due_date,
    milestones: JSON.parse(r.milestones) as Milestone[],
    status: r.status as ActionStatus,
    budgetLine: r.budget_line,
    rowVersion: r.row_version,
  };
}

function actionColumns(f: Partial<ActionFields>): Record<string, unknown> {
  return defined({
    priority_id: f.priorityId,
    title: f.title,
    owner_organisation_id: f.ownerOrganisationId,
    lead_role: f.leadRole,
    start_date: f.startDate,
    due_date: f.dueDate,
    milestones: json(f.milestones),
    status: f.status,
    budget_line: f.budgetLine,
  });
}

export async function insertAction(store: Store, planId: number, f: ActionFields): Promise<number> {
  const r = await store.db
    .insertInto("plan_action")
    .values({
      plan_id: planId,
      priority_id: f.priorityId,
      title: f.title,
      owner_organisation_id: f.ownerOrganisationId,
      lead_role: f.leadRole,
      start_date: f.startDate,
      due_date: f.dueDate,
      ...actionColumns(f),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** By priority, then due date. */
export async function listActions(store: Store, planId: number): Promise<KeyAction[]> {
  const rows = await selectActions(store)
    .where("plan_action.plan_id", "=", planId)
    .orderBy("plan_action.priority_id")
    .orderBy("plan_action.due_date")
    .orderBy("plan_action.id")
    .execute();
  return rows.map(toAction);
}

export async function findAction(store: Store, id: number): Promise<KeyAction | null> {
  const r = await selectActions(store).where("plan_action.id", "=", id).executeTakeFirst();
  return r ? toAction(r) : null;
}

export async function countActionsOfPriority(store: Store, priorityId: number): Promise<number> {
  const r = await store.db
    .selectFrom("plan_action")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("priority_id", "=", priorityId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function updateAction(store: Store, id: number, rowVersion: number, f: Partial<ActionFields>): Promise<number> {
  return versionedUpdate(store, "plan_action", id, rowVersion, actionColumns(f));
}

export function deleteAction(store: Store, id: number, rowVersion: number): Promise<number> {
  return versionedDelete(store, "plan_action", id, rowVersion);
}

// --- progress ---------------------------------------------------------------------------------

export async function insertProgress(store: Store, p: Omit<ActionProgress, "id"> & { createdAt: string }): Promise<number> {
  const r = await store.db
    .insertInto("action_progress")
    .values({ action_id: p.actionId, date: p.date, author: p.author, status: p.status, note: p.note, created_at: p.createdAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Every progress update of a plan's actions, oldest first. */
export async function listProgressOfPlan(store: Store, planId: number): Promise<ActionProgress[]> {
  const rows = await store.db
    .selectFrom("action_progress")
    .innerJoin("plan_action", "plan_action.id", "action_progress.action_id")
    .selectAll("action_progress")
    .where("plan_action.plan_id", "=", planId)
    .orderBy("action_progress.date")
    .orderBy("action_progress.id")
    .execute();
  return rows.map((r) => ({ id: r.id, actionId: r.action_id, date: r.date, author: r.author, status: r.status as ActionStatus, note: r.note }));
}

// --- targets ----------------------------------------------------------------------------------

export type TargetFields = Omit<Target, "id" | "planId" | "rowVersion">;

interface TargetRow {
  id: number;
  plan_id: number;
  priority_id: number | null;
  indicator_id: number;
  baseline_period: string;
  baseline_value: number;
  kind: string;
  target_value: number;
  deadline: string;
  tolerance_percent: number | null;
  row_version: number;
}

function toTarget(r: TargetRow): Target {
  return {
    id: r.id,
    planId: r.plan_id,
    priorityId: r.priority_id,
    indicatorId: r.indicator_id,
    baselinePeriod: r.baseline_period,
    baselineValue: r.baseline_value,
    kind: r.kind as Target["kind"],
    targetValue: r.target_value,
    deadline: r.deadline,
    tolerancePercent: r.tolerance_percent,
    rowVersion: r.row_version,
  };
}

function targetColumns(f: Partial<TargetFields>): Record<string, unknown> {
  return defined({
    priority_id: f.priorityId,
    indicator_id: f.indicatorId,
    baseline_period: f.baselinePeriod,
    baseline_value: f.baselineValue,
    kind: f.kind,
    target_value: f.targetValue,
    deadline: f.deadline,
    tolerance_percent: f.tolerancePercent,
  });
}

export async function insertTarget(store: Store, planId: number, f: TargetFields): Promise<number> {
  const r = await store.db
    .insertInto("plan_target")
    .values({
      plan_id: planId,
      priority_id: f.priorityId,
      indicator_id: f.indicatorId,
      baseline_period: f.baselinePeriod,
      baseline_value: f.baselineValue,
      kind: f.kind,
      target_value: f.targetValue,
      deadline: f.deadline,
      tolerance_percent: f.tolerancePercent,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listTargets(store: Store, planId: number): Promise<Target[]> {
  const rows = await store.db.selectFrom("plan_target").selectAll().where("plan_id", "=", planId).orderBy("id").execute();
  return rows.map(toTarget);
}

export async function findTarget(store: Store, id: number): Promise<Target | null> {
  const r = await store.db.selectFrom("plan_target").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toTarget(r) : null;
}

export function updateTarget(store: Store, id: number, rowVersion: number, f: Partial<TargetFields>): Promise<number> {
  return versionedUpdate(store, "plan_target", id, rowVersion, targetColumns(f));
}

export function deleteTarget(store: Store, id: number, rowVersion: number): Promise<number> {
  return versionedDelete(store, "plan_target", id, rowVersion);
}

// --- read-across links ------------------------------------------------------------------------

export type LinkFields = Omit<ReadAcross, "id" | "planId">;

interface LinkRow {
  id: number;
  plan_id: number;
  kind: string;
  name: string;
  url: string | null;
  note: string;
  row_version: number;
}

/** A link with its row version (ReadAcross carries none). */
export type StoredLink = ReadAcross & { rowVersion: number };

function toLink(r: LinkRow): StoredLink {
  return { id: r.id, planId: r.plan_id, kind: r.kind as ReadAcross["kind"], name: r.name, url: r.url, note: r.note, rowVersion: r.row_version };
}

export async function insertLink(store: Store, planId: number, f: LinkFields): Promise<number> {
  const r = await store.db
    .insertInto("plan_link")
    .values({ plan_id: planId, kind: f.kind, name: f.name, url: f.url, note: f.note })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listLinks(store: Store, planId: number): Promise<StoredLink[]> {
  const rows = await store.db.selectFrom("plan_link").selectAll().where("plan_id", "=", planId).orderBy("kind").orderBy("name").execute();
  return rows.map(toLink);
}

export async function findLink(store: Store, id: number): Promise<StoredLink | null> {
  const r = await store.db.selectFrom("plan_link").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toLink(r) : null;
}

export function updateLink(store: Store, id: number, rowVersion: number, f: Partial<LinkFields>): Promise<number> {
  return versionedUpdate(store, "plan_link", id, rowVersion, defined({ kind: f.kind, name: f.name, url: f.url, note: f.note }));
}

export function deleteLink(store: Store, id: number, rowVersion: number): Promise<number> {
  return versionedDelete(store, "plan_link", id, rowVersion);
}

// --- partners ---------------------------------------------------------------------------------

/** Adds the organisation as a partner, or changes its role when it is one already. */
export async function upsertPartner(store: Store, planId: number, organisationId: number, role: string): Promise<void> {
  await store.db
    .insertInto("plan_partner")
    .values({ plan_id: planId, organisation_id: organisationId, role })
    .onConflict((oc) => oc.columns(["plan_id", "organisation_id"]).doUpdateSet({ role }))
    .execute();
}

export async function listPartners(store: Store, planId: number): Promise<PartnerOrganisation[]> {
  const rows = await store.db
    .selectFrom("plan_partner")
    .innerJoin("organisation", "organisation.id", "plan_partner.organisation_id")
    .select(["plan_partner.organisation_id", "plan_partner.role", "organisation.name", "organisation.kind"])
    .where("plan_partner.plan_id", "=", planId)
    .orderBy("organisation.name")
    .execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, name: r.name, kind: r.kind, role: r.role }));
}

export async function deletePartner(store: Store, planId: number, organisationId: number): Promise<number> {
  const r = await store.db
    .deleteFrom("plan_partner")
    .where("plan_id", "=", planId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The organisation's name, or null when there is no such organisation. */
export async function findOrganisationName(store: Store, organisationId: number): Promise<string | null> {
  const r = await store.db.selectFrom("organisation").select("name").where("id", "=", organisationId).executeTakeFirst();
  return r?.name ?? null;
}

/** The indicator's key, or null when there is no such indicator. */
export async function findIndicatorKey(store: Store, indicatorId: number): Promise<string | null> {
  const r = await store.db.selectFrom("indicator").select("key").where("id", "=", indicatorId).executeTakeFirst();
  return r?.key ?? null;
}
