import type { Store } from "../../src/db/database.ts";
import { insertAction, insertPriority } from "../../src/db/repositories/plan-content.repository.ts";
import { insertPlan } from "../../src/db/repositories/plan.repository.ts";
import { insertOrganisation } from "../../src/db/repositories/user.repository.ts";

/** A small plan straight through the repositories: organisations, two priorities and their actions. */
export async function smallPlan(store: Store, opts: { areaCode: string; organisations: string[]; title?: string }) {
  const createdAt = "2025-04-01T09:00:00.000Z";
  const organisations = new Map<string, number>();
  for (const name of opts.organisations) {
    const existing = await store.db.selectFrom("organisation").select("id").where("name", "=", name).executeTakeFirst();
    organisations.set(name, existing ? existing.id : await insertOrganisation(store, { name, kind: "voluntary", createdAt }));
  }
  const planId = await insertPlan(store, {
    title: opts.title ?? "Community Safety Partnership Plan 2025-2028",
    areaCode: opts.areaCode,
    partnershipName: "Test Community Safety Partnership",
    periodFrom: "2025-04",
    periodTo: "2028-03",
    createdAt,
  });
  const priority = (position: number, title: string) =>
    insertPriority(store, planId, { position, title, rationale: "", evidence: [], areaCodes: [], years: ["2025/26"] });
  const priorities = [await priority(1, "Reduce violent crime"), await priority(2, "Reduce anti-social behaviour")];
  return { planId, priorities, organisations };
}

export async function addAction(
  store: Store,
  planId: number,
  priorityId: number,
  ownerOrganisationId: number,
  status: "not_started" | "on_track" | "at_risk" | "off_track" | "completed" | "cancelled" = "not_started",
): Promise<number> {
  return insertAction(store, planId, {
    priorityId,
    title: `Action of priority ${priorityId}`,
    ownerOrganisationId,
    leadRole: "Community Safety Manager",
    startDate: "2025-04-01",
    dueDate: "2026-03-31",
    milestones: [],
    status,
    budgetLine: null,
  });
}
