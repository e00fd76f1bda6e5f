import type { Delegation, ImpactAssessment, Plan, PlanState } from "@safecity/core";
import type { Selectable, Updateable } from "kysely";
import type { Store } from "../database.ts";
import type { PlanTable } from "../schema.ts";

/*
 * Plans (migration 0005): the plan record itself. Content (priorities, actions, ...) is in
 * plan-content.repository.ts, the governance record in plan-governance.repository.ts.
 * Updates name the row_version they read and return how many rows changed (0: someone saved first).
 */

export interface NewPlan {
  title: string;
  areaCode: string;
  partnershipName: string;
  periodFrom: string;
  periodTo: string;
  version?: number;
  previousId?: number | null;
  state?: PlanState;
  assessmentRef?: string | null;
  statutoryBasis?: string;
  keyDecision?: boolean;
  forwardPlanNoticeDate?: string | null;
  impactAssessment?: ImpactAssessment | null;
  delegation?: Delegation | null;
  consultees?: string[];
  demo?: boolean;
  createdAt: string;
}

/** The plan fields an edit may change (content of the plan record, not its governance state). */
export interface PlanFields {
  title: string;
  areaCode: string;
  partnershipName: string;
  periodFrom: string;
  periodTo: string;
  assessmentRef: string | null;
  statutoryBasis: string;
  keyDecision: boolean;
  forwardPlanNoticeDate: string | null;
  impactAssessment: ImpactAssessment | null;
  delegation: Delegation | null;
}

type PlanRow = Selectable<PlanTable>;

export function toPlan(r: PlanRow): Plan {
  const iiaRecorded = Number(r.iia_completed) === 1 || r.iia_date !== null || r.iia_summary !== null || r.iia_link !== null;
  const delegationRecorded = r.delegation_post !== null || r.delegation_email !== null || r.delegation_after_consulting !== null;
  return {
    id: r.id,
    title: r.title,
    areaCode: r.area_code,
    partnershipName: r.partnership_name,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    version: r.version,
    previousId: r.previous_id,
    state: r.state as PlanState,
    assessmentRef: r.assessment_ref,
    statutoryBasis: r.statutory_basis,
    keyDecision: Number(r.key_decision) === 1,
    forwardPlanNoticeDate: r.forward_plan_notice_date,
    impactAssessment: iiaRecorded
      ? { completed: Number(r.iia_completed) === 1, date: r.iia_date, summary: r.iia_summary ?? "", link: r.iia_link }
      : null,
    delegation: delegationRecorded
      ? { post: r.delegation_post ?? "", delegateEmail: r.delegation_email ?? "", afterConsulting: r.delegation_after_consulting ?? "" }
      : null,
    demo: Number(r.demo) === 1,
    rowVersion: r.row_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Columns for the given fields (only those present), shared by insert and update. */
function planColumns(f: Partial<PlanFields>): Updateable<PlanTable> {
  const c: Updateable<PlanTable> = {};
  if (f.title !== undefined) c.title = f.title;
  if (f.areaCode !== undefined) c.area_code = f.areaCode;
  if (f.partnershipName !== undefined) c.partnership_name = f.partnershipName;
  if (f.periodFrom !== undefined) c.period_from = f.periodFrom;
  if (f.periodTo !== undefined) c.period_to = f.periodTo;
  if (f.assessmentRef !== undefined) c.assessment_ref = f.assessmentRef;
  if (f.statutoryBasis !== undefined) c.statutory_basis = f.statutoryBasis;
  if (f.keyDecision !== undefined) c.key_decision = f.keyDecision ? 1 : 0;
  if (f.forwardPlanNoticeDate !== undefined) c.forward_plan_notice_date = f.forwardPlanNoticeDate;
  if (f.impactAssessment !== undefined) {
    const i = f.impactAssessment;
    c.iia_completed = i?.completed ? 1 : 0;
    c.iia_date = i?.date ?? null;
    c.iia_summary = i ? i.summary : null;
    c.iia_link = i?.link ?? null;
  }
  if (f.delegation !== undefined) {
    const d = f.delegation;
    c.delegation_post = d?.post ?? null;
    c.delegation_email = d ? d.delegateEmail.trim().toLowerCase() : null;
    c.delegation_after_consulting = d?.afterConsulting ?? null;
  }
  return c;
}

export async function insertPlan(store: Store, p: NewPlan): Promise<number> {
  const r = await store.db
    .insertInto("plan")
    .values({
      title: p.title,
      area_code: p.areaCode,
      partnership_name: p.partnershipName,
      period_from: p.periodFrom,
      period_to: p.periodTo,
      ...planColumns(p),
      version: p.version ?? 1,
      previous_id: p.previousId ?? null,
      state: p.state ?? "draft",
      consultees: JSON.stringify(p.consultees ?? []),
      demo: p.demo ? 1 : 0,
      created_at: p.createdAt,
      updated_at: p.createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findPlan(store: Store, id: number): Promise<Plan | null> {
  const r = await store.db.selectFrom("plan").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toPlan(r) : null;
}

/** Newest first (by period, then version). */
export async function listPlans(store: Store): Promise<Plan[]> {
  const rows = await store.db.selectFrom("plan").selectAll().orderBy("period_from", "desc").orderBy("version", "desc").orderBy("id", "desc").execute();
  return rows.map(toPlan);
}

/** The later version carried forward from plan `id`, if any. */
export async function findNextVersion(store: Store, id: number): Promise<Plan | null> {
  const r = await store.db.selectFrom("plan").selectAll().where("previous_id", "=", id).orderBy("id", "desc").executeTakeFirst();
  return r ? toPlan(r) : null;
}

/** Changes the given fields if the plan is still at `rowVersion`; returns rows changed (0 or 1). */
export async function updatePlan(store: Store, id: number, rowVersion: number, fields: Partial<PlanFields>, updatedAt: string): Promise<number> {
  const r = await store.db
    .updateTable("plan")
    .set((eb) => ({ ...planColumns(fields), updated_at: updatedAt, row_version: eb("row_version", "+", 1) }))
    .where("id", "=", id)
    .where("row_version", "=", rowVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deletePlan(store: Store, id: number): Promise<number> {
  const r = await store.db.deleteFrom("plan").where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows);
}
