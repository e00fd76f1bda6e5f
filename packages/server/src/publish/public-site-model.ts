import {
  type ActionStatus,
  type Assessment,
  type Direction,
  type Indicator,
  type IndicatorUnit,
  PLAN_STATE_LABELS,
  type PlanState,
  type Polarity,
  type Rag,
} from "@safecity/core";
import type { PlanGrants } from "../services/grant.service.ts";
import type { PlanDetail } from "../services/plan.service.ts";
import type { PublicMap } from "./public-site-map.ts";

/**
 * The public view model of a published plan: the ONLY input of the public website
 * (docs/decisions/0006-public-site.md). It is a whitelist: every field is copied here by name from
 * the stored records, so a field added to a record later does not reach the public until someone
 * adds it here. Left out on purpose: drafts (only approved plans are published), consultation
 * responses, who recorded progress or made an amendment (accounts, emails), the delegate's
 * account, payment notes, import files and anything about the data's contributors beyond the
 * licence attribution, and every record of another plan.
 *
 * Stored as canonical JSON in the publication row; rendering is a pure function of it, so a
 * publication can be rebuilt byte for byte.
 */

export const PUBLIC_SITE_SCHEMA = 1 as const;

export interface PublicPriority {
  position: number;
  title: string;
  rationale: string;
  evidence: string[];
  years: string[];
  /** Priority areas with their names (an area without a known name shows its code). */
  areas: { code: string; name: string }[];
}

export interface PublicAction {
  priority: number;
  title: string;
  /** The owning organisation and the named lead role (a post, not a person). */
  owner: string;
  leadRole: string;
  startDate: string;
  dueDate: string;
  status: ActionStatus;
  milestones: { title: string; due: string; done: boolean }[];
  /** The latest progress update: its date, status and note (never its author). */
  latest: { date: string; status: ActionStatus; note: string } | null;
}

export interface PublicTarget {
  /** Priority position, or null for a plan-wide target. */
  priority: number | null;
  indicator: string;
  indicatorKey: string;
  unit: IndicatorUnit;
  polarity: Polarity;
  baselinePeriod: string;
  baselineValue: number;
  kind: "value" | "change_percent";
  targetValue: number;
  /** The value to reach. */
  goal: number | null;
  deadline: string;
  latest: { period: string; value: number } | null;
  rag: Rag;
  ragReason: string;
  direction: Direction;
  change: { fromPeriod: string; fromValue: number; absolute: number; percent: number | null } | null;
}

export interface PublicGrantBudget {
  year: string;
  name: string;
  amountPence: number;
  allocatedPence: number;
  paidPence: number;
  unallocatedPence: number;
  allocations: { organisation: string; purpose: string; action: string | null; amountPence: number; paidPence: number; delivered: string | null }[];
}

export interface PublicDecisionRecord {
  statutoryBasis: string;
  keyDecision: boolean;
  forwardPlanNoticeDate: string | null;
  consultees: string[];
  cabinetDate: string | null;
  cabinetResolution: string | null;
  councilDate: string | null;
  councilResolution: string | null;
  publishedDate: string | null;
  /** Cabinet's delegation: the post and whom it consults (not the account). */
  delegation: { post: string; afterConsulting: string } | null;
  amendments: { date: string; post: string; summary: string }[];
  impactAssessment: { completed: boolean; date: string | null; summary: string; link: string | null } | null;
}

export interface PublicAssessment {
  areaName: string;
  from: string;
  to: string;
  missingMonths: string[];
  keyMessages: { id: string; text: string }[];
  /** Monthly counts by crime group (null count: a month with no data loaded). */
  monthly: { group: string; month: string; count: number | null }[];
  /** Seasonal index by calendar month, when there are enough months. */
  seasonal: { group: string; rows: { name: string; index: number }[] } | null;
  seasonalMessage: string | null;
  priorityAreas: { rank: number; code: string; name: string; count: number; population: number | null; rate: number | null; imdDecile: number | null; reason: string }[];
}

