/**
 * The Partnership Plan's domain types: the contract between the pure rules in `core/plan`, the
 * repositories and services that store them, and the pages, API and CLI that show them.
 * Dates are ISO `YYYY-MM-DD` (a meeting, a deadline); instants are ISO-8601 UTC; money is whole
 * pence (integers, never floats); periods are `YYYY-MM` (month), `YYYY-Qn` (calendar quarter) or
 * `YYYY/YY` (financial year April-March, as `financialYear()` in domain/month.ts writes it).
 */

/** The governance cycle (docs/decisions/0005-partnership-plan.md). */
export const PLAN_STATES = ["draft", "consultation", "recommended", "approved", "published", "review", "superseded"] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export const PLAN_STATE_LABELS: Readonly<Record<PlanState, string>> = {
  draft: "Draft",
  consultation: "In consultation",
  recommended: "Recommended by Cabinet",
  approved: "Approved by Full Council",
  published: "Published",
  review: "In annual review",
  superseded: "Superseded",
};

export interface Delegation {
  /** The post that may make final amendments, e.g. "Director of Environment and Economy". */
  post: string;
  /** The account that holds the post: only this user may amend under the delegation. */
  delegateEmail: string;
  /** Whom the delegate consults first, e.g. "Cabinet Member for Communities". */
  afterConsulting: string;
}

export interface ImpactAssessment {
  completed: boolean;
  date: string | null;
  summary: string;
  link: string | null;
}

