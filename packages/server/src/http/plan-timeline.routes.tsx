import { AppError } from "@safecity/core";
import { Hono } from "hono";
import { planTimeline, recordTimeline } from "../services/plan-governance.service.ts";
import type { AppEnv } from "./env.ts";
import { PlanHeading, PlanTabs, Timeline } from "./plan-components.tsx";
import { planSummary } from "./plan-data.ts";
import { idParam } from "./plan-route-kit.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

/**
 * The audit trail: `/plans/:id/timeline` (every change to the plan and every governance step,
 * newest first: who, when, what, before and after) and `/plans/:id/actions/:actionId/timeline`
 * (one key action: its edits, status changes and progress updates).
 */
export function planTimelineRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/plans/:id/timeline", requireRole("viewer"), async (c) => {
    const store = c.var.deps.store;
    const planId = idParam(c, "id", "plan");
    const [{ plan }, entries] = await Promise.all([planSummary(store, planId), planTimeline(store, planId)]);
    return page(
      c,
      `Timeline: ${plan.title}`,
      <>
        <PlanHeading plan={plan} sub="Timeline" />
        <PlanTabs planId={plan.id} current="timeline" />
        <p class="govuk-body">Every change to this plan and every governance step, newest first.</p>
        <Timeline entries={entries} label="Timeline of the plan" />
        <p class="govuk-body">
          <a class="govuk-link" href={`/api/v1/plans/${plan.id}/audit`}>
            This timeline as JSON
          </a>
        </p>
      </>,
    );
  });
  app.get("/plans/:id/actions/:actionId/timeline", requireRole("viewer"), async (c) => {
    const store = c.var.deps.store;
    const planId = idParam(c, "id", "plan");
    const actionId = idParam(c, "actionId", "action");
    const { plan, actions } = await planSummary(store, planId);
    const action = actions.find((a) => a.id === actionId);
    if (!action) throw new AppError("plan.not_found", `Plan ${planId} has no key action with id ${actionId}.`, { hint: "open the plan and follow the action's timeline link" });
    const entries = await recordTimeline(store, `action:${actionId}`);
    return page(
      c,
      `Timeline: ${action.title}`,
      <>
        <PlanHeading plan={plan} sub="Action timeline" />
        <PlanTabs planId={plan.id} current="timeline" />
        <h2 class="govuk-heading-m app-wrap-anywhere">{action.title}</h2>
        <p class="govuk-body">Every change to this key action and every progress update, newest first.</p>
        <Timeline entries={entries} label={`Timeline of ${action.title}`} />
        <p class="govuk-body">
          <a class="govuk-link" href={`/plans/${plan.id}`}>
            Back to the plan
          </a>
        </p>
      </>,
    );
  });
  return app;
}