export interface PublicSite {
  schema: typeof PUBLIC_SITE_SCHEMA;
  publication: {
    /** 1, 2, … per plan. */
    number: number;
    /** The instant it was published (ISO-8601 UTC) and its day: the only dates of the build in the output. */
    publishedAt: string;
    date: string;
  };
  plan: {
    title: string;
    partnershipName: string;
    areaCode: string;
    periodFrom: string;
    periodTo: string;
    version: number;
    state: PlanState;
    stateLabel: string;
    assessmentRef: string | null;
    demo: boolean;
  };
  priorities: PublicPriority[];
  actions: PublicAction[];
  targets: PublicTarget[];
  partners: { name: string; role: string }[];
  links: { kind: string; name: string; url: string | null; note: string }[];
  grants: PublicGrantBudget[];
  decision: PublicDecisionRecord;
  assessment: PublicAssessment | null;
  /** Why there is no assessment section (no police data loaded for the area, …). */
  assessmentMissing: string | null;
  map: PublicMap | null;
  mapMissing: string | null;
  /** The Open Government Licence attribution of the data shown. */
  attribution: string;
}

export interface PublicSiteInput {
  detail: PlanDetail;
  grants: PlanGrants;
  indicators: ReadonlyMap<number, Indicator>;
  /** Names of the priority areas' codes. */
  areaNames: ReadonlyMap<string, string>;
  assessment: Assessment | null;
  assessmentMissing: string | null;
  map: PublicMap | null;
  mapMissing: string | null;
  attribution: string;
  publication: { number: number; publishedAt: string };
}

/** The states a plan may be published in: approved by Full Council, published, or in annual review. */
export const PUBLISHABLE_STATES: readonly PlanState[] = ["approved", "published", "review"];

