import type { GrantAllocation, GrantBudget, GrantPayment } from "@safecity/core";
import { sql } from "kysely";
import type { Store } from "../database.ts";

/* The grants budget (migration 0005): budgets per plan and year, allocations, payments. Money in whole pence. */

const budgetColumns = ["id", "plan_id", "year", "name", "amount_pence", "demo", "row_version"] as const;

function toBudget(r: { id: number; plan_id: number; year: string; name: string; amount_pence: number; demo: number; row_version: number }): GrantBudget {
  return {
    id: Number(r.id),
    planId: Number(r.plan_id),
    year: r.year,
    name: r.name,
    amountPence: Number(r.amount_pence),
    demo: Number(r.demo) === 1,
    rowVersion: Number(r.row_version),
  };
}

export async function insertBudget(store: Store, b: Omit<GrantBudget, "id" | "rowVersion">): Promise<number> {
  const r = await store.db
    .insertInto("grant_budget")
    .values({ plan_id: b.planId, year: b.year, name: b.name, amount_pence: b.amountPence, demo: b.demo ? 1 : 0 })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function budgetById(store: Store, id: number): Promise<GrantBudget | null> {
  const r = await store.db.selectFrom("grant_budget").select(budgetColumns).where("id", "=", id).executeTakeFirst();
  return r ? toBudget(r) : null;
}

export async function budgetByName(store: Store, planId: number, year: string, name: string): Promise<GrantBudget | null> {
  const r = await store.db
    .selectFrom("grant_budget")
    .select(budgetColumns)
    .where("plan_id", "=", planId)
    .where("year", "=", year)
    .where("name", "=", name)
    .executeTakeFirst();
  return r ? toBudget(r) : null;
}

export async function budgetsOfPlan(store: Store, planId: number): Promise<GrantBudget[]> {
  const rows = await store.db.selectFrom("grant_budget").select(budgetColumns).where("plan_id", "=", planId).orderBy("year").orderBy("name").execute();
  return rows.map(toBudget);
}

/** Sets a budget's amount if it is still at `rowVersion`; false when someone saved first. */
export async function updateBudgetAmount(store: Store, id: number, rowVersion: number, amountPence: number): Promise<boolean> {
  const r = await store.db
    .updateTable("grant_budget")
    .set({ amount_pence: amountPence, row_version: sql`row_version + 1` })
    .where("id", "=", id)
    .where("row_version", "=", rowVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Holds the budget row until the transaction ends (a no-op update: a row lock on PostgreSQL, the
 * write lock on SQLite), so two allocations from one budget cannot both pass the balance check.
 */
export async function lockBudget(store: Store, id: number): Promise<void> {
  await store.db.updateTable("grant_budget").set({ row_version: sql`row_version` }).where("id", "=", id).execute();
}

/** Holds the allocation row until the transaction ends, as `lockBudget`. */
export async function lockAllocation(store: Store, id: number): Promise<void> {
  await store.db.updateTable("grant_allocation").set({ row_version: sql`row_version` }).where("id", "=", id).execute();
}

function allocationQuery(store: Store) {
  return store.db
    .selectFrom("grant_allocation as a")
    .innerJoin("organisation as o", "o.id", "a.organisation_id")
    .select(["a.id", "a.budget_id", "a.organisation_id", "o.name as organisation_name", "a.action_id", "a.purpose", "a.amount_pence", "a.delivered", "a.row_version"]);
}

function toAllocation(r: {
  id: number;
  budget_id: number;
  organisation_id: number;
  organisation_name: string;
  action_id: number | null;
  purpose: string;
  amount_pence: number;
  delivered: string | null;
  row_version: number;
}): GrantAllocation {
  return {
    id: Number(r.id),
    budgetId: Number(r.budget_id),
    organisationId: Number(r.organisation_id),
    organisationName: r.organisation_name,
    actionId: r.action_id === null ? null : Number(r.action_id),
    purpose: r.purpose,
    amountPence: Number(r.amount_pence),
    delivered: r.delivered,
    rowVersion: Number(r.row_version),
  };
}

export async function insertAllocation(
  store: Store,
  a: { budgetId: number; organisationId: number; actionId: number | null; purpose: string; amountPence: number },
): Promise<number> {
  const r = await store.db
    .insertInto("grant_allocation")
    .values({ budget_id: a.budgetId, organisation_id: a.organisationId, action_id: a.actionId, purpose: a.purpose, amount_pence: a.amountPence })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function allocationById(store: Store, id: number): Promise<GrantAllocation | null> {
  const r = await allocationQuery(store).where("a.id", "=", id).executeTakeFirst();
  return r ? toAllocation(r) : null;
}

export async function allocationsOfBudgets(store: Store, budgetIds: readonly number[]): Promise<GrantAllocation[]> {
  if (budgetIds.length === 0) return [];
  const rows = await allocationQuery(store).where("a.budget_id", "in", [...budgetIds]).orderBy("a.budget_id").orderBy("a.id").execute();
  return rows.map(toAllocation);
}

/** Changes an allocation's amount, purpose or delivery note if still at `rowVersion`; false when someone saved first. */
export async function updateAllocation(
  store: Store,
  id: number,
  rowVersion: number,
  change: { amountPence?: number; purpose?: string; delivered?: string | null },
): Promise<boolean> {
  const r = await store.db
    .updateTable("grant_allocation")
    .set({
      ...(change.amountPence !== undefined ? { amount_pence: change.amountPence } : {}),
      ...(change.purpose !== undefined ? { purpose: change.purpose } : {}),
      ...(change.delivered !== undefined ? { delivered: change.delivered } : {}),
      row_version: sql`row_version + 1`,
    })
    .where("id", "=", id)
    .where("row_version", "=", rowVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertPayment(store: Store, p: Omit<GrantPayment, "id">): Promise<number> {
  const r = await store.db
    .insertInto("grant_payment")
    .values({ allocation_id: p.allocationId, date: p.date, amount_pence: p.amountPence, note: p.note })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function paymentsOfAllocations(store: Store, allocationIds: readonly number[]): Promise<GrantPayment[]> {
  if (allocationIds.length === 0) return [];
  const rows = await store.db
    .selectFrom("grant_payment")
    .select(["id", "allocation_id", "date", "amount_pence", "note"])
    .where("allocation_id", "in", [...allocationIds])
    .orderBy("allocation_id")
    .orderBy("date")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: Number(r.id), allocationId: Number(r.allocation_id), date: r.date, amountPence: Number(r.amount_pence), note: r.note }));
}
