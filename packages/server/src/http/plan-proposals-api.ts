import { PlanProposalsSchema, ProposalsQuerySchema } from "@safecity/core";
import { z } from "zod";
import { proposalsForPlan } from "../services/plan-proposals.service.ts";
import { type ApiEndpoint, defineEndpoint } from "./api.ts";

/**
 * `GET /api/v1/plans/{id}/proposals`: priorities proposed from the Strategic Assessment of the
 * plan's area, with their evidence (analysts and admins: it runs the whole assessment). Adopting
 * one is `safecity plan propose <id> --adopt <key>` or the page's button.
 */
export const PLAN_PROPOSAL_ENDPOINTS: ApiEndpoint[] = [
  defineEndpoint({
    method: "get",
    path: "/api/v1/plans/:id/proposals",
    tag: "plans",
    summary: "Priorities proposed from the Strategic Assessment of the plan's area (latest 12 months loaded by default), each with its rationale and evidence",
    role: "analyst",
    params: z.object({ id: z.coerce.number().int().positive().describe("plan id") }),
    query: ProposalsQuerySchema,
    response: { schema: PlanProposalsSchema, description: "Proposals" },
    errors: [400, 403, 404],
    handler: (c, { params, query }) => proposalsForPlan(c.var.deps.store, params.id, { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) }),
  }),
];
