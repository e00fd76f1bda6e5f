import { AppError, poundsToPence } from "@safecity/core";
import { Hono } from "hono";
import { allocateGrant, changeAllocation, changeBudgetAmount, createBudget, grantsOfPlan, payGrant } from "../services/grant.service.ts";
import { listOrganisations } from "../services/user.service.ts";
import { ErrorSummary, Notice } from "./components.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { AllocationForm, BudgetForm, BudgetSection, PaymentForm } from "./grants-view.tsx";
import { money, PlanHeading, PlanTabs, SummaryList } from "./plan-components.tsx";
import type { FormState } from "./plan-form-kit.tsx";
import { handlePost, idField, idParam, isManager, PLAN_NOTICES, readSubmission, requireRowVersion, type Submission } from "./plan-route-kit.ts";
import { planSummary } from "./plan-data.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

/**
 * `/plans/:id/grants`: the plan's community safety budget per year, allocations to organisations
 * (linked to key actions), payments, balances and what each grant delivered; analysts and admins
 * add budgets, allocate, pay and record what was delivered. Over-allocation is refused on the form.
 */
export function grantsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/plans/:id/grants", requireRole("viewer"), (c) => renderGrants(c, { csrf: c.var.csrfToken, failed: null }));

  const ctx = (c: AppContext) => ({ actor: { label: c.var.user!.email, ip: c.var.deps.clientIp(c) }, now: c.var.deps.now() });
  const post = (path: string, done: string, run: (c: AppContext, planId: number, s: Submission) => Promise<unknown>, firstField: string) =>
    app.post(`/plans/:id/grants/${path}`, requireRole("analyst"), async (c) => {
      const planId = idParam(c, "id", "plan");
      const sub = await readSubmission(c);
      return handlePost(c, sub, () => run(c, planId, sub), `/plans/${planId}/grants?done=${done}`, (fs, status) => renderGrants(c, fs, status), firstField);
    });

  post("budgets", "budget", (c, planId, s) => createBudget(c.var.deps.store, { planId, year: s.values.year ?? "", name: s.values.name ?? "", amountPence: pence(s.values.amount, "amount") }, ctx(c)), "year");
  post(
    "allocations",
    "allocation",
    async (c, planId, s) => {
      const budgetId = idField(s.values, "budgetId", "budget")!;
      await mustBelong(c, planId, budgetId);
      return allocateGrant(
        c.var.deps.store,
        { budgetId, organisation: s.values.organisation ?? "", actionId: idField(s.values, "actionId", "action", { optional: true }), purpose: s.values.purpose ?? "", amountPence: pence(s.values.amount, "amount") },
        ctx(c),
      );
    },
    "amount",
  );
  post(
    "payments",
    "payment",
    async (c, planId, s) => {
      const allocationId = idField(s.values, "allocationId", "allocation")!;
      await mustBelong(c, planId, undefined, allocationId);
      return payGrant(c.var.deps.store, { allocationId, amountPence: pence(s.values.amount, "amount"), date: s.values.date ?? "", note: s.values.note ?? "" }, ctx(c));
    },
    "amount",
  );
  app.post("/plans/:id/grants/allocations/:allocationId/delivered", requireRole("analyst"), async (c) => {
    const planId = idParam(c, "id", "plan");
    const allocationId = idParam(c, "allocationId", "allocation");
    const sub = { ...(await readSubmission(c)), form: `delivered-${allocationId}` };
    return handlePost(
      c,
      sub,
      async () => {
        await mustBelong(c, planId, undefined, allocationId);
        const v = sub.values;
        return changeAllocation(
          c.var.deps.store,
          {
            allocationId,
            rowVersion: requireRowVersion(sub),
            delivered: v.delivered ?? "",
            ...(v.purpose !== undefined ? { purpose: v.purpose } : {}),
            ...(v.amount !== undefined ? { amountPence: pence(v.amount, "amount") } : {}),
          },
          ctx(c),
        );
      },
      `/plans/${planId}/grants?done=delivered`,
      (fs, status) => renderGrants(c, fs, status),
      "delivered",
    );
  });
  app.post("/plans/:id/grants/budgets/:budgetId", requireRole("analyst"), async (c) => {
    const planId = idParam(c, "id", "plan");
    const budgetId = idParam(c, "budgetId", "budget");
    const sub = { ...(await readSubmission(c)), form: `budget-${budgetId}` };
    return handlePost(
      c,
      sub,
      async () => {
        await mustBelong(c, planId, budgetId);
        return changeBudgetAmount(c.var.deps.store, { budgetId, rowVersion: requireRowVersion(sub), amountPence: pence(sub.values.amount, "amount") }, ctx(c));
      },
      `/plans/${planId}/grants?done=budget-amount`,
      (fs, status) => renderGrants(c, fs, status),
      "amount",
    );
  });
  return app;
}

