import {
  AppError,
  type Assessment,
  canAmendUnderDelegation,
  financialYear,
  monthFromIndex,
  monthIndex,
  monthRange,
  PLAN_STATE_LABELS,
  type Plan,
  type Priority,
  type ProposedPriority,
  planEditability,
  proposePriorities,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { listPriorities } from "../db/repositories/plan-content.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { loadAnalysisScope } from "./analysis-scope.ts";
import { assessArea } from "./assessment.service.ts";
import { governanceSnapshot, mustFindPlan, type PlanActor, requirePlanManager } from "./plan-access.ts";
import { addPriority, updatePlanDetails } from "./plan-content.service.ts";

/**
 * Priorities proposed from the Strategic Assessment (issue 8, item 1): the assessment is run for
 * the plan's area, core's `proposePriorities` turns it into candidates with their rationale and
 * evidence (`assessment:<vintage>#<section>`), and an analyst adopts one as a priority.
 *
 *   proposalsForPlan(store, planId, opts?)                       -> PlanProposals
 *       over the latest 12 months loaded for the area (or opts.from/opts.to); read-only
 *   adoptProposal(store, actor, planId, candidateRef, now, opts?) -> { priority, proposals }
 *       recomputes the candidate here (nothing of it is taken from the caller but its key) and adds
 *       it through addPriority, so access, editability, delegated amendments and the audit row
 *       apply; sets the plan's assessmentRef when empty, in the same transaction.
 * Errors: plan.not_found, plan.forbidden, plan.locked, input.invalid (bad period, unknown or
 * already adopted candidate), data.missing and area errors from the assessment.
 */

export interface ProposalPeriod {
  /** First and last month, YYYY-MM; by default the latest 12 months loaded for the area's force. */
  from?: string;
  to?: string;
}

/** A candidate, and the priority already made from it (same assessment vintage), if any. */
export interface ProposalCandidate extends ProposedPriority {
  adoptedAs: { id: number; position: number; title: string } | null;
}

export interface PlanProposals {
  plan: Plan;
  area: Assessment["area"];
  period: { from: string; to: string; months: number; missingMonths: string[] };
  /** The assessment's vintage: the last month of its data. */
  vintage: string;
  /** What the plan's assessmentRef becomes when a candidate is adopted and it has none. */
  assessmentRef: string;
  /** Each section of the assessment with its status, and the reason when it is not ok. */
  sections: { name: string; status: string; message: string | null }[];
  candidates: ProposalCandidate[];
  /** What could not be proposed and why, and the period's gaps. */
  notes: string[];
}

const SECTIONS = [
  ["Priority areas", "priorityAreas"],
  ["Peers (Most Similar Group)", "peers"],
  ["Trends", "trends"],
  ["Emerging hot spots", "emerging"],
] as const;

/** The months to assess: as given, or the latest 12 loaded (fewer when fewer are loaded, with a note). */
async function proposalPeriod(store: Store, plan: Plan, opts: ProposalPeriod): Promise<{ from: string; to: string; notes: string[] }> {
  if (opts.from && opts.to) return { from: opts.from, to: opts.to, notes: [] };
  // loadAnalysisScope checks --from/--to and says what is missing when nothing is loaded
  const loaded = await loadAnalysisScope(store, { area: plan.areaCode, ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) });
  const to = loaded.to;
  const from = opts.from ?? monthFromIndex(Math.max(monthIndex(loaded.from), monthIndex(to) - 11));
  const months = monthRange(from, to).length;
  const notes =
    months < 12 && !opts.from
      ? [`Only ${months} month${months === 1 ? "" : "s"} (${from} to ${to}) of police data are loaded for ${loaded.area.name}; a year is assessed when available. Import more months (\`safecity import <zip>\`) for year-on-year comparisons.`]
      : [];
  return { from, to, notes };
}

/** "Strategic Assessment: Demo City (E22900004), police data 2025-01 to 2025-12 [assessment:2025-12]". */
function assessmentRefOf(doc: Assessment): string {
  return `Strategic Assessment: ${doc.area.name}${doc.area.code ? ` (${doc.area.code})` : ""}, police data ${doc.period.from} to ${doc.period.to} [assessment:${doc.period.to}]`;
}

/** The priority made from candidate `c`: one whose evidence cites the candidate's first reference. */
function adoptedAs(c: ProposedPriority, priorities: Priority[]): ProposalCandidate["adoptedAs"] {
  const first = c.evidence[0]?.ref;
  const p = first ? priorities.find((x) => x.evidence.some((e) => e.ref === first)) : undefined;
  return p ? { id: p.id, position: p.position, title: p.title } : null;
}

