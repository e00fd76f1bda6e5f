import { AppError, type GrantAllocation, type GrantBudget, type GrantPayment, allocationCheck, budgetBalance, isIsoDate, paymentCheck, periodOfType } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { insertAudit, listAudit } from "../db/repositories/audit.repository.ts";
import {
  allocationById,
  allocationsOfBudgets,
  budgetById,
  budgetByName,
  budgetsOfPlan,
  insertAllocation,
  insertBudget,
  insertPayment,
  lockAllocation,
  lockBudget,
  paymentsOfAllocations,
  updateAllocation,
  updateBudgetAmount,
} from "../db/repositories/grant.repository.ts";
import { findAction } from "../db/repositories/plan-content.repository.ts";
import { findPlan } from "../db/repositories/plan.repository.ts";
import { findOrganisationByName } from "../db/repositories/user.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import type { Actor } from "./audit.ts";

/*
 * The community safety grants budget of a plan: a budget per financial year, allocations to
 * organisations (optionally linked to a key action), payments against them and what each grant
 * delivered. Allocations may not exceed the budget, nor payments the allocation
 * (`grant.over_allocation`). Every change writes its audit row (with the plan) in the same
 * transaction; a save naming an out-of-date row_version is refused (`plan.conflict`).
 */

export interface ChangeContext {
  actor: Actor;
  now: Date;
}

export interface AllocationWithPayments extends GrantAllocation {
  payments: GrantPayment[];
  paidPence: number;
  /** Allocated but not yet paid. */
  outstandingPence: number;
}

export interface BudgetWithAllocations extends GrantBudget {
  allocations: AllocationWithPayments[];
  allocatedPence: number;
  paidPence: number;
  /** Budget not yet allocated. */
  unallocatedPence: number;
}

export interface PlanGrants {
  planId: number;
  budgets: BudgetWithAllocations[];
  totals: { budgetPence: number; allocatedPence: number; paidPence: number; unallocatedPence: number };
}

/** Every budget of a plan with its allocations, payments and balances. */
export async function grantsOfPlan(store: Store, planId: number): Promise<PlanGrants> {
  await requirePlan(store, planId);
  const budgets = await budgetsOfPlan(store, planId);
  const allocations = await allocationsOfBudgets(
    store,
    budgets.map((b) => b.id),
  );
  const payments = await paymentsOfAllocations(
    store,
    allocations.map((a) => a.id),
  );
  const out: BudgetWithAllocations[] = budgets.map((b) => {
    const own = allocations
      .filter((a) => a.budgetId === b.id)
      .map((a) => {
        const paid = payments.filter((p) => p.allocationId === a.id);
        const paidPence = paid.reduce((s, p) => s + p.amountPence, 0);
        return { ...a, payments: paid, paidPence, outstandingPence: a.amountPence - paidPence };
      });
    const balance = budgetBalance(b, own, payments);
    return { ...b, allocations: own, allocatedPence: balance.allocatedPence, paidPence: balance.paidPence, unallocatedPence: balance.unallocatedPence };
  });
  const sum = (f: (b: BudgetWithAllocations) => number) => out.reduce((s, b) => s + f(b), 0);
  return {
    planId,
    budgets: out,
    totals: { budgetPence: sum((b) => b.amountPence), allocatedPence: sum((b) => b.allocatedPence), paidPence: sum((b) => b.paidPence), unallocatedPence: sum((b) => b.unallocatedPence) },
  };
}

/** Creates a budget for a plan and financial year (one per plan, year and name). */
export async function createBudget(store: Store, b: { planId: number; year: string; name: string; amountPence: number; demo?: boolean }, ctx: ChangeContext): Promise<GrantBudget> {
  const plan = await requirePlan(store, b.planId);
  periodOfType("financial_year", b.year, "--year");
  const name = b.name.trim();
  if (!name) throw new AppError("input.invalid", "give the budget a name, e.g. --name \"Community Safety Budget\"");
  requirePence(b.amountPence, "--amount", { allowZero: false });
  return inTransaction(store, async (tx) => {
    const existing = await budgetByName(tx, b.planId, b.year, name);
    if (existing) {
      throw new AppError("input.invalid", `plan ${b.planId} already has a budget "${name}" for ${b.year} (budget ${existing.id})`, {
        hint: "give another --name, or allocate from the existing budget with --budget",
      });
    }
    const id = await insertBudget(tx, { planId: b.planId, year: b.year, name, amountPence: b.amountPence, demo: b.demo ?? plan.demo });
    const budget = (await budgetById(tx, id))!;
    await auditGrant(tx, ctx, b.planId, "grant.budget.create", `grant_budget:${id}`, null, budget);
    return budget;
  });
}

