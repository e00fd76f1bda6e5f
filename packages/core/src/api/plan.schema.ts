/**
 * The Partnership Plan's JSON API (docs/decisions/0005-partnership-plan.md): zod schemas mirroring
 * plan/plan.types.ts and the services' results. plan.schema.test.ts checks at compile time that each
 * schema's type is exactly its domain type, so the two cannot drift apart.
 */
import { z } from "zod";
import { isIsoDate } from "../plan/dates.ts";
import { ACTION_STATUSES, INDICATOR_UNITS, LINK_KINDS, PERIOD_TYPES, PLAN_STATES, RAG_RULES } from "../plan/plan.types.ts";

// ---- scalars ----

/** `YYYY-MM-DD`, a real calendar date. */
export const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
  .refine((s) => isIsoDate(s), "must be a calendar date (YYYY-MM-DD)")
  .describe("calendar date YYYY-MM-DD");

/** A month `YYYY-MM`, quarter `YYYY-Qn` or financial year `YYYY/YY`. */
export const PeriodSchema = z
  .string()
  .regex(/^(\d{4}-(0[1-9]|1[0-2])|\d{4}-Q[1-4]|\d{4}\/\d{2})$/, "must be YYYY-MM, YYYY-Qn or YYYY/YY")
  .describe("month YYYY-MM, quarter YYYY-Qn or financial year YYYY/YY");

/** Money: whole pence. */
export const PenceSchema = z.number().int().describe("whole pence (£75,000 = 7500000)");

export const PlanStateSchema = z.enum(PLAN_STATES).meta({ id: "PlanState" });
export const ActionStatusSchema = z.enum(ACTION_STATUSES).meta({ id: "ActionStatus" });
export const RagSchema = z.enum(["green", "amber", "red", "no_data"]).meta({ id: "Rag" });
export const DirectionSchema = z.enum(["improving", "worsening", "no_change", "no_comparison"]).meta({ id: "Direction" });

// ---- the plan ----

export const DelegationSchema = z
  .object({
    post: z.string().describe("the post that may make final amendments, e.g. Director of Environment and Economy"),
    delegateEmail: z.string().describe("the account that holds the post: only it may amend under the delegation"),
    afterConsulting: z.string().describe("whom the delegate consults first, e.g. Cabinet Member for Communities"),
  })
  .meta({ id: "Delegation" });

export const ImpactAssessmentSchema = z
  .object({ completed: z.boolean(), date: DateSchema.nullable(), summary: z.string(), link: z.string().nullable() })
  .meta({ id: "ImpactAssessment" });

