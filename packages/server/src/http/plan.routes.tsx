import { AppError, type KeyAction, type Milestone, planEditability, type Target } from "@safecity/core";
import { Hono } from "hono";
import { listIndicators } from "../services/indicator.service.ts";
import {
  addAction,
  addLink,
  addPriority,
  addProgress,
  addTarget,
  removeAction,
  removeLink,
  removePartner,
  removePriority,
  removeTarget,
  setPartner,
  updateAction,
  updatePlanDetails,
  updatePriority,
  updateTarget,
} from "../services/plan.service.ts";
import { listOrganisations } from "../services/user.service.ts";
import { ErrorSummary, Notice } from "./components.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { loadPlanPage, planAction, planConsultees, planList, planNextVersion, planResponse, planTransition, startPlan } from "./plan-data.ts";
import type { FormState } from "./plan-form-kit.tsx";
import { PlanListPage } from "./plan-list-page.tsx";
import { PlanPage, type PlanPermissions } from "./plan-page.tsx";
import {
  handlePost,
  idField,
  idParam,
  isManager,
  listField,
  numberField,
  PLAN_NOTICES,
  planActor,
  readSubmission,
  requireRowVersion,
  type Submission,
} from "./plan-route-kit.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

/**
 * `/plans` and `/plans/:id`: the list of plans with the new-plan form, and one plan with its
 * governance steps, priorities, key actions, targets, read-across, partners, consultation and
 * amendments. Posts follow post/redirect/get; the services check access and editability, so a
 * refusal (an editor on another organisation's action: 403) comes from them with its reason, and
 * refusals the user can fix (bad input, a stale row_version, a refused governance step) come back
 * on the page with an error summary.
 */