/** Builds the public view model field by field (pure: no clock, no I/O). */
export function buildPublicSite(input: PublicSiteInput): PublicSite {
  const { detail, grants } = input;
  const { plan, governance } = detail;
  const priorityPosition = new Map(detail.priorities.map((p) => [p.id, p.position]));
  const actionTitle = new Map(detail.actions.map((a) => [a.id, a.title]));
  const latestOf = (progress: PlanDetail["actions"][number]["progress"]) =>
    [...progress].sort((a, b) => (a.date === b.date ? a.id - b.id : a.date < b.date ? -1 : 1)).at(-1) ?? null;

  return {
    schema: PUBLIC_SITE_SCHEMA,
    publication: { number: input.publication.number, publishedAt: input.publication.publishedAt, date: input.publication.publishedAt.slice(0, 10) },
    plan: {
      title: plan.title,
      partnershipName: plan.partnershipName,
      areaCode: plan.areaCode,
      periodFrom: plan.periodFrom,
      periodTo: plan.periodTo,
      version: plan.version,
      state: plan.state,
      stateLabel: PLAN_STATE_LABELS[plan.state] ?? plan.state,
      assessmentRef: plan.assessmentRef,
      demo: plan.demo,
    },
    priorities: [...detail.priorities]
      .sort((a, b) => a.position - b.position)
      .map((p) => ({
        position: p.position,
        title: p.title,
        rationale: p.rationale,
        evidence: p.evidence.map((e) => e.text),
        years: [...p.years],
        areas: p.areaCodes.map((code) => ({ code, name: input.areaNames.get(code) ?? code })),
      })),
    actions: detail.actions.map((a) => {
      const latest = latestOf(a.progress);
      return {
        priority: priorityPosition.get(a.priorityId) ?? 0,
        title: a.title,
        owner: a.ownerOrganisationName,
        leadRole: a.leadRole,
        startDate: a.startDate,
        dueDate: a.dueDate,
        status: a.status,
        milestones: a.milestones.map((m) => ({ title: m.title, due: m.due, done: m.done })),
        latest: latest ? { date: latest.date, status: latest.status, note: latest.note } : null,
      };
    }),
    targets: detail.targets.map((t) => {
      const indicator = input.indicators.get(t.indicatorId);
      const perf = t.performance;
      return {
        priority: t.priorityId === null ? null : (priorityPosition.get(t.priorityId) ?? null),
        indicator: indicator?.name ?? `indicator ${t.indicatorId}`,
        indicatorKey: indicator?.key ?? "",
        unit: indicator?.unit ?? "number",
        polarity: indicator?.polarity ?? "lower_is_better",
        baselinePeriod: t.baselinePeriod,
        baselineValue: t.baselineValue,
        kind: t.kind,
        targetValue: t.targetValue,
        goal: perf?.goal ?? null,
        deadline: t.deadline,
        latest: perf?.latest ? { period: perf.latest.period, value: perf.latest.value } : null,
        rag: perf?.rag ?? "no_data",
        ragReason: perf?.ragReason ?? "Not measured.",
        direction: perf?.direction ?? "no_comparison",
        change: perf?.change
          ? { fromPeriod: perf.change.from.period, fromValue: perf.change.from.value, absolute: perf.change.absolute, percent: perf.change.percent }
          : null,
      };
    }),
    partners: detail.partners.map((p) => ({ name: p.name, role: p.role })),
    links: detail.links.map((l) => ({ kind: l.kind, name: l.name, url: l.url && /^https?:\/\//i.test(l.url) ? l.url : null, note: l.note })),
    grants: grants.budgets.map((b) => ({
      year: b.year,
      name: b.name,
      amountPence: b.amountPence,
      allocatedPence: b.allocatedPence,
      paidPence: b.paidPence,
      unallocatedPence: b.unallocatedPence,
      allocations: b.allocations.map((a) => ({
        organisation: a.organisationName,
        purpose: a.purpose,
        action: a.actionId === null ? null : (actionTitle.get(a.actionId) ?? null),
        amountPence: a.amountPence,
        paidPence: a.paidPence,
        delivered: a.delivered,
      })),
    })),
    decision: {
      statutoryBasis: plan.statutoryBasis,
      keyDecision: plan.keyDecision,
      forwardPlanNoticeDate: plan.forwardPlanNoticeDate,
      consultees: [...governance.consultees],
      cabinetDate: governance.cabinetDate,
      cabinetResolution: governance.cabinetResolution,
      councilDate: governance.councilDate,
      councilResolution: governance.councilResolution,
      publishedDate: governance.publishedDate,
      delegation: plan.delegation ? { post: plan.delegation.post, afterConsulting: plan.delegation.afterConsulting } : null,
      amendments: detail.amendments.map((a) => ({ date: a.date, post: a.post, summary: a.summary })),
      impactAssessment: plan.impactAssessment
        ? {
            completed: plan.impactAssessment.completed,
            date: plan.impactAssessment.date,
            summary: plan.impactAssessment.summary,
            link: plan.impactAssessment.link && /^https?:\/\//i.test(plan.impactAssessment.link) ? plan.impactAssessment.link : null,
          }
        : null,
    },
    assessment: input.assessment ? publicAssessment(input.assessment) : null,
    assessmentMissing: input.assessment ? null : input.assessmentMissing,
    map: input.map,
    mapMissing: input.map ? null : input.mapMissing,
    attribution: input.attribution,
  };
}

/** The assessment's public part: key messages, monthly counts by group, the seasonal index, priority areas. */
function publicAssessment(a: Assessment): PublicAssessment {
  const groups = a.trends.groups ?? [];
  const profile = a.seasonality.profile as { sufficient?: boolean; index?: { name: string; index: number }[]; message?: string | null } | null;
  const seasonalOk = a.seasonality.status === "ok" && profile?.sufficient === true && Array.isArray(profile.index) && profile.index.length > 0;
  const areas = (a.priorityAreas.areas ?? []) as Record<string, unknown>[];
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const str = (v: unknown): string => (typeof v === "string" ? v : "");
  return {
    areaName: a.area.name,
    from: a.period.from,
    to: a.period.to,
    missingMonths: [...a.vintage.missingMonths],
    keyMessages: a.keyMessages.messages.map((m) => ({ id: m.id, text: m.text })),
    monthly: groups.flatMap((g) => g.monthly.map((m) => ({ group: g.group, month: m.month, count: m.count }))),
    seasonal: seasonalOk ? { group: a.seasonality.group, rows: profile!.index!.map((r) => ({ name: String(r.name), index: Number(r.index) })) } : null,
    seasonalMessage: seasonalOk ? null : (a.seasonality.message ?? profile?.message ?? null),
    priorityAreas: areas.map((x, i) => ({
      rank: num(x.rank) ?? i + 1,
      code: str(x.code),
      name: str(x.name),
      count: num(x.count) ?? 0,
      population: num(x.population),
      rate: num(x.rate),
      imdDecile: num(x.imdDecile),
      reason: str(x.reason),
    })),
  };
}