export const PlanSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    areaCode: z.string().describe("ONS code of the partnership's area"),
    partnershipName: z.string(),
    periodFrom: z.string().describe("first month YYYY-MM"),
    periodTo: z.string().describe("last month YYYY-MM"),
    version: z.number().int().describe("annual version: 1, then +1 at each annual review"),
    previousId: z.number().int().nullable().describe("the version this one was carried forward from"),
    state: PlanStateSchema,
    assessmentRef: z.string().nullable(),
    statutoryBasis: z.string(),
    keyDecision: z.boolean(),
    forwardPlanNoticeDate: DateSchema.nullable(),
    impactAssessment: ImpactAssessmentSchema.nullable(),
    delegation: DelegationSchema.nullable(),
    demo: z.boolean().describe("part of the demo partnership (`safecity demo`), not real"),
    rowVersion: z.number().int().describe("send back with a change; a stale version is refused with plan.conflict"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Plan" });

/** One plan in `GET /plans` (the whole plan record: it is small). */
export const PlanSummarySchema = PlanSchema;
export const PlanListSchema = z.object({ plans: z.array(PlanSummarySchema) }).meta({ id: "PlanList" });

export const PriorityEvidenceSchema = z
  .object({ ref: z.string().describe("`assessment:<vintage>#keyMessage/<id>`, `assessment:<vintage>#priorityAreas`, …"), text: z.string() })
  .meta({ id: "PriorityEvidence" });

export const PrioritySchema = z
  .object({
    id: z.number().int(),
    planId: z.number().int(),
    position: z.number().int(),
    title: z.string(),
    rationale: z.string(),
    evidence: z.array(PriorityEvidenceSchema),
    areaCodes: z.array(z.string()),
    years: z.array(z.string()).describe("financial years YYYY/YY"),
    rowVersion: z.number().int(),
  })
  .meta({ id: "Priority" });

export const MilestoneSchema = z.object({ title: z.string(), due: DateSchema, done: z.boolean() }).meta({ id: "Milestone" });

export const ActionProgressSchema = z
  .object({ id: z.number().int(), actionId: z.number().int(), date: DateSchema, author: z.string(), status: ActionStatusSchema, note: z.string() })
  .meta({ id: "ActionProgress" });

export const KeyActionSchema = z
  .object({
    id: z.number().int(),
    planId: z.number().int(),
    priorityId: z.number().int(),
    title: z.string(),
    ownerOrganisationId: z.number().int(),
    ownerOrganisationName: z.string(),
    leadRole: z.string().describe("a post, not a person's name"),
    startDate: DateSchema,
    dueDate: DateSchema,
    milestones: z.array(MilestoneSchema),
    status: ActionStatusSchema,
    budgetLine: z.string().nullable(),
    rowVersion: z.number().int(),
  })
  .meta({ id: "KeyAction" });

export const ActionWithProgressSchema = KeyActionSchema.extend({ progress: z.array(ActionProgressSchema) }).meta({ id: "ActionWithProgress" });

// ---- indicators, targets and performance ----

export const IndicatorValueSchema = z.object({ period: PeriodSchema, value: z.number() }).meta({ id: "IndicatorValue" });

export const IndicatorSchema = z
  .object({
    id: z.number().int(),
    key: z.string().describe("stable key used by `indicators import` files, e.g. asb-reports"),
    name: z.string(),
    unit: z.enum(INDICATOR_UNITS),
    polarity: z.enum(["lower_is_better", "higher_is_better"]),
    periodType: z.enum(PERIOD_TYPES),
    ragRule: z.enum(RAG_RULES).describe("default: green within tolerance, amber off but improving; strict: green only on target"),
    tolerancePercent: z.number(),
    source: z.enum(["derived", "imported"]),
    derived: z.object({ areaCode: z.string(), crime: z.string(), measure: z.enum(["count", "rate_per_1000", "msg_rank"]) }).nullable(),
    demo: z.boolean(),
  })
  .meta({ id: "Indicator" });

/** An indicator's series for an area (`GET /indicators/{key}`). */
export const IndicatorWithValuesSchema = z
  .object({
    indicator: IndicatorSchema,
    area: z.object({ code: z.string().nullable(), name: z.string() }),
    values: z.array(IndicatorValueSchema),
    leftOut: z.array(z.object({ period: z.string(), reason: z.string() })).describe("derived indicators: periods left out because their data is incomplete"),
    notes: z.array(z.string()),
  })
  .meta({ id: "IndicatorWithValues" });

export const IndicatorListSchema = z.object({ indicators: z.array(IndicatorSchema) }).meta({ id: "IndicatorList" });

export const TargetSchema = z
  .object({
    id: z.number().int(),
    planId: z.number().int(),
    priorityId: z.number().int().nullable(),
    indicatorId: z.number().int(),
    baselinePeriod: PeriodSchema,
    baselineValue: z.number(),
    kind: z.enum(["value", "change_percent"]).describe("value: reach targetValue; change_percent: change the baseline by targetValue %"),
    targetValue: z.number(),
    deadline: PeriodSchema,
    tolerancePercent: z.number().nullable().describe("null: the indicator's default"),
    rowVersion: z.number().int(),
  })
  .meta({ id: "Target" });

export const ForecastSchema = z
  .object({ period: PeriodSchema, value: z.number(), lower: z.number(), upper: z.number(), level: z.number(), method: z.string() })
  .meta({ id: "Forecast" });

export const TargetPerformanceSchema = z
  .object({
    targetId: z.number().int(),
    indicatorKey: z.string(),
    goal: z.number().describe("the value to reach (baseline x (1 + change/100) for change targets)"),
    latest: IndicatorValueSchema.nullable(),
    change: z.object({ from: IndicatorValueSchema, absolute: z.number(), percent: z.number().nullable() }).nullable().describe("against the same period a year earlier"),
    direction: DirectionSchema,
    rag: RagSchema,
    ragReason: z.string(),
    significance: z.object({ pValue: z.number(), significant: z.boolean(), method: z.string() }).nullable().describe("count indicators: exact Poisson test"),
    forecast: ForecastSchema.nullable().describe("null when the deadline is reached or there are fewer than 4 values"),
  })
  .meta({ id: "TargetPerformance" });

export const TargetWithPerformanceSchema = TargetSchema.extend({ performance: TargetPerformanceSchema.nullable() }).meta({ id: "TargetWithPerformance" });

// ---- links, partners, governance record ----

export const ReadAcrossSchema = z
  .object({
    id: z.number().int(),
    planId: z.number().int(),
    kind: z.enum(LINK_KINDS),
    name: z.string(),
    url: z.string().nullable(),
    note: z.string(),
    rowVersion: z.number().int(),
  })
  .meta({ id: "ReadAcross" });

export const PartnerOrganisationSchema = z
  .object({ organisationId: z.number().int(), name: z.string(), kind: z.string(), role: z.string() })
  .meta({ id: "PartnerOrganisation" });

export const ConsultationResponseSchema = z
  .object({ id: z.number().int(), planId: z.number().int(), consultee: z.string(), date: DateSchema, summary: z.string() })
  .meta({ id: "ConsultationResponse" });

export const DelegatedAmendmentSchema = z
  .object({ id: z.number().int(), planId: z.number().int(), date: DateSchema, by: z.string(), post: z.string(), summary: z.string() })
  .meta({ id: "DelegatedAmendment" });

export const PlanGovernanceSchema = z
  .object({
    consultees: z.array(z.string()),
    cabinetDate: DateSchema.nullable(),
    cabinetResolution: z.string().nullable(),
    councilDate: DateSchema.nullable(),
    councilResolution: z.string().nullable(),
    publishedDate: DateSchema.nullable(),
    reviewDate: DateSchema.nullable(),
  })
  .meta({ id: "PlanGovernance" });

/** `GET /plans/{id}`: the plan with everything in it. */
export const PlanDetailSchema = z
  .object({
    plan: PlanSchema,
    governance: PlanGovernanceSchema,
    priorities: z.array(PrioritySchema),
    actions: z.array(ActionWithProgressSchema),
    targets: z.array(TargetWithPerformanceSchema),
    links: z.array(ReadAcrossSchema),
    partners: z.array(PartnerOrganisationSchema),
    responses: z.array(ConsultationResponseSchema),
    amendments: z.array(DelegatedAmendmentSchema),
  })
  .meta({ id: "PlanDetail" });

// ---- governance moves ----

/** A governance move, exactly as `governanceTransition` takes it. */
export const TransitionRequestSchema = z
  .discriminatedUnion("to", [
    z.object({ to: z.literal("consultation"), date: DateSchema, consultees: z.array(z.string()).optional() }),
    z.object({ to: z.literal("recommended"), date: DateSchema, resolution: z.string(), delegation: DelegationSchema.nullable().optional() }),
    z.object({ to: z.literal("approved"), date: DateSchema, resolution: z.string() }),
    z.object({ to: z.literal("published"), date: DateSchema }),
    z.object({ to: z.literal("review"), date: DateSchema }),
    z.object({ to: z.literal("draft"), date: DateSchema, note: z.string() }),
  ])
  .meta({ id: "TransitionRequest" });

/** `POST /plans/{id}/transition`: the move, the plan version it was decided on and an optional note for the record. */
export const TransitionBodySchema = TransitionRequestSchema.and(
  z.object({
    rowVersion: z.number().int().positive().optional().describe("the plan's rowVersion as read; a stale one is refused with plan.conflict"),
    note: z.string().optional().describe("a note for the audit record (required when returning to draft)"),
  }),
).meta({ id: "TransitionBody" });

// ---- audit ----

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().describe("ISO-8601 UTC instant"),
    actor: z.string(),
    action: z.string().describe("e.g. plan.priority.update, plan.transition, grant.allocation.create"),
    target: z.string().nullable().describe("e.g. action:17, plan:3"),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
    planId: z.number().int().nullable().optional(),
  })
  .meta({ id: "AuditEntry" });

