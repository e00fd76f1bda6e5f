/**
 * Grant money rules (docs/decisions/0005-partnership-plan.md, "Money"): pence are whole numbers;
 * a budget's allocations may not exceed the budget; an allocation's payments may not exceed the
 * allocation. Each check returns ok or the reason, with the amount that would still fit.
 */
import { formatCount } from "../analytics/stats/format.ts";
import type { GrantAllocation, GrantBudget, GrantPayment } from "./plan.types.ts";
import type { RuleResult } from "./governance.ts";

/** 7500000 -> "£75,000"; 12345 -> "£123.45"; -500 -> "-£5". */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}£${formatCount(abs / 100, abs % 100 === 0 ? 0 : 2)}`;
}

/** Why `amount` is not a whole number of pence of 0 or more (positive unless `allowZero`), or null when it is. */
export function penceProblem(amount: number, what = "amount", allowZero = false): string | null {
  if (!Number.isSafeInteger(amount)) return `${what} must be a whole number of pence (e.g. 750000 for £7,500); got ${amount}.`;
  if (amount < 0 || (amount === 0 && !allowZero)) return `${what} must be ${allowZero ? "0 or more" : "more than 0"} pence; got ${amount}.`;
  return null;
}

const sum = (xs: ReadonlyArray<{ amountPence: number }>) => xs.reduce((s, x) => s + x.amountPence, 0);
const budgetName = (b: Partial<Pick<GrantBudget, "name" | "year">>) => (b.name ? ` "${b.name}"${b.year ? ` (${b.year})` : ""}` : "");

/**
 * May `newAmountPence` more be allocated from `budget`, given its `existing` allocations? 0 checks
 * the existing allocations alone (as when the budget itself is lowered).
 */
export function allocationCheck(
  budget: Pick<GrantBudget, "amountPence"> & Partial<Pick<GrantBudget, "name" | "year">>,
  existing: ReadonlyArray<Pick<GrantAllocation, "amountPence">>,
  newAmountPence: number,
): RuleResult {
  const bad = penceProblem(newAmountPence, "The amount to allocate", true) ?? penceProblem(budget.amountPence, "The budget", true);
  if (bad) return { ok: false, reason: bad };
  const allocated = sum(existing);
  const total = allocated + newAmountPence;
  if (total <= budget.amountPence) return { ok: true };
  const room = Math.max(0, budget.amountPence - allocated);
  if (newAmountPence === 0)
    return {
      ok: false,
      reason: `The budget${budgetName(budget)} of ${formatPence(budget.amountPence)} is less than the ${formatPence(allocated)} already allocated from it.`,
    };
  return {
    ok: false,
    reason: `Allocating ${formatPence(newAmountPence)} would take the budget${budgetName(budget)} to ${formatPence(total)} allocated of ${formatPence(budget.amountPence)}; ${formatPence(allocated)} is already allocated, so at most ${formatPence(room)} more can be.`,
  };
}

/** May `newAmountPence` more be paid on `allocation`, given its `payments`? 0 checks the payments alone (as when the allocation is lowered). */
export function paymentCheck(
  allocation: Pick<GrantAllocation, "amountPence"> & Partial<Pick<GrantAllocation, "id" | "organisationName">>,
  payments: ReadonlyArray<Pick<GrantPayment, "amountPence">>,
  newAmountPence: number,
): RuleResult {
  const bad = penceProblem(newAmountPence, "The amount to pay", true) ?? penceProblem(allocation.amountPence, "The allocation", true);
  if (bad) return { ok: false, reason: bad };
  const paid = sum(payments);
  const total = paid + newAmountPence;
  if (total <= allocation.amountPence) return { ok: true };
  const which = allocation.organisationName ? ` to ${allocation.organisationName}` : allocation.id !== undefined ? ` ${allocation.id}` : "";
  if (newAmountPence === 0)
    return { ok: false, reason: `The allocation${which} of ${formatPence(allocation.amountPence)} is less than the ${formatPence(paid)} already paid on it.` };
  return {
    ok: false,
    reason: `Paying ${formatPence(newAmountPence)} would take the allocation${which} to ${formatPence(total)} paid of ${formatPence(allocation.amountPence)}; ${formatPence(paid)} is already paid, so at most ${formatPence(Math.max(0, allocation.amountPence - paid))} more can be.`,
  };
}

export interface BudgetBalance {
  budgetPence: number;
  allocatedPence: number;
  /** Paid on this budget's allocations. */
  paidPence: number;
  /** Budget not yet allocated: budget - allocated. */
  unallocatedPence: number;
  /** Allocated but not yet paid: allocated - paid. */
  unpaidPence: number;
  /** Budget not yet paid out: budget - paid. */
  remainingPence: number;
}

/** A budget's balance; payments of allocations from other budgets are ignored. */
export function budgetBalance(
  budget: Pick<GrantBudget, "amountPence">,
  allocations: ReadonlyArray<Pick<GrantAllocation, "id" | "amountPence">>,
  payments: ReadonlyArray<Pick<GrantPayment, "allocationId" | "amountPence">>,
): BudgetBalance {
  const ids = new Set(allocations.map((a) => a.id));
  const allocatedPence = sum(allocations);
  const paidPence = sum(payments.filter((p) => ids.has(p.allocationId)));
  return {
    budgetPence: budget.amountPence,
    allocatedPence,
    paidPence,
    unallocatedPence: budget.amountPence - allocatedPence,
    unpaidPence: allocatedPence - paidPence,
    remainingPence: budget.amountPence - paidPence,
  };
}
