import {
  AREA_QUERY_MAX_LENGTH,
  ActionProgressSchema,
  ActionStatusSchema,
  AuditListSchema,
  DateSchema,
  IndicatorListSchema,
  IndicatorWithValuesSchema,
  PerformanceReportSchema,
  PlanDetailSchema,
  PlanGrantsSchema,
  PlanListSchema,
  PlanSchema,
  TransitionBodySchema,
} from "@safecity/core";
import { z } from "zod";
import { grantsOfPlan } from "../services/grant.service.ts";
import { indicatorSeries, listIndicators, requireIndicator } from "../services/indicator.service.ts";
import { performanceForPlan, performanceReport } from "../services/performance.service.ts";
import { planTimeline, recordTimeline, transition } from "../services/plan-governance.service.ts";
import { addProgress, getPlan, listPlans, planDetail } from "../services/plan.service.ts";
import { type ApiEndpoint, defineEndpoint } from "./api.ts";
import { planAction } from "./plan-data.ts";
import { planActor } from "./plan-route-kit.ts";

/** `/plans/{id}`. */
const PlanIdParamSchema = z.object({ id: z.coerce.number().int().positive().describe("plan id") });
/** `/plans/{id}/actions/{actionId}`. */
const PlanActionParamSchema = PlanIdParamSchema.extend({ actionId: z.coerce.number().int().positive().describe("key action id") });
/** `/indicators/{key}?area=`. */
const IndicatorParamSchema = z.object({ key: z.string().min(1).describe("indicator key, e.g. asb-reports") });
const IndicatorQuerySchema = z.object({ area: z.string().max(AREA_QUERY_MAX_LENGTH).optional().describe("ONS area code; required for imported indicators, a derived one has its own") });
const AuditQuerySchema = z.object({
  target: z
    .string()
    .regex(/^[a-z_]+:\d+(:\d+)?$/, "must be a record such as action:17 or priority:3")
    .optional()
    .describe("only this record's rows, e.g. action:17"),
  limit: z.coerce.number().int().min(1).max(5000).default(1000).describe("most recent rows to return (default 1000)"),
});
/** A dated progress update on a key action (`addProgress`); the action takes its status. */
const ProgressBodySchema = z
  .object({ date: DateSchema.describe("the day the update refers to"), status: ActionStatusSchema, note: z.string().min(1, "say what happened since the last update") })
  .meta({ id: "ProgressBody" });

/**
 * The Partnership Plan's JSON API (spread into API_ENDPOINTS): the same services as the pages, so
 * the same access checks and refusals (an editor on another organisation's action: 403
 * `plan.forbidden`; a refused governance step: 409 `plan.invalid_transition` with the reason; a
 * stale rowVersion: 409 `plan.conflict`).
 */
export const PLAN_ENDPOINTS: ApiEndpoint[] = [
  defineEndpoint({
    method: "get",
    path: "/api/v1/plans",
    tag: "plans",
    summary: "Every partnership plan: title, partnership, period, version, state",
    role: "viewer",
    response: { schema: PlanListSchema, description: "Plans" },
    handler: async (c) => ({ plans: await listPlans(c.var.deps.store) }),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/plans/:id",
    tag: "plans",
    summary: "One plan: governance record, priorities, key actions with progress, targets each with value, direction, RAG and forecast, links, partners, responses, amendments",
    role: "viewer",
    params: PlanIdParamSchema,
    response: { schema: PlanDetailSchema, description: "The plan" },
    errors: [400, 404],
    handler: (c, { params }) => planDetail(c.var.deps.store, params.id, { measure: performanceForPlan }),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/plans/:id/performance",
    tag: "plans",
    summary: "The quarterly performance report: every target measured, actions and targets rolled up per priority, per owner and overall",
    role: "viewer",
    params: PlanIdParamSchema,
    response: { schema: PerformanceReportSchema, description: "Performance report" },
    errors: [400, 404],
    handler: (c, { params }) => performanceReport(c.var.deps.store, params.id),
  }),
  defineEndpoint({
    method: "post",
    path: "/api/v1/plans/:id/transition",
    tag: "plans",
    summary: "Record a governance step (consultation, Cabinet, Council, publication, review, back to draft)",
    description:
      "Checked by the governance state machine; a refused step answers 409 `plan.invalid_transition` with the reason (what is missing and what to do). Send the `rowVersion` you read to be refused (409 `plan.conflict`) if someone changed the plan since.",
    role: "analyst",
    params: PlanIdParamSchema,
    body: TransitionBodySchema,
    response: { schema: PlanSchema, description: "The plan after the step" },
    errors: [400, 404, 409],
    handler: (c, { params, body }) => {
      const { rowVersion, ...request } = body;
      return transition(c.var.deps.store, planActor(c), params.id, request, c.var.deps.now(), rowVersion === undefined ? {} : { rowVersion });
    },
  }),
  defineEndpoint({
    method: "post",
    path: "/api/v1/plans/:id/actions/:actionId/progress",
    tag: "plans",
    summary: "Record a dated progress update on a key action (editors: their own organisation's actions only)",
    role: "editor",
    params: PlanActionParamSchema,
    body: ProgressBodySchema,
    response: { status: 201, schema: ActionProgressSchema, description: "The update" },
    errors: [400, 404, 409],
    handler: async (c, { params, body }) => {
      const store = c.var.deps.store;
      await planAction(store, params.id, params.actionId);
      return addProgress(store, planActor(c), params.actionId, body, c.var.deps.now());
    },
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/plans/:id/audit",
    tag: "plans",
    summary: "The plan's audit trail (who, when, what, before and after), newest first; `?target=action:17` for one record",
    role: "viewer",
    params: PlanIdParamSchema,
    query: AuditQuerySchema,
    response: { schema: AuditListSchema, description: "Audit rows" },
    errors: [400, 404],
    handler: async (c, { params, query }) => {
      const store = c.var.deps.store;
      await getPlan(store, params.id);
      const rows = query.target ? (await recordTimeline(store, query.target, { limit: query.limit })).filter((e) => e.planId === params.id) : await planTimeline(store, params.id, { limit: query.limit });
      return { entries: rows };
    },
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/plans/:id/grants",
    tag: "plans",
    summary: "The plan's grants: budgets per year, allocations with payments, what each delivered, balances",
    role: "viewer",
    params: PlanIdParamSchema,
    response: { schema: PlanGrantsSchema, description: "Grants" },
    errors: [400, 404],
    handler: (c, { params }) => grantsOfPlan(c.var.deps.store, params.id),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/indicators",
    tag: "indicators",
    summary: "Every indicator: key, unit, polarity, period type, RAG rule, derived or imported",
    role: "viewer",
    response: { schema: IndicatorListSchema, description: "Indicators" },
    handler: async (c) => ({ indicators: await listIndicators(c.var.deps.store) }),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/indicators/:key",
    tag: "indicators",
    summary: "An indicator's series for an area (a derived one from the roll-up now, an imported one as stored)",
    role: "viewer",
    params: IndicatorParamSchema,
    query: IndicatorQuerySchema,
    response: { schema: IndicatorWithValuesSchema, description: "The series" },
    errors: [400, 404],
    handler: async (c, { params, query }) => {
      const store = c.var.deps.store;
      return indicatorSeries(store, await requireIndicator(store, params.key), query.area);
    },
  }),
];
