import { describe, expect, it } from "vitest";
import { allocationCheck, budgetBalance, formatPence, paymentCheck } from "./grants.ts";

const budget = { amountPence: 7_500_000, name: "Community Safety Budget", year: "2025/26" };
const allocations = [
  { id: 1, amountPence: 2_500_000 },
  { id: 2, amountPence: 2_000_000 },
  { id: 3, amountPence: 1_500_000 },
];

describe("formatPence", () => {
  it("writes pounds, with pence only when there are some", () => {
    expect(formatPence(7_500_000)).toBe("£75,000");
    expect(formatPence(12_345)).toBe("£123.45");
    expect(formatPence(5)).toBe("£0.05");
    expect(formatPence(-500)).toBe("-£5");
  });
});

describe("allocationCheck", () => {
  // 25,000 + 20,000 + 15,000 = £60,000 allocated of £75,000: £15,000 left.
  it("allows up to the budget exactly", () => {
    expect(allocationCheck(budget, allocations, 1_500_000)).toEqual({ ok: true });
    expect(allocationCheck(budget, [], 7_500_000)).toEqual({ ok: true });
  });
  it("refuses over-allocation by a penny and says how much fits", () => {
    expect(allocationCheck(budget, allocations, 1_500_001)).toEqual({
      ok: false,
      reason:
        'Allocating £15,000.01 would take the budget "Community Safety Budget" (2025/26) to £75,000.01 allocated of £75,000; £60,000 is already allocated, so at most £15,000 more can be.',
    });
  });
  it("checks a lowered budget against what is allocated", () => {
    expect(allocationCheck({ amountPence: 6_000_000 }, allocations, 0)).toEqual({ ok: true });
    expect(allocationCheck({ amountPence: 5_999_999 }, allocations, 0)).toEqual({ ok: false, reason: "The budget of £59,999.99 is less than the £60,000 already allocated from it." });
  });
  it("refuses amounts that are not whole pence of 0 or more", () => {
    expect(allocationCheck(budget, [], 10.5)).toEqual({ ok: false, reason: "The amount to allocate must be a whole number of pence (e.g. 750000 for £7,500); got 10.5." });
    expect(allocationCheck(budget, [], -1)).toEqual({ ok: false, reason: "The amount to allocate must be 0 or more pence; got -1." });
    expect(allocationCheck({ amountPence: Number.NaN }, [], 1).ok).toBe(false);
  });
});

describe("paymentCheck", () => {
  const allocation = { id: 4, organisationName: "Street Pastors", amountPence: 1_000_000 };
  it("allows payments up to the allocation and refuses beyond", () => {
    expect(paymentCheck(allocation, [{ amountPence: 600_000 }], 400_000)).toEqual({ ok: true });
    expect(paymentCheck(allocation, [{ amountPence: 600_000 }], 400_001)).toEqual({
      ok: false,
      reason: "Paying £4,000.01 would take the allocation to Street Pastors to £10,000.01 paid of £10,000; £6,000 is already paid, so at most £4,000 more can be.",
    });
    expect(paymentCheck({ amountPence: 500_000 }, [{ amountPence: 600_000 }], 0)).toEqual({ ok: false, reason: "The allocation of £5,000 is less than the £6,000 already paid on it." });
    expect(paymentCheck(allocation, [], 0.5).ok).toBe(false);
  });
});

describe("budgetBalance", () => {
  it("adds up allocations and their payments, ignoring other budgets' payments", () => {
    const payments = [
      { allocationId: 1, amountPence: 1_000_000 },
      { allocationId: 1, amountPence: 500_000 },
      { allocationId: 3, amountPence: 250_000 },
      { allocationId: 99, amountPence: 9_999_999 },
    ];
    expect(budgetBalance(budget, allocations, payments)).toEqual({
      budgetPence: 7_500_000,
      allocatedPence: 6_000_000,
      paidPence: 1_750_000,
      unallocatedPence: 1_500_000,
      unpaidPence: 4_250_000,
      remainingPence: 5_750_000,
    });
    expect(budgetBalance(budget, [], [])).toMatchObject({ allocatedPence: 0, paidPence: 0, unallocatedPence: 7_500_000 });
  });
});