/** Runs the Strategic Assessment for the plan's area and proposes priorities from it. */
export async function proposalsForPlan(store: Store, planId: number, opts: ProposalPeriod = {}): Promise<PlanProposals> {
  const plan = await mustFindPlan(store, planId);
  const period = await proposalPeriod(store, plan, opts);
  const doc = await assessArea(store, { area: plan.areaCode, from: period.from, to: period.to });
  const proposed = proposePriorities(doc);
  const priorities = await listPriorities(store, planId);
  const missing = doc.vintage.missingMonths;
  const gaps = missing.length
    ? [`${missing.length} month${missing.length === 1 ? "" : "s"} of ${doc.period.from} to ${doc.period.to} have no police data (${missing.join(", ")}): their counts are unknown, not zero. Import them, or choose a period that is loaded.`]
    : [];
  return {
    plan,
    area: doc.area,
    period: { from: doc.period.from, to: doc.period.to, months: doc.period.months, missingMonths: missing },
    vintage: proposed.vintage,
    assessmentRef: assessmentRefOf(doc),
    sections: SECTIONS.map(([name, key]) => ({ name, status: doc[key].status, message: doc[key].message })),
    candidates: proposed.candidates.map((c) => ({ ...c, adoptedAs: adoptedAs(c, priorities) })),
    notes: [...period.notes, ...gaps, ...proposed.notes],
  };
}

/** The financial years a plan runs, e.g. 2025-04..2028-03 -> 2025/26, 2026/27, 2027/28. */
export function planYears(plan: Pick<Plan, "periodFrom" | "periodTo">): string[] {
  return [...new Set(monthRange(plan.periodFrom, plan.periodTo).map(financialYear))];
}

/** The cheap part of addPriority's checks, before the assessment is run (addPriority checks again in its transaction). */
async function requireCanAddPriority(store: Store, actor: PlanActor, plan: Plan): Promise<void> {
  const editability = planEditability(plan.state);
  if (editability === "delegated") {
    const rule = canAmendUnderDelegation(await governanceSnapshot(store, plan), actor.email);
    if (!rule.ok) throw new AppError("plan.forbidden", rule.reason);
    return;
  }
  requirePlanManager(actor, "add priorities to a plan");
  if (editability === "locked")
    throw new AppError("plan.locked", `Plan ${plan.id} is ${PLAN_STATE_LABELS[plan.state].toLowerCase()} (${plan.state}): its content is locked, so no priority can be added.`, {
      hint: `start the next annual version once it is published (\`safecity plan new-year ${plan.id}\`) and propose priorities for it`,
    });
}

/**
 * Adds candidate `candidateRef` (its key, e.g. `group/burglary`) as a priority of plan `planId`,
 * recomputed from the assessment over `opts`' period (the same default as proposalsForPlan).
 */
export async function adoptProposal(
  store: Store,
  actor: PlanActor,
  planId: number,
  candidateRef: string,
  now: Date,
  opts: ProposalPeriod = {},
): Promise<{ priority: Priority; proposals: PlanProposals }> {
  await requireCanAddPriority(store, actor, await mustFindPlan(store, planId));
  const proposals = await proposalsForPlan(store, planId, opts);
  const candidate = proposals.candidates.find((c) => c.key === candidateRef);
  if (!candidate) {
    const keys = proposals.candidates.map((c) => c.key);
    throw new AppError(
      "input.invalid",
      `No proposal \`${candidateRef}\` in the assessment of ${proposals.area.name}, ${proposals.period.from} to ${proposals.period.to}${keys.length ? `; the proposals are ${keys.join(", ")}` : "; it proposes nothing"}.`,
      { hint: `list them with \`safecity plan propose ${planId}\`` },
    );
  }
  if (candidate.adoptedAs)
    throw new AppError("input.invalid", `"${candidate.title}" is already priority ${candidate.adoptedAs.position} of plan ${planId} ("${candidate.adoptedAs.title}"), made from the same assessment.`, {
      hint: `edit priority ${candidate.adoptedAs.position} on the plan's page instead`,
    });
  const priority = await inTransaction(store, async (tx) => {
    const added = await addPriority(
      tx,
      actor,
      planId,
      { title: candidate.title, rationale: candidate.rationale, evidence: candidate.evidence, areaCodes: candidate.areaCodes, years: planYears(proposals.plan) },
      now,
      { amendment: `Added priority "${candidate.title}" proposed from the Strategic Assessment (${proposals.vintage})` },
    );
    const plan = await mustFindPlan(tx, planId);
    if (!plan.assessmentRef?.trim()) await updatePlanDetails(tx, actor, planId, plan.rowVersion, { assessmentRef: proposals.assessmentRef }, now);
    return added;
  });
  return { priority, proposals };
}