/** Changes a budget's amount; refused below what is already allocated, or when the budget changed since `rowVersion`. */
export async function changeBudgetAmount(store: Store, c: { budgetId: number; rowVersion: number; amountPence: number }, ctx: ChangeContext): Promise<GrantBudget> {
  requirePence(c.amountPence, "--amount", { allowZero: true });
  return inTransaction(store, async (tx) => {
    const before = await requireBudget(tx, c.budgetId);
    await lockBudget(tx, c.budgetId);
    const allocations = await allocationsOfBudgets(tx, [c.budgetId]);
    const check = allocationCheck({ ...before, amountPence: c.amountPence }, allocations, 0);
    if (!check.ok) throw new AppError("grant.over_allocation", check.reason, { hint: "reduce or withdraw allocations first" });
    if (!(await updateBudgetAmount(tx, c.budgetId, c.rowVersion, c.amountPence))) throw await conflict(tx, `grant_budget:${c.budgetId}`, `budget ${c.budgetId}`);
    const after = (await budgetById(tx, c.budgetId))!;
    await auditGrant(tx, ctx, before.planId, "grant.budget.update", `grant_budget:${c.budgetId}`, before, after);
    return after;
  });
}

export interface NewAllocation {
  budgetId: number;
  /** The organisation's name as stored (partner organisations, voluntary groups). */
  organisation: string;
  actionId?: number | null;
  purpose: string;
  amountPence: number;
}

/** Allocates part of a budget to an organisation, optionally for one of the plan's actions; refused beyond the budget. */
export async function allocateGrant(store: Store, a: NewAllocation, ctx: ChangeContext): Promise<GrantAllocation> {
  requirePence(a.amountPence, "--amount", { allowZero: false });
  const purpose = a.purpose.trim();
  if (!purpose) throw new AppError("input.invalid", "say what the grant is for, e.g. --purpose \"Street pastors in the night-time economy\"");
  return inTransaction(store, async (tx) => {
    const budget = await requireBudget(tx, a.budgetId);
    const organisation = await findOrganisationByName(tx, a.organisation.trim());
    if (!organisation) {
      throw new AppError("input.invalid", `no organisation named "${a.organisation}"`, {
        hint: "use the name exactly as stored (`safecity user add --org …` or the plan's partners create organisations)",
      });
    }
    const actionId = a.actionId ?? null;
    if (actionId !== null) {
      const action = await findAction(tx, actionId);
      if (!action || action.planId !== budget.planId) {
        throw new AppError("input.invalid", `action ${actionId} is not an action of plan ${budget.planId}`, { hint: "`safecity plan show <id>` lists the plan's actions" });
      }
    }
    await lockBudget(tx, budget.id);
    const allocations = await allocationsOfBudgets(tx, [budget.id]);
    const check = allocationCheck(budget, allocations, a.amountPence);
    if (!check.ok) throw new AppError("grant.over_allocation", check.reason, { hint: "allocate less, or raise the budget first" });
    const id = await insertAllocation(tx, { budgetId: budget.id, organisationId: organisation.id, actionId, purpose, amountPence: a.amountPence });
    const allocation = (await allocationById(tx, id))!;
    await auditGrant(tx, ctx, budget.planId, "grant.allocation.create", `grant_allocation:${id}`, null, allocation);
    return allocation;
  });
}

/**
 * Changes an allocation's amount, purpose or what it delivered. A new amount may not take the
 * budget's allocations past the budget, nor fall below what has been paid.
 */
