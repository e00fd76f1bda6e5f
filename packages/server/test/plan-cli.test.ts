import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { getPlan, planDetail, updatePlanDetails } from "../src/services/plan.service.ts";
import { recordConsultationResponse, transition } from "../src/services/plan-governance.service.ts";
import { addPriority, addTarget } from "../src/services/plan.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { planActors } from "./support/plan-service-fixture.ts";

const NOW = new Date("2025-01-05T10:00:00.000Z");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`safecity plan and audit on ${dialect}`, () => {
    let store: TestStore;
    const cli = (...args: string[]) => runCli(args, { ...store.env, SAFECITY_USER: "tester" });
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    // Each command is a child process; on a loaded machine one can take several seconds.
    it("creates a plan, refuses invalid transitions with the reason and a non-zero exit, takes it to publication and starts next year", { timeout: 600_000 }, async () => {
      const a = await planActors(store);
      const created = await cli("plan", "create", "--title", "Partnership Plan 2025-2028", "--area", "E22000001", "--from", "2025-04", "--to", "2028-03", "--json");
      expect(created.code, created.stderr).toBe(0);
      const id = (JSON.parse(created.stdout) as { id: number; state: string }).id;
      expect((await getPlan(store, id)).state).toBe("draft");

      // refusals, run side by side (each is a separate process)
      const [badMonth, refused, unknown, missing, early] = await Promise.all([
        cli("plan", "create", "--title", "X", "--area", "E1", "--from", "2025/04", "--to", "2028-03"),
        cli("plan", "transition", String(id), "consultation", "--date", "2025-01-10"),
        cli("plan", "transition", String(id), "cabinet", "--date", "2025-01-10"),
        cli("plan", "transition", "999999", "consultation"),
        cli("plan", "new-year", String(id)),
      ]);
      expect(badMonth.code).toBe(2);
      expect(badMonth.stderr).toContain("plan: First month must be YYYY-MM; got `2025/04` (periodFrom)");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("error: The plan has no priorities; add at least one priority before consultation.");
      expect(refused.stderr).toContain("No consultee is named");
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("The state to move to must be one of draft, consultation, recommended, approved, published, review; got `cabinet`.");
      expect(missing.code).toBe(4);
      expect(missing.stderr).toContain("No plan with id 999999");
      expect(early.code).toBe(2);
      expect(early.stderr).toContain("only from a published plan or one in annual review");
      expect((await getPlan(store, id)).state).toBe("draft");

      const priority = await addPriority(store, a.analyst, id, { title: "Reduce violent crime" }, NOW);
      // a target measured on an imported quarterly series: 100 a quarter in 2024, 90 in 2025-Q1
      const ind = await store.db
        .insertInto("indicator")
        .values({ key: "violence", name: "Violence", unit: "count", polarity: "lower_is_better", period_type: "quarter", tolerance_percent: 5, source: "imported" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const series = [["2024-Q1", 100], ["2024-Q2", 100], ["2024-Q3", 100], ["2024-Q4", 100], ["2025-Q1", 90]] as const;
      await store.db
        .insertInto("indicator_value")
        .values(series.map(([period, value]) => ({ indicator_id: ind.id, area_code: "E22000001", period, value, file: "test.csv", imported_at: NOW.toISOString() })))
        .execute();
      await addTarget(store, a.analyst, id, { priorityId: priority.id, indicatorId: ind.id, baselinePeriod: "2024-Q1", baselineValue: 100, kind: "value", targetValue: 80, deadline: "2026-Q1" }, NOW);
      const consult = await cli("plan", "transition", String(id), "consultation", "--date", "2025-01-10", "--consultee", "Children's Trust", "--consultee", "Overview and Scrutiny");
      expect(consult.code, consult.stderr).toBe(0);
      expect(consult.stdout).toContain(`Plan ${id} moved from draft to consultation on 2025-01-10`);
      await recordConsultationResponse(store, a.analyst, id, { consultee: "Children's Trust", date: "2025-01-20", summary: "Agreed" }, NOW);
      const p = await getPlan(store, id);
      await updatePlanDetails(store, a.analyst, id, p.rowVersion, { impactAssessment: { completed: true, date: "2025-01-25", summary: "None", link: null } }, NOW);
      const noDelegation = await cli("plan", "transition", String(id), "recommended", "--date", "2025-02-10", "--resolution", "Recommends the plan");
      expect(noDelegation.code).toBe(2);
      expect(noDelegation.stderr).toContain("Cabinet must delegate final amendments");
      const cabinet = await cli(
        "plan",
        "transition",
        String(id),
        "recommended",
        "--date",
        "2025-02-10",
        "--resolution",
        "Recommends the plan",
        "--delegate-post",
        "Director of Environment and Economy",
        "--delegate-email",
        "Director@Council.gov.uk",
        "--after-consulting",
        "Cabinet Member for Communities",
      );
      expect(cabinet.code, cabinet.stderr).toBe(0);
      expect((await getPlan(store, id)).delegation?.delegateEmail).toBe("director@council.gov.uk");
      const misplaced = await cli("plan", "transition", String(id), "published", "--date", "2025-03-01", "--resolution", "x");
      expect(misplaced.code).toBe(2);
      expect(misplaced.stderr).toContain("Options that do not apply to a move to published: --resolution");
      await transition(store, a.admin, id, { to: "approved", date: "2025-02-27", resolution: "Approves" }, NOW);
      const published = await cli("plan", "transition", String(id), "published", "--date", "2025-03-03", "--note", "On the website");
      expect(published.code, published.stderr).toBe(0);

      const [show, text] = await Promise.all([cli("plan", "show", String(id), "--json"), cli("plan", "show", String(id))]);
      expect(show.code, show.stderr).toBe(0);
      const detail = JSON.parse(show.stdout);
      expect(detail).toMatchObject({
        plan: { id, state: "published", version: 1 },
        governance: { consultees: ["Children's Trust", "Overview and Scrutiny"], cabinetDate: "2025-02-10", councilDate: "2025-02-27", publishedDate: "2025-03-03" },
        priorities: [{ title: "Reduce violent crime" }],
        responses: [{ consultee: "Children's Trust" }],
      });
      // latest 90 against a goal of 80 is 12.5% off (tolerance 5%) but down 10% on 2024-Q1: amber, improving;
      // least squares on x = 0..4, y = 100,100,100,100,90 gives y = 102 - 2x, so 86 at 2026-Q1 (x = 8)
      const performance = detail.targets[0].performance;
      expect(performance).toMatchObject({ goal: 80, latest: { period: "2025-Q1", value: 90 }, direction: "improving", rag: "amber" });
      expect(performance.change).toMatchObject({ from: { period: "2024-Q1", value: 100 }, absolute: -10, percent: -10 });
      expect(performance.forecast.period).toBe("2026-Q1");
      expect(performance.forecast.value).toBeCloseTo(86, 9);
      expect(text.stdout).toContain("Priority 1: Reduce violent crime");
      expect(text.stdout).toContain("Full Council 2025-02-27: Approves");
      expect(text.stdout).toContain("latest 90 (2025-Q1), improving, AMBER, forecast 86 by 2026-Q1");

      const next = await cli("plan", "new-year", String(id), "--json");
      expect(next.code, next.stderr).toBe(0);
      const nextId = (JSON.parse(next.stdout) as { id: number }).id;
      expect((await planDetail(store, nextId)).plan).toMatchObject({ version: 2, previousId: id, state: "draft" });

      const [list, audit, badAudit] = await Promise.all([cli("plan", "list", "--json"), cli("audit", "--plan", String(id), "--json"), cli("audit", "--plan", "999999")]);
      expect((JSON.parse(list.stdout) as { id: number }[]).map((x) => x.id).sort()).toEqual([id, nextId].sort());
      expect(audit.code, audit.stderr).toBe(0);
      const rows = JSON.parse(audit.stdout) as { actor: string; action: string; after: { note?: string; state?: string } }[];
      const cliRows = rows.filter((r) => r.actor === "cli:tester").map((r) => `${r.action} ${r.after?.state ?? ""}`.trim());
      expect(cliRows).toEqual(["plan.new_year", "plan.transition published", "plan.transition recommended", "plan.transition consultation", "plan.create draft"]);
      expect(rows.find((r) => r.after?.state === "published")?.after.note).toBe("On the website");
      expect(await listAudit(store, { planId: id })).toHaveLength(rows.length);
      expect(badAudit.code).toBe(4);
    });
  });
}
