import { z } from "zod";
import { PLAN_STATES } from "../plan/plan.types.ts";
import { MonthSchema } from "./common.schema.ts";
import { AreaRefSchema } from "./counts.schema.ts";
import { ProposedPrioritySchema } from "./plan.schema.ts";

/** `GET /api/v1/plans/{id}/proposals?from=&to=`: the period assessed (default: the latest 12 months loaded). */
export const ProposalsQuerySchema = z.object({
  from: MonthSchema.optional().describe("first month assessed (default: 11 months before `to`)"),
  to: MonthSchema.optional().describe("last month assessed (default: the last month loaded for the area's force)"),
});

export const ProposalCandidateSchema = ProposedPrioritySchema.extend({
  adoptedAs: z.object({ id: z.number().int(), position: z.number().int(), title: z.string() }).nullable().describe("the plan's priority already made from it"),
}).meta({ id: "ProposalCandidate" });

export const PlanProposalsSchema = z
  .object({
    plan: z.object({ id: z.number().int(), title: z.string(), state: z.enum(PLAN_STATES), areaCode: z.string(), assessmentRef: z.string().nullable() }),
    area: AreaRefSchema,
    period: z.object({ from: z.string(), to: z.string(), months: z.number().int(), missingMonths: z.array(z.string()) }),
    vintage: z.string().describe("the last month of the assessment's data"),
    assessmentRef: z.string().describe("what the plan's assessmentRef becomes when a proposal is adopted and it has none"),
    sections: z.array(z.object({ name: z.string(), status: z.string(), message: z.string().nullable() })),
    candidates: z.array(ProposalCandidateSchema),
    notes: z.array(z.string()),
  })
  .meta({ id: "PlanProposals" });