export function planRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const none = (c: AppContext): FormState => ({ csrf: c.var.csrfToken, failed: null });

  app.get("/plans", requireRole("viewer"), (c) => renderList(c, none(c)));
  app.post("/plans", requireRole("analyst"), async (c) => {
    const sub = await readSubmission(c);
    let created = 0;
    return handlePost(
      c,
      sub,
      async () => {
        created = (await startPlan(c, sub.values)).id;
      },
      "", // replaced below: the new plan's page
      (fs, status) => renderList(c, fs, status),
      "title",
    ).then((res) => (res.status === 303 ? c.redirect(`/plans/${created}?done=created`, 303) : res));
  });

  app.get("/plans/:id", requireRole("viewer"), (c) => renderPlan(c, none(c)));

  /** A post on plan `:id` that goes back to the plan page. */
  const post = (path: string, role: "editor" | "analyst", done: string, firstField: string, run: (c: AppContext, planId: number, s: Submission) => Promise<unknown>) =>
    app.post(`/plans/:id${path}`, requireRole(role), async (c) => {
      const planId = idParam(c, "id", "plan");
      const sub = await readSubmission(c);
      return handlePost(c, sub, () => run(c, planId, sub), `/plans/${planId}?done=${done}`, (fs, status) => renderPlan(c, fs, status), firstField);
    });
  const now = (c: AppContext) => c.var.deps.now();

  post("/transition", "analyst", "transition", "date", (c, planId, s) => planTransition(c, planId, requireRowVersion(s), s.values));
  post("/responses", "analyst", "response", "consultee", (c, planId, s) => planResponse(c, planId, s.values));
  post("/details", "analyst", "saved", "title", async (c, planId, s) => {
    const v = s.values;
    const iia = v.iiaCompleted === "yes" || v.iiaDate || v.iiaSummary || v.iiaLink;
    const delegation = v.delegationPost || v.delegateEmail || v.afterConsulting;
    await updatePlanDetails(
      c.var.deps.store,
      planActor(c),
      planId,
      requireRowVersion(s),
      {
        title: v.title ?? "",
        statutoryBasis: v.statutoryBasis ?? "",
        assessmentRef: v.assessmentRef || null,
        keyDecision: v.keyDecision === "yes",
        forwardPlanNoticeDate: v.forwardPlanNoticeDate || null,
        impactAssessment: iia ? { completed: v.iiaCompleted === "yes", date: v.iiaDate || null, summary: v.iiaSummary ?? "", link: v.iiaLink || null } : null,
        delegation: delegation ? { post: v.delegationPost ?? "", delegateEmail: v.delegateEmail ?? "", afterConsulting: v.afterConsulting ?? "" } : null,
      },
      now(c),
    );
    await planConsultees(c, planId, listField(v, "consultees"));
  });
  app.post("/plans/:id/new-version", requireRole("analyst"), async (c) => {
    const next = await planNextVersion(c, idParam(c, "id", "plan"));
    return c.redirect(`/plans/${next.id}?done=version`, 303);
  });
  post("/priorities", "analyst", "priority", "title", (c, planId, s) => addPriority(c.var.deps.store, planActor(c), planId, priorityInput(s), now(c)));
  post("/priorities/:priorityId", "analyst", "priority", "title", (c, _planId, s) =>
    updatePriority(c.var.deps.store, planActor(c), idParam(c, "priorityId", "priority"), requireRowVersion(s), priorityInput(s), now(c)),
  );
  post("/actions", "analyst", "action", "title", (c, planId, s) => addAction(c.var.deps.store, planActor(c), planId, actionInput(s), now(c)));
  post("/actions/:actionId", "analyst", "action", "title", (c, _planId, s) =>
    updateAction(c.var.deps.store, planActor(c), idParam(c, "actionId", "action"), requireRowVersion(s), { ...actionInput(s), status: s.values.status as KeyAction["status"] }, now(c)),
  );
  // Editors too: the service lets the owning organisation's editors (and analysts, admins) record progress, and refuses anyone else with the reason.
  post("/actions/:actionId/progress", "editor", "progress", "note", async (c, planId, s) => {
    const action = await planAction(c.var.deps.store, planId, idParam(c, "actionId", "action"));
    return addProgress(c.var.deps.store, planActor(c), action.id, { date: s.values.date ?? "", status: s.values.status as KeyAction["status"], note: s.values.note ?? "" }, now(c));
  });
  // Editors too, for their own organisation's actions (the service decides): which milestones are done.
  post("/actions/:actionId/milestones", "editor", "milestones", "done", async (c, planId, s) => {
    const actionId = idParam(c, "actionId", "action");
    const action = await planAction(c.var.deps.store, planId, actionId);
    const done = new Set(s.lists.done ?? []);
    const milestones = action.milestones.map((m, i) => ({ ...m, done: done.has(String(i)) }));
    return updateAction(c.var.deps.store, planActor(c), actionId, requireRowVersion(s), { milestones }, now(c));
  });
  post("/targets", "analyst", "target", "indicatorId", (c, planId, s) => addTarget(c.var.deps.store, planActor(c), planId, targetInput(s), now(c)));
  post("/targets/:targetId", "analyst", "target", "indicatorId", (c, _planId, s) =>
    updateTarget(c.var.deps.store, planActor(c), idParam(c, "targetId", "target"), requireRowVersion(s), targetInput(s), now(c)),
  );
  post("/links", "analyst", "link", "name", (c, planId, s) =>
    addLink(c.var.deps.store, planActor(c), planId, { kind: s.values.kind as "plan" | "partnership", name: s.values.name ?? "", url: s.values.url || null, note: s.values.note ?? "" }, now(c)),
  );
  post("/partners", "analyst", "partner", "role", (c, planId, s) =>
    setPartner(c.var.deps.store, planActor(c), planId, idField(s.values, "organisationId", "organisation")!, s.values.role ?? "", now(c)),
  );
  post("/priorities/:priorityId/remove", "analyst", "removed", "button", (c, _planId, s) =>
    removePriority(c.var.deps.store, planActor(c), idParam(c, "priorityId", "priority"), requireRowVersion(s), now(c)),
  );
  post("/actions/:actionId/remove", "analyst", "removed", "button", (c, _planId, s) =>
    removeAction(c.var.deps.store, planActor(c), idParam(c, "actionId", "action"), requireRowVersion(s), now(c)),
  );
  post("/targets/:targetId/remove", "analyst", "removed", "button", (c, _planId, s) =>
    removeTarget(c.var.deps.store, planActor(c), idParam(c, "targetId", "target"), requireRowVersion(s), now(c)),
  );
  post("/links/:linkId/remove", "analyst", "removed", "button", (c, _planId, s) =>
    removeLink(c.var.deps.store, planActor(c), idParam(c, "linkId", "link"), requireRowVersion(s), now(c)),
  );
  post("/partners/:organisationId/remove", "analyst", "removed", "button", (c, planId) =>
    removePartner(c.var.deps.store, planActor(c), planId, idParam(c, "organisationId", "organisation"), now(c)),
  );
  return app;
}