export interface Plan {
  id: number;
  title: string;
  /** ONS code of the partnership's area (CSP `E22…` or local authority). */
  areaCode: string;
  partnershipName: string;
  /** First and last month the plan covers (a 3-year plan: 2025-04 .. 2028-03). */
  periodFrom: string;
  periodTo: string;
  /** Annual version: 1 for the first year, 2 after the first annual review, … */
  version: number;
  /** The version this one was carried forward from. */
  previousId: number | null;
  state: PlanState;
  /** Reference to the Strategic Assessment the priorities cite, e.g. "Strategic Assessment 2025, data to 2025-12 (imports 1-12)". */
  assessmentRef: string | null;
  statutoryBasis: string;
  keyDecision: boolean;
  /** Date the key decision was given in the forward plan (28 clear days before Cabinet). */
  forwardPlanNoticeDate: string | null;
  impactAssessment: ImpactAssessment | null;
  delegation: Delegation | null;
  demo: boolean;
  /** Optimistic-concurrency version of this record: a save must name the version it read. */
  rowVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface Priority {
  id: number;
  planId: number;
  position: number;
  title: string;
  /** Why: cites assessment findings, e.g. "Violence up 7% year on year (key message 3)". */
  rationale: string;
  /** Evidence from the assessment document (key message ids, figures), kept as it was when proposed. */
  evidence: PriorityEvidence[];
  /** LSOA/ward codes of the priority areas it targets. */
  areaCodes: string[];
  /** Financial years it runs, e.g. ["2025/26", "2026/27", "2027/28"]. */
  years: string[];
  rowVersion: number;
}

export interface PriorityEvidence {
  /** `assessment:<vintage>#keyMessage/3`, `assessment:<vintage>#priorityAreas`, … */
  ref: string;
  text: string;
}

export const ACTION_STATUSES = ["not_started", "on_track", "at_risk", "off_track", "completed", "cancelled"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface Milestone {
  title: string;
  due: string;
  done: boolean;
}

export interface ActionProgress {
  id: number;
  actionId: number;
  /** Date the update refers to. */
  date: string;
  author: string;
  status: ActionStatus;
  note: string;
}

export interface KeyAction {
  id: number;
  planId: number;
  priorityId: number;
  title: string;
  ownerOrganisationId: number;
  ownerOrganisationName: string;
  /** The named lead role, e.g. "Licensing Manager" (a post, not a person's name). */
  leadRole: string;
  startDate: string;
  dueDate: string;
  milestones: Milestone[];
  status: ActionStatus;
  /** Budget line, e.g. "Community Safety Budget 2025/26" (the grants link to actions separately). */
  budgetLine: string | null;
  rowVersion: number;
}

export const INDICATOR_UNITS = ["count", "rate_per_1000", "percent", "rank", "number"] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export type Polarity = "lower_is_better" | "higher_is_better";
export const PERIOD_TYPES = ["month", "quarter", "financial_year"] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/**
 * How a target's RAG is decided:
 * - `default`: Green on target or within tolerance; Amber off by more than the tolerance but
 *   improving on the same period last year; Red off and not improving.
 * - `strict`: Green only on target; Amber within tolerance; Red otherwise.
 */
export const RAG_RULES = ["default", "strict"] as const;
export type RagRule = (typeof RAG_RULES)[number];

/** A derived indicator's definition: a crime type or group in an area, from the roll-up. */
export interface DerivedIndicatorSpec {
  areaCode: string;
  /** A police.uk crime type or a group name from DEFAULT_CRIME_GROUPS ("All crime", "Violence", …). */
  crime: string;
  measure: "count" | "rate_per_1000" | "msg_rank";
}

export interface Indicator {
  id: number;
  /** Stable key used by `indicators import` files, e.g. `asb-reports`, `fte-youth-justice`. */
  key: string;
  name: string;
  unit: IndicatorUnit;
  polarity: Polarity;
  periodType: PeriodType;
  ragRule: RagRule;
  /** Default tolerance (percent of the target value) for targets on this indicator. */
  tolerancePercent: number;
  source: "derived" | "imported";
  derived: DerivedIndicatorSpec | null;
  demo: boolean;
}

export interface IndicatorValue {
  period: string;
  value: number;
}

export interface Target {
  id: number;
  planId: number;
  priorityId: number | null;
  indicatorId: number;
  baselinePeriod: string;
  baselineValue: number;
  /** `value`: reach `targetValue`; `change_percent`: change the baseline by `targetValue` % (e.g. -4). */
  kind: "value" | "change_percent";
  targetValue: number;
  /** The period by which it should be met (same period type as the indicator). */
  deadline: string;
  /** Percent of the target value; null takes the indicator's default. */
  tolerancePercent: number | null;
  rowVersion: number;
}

export type Rag = "green" | "amber" | "red" | "no_data";
export type Direction = "improving" | "worsening" | "no_change" | "no_comparison";

export interface Forecast {
  period: string;
  value: number;
  lower: number;
  upper: number;
  /** Confidence level of the prediction interval (0.95). */
  level: number;
  method: string;
}

/** A target with its measured position: what `plan show` and the performance page print. */
export interface TargetPerformance {
  targetId: number;
  indicatorKey: string;
  /** The resolved value to reach (baseline x (1 + change/100) for change targets). */
  goal: number;
  latest: IndicatorValue | null;
  /** latest - same period last year (absolute and percent), when both exist. */
  change: { from: IndicatorValue; absolute: number; percent: number | null } | null;
  direction: Direction;
  rag: Rag;
  /** Why this colour, in words ("3.1% above target; tolerance 5%"). */
  ragReason: string;
  /** Exact Poisson test of latest vs same period last year (count indicators only). */
  significance: { pValue: number; significant: boolean; method: string } | null;
  forecast: Forecast | null;
}

export const LINK_KINDS = ["plan", "partnership"] as const;
export interface ReadAcross {
  id: number;
  planId: number;
  kind: (typeof LINK_KINDS)[number];
  /** "Council Plan 2025-2028", "Children and Young People's Trust", "Health and Wellbeing Board". */
  name: string;
  url: string | null;
  note: string;
}

export interface PartnerOrganisation {
  organisationId: number;
  name: string;
  kind: string;
  /** Its part in the partnership: "responsible authority", "co-operating body", "voluntary sector". */
  role: string;
}

/** A step of the governance record: what happened, when, and what was resolved. */
export const GOVERNANCE_STEP_KINDS = ["consultee", "response", "cabinet", "amendment", "council", "published", "review"] as const;
export type GovernanceStepKind = (typeof GOVERNANCE_STEP_KINDS)[number];

export interface ConsultationResponse {
  id: number;
  planId: number;
  /** Consultee: "Overview and Scrutiny Management Committee", "Children's Trust", … */
  consultee: string;
  date: string;
  summary: string;
}

export interface DelegatedAmendment {
  id: number;
  planId: number;
  date: string;
  by: string;
  post: string;
  summary: string;
}

export interface GrantBudget {
  id: number;
  planId: number;
  /** Financial year, `2025/26`. */
  year: string;
  name: string;
  amountPence: number;
  demo: boolean;
  rowVersion: number;
}

export interface GrantAllocation {
  id: number;
  budgetId: number;
  organisationId: number;
  organisationName: string;
  actionId: number | null;
  purpose: string;
  amountPence: number;
  /** What the grant delivered (filled in at the end of the year). */
  delivered: string | null;
  rowVersion: number;
}

export interface GrantPayment {
  id: number;
  allocationId: number;
  date: string;
  amountPence: number;
  note: string;
}

/** The governance record kept on a plan: who is consulted and each meeting's date and resolution. */
export interface PlanGovernance {
  consultees: string[];
  cabinetDate: string | null;
  cabinetResolution: string | null;
  councilDate: string | null;
  councilResolution: string | null;
  publishedDate: string | null;
  reviewDate: string | null;
}