export const AuditListSchema = z.object({ entries: z.array(AuditEntrySchema) }).meta({ id: "AuditList" });

// ---- grants ----

export const GrantBudgetSchema = z
  .object({ id: z.number().int(), planId: z.number().int(), year: z.string().describe("financial year YYYY/YY"), name: z.string(), amountPence: PenceSchema, demo: z.boolean(), rowVersion: z.number().int() })
  .meta({ id: "GrantBudget" });

export const GrantPaymentSchema = z
  .object({ id: z.number().int(), allocationId: z.number().int(), date: DateSchema, amountPence: PenceSchema, note: z.string() })
  .meta({ id: "GrantPayment" });

export const GrantAllocationSchema = z
  .object({
    id: z.number().int(),
    budgetId: z.number().int(),
    organisationId: z.number().int(),
    organisationName: z.string(),
    actionId: z.number().int().nullable(),
    purpose: z.string(),
    amountPence: PenceSchema,
    delivered: z.string().nullable().describe("what the grant delivered"),
    rowVersion: z.number().int(),
  })
  .meta({ id: "GrantAllocation" });

export const AllocationWithPaymentsSchema = GrantAllocationSchema.extend({
  payments: z.array(GrantPaymentSchema),
  paidPence: PenceSchema,
  outstandingPence: PenceSchema.describe("allocated but not yet paid"),
}).meta({ id: "AllocationWithPayments" });

