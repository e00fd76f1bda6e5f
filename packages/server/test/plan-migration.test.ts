import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAudit, listAudit } from "../src/db/repositories/audit.repository.ts";
import { inTransaction } from "../src/db/transaction.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";

const PLAN_TABLES = [
  "plan",
  "plan_priority",
  "plan_action",
  "action_progress",
  "plan_target",
  "plan_link",
  "plan_partner",
  "consultation_response",
  "plan_amendment",
  "indicator",
  "indicator_value",
  "grant_budget",
  "grant_allocation",
  "grant_payment",
];

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`migration 0005 and transactions on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    it("creates every plan table, audit_log.plan_id and organisation.demo", async () => {
      const tables = await store.db.introspection.getTables();
      const names = tables.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(PLAN_TABLES));
      const columns = (table: string) => tables.find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];
      expect(columns("audit_log")).toContain("plan_id");
      expect(columns("organisation")).toContain("demo");
      for (const t of PLAN_TABLES.filter((t) => !["action_progress", "plan_partner", "consultation_response", "plan_amendment", "indicator_value", "grant_payment"].includes(t))) {
        expect(columns(t), t).toContain("row_version");
      }
    });

    it("keeps doubles exact (not float4) and defaults flags, versions and JSON lists", async () => {
      const org = await store.db
        .insertInto("organisation")
        .values({ name: "Council", kind: "council", created_at: "2026-01-01T00:00:00Z" })
        .returning(["id", "demo"])
        .executeTakeFirstOrThrow();
      expect(Number(org.demo)).toBe(0);
      const ind = await store.db
        .insertInto("indicator")
        .values({ key: "asb", name: "ASB", unit: "count", polarity: "lower_is_better", period_type: "quarter", source: "imported" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto("indicator_value")
        .values({ indicator_id: ind.id, area_code: "E22000001", period: "2025-Q1", value: 0.1 + 0.2, file: null, imported_at: "x" })
        .execute();
      const v = await store.db.selectFrom("indicator_value").select("value").executeTakeFirstOrThrow();
      expect(v.value).toBe(0.1 + 0.2);
      const plan = await store.db
        .insertInto("plan")
        .values({ title: "P", area_code: "E22000001", partnership_name: "CSP", period_from: "2025-04", period_to: "2028-03", created_at: "t", updated_at: "t" })
        .returningAll()
        .executeTakeFirstOrThrow();
      expect([plan.state, plan.version, plan.row_version, plan.consultees, Number(plan.key_decision)]).toEqual(["draft", 1, 1, "[]", 0]);
      const budget = await store.db
        .insertInto("grant_budget")
        .values({ plan_id: plan.id, year: "2025/26", name: "Community Safety Budget", amount_pence: 7_500_000 })
        .returning(["amount_pence"])
        .executeTakeFirstOrThrow();
      expect(Number(budget.amount_pence)).toBe(7_500_000);
      // unique (plan_id, year, name)
      await expect(
        store.db.insertInto("grant_budget").values({ plan_id: plan.id, year: "2025/26", name: "Community Safety Budget", amount_pence: 1 }).execute(),
      ).rejects.toThrow();
    });

    it("commits a transaction's writes together and rolls all of them back on error", async () => {
      const entry = { at: "2026-01-01T00:00:00Z", actor: "t", action: "plan.test", target: "plan:1", before: null, after: { a: 1 }, ip: null };
      await inTransaction(store, async (tx) => {
        await insertAudit(tx, { ...entry, planId: 41 });
        await insertAudit(tx, { ...entry, planId: 41, target: "action:2" });
      });
      await expect(
        inTransaction(store, async (tx) => {
          await insertAudit(tx, { ...entry, planId: 42 });
          // a nested call joins the outer transaction and is rolled back with it
          await inTransaction(tx, (inner) => insertAudit(inner, { ...entry, planId: 42 }));
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await listAudit(store, { planId: 42 })).toEqual([]);
      const plan41 = await listAudit(store, { planId: 41 });
      expect(plan41.map((e) => e.target)).toEqual(["action:2", "plan:1"]);
      expect(plan41[0]?.planId).toBe(41);
      expect((await listAudit(store, { target: "action:2" })).map((e) => e.planId)).toEqual([41]);
    });
  });
}