/** Pounds from a form as pence, or a refusal naming the field. */
function pence(text: string | undefined, field: string): number {
  const p = poundsToPence(text ?? "");
  if (p === null) {
    const message = `Enter the amount in pounds, e.g. 1250 or 1250.50; got "${text ?? ""}"`;
    throw new AppError("input.invalid", message, { problems: [{ file: "form", field, message }] });
  }
  return p;
}

/** A budget or allocation named in a form must belong to the plan in the path. */
async function mustBelong(c: AppContext, planId: number, budgetId?: number, allocationId?: number): Promise<void> {
  const grants = await grantsOfPlan(c.var.deps.store, planId);
  const ok =
    budgetId !== undefined ? grants.budgets.some((b) => b.id === budgetId) : grants.budgets.some((b) => b.allocations.some((a) => a.id === allocationId));
  if (!ok) throw new AppError("input.invalid", `That ${budgetId !== undefined ? `budget (${budgetId})` : `allocation (${allocationId})`} is not part of plan ${planId}'s grants.`);
}

async function renderGrants(c: AppContext, fs: FormState, status: 200 | 400 | 404 | 409 | 422 = 200) {
  const store = c.var.deps.store;
  const planId = idParam(c, "id", "plan");
  const [summary, grants, organisations] = await Promise.all([planSummary(store, planId), grantsOfPlan(store, planId), listOrganisations(store)]);
  const { plan, actions } = summary;
  const canEdit = isManager(c);
  const actionTitle = (id: number | null) => (id === null ? "None" : (actions.find((a) => a.id === id)?.title ?? `Action ${id}`));
  const allocations = grants.budgets.flatMap((b) => b.allocations.map((a) => ({ id: a.id, text: `${a.organisationName}: ${a.purpose} (${money(a.amountPence)}, ${b.name} ${b.year})` })));
  const errors = fs.failed?.errors ?? [];
  return page(
    c,
    `Grants: ${plan.title}`,
    <>
      <ErrorSummary errors={errors} />
      <PlanHeading plan={plan} sub="Grants" />
      <PlanTabs planId={plan.id} current="grants" />
      <Notice text={PLAN_NOTICES[c.req.query("done") ?? ""]} />
      <SummaryList
        testId="grant-totals"
        rows={[
          ["Budgets", money(grants.totals.budgetPence)],
          ["Allocated", money(grants.totals.allocatedPence)],
          ["Paid", money(grants.totals.paidPence)],
          ["Balance (not yet allocated)", money(grants.totals.unallocatedPence)],
        ]}
      />
      {grants.budgets.length ? null : <p class="govuk-body">No grants budget recorded for this plan.</p>}
      {grants.budgets.map((b) => (
        <BudgetSection budget={b} actionTitle={actionTitle} planId={plan.id} canEdit={canEdit} fs={fs} />
      ))}
      {canEdit ? (
        <>
          <h2 class="govuk-heading-m">Change the grants</h2>
          <BudgetForm planId={plan.id} fs={fs} />
          {grants.budgets.length ? <AllocationForm planId={plan.id} budgets={grants.budgets} organisations={organisations} actions={actions} fs={fs} /> : null}
          {allocations.length ? <PaymentForm planId={plan.id} allocations={allocations} fs={fs} /> : null}
        </>
      ) : (
        <p class="govuk-body">Analysts and administrators record budgets, allocations and payments.</p>
      )}
      <p class="govuk-body">
        <a class="govuk-link" href={`/api/v1/plans/${plan.id}/grants`}>
          These grants as JSON
        </a>
      </p>
    </>,
    { status, hasError: errors.length > 0 },
  );
}
