import { AppError } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { inTransaction } from "../src/db/transaction.ts";
import { allocateGrant, changeAllocation, changeBudgetAmount, createBudget, grantsOfPlan, payGrant } from "../src/services/grant.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { addAction, smallPlan } from "./support/indicator-plan-fixture.ts";

const analyst = { actor: { label: "analyst@example.org", ip: "192.0.2.1" }, now: new Date("2025-05-01T10:00:00Z") };
const other = { actor: { label: "other@example.org", ip: null }, now: new Date("2025-05-02T11:00:00Z") };
const GROUPS = ["Street Pastors", "Youth Club Trust", "Women's Aid", "Neighbourhood Watch"];

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Until a PostgreSQL session of this store waits on a lock on grant_budget (bounded: 500 checks). */
async function waitForLockWait(store: TestStore): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await sql<{ n: number }>`select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%grant_budget%' and datname = current_database()`.execute(store.db);
    if (Number(r.rows[0]!.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`grants on ${dialect}`, () => {
    let store: TestStore;
    let plan: Awaited<ReturnType<typeof smallPlan>>;
    let budgetId: number;
    const allocations: number[] = [];
    beforeAll(async () => {
      store = await openTestStore(dialect);
      plan = await smallPlan(store, { areaCode: "E06000045", organisations: GROUPS });
    });
    afterAll(() => store?.destroy());

    const countRows = async (table: "grant_allocation" | "grant_payment") =>
      Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

    it("creates a £75,000 budget for 2025/26, audited with the plan", async () => {
      const b = await createBudget(store, { planId: plan.planId, year: "2025/26", name: "Community Safety Budget", amountPence: 7_500_000 }, analyst);
      budgetId = b.id;
      expect(b).toMatchObject({ planId: plan.planId, year: "2025/26", amountPence: 7_500_000, rowVersion: 1, demo: false });
      const [row] = await listAudit(store, { planId: plan.planId });
      expect(row).toMatchObject({ action: "grant.budget.create", actor: "analyst@example.org", target: `grant_budget:${b.id}`, planId: plan.planId, before: null });
      expect(row!.after).toMatchObject({ amountPence: 7_500_000, name: "Community Safety Budget" });
      const dup = await refusal(createBudget(store, { planId: plan.planId, year: "2025/26", name: "Community Safety Budget", amountPence: 100 }, analyst));
      expect(dup.message).toMatch(/already has a budget "Community Safety Budget" for 2025\/26/);
      expect((await refusal(createBudget(store, { planId: plan.planId, year: "2025/27", name: "X", amountPence: 100 }, analyst))).message).toMatch(/write 2025\/26/);
      expect((await refusal(createBudget(store, { planId: 999, year: "2025/26", name: "X", amountPence: 100 }, analyst))).code).toBe("plan.not_found");
    });

    it("allocates the whole budget to four groups, one linked to an action, and refuses a penny more", async () => {
      const actionId = await addAction(store, plan.planId, plan.priorities[0]!, plan.organisations.get("Street Pastors")!);
      const amounts = [2_000_000, 2_500_000, 1_850_000, 1_150_000]; // £20,000 + £25,000 + £18,500 + £11,500 = £75,000
      for (const [i, name] of GROUPS.entries()) {
        const a = await allocateGrant(store, { budgetId, organisation: name, actionId: i === 0 ? actionId : null, purpose: `Grant to ${name}`, amountPence: amounts[i]! }, analyst);
        expect(a).toMatchObject({ organisationName: name, amountPence: amounts[i], actionId: i === 0 ? actionId : null, delivered: null });
        allocations.push(a.id);
      }
      const e = await refusal(allocateGrant(store, { budgetId, organisation: "Street Pastors", purpose: "More", amountPence: 1 }, analyst));
      expect(e.code).toBe("grant.over_allocation");
      expect(e.message).toBe(
        'Allocating £0.01 would take the budget "Community Safety Budget" (2025/26) to £75,000.01 allocated of £75,000; £75,000 is already allocated, so at most £0 more can be.',
      );
      expect(await countRows("grant_allocation")).toBe(4);
      const audit = await listAudit(store, { planId: plan.planId, action: "grant.allocation.create" });
      expect(audit).toHaveLength(4);
      expect(audit.map((r) => r.target).sort()).toEqual(allocations.map((id) => `grant_allocation:${id}`).sort());

      const unknown = await refusal(allocateGrant(store, { budgetId, organisation: "Nobody Ltd", purpose: "x", amountPence: 1 }, analyst));
      expect(unknown.message).toMatch(/no organisation named "Nobody Ltd"/);
      const otherPlan = await smallPlan(store, { areaCode: "E06000045", organisations: ["Street Pastors"], title: "Another plan" });
      const foreign = await addAction(store, otherPlan.planId, otherPlan.priorities[0]!, plan.organisations.get("Street Pastors")!);
      expect((await refusal(allocateGrant(store, { budgetId, organisation: "Street Pastors", actionId: foreign, purpose: "x", amountPence: 1 }, analyst))).message).toMatch(
        new RegExp(`action ${foreign} is not an action of plan ${plan.planId}`),
      );
    });

    it("pays up to the allocation and no further; balances add up", async () => {
      const first = allocations[0]!; // £20,000
      await payGrant(store, { allocationId: first, amountPence: 1_000_000, date: "2025-06-01", note: "first half" }, analyst);
      const over = await refusal(payGrant(store, { allocationId: first, amountPence: 1_000_001, date: "2025-09-01" }, analyst));
      expect(over.code).toBe("grant.over_allocation");
      expect(over.message).toMatch(/at most £10,000 more can be/);
      await payGrant(store, { allocationId: first, amountPence: 1_000_000, date: "2025-10-01" }, analyst);
      await payGrant(store, { allocationId: allocations[1]!, amountPence: 1_250_050, date: "2025-07-15" }, analyst);
      expect(await countRows("grant_payment")).toBe(3);
      expect((await refusal(payGrant(store, { allocationId: first, amountPence: 1, date: "2025-13-01" }, analyst))).message).toMatch(/--date must be a calendar date/);

      const g = await grantsOfPlan(store, plan.planId);
      expect(g.budgets).toHaveLength(1);
      const b = g.budgets[0]!;
      expect(b).toMatchObject({ amountPence: 7_500_000, allocatedPence: 7_500_000, paidPence: 2_000_000 + 1_250_050, unallocatedPence: 0 });
      expect(b.allocations.map((a) => [a.paidPence, a.outstandingPence])).toEqual([
        [2_000_000, 0],
        [1_250_050, 2_500_000 - 1_250_050],
        [0, 1_850_000],
        [0, 1_150_000],
      ]);
      expect(g.totals).toEqual({ budgetPence: 7_500_000, allocatedPence: 7_500_000, paidPence: 3_250_050, unallocatedPence: 0 });
      const payments = await listAudit(store, { planId: plan.planId, action: "grant.payment.create" });
      expect(payments.map((p) => (p.after as { amountPence: number }).amountPence).sort()).toEqual([1_000_000, 1_000_000, 1_250_050]);
    });

    it("refuses lowering a budget below its allocations, or an allocation below its payments", async () => {
      const budget = await refusal(changeBudgetAmount(store, { budgetId, rowVersion: 1, amountPence: 7_000_000 }, analyst));
      expect(budget.code).toBe("grant.over_allocation");
      expect(budget.message).toMatch(/less than the £75,000 already allocated/);
      const alloc = await refusal(changeAllocation(store, { allocationId: allocations[1]!, rowVersion: 1, amountPence: 1_000_000 }, analyst));
      expect(alloc.code).toBe("grant.over_allocation");
      expect(alloc.message).toMatch(/less than the £12,500.50 already paid/);
      const raised = await changeBudgetAmount(store, { budgetId, rowVersion: 1, amountPence: 8_000_000 }, analyst);
      expect(raised).toMatchObject({ amountPence: 8_000_000, rowVersion: 2 });
      const [row] = await listAudit(store, { target: `grant_budget:${budgetId}`, limit: 1 });
      expect(row).toMatchObject({ action: "grant.budget.update", before: { amountPence: 7_500_000, rowVersion: 1 }, after: { amountPence: 8_000_000, rowVersion: 2 } });
    });

    it("records what a grant delivered; a save from an out-of-date copy is refused naming who saved first", async () => {
      const id = allocations[2]!;
      const saved = await changeAllocation(store, { allocationId: id, rowVersion: 1, delivered: "120 young people reached; 3 diversion schemes" }, other);
      expect(saved).toMatchObject({ delivered: "120 young people reached; 3 diversion schemes", rowVersion: 2 });
      const stale = await refusal(changeAllocation(store, { allocationId: id, rowVersion: 1, purpose: "Something else" }, analyst));
      expect(stale.code).toBe("plan.conflict");
      expect(stale.message).toBe(`allocation ${id} was changed by other@example.org at 2025-05-02T11:00:00.000Z since you opened it; reload and apply your change again`);
      const [row] = await listAudit(store, { target: `grant_allocation:${id}`, limit: 1 });
      expect(row).toMatchObject({ action: "grant.allocation.update", actor: "other@example.org", before: { delivered: null }, after: { delivered: "120 young people reached; 3 diversion schemes" } });
      expect((await grantsOfPlan(store, plan.planId)).budgets[0]!.allocations[2]!.purpose).toBe("Grant to Women's Aid");
    });

    it("an allocation waits for one in flight from the same budget and is then refused: never both", async () => {
      // £5,000 left (budget raised to £80,000). A transaction allocates £3,000 and holds; a second
      // £3,000 allocation starts meanwhile. It must wait for the first (the budget row lock) and
      // then see it; without the lock it would read the old balance and over-allocate.
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let second: Promise<unknown> | undefined;
      const first = inTransaction(store, async (tx) => {
        await allocateGrant(tx, { budgetId, organisation: "Street Pastors", purpose: "Top-up", amountPence: 300_000 }, analyst);
        second = allocateGrant(store, { budgetId, organisation: "Neighbourhood Watch", purpose: "Top-up", amountPence: 300_000 }, analyst).then(
          () => "made",
          (e: AppError) => e.code,
        );
        if (dialect === "postgres") await waitForLockWait(store);
        release();
        await held;
      });
      await first;
      expect(await second).toBe("grant.over_allocation");
      expect((await grantsOfPlan(store, plan.planId)).totals.allocatedPence).toBe(7_800_000);
    });
  });
}