export async function changeAllocation(
  store: Store,
  c: { allocationId: number; rowVersion: number; amountPence?: number; purpose?: string; delivered?: string | null },
  ctx: ChangeContext,
): Promise<GrantAllocation> {
  if (c.amountPence !== undefined) requirePence(c.amountPence, "--amount", { allowZero: true });
  return inTransaction(store, async (tx) => {
    const before = await requireAllocation(tx, c.allocationId);
    const budget = (await budgetById(tx, before.budgetId))!;
    if (c.amountPence !== undefined) {
      await lockBudget(tx, budget.id);
      const others = (await allocationsOfBudgets(tx, [budget.id])).filter((x) => x.id !== before.id);
      const check = allocationCheck(budget, others, c.amountPence);
      if (!check.ok) throw new AppError("grant.over_allocation", check.reason, { hint: "allocate less, or raise the budget first" });
      const paid = await paymentsOfAllocations(tx, [before.id]);
      const pay = paymentCheck({ ...before, amountPence: c.amountPence }, paid, 0);
      if (!pay.ok) throw new AppError("grant.over_allocation", pay.reason, { hint: "an allocation cannot be less than what has been paid" });
    }
    const delivered = c.delivered === undefined ? undefined : c.delivered === null || c.delivered.trim() === "" ? null : c.delivered.trim();
    const ok = await updateAllocation(tx, before.id, c.rowVersion, { amountPence: c.amountPence, purpose: c.purpose?.trim(), delivered });
    if (!ok) throw await conflict(tx, `grant_allocation:${before.id}`, `allocation ${before.id}`);
    const after = (await allocationById(tx, before.id))!;
    await auditGrant(tx, ctx, budget.planId, "grant.allocation.update", `grant_allocation:${before.id}`, before, after);
    return after;
  });
}

/** Records what a grant delivered on the allocation as it stands now (the CLI's one-step edit; forms name the version they read through changeAllocation). */
export async function recordDelivered(store: Store, allocationId: number, delivered: string, ctx: ChangeContext): Promise<GrantAllocation> {
  const current = await requireAllocation(store, allocationId);
  return changeAllocation(store, { allocationId, rowVersion: current.rowVersion, delivered }, ctx);
}

/** Records a payment against an allocation; refused beyond what is left of the allocation. */
export async function payGrant(store: Store, p: { allocationId: number; amountPence: number; date: string; note?: string }, ctx: ChangeContext): Promise<GrantPayment> {
  requirePence(p.amountPence, "--amount", { allowZero: false });
  if (!isIsoDate(p.date)) throw new AppError("input.invalid", `--date must be a calendar date YYYY-MM-DD; got \`${p.date}\``);
  return inTransaction(store, async (tx) => {
    const allocation = await requireAllocation(tx, p.allocationId);
    const budget = (await budgetById(tx, allocation.budgetId))!;
    await lockAllocation(tx, allocation.id);
    const paid = await paymentsOfAllocations(tx, [allocation.id]);
    const check = paymentCheck(allocation, paid, p.amountPence);
    if (!check.ok) throw new AppError("grant.over_allocation", check.reason, { hint: "pay at most what is left of the allocation, or raise the allocation first" });
    const payment = { allocationId: allocation.id, date: p.date, amountPence: p.amountPence, note: p.note?.trim() ?? "" };
    const id = await insertPayment(tx, payment);
    await auditGrant(tx, ctx, budget.planId, "grant.payment.create", `grant_allocation:${allocation.id}`, null, { id, ...payment });
    return { id, ...payment };
  });
}

async function requirePlan(store: Store, planId: number) {
  const plan = await findPlan(store, planId);
  if (!plan) throw new AppError("plan.not_found", `no plan ${planId}`, { hint: "`safecity plan list` shows the plans" });
  return plan;
}

async function requireBudget(store: Store, id: number): Promise<GrantBudget> {
  const b = await budgetById(store, id);
  if (!b) throw new AppError("input.invalid", `no grant budget ${id}`, { hint: "`safecity grants show --plan <id>` lists the budgets" });
  return b;
}

async function requireAllocation(store: Store, id: number): Promise<GrantAllocation> {
  const a = await allocationById(store, id);
  if (!a) throw new AppError("input.invalid", `no grant allocation ${id}`, { hint: "`safecity grants show --plan <id>` lists the allocations" });
  return a;
}

function requirePence(pence: number, what: string, opts: { allowZero: boolean }): void {
  if (!Number.isSafeInteger(pence) || pence < 0 || (!opts.allowZero && pence === 0)) {
    throw new AppError("input.invalid", `${what} must be an amount of money in pounds and pence above zero, e.g. 1250.00`);
  }
}

/** The refusal of a save that names an out-of-date row_version: who saved first and when, from the audit trail. */
async function conflict(store: Store, target: string, what: string): Promise<AppError> {
  const [last] = await listAudit(store, { target, limit: 1 });
  const by = last ? ` by ${last.actor} at ${last.at}` : "";
  return new AppError("plan.conflict", `${what} was changed${by} since you opened it; reload and apply your change again`);
}

function auditGrant(store: Store, ctx: ChangeContext, planId: number, action: string, target: string, before: unknown, after: unknown): Promise<void> {
  return insertAudit(store, { at: ctx.now.toISOString(), actor: ctx.actor.label, action, target, before, after, ip: ctx.actor.ip, planId });
}
