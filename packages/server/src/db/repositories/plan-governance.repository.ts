import type { ConsultationResponse, DelegatedAmendment, PlanGovernance, PlanState } from "@safecity/core";
import type { Store } from "../database.ts";

/*
 * The governance record of a plan (migration 0005): its state, consultees, each meeting's date and
 * resolution, consultation responses and amendments made under Cabinet's delegation.
 */

export async function findGovernance(store: Store, planId: number): Promise<PlanGovernance | null> {
  const r = await store.db
    .selectFrom("plan")
    .select(["consultees", "cabinet_date", "cabinet_resolution", "council_date", "council_resolution", "published_date", "review_date"])
    .where("id", "=", planId)
    .executeTakeFirst();
  if (!r) return null;
  return {
    consultees: JSON.parse(r.consultees) as string[],
    cabinetDate: r.cabinet_date,
    cabinetResolution: r.cabinet_resolution,
    councilDate: r.council_date,
    councilResolution: r.council_resolution,
    publishedDate: r.published_date,
    reviewDate: r.review_date,
  };
}

/** A governance step: the new state and the fields it records. */
export interface GovernanceChange extends Partial<PlanGovernance> {
  state?: PlanState;
}

/** Records a governance step if the plan is still at `rowVersion`; returns rows changed (0 or 1). */
export async function updateGovernance(store: Store, planId: number, rowVersion: number, change: GovernanceChange, updatedAt: string): Promise<number> {
  const c: Record<string, string | null> = {};
  if (change.state !== undefined) c.state = change.state;
  if (change.consultees !== undefined) c.consultees = JSON.stringify(change.consultees);
  if (change.cabinetDate !== undefined) c.cabinet_date = change.cabinetDate;
  if (change.cabinetResolution !== undefined) c.cabinet_resolution = change.cabinetResolution;
  if (change.councilDate !== undefined) c.council_date = change.councilDate;
  if (change.councilResolution !== undefined) c.council_resolution = change.councilResolution;
  if (change.publishedDate !== undefined) c.published_date = change.publishedDate;
  if (change.reviewDate !== undefined) c.review_date = change.reviewDate;
  const r = await store.db
    .updateTable("plan")
    .set((eb) => ({ ...c, updated_at: updatedAt, row_version: eb("row_version", "+", 1) }))
    .where("id", "=", planId)
    .where("row_version", "=", rowVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface NewResponse {
  planId: number;
  consultee: string;
  date: string;
  summary: string;
  recordedBy: string;
  createdAt: string;
}

export async function insertResponse(store: Store, r: NewResponse): Promise<number> {
  const row = await store.db
    .insertInto("consultation_response")
    .values({ plan_id: r.planId, consultee: r.consultee, date: r.date, summary: r.summary, recorded_by: r.recordedBy, created_at: r.createdAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** In date order. */
export async function listResponses(store: Store, planId: number): Promise<ConsultationResponse[]> {
  const rows = await store.db
    .selectFrom("consultation_response")
    .select(["id", "plan_id", "consultee", "date", "summary"])
    .where("plan_id", "=", planId)
    .orderBy("date")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, planId: r.plan_id, consultee: r.consultee, date: r.date, summary: r.summary }));
}

export async function insertAmendment(store: Store, a: Omit<DelegatedAmendment, "id">): Promise<number> {
  const row = await store.db
    .insertInto("plan_amendment")
    .values({ plan_id: a.planId, date: a.date, by: a.by, post: a.post, summary: a.summary })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** In the order they were made. */
export async function listAmendments(store: Store, planId: number): Promise<DelegatedAmendment[]> {
  const rows = await store.db.selectFrom("plan_amendment").selectAll().where("plan_id", "=", planId).orderBy("date").orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, planId: r.plan_id, date: r.date, by: r.by, post: r.post, summary: r.summary }));
}