function priorityInput(s: Submission) {
  const v = s.values;
  return { title: v.title ?? "", rationale: v.rationale ?? "", years: listField(v, "years", /,/), areaCodes: listField(v, "areaCodes", /,/) };
}

function actionInput(s: Submission) {
  const v = s.values;
  return {
    priorityId: idField(v, "priorityId", "priority")!,
    title: v.title ?? "",
    ownerOrganisationId: idField(v, "ownerOrganisationId", "owner organisation")!,
    leadRole: v.leadRole ?? "",
    startDate: v.startDate ?? "",
    dueDate: v.dueDate ?? "",
    budgetLine: v.budgetLine || null,
    milestones: parseMilestones(v.milestones ?? ""),
  };
}

/**
 * The action form's milestones, one per line: `2025-09-30 Levy consultation closes`, `[x]` first
 * when done. A line that does not start with a date is refused with its number.
 */
export function parseMilestones(text: string): Milestone[] {
  const out: Milestone[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\[x\]\s*)?(\d{4}-\d{2}-\d{2})\s+(.+)$/i.exec(line);
    if (!m) {
      const message = `Milestone line ${i + 1} must be the due date then the title, e.g. 2025-09-30 Levy consultation closes; got "${line}"`;
      throw new AppError("input.invalid", message, { problems: [{ file: "form", field: "milestones", message }] });
    }
    out.push({ title: m[3]!.trim(), due: m[2]!, done: Boolean(m[1]) });
  }
  return out;
}

function targetInput(s: Submission) {
  const v = s.values;
  return {
    indicatorId: idField(v, "indicatorId", "indicator")!,
    priorityId: idField(v, "priorityId", "priority", { optional: true }),
    baselinePeriod: v.baselinePeriod ?? "",
    baselineValue: numberField(v, "baselineValue", "Baseline value")!,
    kind: (v.kind === "value" ? "value" : v.kind === "change_percent" ? "change_percent" : v.kind) as Target["kind"],
    targetValue: numberField(v, "targetValue", "Target")!,
    deadline: v.deadline ?? "",
    tolerancePercent: numberField(v, "tolerancePercent", "Tolerance", { optional: true }),
  };
}

async function renderList(c: AppContext, fs: FormState, status: 200 | 400 | 404 | 409 | 422 = 200) {
  const plans = await planList(c);
  const errors = fs.failed?.errors ?? [];
  return page(c, "Partnership plans", <PlanListPage plans={plans} canCreate={isManager(c)} fs={fs} errors={errors} />, { status, hasError: errors.length > 0 });
}

async function renderPlan(c: AppContext, fs: FormState, status: 200 | 400 | 404 | 409 | 422 = 200) {
  const store = c.var.deps.store;
  const planId = idParam(c, "id", "plan");
  const data = await loadPlanPage(c, planId);
  const manager = isManager(c);
  const user = c.var.user!;
  const editability = planEditability(data.plan.state);
  const isDelegate = data.plan.delegation?.delegateEmail.trim().toLowerCase() === user.email.toLowerCase();
  const can: PlanPermissions = {
    editContent: (manager && editability === "open") || (editability === "delegated" && isDelegate),
    governance: manager && data.plan.state !== "superseded",
    publishSite: user.role === "admin" ? { dir: c.var.deps.publishDir } : null,
    progress: (a) => data.plan.state !== "superseded" && (manager || (user.role === "editor" && user.organisation?.id === a.ownerOrganisationId)),
  };
  const [organisations, indicators] = can.editContent ? await Promise.all([listOrganisations(store), listIndicators(store)]) : [[], []];
  const errors = fs.failed?.errors ?? [];
  return page(
    c,
    data.plan.title,
    <>
      <ErrorSummary errors={errors} />
      <Notice text={PLAN_NOTICES[c.req.query("done") ?? ""]} />
      <PlanPage data={data} can={can} extras={{ organisations, indicators }} fs={fs} />
    </>,
    { status, hasError: errors.length > 0 },
  );
}
