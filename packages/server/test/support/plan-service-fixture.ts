import type { Store } from "../../src/db/database.ts";
import { insertOrganisation } from "../../src/db/repositories/user.repository.ts";
import type { PlanActor } from "../../src/services/plan-access.ts";
import { recordConsultationResponse, transition } from "../../src/services/plan-governance.service.ts";
import { addPriority, createPlan, getPlan, updatePlanDetails } from "../../src/services/plan.service.ts";

/** Actors of every role for plan service tests; editors belong to `council` or `police`. */
export async function planActors(store: Store) {
  const createdAt = "2025-01-01T00:00:00.000Z";
  const council = await insertOrganisation(store, { name: "Test Borough Council", kind: "council", createdAt });
  const police = await insertOrganisation(store, { name: "Test Constabulary", kind: "police", createdAt });
  const actor = (email: string, role: PlanActor["role"], organisationId: number | null = null): PlanActor => ({ label: email, ip: null, email, role, organisationId });
  return {
    council,
    police,
    admin: actor("admin@council.gov.uk", "admin"),
    analyst: actor("analyst@council.gov.uk", "analyst", council),
    councilEditor: actor("editor@council.gov.uk", "editor", council),
    policeEditor: actor("editor@police.uk", "editor", police),
    viewer: actor("viewer@council.gov.uk", "viewer", council),
    delegate: actor("director@council.gov.uk", "analyst", council),
  };
}

export const DELEGATION = { post: "Director of Environment and Economy", delegateEmail: "director@council.gov.uk", afterConsulting: "Cabinet Member for Communities" };

/** A draft plan with one priority, made through the services. */
export async function draftPlan(store: Store, by: PlanActor, now: Date) {
  const plan = await createPlan(store, by, { title: "Community Safety Partnership Plan 2025-2028", areaCode: "E22000001", periodFrom: "2025-04", periodTo: "2028-03" }, now);
  const priority = await addPriority(store, by, plan.id, { title: "Reduce violent crime", rationale: "Violence up 7% (key message 3)" }, now);
  return { plan, priority };
}

/** Takes a draft plan through consultation (one response, an IIA) to Cabinet's recommendation with the delegation. */
export async function toRecommended(store: Store, by: PlanActor, planId: number, now: Date): Promise<void> {
  await transition(store, by, planId, { to: "consultation", date: "2025-01-10", consultees: ["Overview and Scrutiny Management Committee"] }, now);
  await recordConsultationResponse(store, by, planId, { consultee: "Overview and Scrutiny Management Committee", date: "2025-01-20", summary: "Supports the three priorities" }, now);
  const plan = await getPlan(store, planId);
  await updatePlanDetails(store, by, planId, plan.rowVersion, { impactAssessment: { completed: true, date: "2025-01-25", summary: "No adverse impact", link: null } }, now);
  await transition(store, by, planId, { to: "recommended", date: "2025-02-10", resolution: "Recommends the plan to Council", delegation: DELEGATION }, now);
}

/** From recommended through Council to published. */
export async function toPublished(store: Store, by: PlanActor, planId: number, now: Date): Promise<void> {
  await transition(store, by, planId, { to: "approved", date: "2025-02-27", resolution: "Approves the plan (Policy Framework)" }, now);
  await transition(store, by, planId, { to: "published", date: "2025-03-03" }, now);
}