export const BudgetWithAllocationsSchema = GrantBudgetSchema.extend({
  allocations: z.array(AllocationWithPaymentsSchema),
  allocatedPence: PenceSchema,
  paidPence: PenceSchema,
  unallocatedPence: PenceSchema.describe("budget not yet allocated"),
}).meta({ id: "BudgetWithAllocations" });

/** `GET /plans/{id}/grants`: every budget with its allocations, payments and balances. */
export const PlanGrantsSchema = z
  .object({
    planId: z.number().int(),
    budgets: z.array(BudgetWithAllocationsSchema),
    totals: z.object({ budgetPence: PenceSchema, allocatedPence: PenceSchema, paidPence: PenceSchema, unallocatedPence: PenceSchema }),
  })
  .meta({ id: "PlanGrants" });

// ---- performance report and proposals ----

const countsOf = <K extends string>(keys: readonly [K, ...K[]]) => z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<K, z.ZodNumber>);

export const RollupSchema = z
  .object({
    actions: z.number().int(),
    actionsByStatus: countsOf(ACTION_STATUSES),
    actionsByRag: countsOf(["green", "amber", "red", "no_data"] as const),
    targets: z.number().int(),
    targetsByRag: countsOf(["green", "amber", "red", "no_data"] as const),
  })
  .meta({ id: "Rollup" });

export const MeasuredTargetSchema = z
  .object({
    target: TargetSchema,
    indicator: IndicatorSchema,
    priorityTitle: z.string().nullable(),
    area: z.object({ code: z.string().nullable(), name: z.string() }),
    series: z.array(IndicatorValueSchema),
    leftOut: z.array(z.object({ period: z.string(), reason: z.string() })),
    performance: TargetPerformanceSchema,
    notes: z.array(z.string()),
  })
  .meta({ id: "MeasuredTarget" });

/** `GET /plans/{id}/performance`: the quarterly performance report. */
export const PerformanceReportSchema = z
  .object({
    plan: PlanSchema,
    targets: z.array(MeasuredTargetSchema),
    overall: RollupSchema,
    byPriority: z.array(z.object({ priorityId: z.number().int(), position: z.number().int(), title: z.string(), rollup: RollupSchema })),
    byOwner: z.array(z.object({ organisationId: z.number().int(), name: z.string(), rollup: RollupSchema })),
  })
  .meta({ id: "PerformanceReport" });

/** One priority proposed from an assessment (core/plan/proposals.ts). */
export const ProposedPrioritySchema = z
  .object({
    key: z.string().describe("the proposal's reference within the assessment, e.g. `group/burglary`; adopt it with `safecity plan propose <id> --adopt <key>`"),
    kind: z.enum(["priority_areas", "crime_group", "emerging_hotspots"]),
    title: z.string(),
    rationale: z.string(),
    evidence: z.array(PriorityEvidenceSchema),
    areaCodes: z.array(z.string()).describe("LSOA codes of the priority areas it targets"),
  })
  .meta({ id: "ProposedPriority" });

export const PriorityProposalsSchema = z
  .object({
    vintage: z.string().describe("the assessment's last month of data"),
    candidates: z.array(ProposedPrioritySchema),
    notes: z.array(z.string()),
  })
  .meta({ id: "PriorityProposals" });
