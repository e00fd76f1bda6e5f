import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { inTransaction } from "../src/db/transaction.ts";
import {
  addAction,
  addLink,
  addProgress,
  addTarget,
  createPlan,
  getPlan,
  planDetail,
  removeAction,
  removeLink,
  removePartner,
  removePriority,
  removeTarget,
  setPartner,
  updateAction,
  updateLink,
  updatePriority,
  updateTarget,
  addPriority,
} from "../src/services/plan.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { DELEGATION, draftPlan, planActors, toPublished, toRecommended } from "./support/plan-service-fixture.ts";

const NOW = new Date("2025-01-05T10:00:00.000Z");
const LATER = new Date("2025-01-06T11:30:00.000Z");

const actionInput = (priorityId: number, ownerOrganisationId: number) => ({
  priorityId,
  title: "Late-night levy enforcement patrols",
  ownerOrganisationId,
  leadRole: "Licensing Manager",
  startDate: "2025-04-01",
  dueDate: "2026-03-31",
});

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`plan content services on ${dialect}`, () => {
    let store: TestStore;
    let a: Awaited<ReturnType<typeof planActors>>;
    let indicatorId: number;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      a = await planActors(store);
      const ind = await store.db
        .insertInto("indicator")
        .values({ key: "violence", name: "Violence against the person", unit: "count", polarity: "lower_is_better", period_type: "quarter", source: "imported" })
        .returning("id")
        .executeTakeFirstOrThrow();
      indicatorId = ind.id;
    });
    afterAll(() => store?.destroy());

    it("creates, updates and removes every kind of content, each with its audit row on the plan's timeline", async () => {
      const { plan, priority } = await draftPlan(store, a.analyst, NOW);
      expect(plan).toMatchObject({ state: "draft", version: 1, partnershipName: "E22000001", rowVersion: 1 });
      expect(priority).toMatchObject({ planId: plan.id, position: 1, title: "Reduce violent crime", rowVersion: 1 });

      const p2 = await addPriority(store, a.analyst, plan.id, { title: "Reduce ASB", years: ["2025/26", "2026/27"] }, NOW);
      expect(p2.position).toBe(2);
      const p2b = await updatePriority(store, a.analyst, p2.id, p2.rowVersion, { title: "Reduce anti-social behaviour" }, LATER);
      expect(p2b).toMatchObject({ title: "Reduce anti-social behaviour", years: ["2025/26", "2026/27"], rowVersion: 2 });

      const action = await addAction(store, a.analyst, plan.id, { ...actionInput(priority.id, a.council), milestones: [{ title: "Levy agreed", due: "2025-06-30", done: false }] }, NOW);
      expect(action).toMatchObject({ ownerOrganisationName: "Test Borough Council", status: "not_started", budgetLine: null, rowVersion: 1 });
      const moved = await updateAction(store, a.analyst, action.id, 1, { priorityId: p2.id, dueDate: "2026-06-30" }, LATER);
      expect(moved).toMatchObject({ priorityId: p2.id, dueDate: "2026-06-30", title: action.title, rowVersion: 2 });

      const target = await addTarget(
        store,
        a.analyst,
        plan.id,
        { priorityId: priority.id, indicatorId, baselinePeriod: "2024/25", baselineValue: 1200, kind: "change_percent", targetValue: -4, deadline: "2025/26" },
        NOW,
      );
      expect(target).toMatchObject({ kind: "change_percent", targetValue: -4, tolerancePercent: null, rowVersion: 1 });
      const target2 = await updateTarget(store, a.analyst, target.id, 1, { tolerancePercent: 2.5 }, LATER);
      expect(target2).toMatchObject({ tolerancePercent: 2.5, baselineValue: 1200, rowVersion: 2 });

      const link = await addLink(store, a.analyst, plan.id, { kind: "partnership", name: "Health and Wellbeing Board" }, NOW);
      expect(link).toMatchObject({ url: null, note: "", rowVersion: 1 });
      const link2 = await updateLink(store, a.analyst, link.id, 1, { url: "https://example.gov.uk/hwb" }, LATER);
      expect(link2.url).toBe("https://example.gov.uk/hwb");

      expect(await setPartner(store, a.analyst, plan.id, a.police, "responsible authority", NOW)).toEqual([
        { organisationId: a.police, name: "Test Constabulary", kind: "police", role: "responsible authority" },
      ]);

      const progress = await addProgress(store, a.analyst, action.id, { date: "2025-05-01", status: "on_track", note: "Patrols started" }, LATER);
      expect(progress).toMatchObject({ actionId: action.id, author: "analyst@council.gov.uk", status: "on_track" });

      const detail = await planDetail(store, plan.id);
      expect(detail.priorities.map((p) => p.title)).toEqual(["Reduce violent crime", "Reduce anti-social behaviour"]);
      expect(detail.actions).toHaveLength(1);
      expect(detail.actions[0]).toMatchObject({ status: "on_track", rowVersion: 3, progress: [{ note: "Patrols started" }] });
      expect(detail.targets[0]).toMatchObject({ id: target.id, performance: null });
      expect(detail.links).toHaveLength(1);
      expect(detail.partners).toHaveLength(1);

      // the audit rows, oldest first, each on the plan's timeline
      const rows = (await listAudit(store, { planId: plan.id })).reverse();
      expect(rows.map((r) => `${r.action} ${r.target}`)).toEqual([
        `plan.create plan:${plan.id}`,
        `plan.priority.create priority:${priority.id}`,
        `plan.priority.create priority:${p2.id}`,
        `plan.priority.update priority:${p2.id}`,
        `plan.action.create action:${action.id}`,
        `plan.action.update action:${action.id}`,
        `plan.target.create target:${target.id}`,
        `plan.target.update target:${target.id}`,
        `plan.link.create link:${link.id}`,
        `plan.link.update link:${link.id}`,
        `plan.partner.create partner:${plan.id}:${a.police}`,
        `plan.progress.create action:${action.id}`,
      ]);
      const priorityUpdate = rows[3]!;
      expect(priorityUpdate).toMatchObject({ actor: "analyst@council.gov.uk", at: LATER.toISOString(), planId: plan.id });
      expect(priorityUpdate.before).toMatchObject({ title: "Reduce ASB", rowVersion: 1 });
      expect(priorityUpdate.after).toMatchObject({ title: "Reduce anti-social behaviour", rowVersion: 2 });
      expect(rows[11]).toMatchObject({ before: { status: "not_started" }, after: { status: "on_track", note: "Patrols started" } });

      // removals, also audited
      const fresh = (await planDetail(store, plan.id)).actions[0]!;
      await expect(removePriority(store, a.analyst, p2.id, 2, NOW)).rejects.toMatchObject({ code: "input.invalid", message: expect.stringContaining("still has 1 key action") });
      await removeAction(store, a.analyst, fresh.id, fresh.rowVersion, NOW);
      await removePriority(store, a.analyst, p2.id, 2, NOW);
      await removeTarget(store, a.analyst, target.id, 2, NOW);
      await removeLink(store, a.analyst, link.id, 2, NOW);
      await removePartner(store, a.analyst, plan.id, a.police, NOW);
      const emptied = await planDetail(store, plan.id);
      expect([emptied.priorities.length, emptied.actions.length, emptied.targets.length, emptied.links.length, emptied.partners.length]).toEqual([1, 0, 0, 0, 0]);
      const latest = (await listAudit(store, { planId: plan.id, limit: 5 })).map((r) => r.action);
      expect(latest).toEqual(["plan.partner.delete", "plan.link.delete", "plan.target.delete", "plan.priority.delete", "plan.action.delete"]);
      expect((await listAudit(store, { target: `action:${action.id}` })).map((r) => r.action)).toEqual([
        "plan.action.delete",
        "plan.progress.create",
        "plan.action.update",
        "plan.action.create",
      ]);
    });

    it("writes the change and its audit row in one transaction: a failure leaves neither", async () => {
      const { plan, priority } = await draftPlan(store, a.analyst, NOW);
      const auditBefore = (await listAudit(store, { planId: plan.id })).length;
      await expect(
        inTransaction(store, async (tx) => {
          await addAction(tx, a.analyst, plan.id, actionInput(priority.id, a.council), NOW);
          throw new Error("the request failed after the change");
        }),
      ).rejects.toThrow("the request failed after the change");
      expect((await planDetail(store, plan.id)).actions).toEqual([]);
      expect(await listAudit(store, { planId: plan.id })).toHaveLength(auditBefore);
      // bad input: nothing written, no audit row
      await expect(addAction(store, a.analyst, plan.id, { ...actionInput(priority.id, a.council), dueDate: "2024-01-01" }, NOW)).rejects.toMatchObject({
        code: "input.invalid",
        problems: [{ field: "dueDate", message: "Due date 2024-01-01 is before the start date 2025-04-01" }],
      });
      await expect(addAction(store, a.analyst, plan.id, actionInput(priority.id, 999_999), NOW)).rejects.toMatchObject({ code: "input.invalid" });
      expect((await planDetail(store, plan.id)).actions).toEqual([]);
      expect(await listAudit(store, { planId: plan.id })).toHaveLength(auditBefore);
    });

    it("refuses the second of two saves of the same version, naming who changed it and when", async () => {
      const { plan, priority } = await draftPlan(store, a.analyst, NOW);
      const first = await getPlan(store, plan.id);
      expect(first.rowVersion).toBe(1);
      // two people read priority version 1; the first saves, the second is refused
      await updatePriority(store, a.admin, priority.id, 1, { rationale: "first" }, LATER);
      const refused = updatePriority(store, a.analyst, priority.id, 1, { rationale: "second" }, LATER);
      await expect(refused).rejects.toMatchObject({ code: "plan.conflict" });
      await expect(refused).rejects.toThrow(
        `Priority ${priority.id} was changed by admin@council.gov.uk at ${LATER.toISOString()} since you opened it (you read version 1, it is now version 2); reload it and apply your change again.`,
      );
      const detail = await planDetail(store, plan.id);
      expect(detail.priorities[0]).toMatchObject({ rationale: "first", rowVersion: 2 });
      expect((await listAudit(store, { target: `priority:${priority.id}` })).map((r) => r.actor)).toEqual(["admin@council.gov.uk", "analyst@council.gov.uk"]);
      // the same for an action and a removal
      const action = await addAction(store, a.analyst, plan.id, actionInput(priority.id, a.council), NOW);
      await updateAction(store, a.councilEditor, action.id, 1, { status: "at_risk" }, LATER);
      await expect(updateAction(store, a.analyst, action.id, 1, { status: "on_track" }, LATER)).rejects.toMatchObject({ code: "plan.conflict" });
      await expect(removeAction(store, a.analyst, action.id, 1, LATER)).rejects.toMatchObject({ code: "plan.conflict" });
    });

    it("lets editors update only their own organisation's actions and progress; viewers only read", async () => {
      const { plan, priority } = await draftPlan(store, a.analyst, NOW);
      const councils = await addAction(store, a.analyst, plan.id, actionInput(priority.id, a.council), NOW);
      const polices = await addAction(store, a.analyst, plan.id, actionInput(priority.id, a.police), NOW);

      const own = await updateAction(store, a.councilEditor, councils.id, 1, { status: "on_track", milestones: [{ title: "Levy agreed", due: "2025-06-30", done: true }] }, NOW);
      expect(own).toMatchObject({ status: "on_track", milestones: [{ done: true }] });
      await addProgress(store, a.councilEditor, councils.id, { date: "2025-05-01", status: "at_risk", note: "Staff shortage" }, NOW);

      await expect(updateAction(store, a.councilEditor, polices.id, 1, { status: "on_track" }, NOW)).rejects.toMatchObject({
        code: "plan.forbidden",
        message: `You (editor@council.gov.uk) may not update action ${polices.id}: action ${polices.id} is owned by Test Constabulary, and editors update only their own organisation's actions.`,
      });
      await expect(addProgress(store, a.councilEditor, polices.id, { date: "2025-05-01", status: "on_track", note: "x" }, NOW)).rejects.toMatchObject({ code: "plan.forbidden" });
      await expect(addProgress(store, a.policeEditor, polices.id, { date: "2025-05-01", status: "on_track", note: "Started" }, NOW)).resolves.toMatchObject({ author: "editor@police.uk" });
      // content (title, owner, dates) is for analysts and admins, even on an editor's own action
      await expect(updateAction(store, a.councilEditor, councils.id, 3, { title: "Renamed" }, NOW)).rejects.toMatchObject({
        code: "plan.forbidden",
        message: expect.stringContaining("Only analysts and administrators may change a plan's priorities"),
      });
      await expect(addPriority(store, a.councilEditor, plan.id, { title: "Mine" }, NOW)).rejects.toMatchObject({ code: "plan.forbidden" });
      await expect(addPriority(store, a.viewer, plan.id, { title: "Mine" }, NOW)).rejects.toMatchObject({ code: "plan.forbidden" });
      await expect(updateAction(store, a.viewer, councils.id, 3, { status: "completed" }, NOW)).rejects.toMatchObject({
        code: "plan.forbidden",
        message: expect.stringContaining("viewers can read the plan but not change it"),
      });
      await expect(createPlan(store, a.councilEditor, { title: "T", areaCode: "E1", periodFrom: "2025-04", periodTo: "2026-03" }, NOW)).rejects.toMatchObject({ code: "plan.forbidden" });
      const refusedRows = (await listAudit(store, { planId: plan.id })).filter((r) => r.actor === "viewer@council.gov.uk");
      expect(refusedRows).toEqual([]);
    });

    it("locks content by state: delegated amendments only by the delegate and listed; monitoring goes on after approval", async () => {
      const { plan, priority } = await draftPlan(store, a.analyst, NOW);
      const action = await addAction(store, a.analyst, plan.id, actionInput(priority.id, a.council), NOW);
      await toRecommended(store, a.analyst, plan.id, NOW);
      expect((await getPlan(store, plan.id)).delegation).toEqual(DELEGATION);

      // recommended: the admin is not the delegate
      await expect(updatePriority(store, a.admin, priority.id, priority.rowVersion, { title: "Reduce serious violence" }, LATER)).rejects.toMatchObject({
        code: "plan.forbidden",
        message: "Only Director of Environment and Economy (director@council.gov.uk) may amend the plan under Cabinet's delegation, after consulting Cabinet Member for Communities.",
      });
      const amended = await updatePriority(store, a.delegate, priority.id, priority.rowVersion, { title: "Reduce serious violence" }, LATER, {
        amendment: "Priority 1 renamed after consulting the Cabinet Member",
      });
      expect(amended.title).toBe("Reduce serious violence");
      await addTarget(store, a.delegate, plan.id, { indicatorId, baselinePeriod: "2024/25", baselineValue: 10, kind: "value", targetValue: 8, deadline: "2025/26" }, LATER);
      const detail = await planDetail(store, plan.id);
      expect(detail.amendments).toEqual([
        { id: expect.any(Number), planId: plan.id, date: "2025-01-06", by: "director@council.gov.uk", post: DELEGATION.post, summary: "Priority 1 renamed after consulting the Cabinet Member" },
        { id: expect.any(Number), planId: plan.id, date: "2025-01-06", by: "director@council.gov.uk", post: DELEGATION.post, summary: "Added a target on indicator " + indicatorId },
      ]);
      const amendmentRows = await listAudit(store, { planId: plan.id, action: "plan.amendment.create" });
      expect(amendmentRows).toHaveLength(2);
      expect(amendmentRows[1]?.after).toMatchObject({ change: "plan.priority.update", target: `priority:${priority.id}` });
      // monitoring is not an amendment
      await updateAction(store, a.councilEditor, action.id, action.rowVersion, { status: "on_track" }, LATER);
      expect((await planDetail(store, plan.id)).amendments).toHaveLength(2);

      await toPublished(store, a.analyst, plan.id, LATER);
      await expect(addPriority(store, a.admin, plan.id, { title: "Late" }, LATER)).rejects.toMatchObject({
        code: "plan.locked",
        message: `Plan ${plan.id} is published (published): its content is locked. Action progress and status can still be recorded.`,
      });
      await expect(updatePriority(store, a.delegate, priority.id, amended.rowVersion, { title: "x" }, LATER)).rejects.toMatchObject({ code: "plan.locked" });
      await expect(updateAction(store, a.councilEditor, action.id, 2, { title: "x" }, LATER)).rejects.toMatchObject({ code: "plan.forbidden" });
      // progress and status go on
      await expect(addProgress(store, a.councilEditor, action.id, { date: "2025-06-30", status: "completed", note: "Done" }, LATER)).resolves.toMatchObject({ status: "completed" });
    });
  });
}
