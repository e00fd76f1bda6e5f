import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import {
  planTimeline,
  recordConsultationResponse,
  recordTimeline,
  setConsultees,
  startNextVersion,
  transition,
} from "../src/services/plan-governance.service.ts";
import {
  addAction,
  addLink,
  addPriority,
  addProgress,
  addTarget,
  getPlan,
  planDetail,
  setPartner,
  updateAction,
  updatePlanDetails,
} from "../src/services/plan.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { DELEGATION, draftPlan, planActors, toPublished, toRecommended } from "./support/plan-service-fixture.ts";

const NOW = new Date("2025-01-05T10:00:00.000Z");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`plan governance services on ${dialect}`, () => {
    let store: TestStore;
    let a: Awaited<ReturnType<typeof planActors>>;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      a = await planActors(store);
    });
    afterAll(() => store?.destroy());

    it("walks every transition, refusing each unmet condition with its reason and recording each step", async () => {
      const { plan } = await draftPlan(store, a.analyst, NOW);
      const refused = (p: Promise<unknown>, reason: string) => expect(p).rejects.toMatchObject({ code: "plan.invalid_transition", message: expect.stringContaining(reason) });

      await refused(transition(store, a.analyst, plan.id, { to: "approved", date: "2025-01-10", resolution: "x" }, NOW), "A plan that is draft (draft) cannot move to approved.");
      await refused(transition(store, a.analyst, plan.id, { to: "consultation", date: "2025-01-10" }, NOW), "No consultee is named");
      await expect(transition(store, a.viewer, plan.id, { to: "consultation", date: "2025-01-10", consultees: ["X"] }, NOW)).rejects.toMatchObject({ code: "plan.forbidden" });
      await expect(transition(store, a.councilEditor, plan.id, { to: "consultation", date: "2025-01-10", consultees: ["X"] }, NOW)).rejects.toMatchObject({ code: "plan.forbidden" });

      await setConsultees(store, a.analyst, plan.id, ["Children's Trust", " Children's Trust ", ""], NOW);
      let p = await transition(store, a.analyst, plan.id, { to: "consultation", date: "2025-01-10", consultees: ["Overview and Scrutiny Management Committee"] }, NOW);
      expect(p.state).toBe("consultation");
      expect((await planDetail(store, plan.id)).governance.consultees).toEqual(["Children's Trust", "Overview and Scrutiny Management Committee"]);

      // back to draft needs a note; then consultation again
      await refused(transition(store, a.analyst, plan.id, { to: "draft", date: "2025-01-11", note: " " }, NOW), "a note is required");
      p = await transition(store, a.analyst, plan.id, { to: "draft", date: "2025-01-11", note: "Add the youth violence action" }, NOW);
      expect(p.state).toBe("draft");
      await expect(recordConsultationResponse(store, a.analyst, plan.id, { consultee: "X", date: "2025-01-12", summary: "y" }, NOW)).rejects.toMatchObject({ code: "plan.locked" });
      await transition(store, a.analyst, plan.id, { to: "consultation", date: "2025-01-12" }, NOW);

      // Cabinet: response, IIA, resolution and delegation all required
      await refused(
        transition(store, a.analyst, plan.id, { to: "recommended", date: "2025-02-10", resolution: "" }, NOW),
        "No consultation response is recorded",
      );
      const response = await recordConsultationResponse(store, a.analyst, plan.id, { consultee: "Management Board", date: "2025-01-20", summary: "Agreed" }, NOW);
      expect(response).toMatchObject({ planId: plan.id, consultee: "Management Board", date: "2025-01-20", summary: "Agreed" });
      expect((await planDetail(store, plan.id)).governance.consultees).toContain("Management Board");
      await refused(
        transition(store, a.analyst, plan.id, { to: "recommended", date: "2025-02-10", resolution: "Recommend", delegation: DELEGATION }, NOW),
        "No Integrated Impact Assessment is recorded",
      );
      // a key decision needs 28 clear days' notice: 2025-01-12 to 2025-02-10 is 28 clear days
      const before = await getPlan(store, plan.id);
      await updatePlanDetails(
        store,
        a.analyst,
        plan.id,
        before.rowVersion,
        { keyDecision: true, forwardPlanNoticeDate: "2025-01-13", impactAssessment: { completed: true, date: "2025-02-01", summary: "No adverse impact", link: null } },
        NOW,
      );
      await refused(
        transition(store, a.analyst, plan.id, { to: "recommended", date: "2025-02-10", resolution: "Recommend", delegation: DELEGATION }, NOW),
        "27 clear days before Cabinet on 2025-02-10; a key decision needs 28",
      );
      const noticed = await getPlan(store, plan.id);
      await updatePlanDetails(store, a.analyst, plan.id, noticed.rowVersion, { forwardPlanNoticeDate: "2025-01-12" }, NOW);
      await refused(transition(store, a.analyst, plan.id, { to: "recommended", date: "2025-02-10", resolution: "Recommend" }, NOW), "Cabinet must delegate final amendments");
      p = await transition(store, a.analyst, plan.id, { to: "recommended", date: "2025-02-10", resolution: "Recommends the plan to Council", delegation: DELEGATION }, NOW);
      expect(p).toMatchObject({ state: "recommended", delegation: DELEGATION });
      expect((await planDetail(store, plan.id)).governance).toMatchObject({ cabinetDate: "2025-02-10", cabinetResolution: "Recommends the plan to Council" });

      // Council referred it back, then approved
      await transition(store, a.analyst, plan.id, { to: "draft", date: "2025-02-20", note: "Council referred it back" }, NOW);
      await transition(store, a.analyst, plan.id, { to: "consultation", date: "2025-02-21" }, NOW);
      await transition(store, a.analyst, plan.id, { to: "recommended", date: "2025-03-10", resolution: "Recommends the revised plan" }, NOW);
      await refused(transition(store, a.analyst, plan.id, { to: "approved", date: "2025-03-09", resolution: "Approves" }, NOW), "is before Cabinet on 2025-03-10");
      await refused(transition(store, a.analyst, plan.id, { to: "approved", date: "2025-03-20", resolution: "" }, NOW), "Record the text of Full Council's resolution");
      await transition(store, a.analyst, plan.id, { to: "approved", date: "2025-03-20", resolution: "Approves the plan" }, NOW);
      await refused(transition(store, a.analyst, plan.id, { to: "published", date: "2025-03-19" }, NOW), "must be on or after 2025-03-20");
      await transition(store, a.analyst, plan.id, { to: "published", date: "2025-03-25" }, NOW);
      await refused(transition(store, a.analyst, plan.id, { to: "draft", date: "2025-03-26", note: "x" }, NOW), "To change it, start the next annual version (new-year).");
      p = await transition(store, a.analyst, plan.id, { to: "review", date: "2026-02-01" }, NOW);
      expect(p.state).toBe("review");
      expect((await planDetail(store, plan.id)).governance).toEqual({
        consultees: ["Children's Trust", "Overview and Scrutiny Management Committee", "Management Board"],
        cabinetDate: "2025-03-10",
        cabinetResolution: "Recommends the revised plan",
        councilDate: "2025-03-20",
        councilResolution: "Approves the plan",
        publishedDate: "2025-03-25",
        reviewDate: "2026-02-01",
      });

      const steps = (await listAudit(store, { planId: plan.id, action: "plan.transition" })).reverse();
      expect(steps.map((s) => `${(s.before as { state: string }).state}->${(s.after as { state: string }).state}`)).toEqual([
        "draft->consultation",
        "consultation->draft",
        "draft->consultation",
        "consultation->recommended",
        "recommended->draft",
        "draft->consultation",
        "consultation->recommended",
        "recommended->approved",
        "approved->published",
        "published->review",
      ]);
      expect(steps[1]?.after).toMatchObject({ note: "Add the youth violence action", date: "2025-01-11" });
      const timeline = await planTimeline(store, plan.id);
      expect(timeline.some((r) => r.action === "plan.response.create" && r.target === `response:${response.id}`)).toBe(true);
      expect((await recordTimeline(store, `plan:${plan.id}`)).every((r) => r.planId === plan.id)).toBe(true);
    });

    it("refuses a step on a stale version of the plan", async () => {
      const { plan } = await draftPlan(store, a.analyst, NOW);
      await setConsultees(store, a.admin, plan.id, ["Children's Trust"], NOW);
      await expect(transition(store, a.analyst, plan.id, { to: "consultation", date: "2025-01-10" }, NOW, { rowVersion: 1 })).rejects.toMatchObject({
        code: "plan.conflict",
        message: expect.stringContaining(`Plan ${plan.id} was changed by admin@council.gov.uk at ${NOW.toISOString()}`),
      });
      expect((await getPlan(store, plan.id)).state).toBe("draft");
    });

    it("starts next year's version carrying priorities, open actions, targets, links and partners; publishing it supersedes the last", async () => {
      const { plan, priority } = await draftPlan(store, a.analyst, NOW);
      const p2 = await addPriority(store, a.analyst, plan.id, { title: "Reduce anti-social behaviour", evidence: [{ ref: "assessment:2025-12#keyMessage/4", text: "ASB up 3%" }] }, NOW);
      const action = (priorityId: number, title: string, owner: number) =>
        addAction(store, a.analyst, plan.id, { priorityId, title, ownerOrganisationId: owner, leadRole: "Manager", startDate: "2025-04-01", dueDate: "2026-03-31" }, NOW);
      const open1 = await action(priority.id, "Open on violence", a.council);
      const done = await action(priority.id, "Completed", a.council);
      const cancelled = await action(p2.id, "Cancelled", a.police);
      const open2 = await action(p2.id, "Open on ASB", a.police);
      await updateAction(store, a.analyst, open2.id, 1, { status: "at_risk", milestones: [{ title: "Funding", due: "2025-09-30", done: true }] }, NOW);
      const ind = await store.db
        .insertInto("indicator")
        .values({ key: `asb-${dialect}`, name: "ASB", unit: "count", polarity: "lower_is_better", period_type: "quarter", source: "imported" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await addTarget(store, a.analyst, plan.id, { priorityId: p2.id, indicatorId: ind.id, baselinePeriod: "2024-Q4", baselineValue: 300, kind: "value", targetValue: 280, deadline: "2026-Q1" }, NOW);
      await addTarget(store, a.analyst, plan.id, { priorityId: null, indicatorId: ind.id, baselinePeriod: "2024-Q4", baselineValue: 300, kind: "change_percent", targetValue: -5, deadline: "2026-Q1", tolerancePercent: 3 }, NOW);
      await addLink(store, a.analyst, plan.id, { kind: "plan", name: "Council Plan 2025-2028", url: "https://example.gov.uk/plan" }, NOW);
      await setPartner(store, a.analyst, plan.id, a.police, "responsible authority", NOW);

      await expect(startNextVersion(store, a.analyst, plan.id, NOW)).rejects.toMatchObject({
        code: "plan.invalid_transition",
        message: expect.stringContaining("only from a published plan or one in annual review"),
      });
      // complete and cancel two actions in monitoring after publication
      await toRecommended(store, a.analyst, plan.id, NOW);
      await toPublished(store, a.analyst, plan.id, NOW);
      await updateAction(store, a.councilEditor, done.id, 1, { status: "completed" }, NOW);
      await updateAction(store, a.policeEditor, cancelled.id, 1, { status: "cancelled" }, NOW);
      await expect(startNextVersion(store, a.councilEditor, plan.id, NOW)).rejects.toMatchObject({ code: "plan.forbidden" });

      const next = await startNextVersion(store, a.analyst, plan.id, NOW);
      expect(next).toMatchObject({ version: 2, previousId: plan.id, state: "draft", title: plan.title, periodFrom: "2025-04", periodTo: "2028-03", delegation: null, impactAssessment: null });
      await expect(startNextVersion(store, a.analyst, plan.id, NOW)).rejects.toMatchObject({ message: expect.stringContaining(`Version 2 (plan ${next.id}) was already started`) });

      const old = await planDetail(store, plan.id);
      const carried = await planDetail(store, next.id);
      expect(carried.priorities.map((p) => [p.position, p.title, p.evidence])).toEqual(old.priorities.map((p) => [p.position, p.title, p.evidence]));
      const newPriority = new Map(carried.priorities.map((p) => [p.title, p.id]));
      expect(carried.actions.map((x) => [x.title, x.status, x.ownerOrganisationId, x.priorityId, x.milestones])).toEqual([
        ["Open on violence", "not_started", a.council, newPriority.get("Reduce violent crime"), []],
        ["Open on ASB", "at_risk", a.police, newPriority.get("Reduce anti-social behaviour"), [{ title: "Funding", due: "2025-09-30", done: true }]],
      ]);
      expect(carried.actions.every((x) => x.progress.length === 0 && x.rowVersion === 1)).toBe(true);
      expect(carried.targets.map((t) => [t.priorityId, t.kind, t.targetValue, t.tolerancePercent])).toEqual([
        [newPriority.get("Reduce anti-social behaviour"), "value", 280, null],
        [null, "change_percent", -5, 3],
      ]);
      expect(carried.links.map((l) => l.name)).toEqual(["Council Plan 2025-2028"]);
      expect(carried.partners).toEqual(old.partners);
      expect(carried.governance.consultees).toEqual(old.governance.consultees);
      expect(carried.responses).toEqual([]);
      expect(open1.id).not.toBe(carried.actions[0]?.id);
      const newYearRows = await listAudit(store, { action: "plan.new_year" });
      expect(newYearRows.map((r) => r.planId).sort()).toEqual([plan.id, next.id].sort());
      expect(newYearRows[0]?.after).toEqual({ from: plan.id, version: 2, priorities: 2, actions: 2, targets: 2, planId: next.id });

      // the old version stays published until the new one is
      expect((await getPlan(store, plan.id)).state).toBe("published");
      await toRecommended(store, a.analyst, next.id, NOW);
      await toPublished(store, a.analyst, next.id, NOW);
      expect((await getPlan(store, plan.id)).state).toBe("superseded");
      const superseded = await listAudit(store, { planId: plan.id, action: "plan.supersede" });
      expect(superseded[0]).toMatchObject({ before: { state: "published" }, after: { state: "superseded", supersededBy: next.id } });
      // monitoring moves to the new version: the superseded one takes no more progress
      await expect(addProgress(store, a.councilEditor, open1.id, { date: "2025-06-01", status: "on_track", note: "x" }, NOW)).rejects.toMatchObject({
        code: "plan.locked",
        message: expect.stringContaining("This version is superseded; record progress on the current version"),
      });
      await expect(addProgress(store, a.councilEditor, carried.actions[0]!.id, { date: "2025-06-01", status: "on_track", note: "Going well" }, NOW)).resolves.toMatchObject({
        status: "on_track",
      });
      await expect(transition(store, a.analyst, plan.id, { to: "review", date: "2026-01-01" }, NOW)).rejects.toMatchObject({
        code: "plan.invalid_transition",
        message: expect.stringContaining("superseded"),
      });
    });
  });
}
