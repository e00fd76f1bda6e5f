/**
 * The Partnership Plan's governance cycle as a pure state machine
 * (docs/decisions/0005-partnership-plan.md): every move is checked against the plan's snapshot and
 * refused with a reason that says what is missing and what to do. Dates come from the caller.
 */
import { addDays, clearDaysBetween, dayNumber, isIsoDate } from "./dates.ts";
import { type Delegation, type ImpactAssessment, PLAN_STATE_LABELS, type PlanState } from "./plan.types.ts";

/** A key decision must be in the forward plan at least this many clear days before Cabinet. */
export const KEY_DECISION_CLEAR_DAYS = 28;

/** What the rules need to know about a plan to decide a move. */
export interface GovernanceSnapshot {
  state: PlanState;
  priorityCount: number;
  /** Consultees already named on the plan. */
  consultees: string[];
  /** Consultation responses recorded. */
  responseCount: number;
  keyDecision: boolean;
  forwardPlanNoticeDate: string | null;
  impactAssessment: ImpactAssessment | null;
  delegation: Delegation | null;
  cabinetDate: string | null;
  councilDate: string | null;
  publishedDate: string | null;
}

/** A requested move; `date` (YYYY-MM-DD) is the day it happened (the meeting, the publication). */
export type TransitionRequest =
  | { to: "consultation"; date: string; /** Consultees named with the move (added to those on the plan). */ consultees?: string[] }
  | { to: "recommended"; date: string; resolution: string; /** Overrides the plan's recorded delegation. */ delegation?: Delegation | null }
  | { to: "approved"; date: string; resolution: string }
  | { to: "published"; date: string }
  | { to: "review"; date: string }
  | { to: "draft"; date: string; note: string };

export type TransitionTarget = TransitionRequest["to"];
export const TRANSITION_TARGETS: readonly TransitionTarget[] = ["draft", "consultation", "recommended", "approved", "published", "review"];

export type TransitionResult = { ok: true; next: PlanState } | { ok: false; reason: string };
export type RuleResult = { ok: true } | { ok: false; reason: string };

/** The moves a plan in each state may make (`superseded` happens when the next version is published). */
const NEXT: Readonly<Record<PlanState, readonly TransitionTarget[]>> = {
  draft: ["consultation"],
  consultation: ["recommended", "draft"],
  recommended: ["approved", "draft"],
  approved: ["published"],
  published: ["review"],
  review: [],
  superseded: [],
};

/** The states a plan in `state` may move to by `governanceTransition`. */
export function nextStates(state: PlanState): PlanState[] {
  return [...(NEXT[state] ?? [])];
}

const label = (s: PlanState): string => PLAN_STATE_LABELS[s] ?? s;
const lower = (s: PlanState): string => label(s).charAt(0).toLowerCase() + label(s).slice(1);
const blank = (s: unknown): boolean => typeof s !== "string" || s.trim() === "";
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

/** Decide whether the plan described by `snapshot` may make the move `request`. */
export function governanceTransition(snapshot: GovernanceSnapshot, request: TransitionRequest): TransitionResult {
  const from = snapshot.state;
  const to = (request as { to?: unknown } | null)?.to;
  if (to === "superseded")
    return refuse("A plan becomes superseded by itself when its next version is published; it cannot be moved there directly.");
  if (typeof to !== "string" || !(TRANSITION_TARGETS as readonly string[]).includes(to))
    return refuse(`The state to move to must be one of ${TRANSITION_TARGETS.join(", ")}; got \`${String(to)}\`.`);
  const target = to as TransitionTarget;
  if (!(NEXT[from] ?? []).includes(target)) return refuse(notAllowed(from, target));

  const problems: string[] = [];
  if (!isIsoDate(request.date)) {
    problems.push(`The date must be a calendar date written YYYY-MM-DD; got \`${String(request.date)}\`.`);
    return refuse(problems.join(" "));
  }
  switch (request.to) {
    case "consultation":
      checkConsultation(snapshot, request, problems);
      break;
    case "recommended":
      checkCabinet(snapshot, request, problems);
      break;
    case "approved":
      checkAfter(snapshot.cabinetDate, "Cabinet", request.date, "Full Council's meeting", problems);
      if (blank(request.resolution)) problems.push("Record the text of Full Council's resolution.");
      break;
    case "published":
      checkAfter(snapshot.councilDate, "Full Council", request.date, "The publication date", problems);
      break;
    case "review":
      if (snapshot.publishedDate !== null) checkAfter(snapshot.publishedDate, "publication", request.date, "The review date", problems);
      break;
    case "draft":
      if (blank(request.note)) problems.push(`Say why the plan returns to draft: a note is required (for example "Council referred it back: strengthen the youth violence targets").`);
      break;
  }
  return problems.length > 0 ? refuse(problems.join(" ")) : { ok: true, next: target };
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function notAllowed(from: PlanState, to: TransitionTarget): string {
  if (from === to) return `The plan is already ${lower(from)} (${from}).`;
  if (from === "superseded") return "This version is superseded by a later one and can no longer change state; work on the current version.";
  const options = NEXT[from] ?? [];
  const parts = [`A plan that is ${lower(from)} (${from}) cannot move to ${to}.`];
  if (options.length > 0) parts.push(`From ${from} it can move to: ${options.join(", ")}.`);
  if (from === "published" || from === "review") parts.push("To change it, start the next annual version (new-year).");
  return parts.join(" ");
}

function checkConsultation(s: GovernanceSnapshot, r: { consultees?: string[] }, problems: string[]): void {
  if (!(s.priorityCount >= 1)) problems.push("The plan has no priorities; add at least one priority before consultation.");
  const named = [...(s.consultees ?? []), ...(r.consultees ?? [])].filter((c) => !blank(c));
  if (named.length === 0)
    problems.push("No consultee is named; name at least one (for example Overview and Scrutiny, the Children's Trust, partnership members).");
}

function checkCabinet(s: GovernanceSnapshot, r: { date: string; resolution: string; delegation?: Delegation | null }, problems: string[]): void {
  const meeting = r.date;
  if (!(s.responseCount >= 1))
    problems.push("No consultation response is recorded; record at least one (consultee, date, summary) before Cabinet.");
  checkImpactAssessment(s.impactAssessment, meeting, problems);
  if (s.keyDecision) checkForwardPlan(s.forwardPlanNoticeDate, meeting, problems);
  if (blank(r.resolution)) problems.push("Record the text of Cabinet's resolution.");
  checkDelegation(r.delegation ?? s.delegation, problems);
}

function checkImpactAssessment(iia: ImpactAssessment | null, meeting: string, problems: string[]): void {
  if (iia === null) {
    problems.push(`No Integrated Impact Assessment is recorded; complete one (date, summary, link) on or before Cabinet on ${meeting}.`);
    return;
  }
  if (!iia.completed) {
    problems.push(`The Integrated Impact Assessment is not marked completed; complete it on or before Cabinet on ${meeting}.`);
    return;
  }
  if (iia.date === null) {
    problems.push("The Integrated Impact Assessment has no completion date; record the date it was completed.");
    return;
  }
  if (!isIsoDate(iia.date)) {
    problems.push(`The Integrated Impact Assessment's date must be YYYY-MM-DD; got \`${iia.date}\`. Correct it.`);
    return;
  }
  if (dayNumber(iia.date) > dayNumber(meeting))
    problems.push(
      `The Integrated Impact Assessment was completed on ${iia.date}, after Cabinet on ${meeting}; it must be completed on or before the meeting. Move the meeting to ${iia.date} or later, or correct the assessment's date.`,
    );
}

function checkForwardPlan(notice: string | null, meeting: string, problems: string[]): void {
  const earliest = (n: string) => addDays(n, KEY_DECISION_CLEAR_DAYS + 1);
  if (notice === null) {
    problems.push(
      `This is a key decision but no forward plan notice date is recorded; give notice in the forward plan at least ${KEY_DECISION_CLEAR_DAYS} clear days before Cabinet (on or before ${addDays(meeting, -(KEY_DECISION_CLEAR_DAYS + 1))} for a meeting on ${meeting}).`,
    );
    return;
  }
  if (!isIsoDate(notice)) {
    problems.push(`The forward plan notice date must be YYYY-MM-DD; got \`${notice}\`. Correct it.`);
    return;
  }
  const clear = clearDaysBetween(notice, meeting);
  if (clear >= KEY_DECISION_CLEAR_DAYS) return;
  if (dayNumber(notice) >= dayNumber(meeting))
    problems.push(
      `The forward plan notice date ${notice} is not before Cabinet on ${meeting}; a key decision needs ${KEY_DECISION_CLEAR_DAYS} clear days' notice. Move the meeting to ${earliest(notice)} or later, or correct the notice date.`,
    );
  else
    problems.push(
      `The forward plan notice was given on ${notice}, ${clear} clear ${clear === 1 ? "day" : "days"} before Cabinet on ${meeting}; a key decision needs ${KEY_DECISION_CLEAR_DAYS}. Move the meeting to ${earliest(notice)} or later.`,
    );
}

function checkDelegation(d: Delegation | null | undefined, problems: string[]): void {
  if (!d) {
    problems.push("Cabinet must delegate final amendments: record the post, the delegate's account email and whom they consult first.");
    return;
  }
  const missing: string[] = [];
  if (blank(d.post)) missing.push("the post (for example Director of Environment and Economy)");
  if (blank(d.delegateEmail)) missing.push("the delegate's account email");
  if (blank(d.afterConsulting)) missing.push("whom the delegate consults first (for example the Cabinet Member for Communities)");
  if (missing.length > 0) problems.push(`The delegation is incomplete: record ${missing.join(", ")}.`);
  else if (!EMAIL_RE.test(d.delegateEmail.trim()))
    problems.push(`The delegate's account must be an email address; got \`${d.delegateEmail}\`.`);
}

/** `date` must be on or after the earlier step's date. */
function checkAfter(earlier: string | null, earlierName: string, date: string, dateName: string, problems: string[]): void {
  if (earlier === null) {
    problems.push(`No ${earlierName} date is recorded for this plan; record the ${earlierName} step first.`);
    return;
  }
  if (!isIsoDate(earlier)) {
    problems.push(`The recorded ${earlierName} date must be YYYY-MM-DD; got \`${earlier}\`. Correct it.`);
    return;
  }
  if (dayNumber(date) < dayNumber(earlier))
    problems.push(`${dateName} (${date}) is before ${earlierName} on ${earlier}; it must be on or after ${earlier}.`);
}

/**
 * Who may change plan content: `open` in draft and consultation; `delegated` in recommended (only
 * the delegate, each change a listed amendment); `locked` from approval on (monitoring goes on).
 */
export function planEditability(state: PlanState): "open" | "delegated" | "locked" {
  if (state === "draft" || state === "consultation") return "open";
  if (state === "recommended") return "delegated";
  return "locked";
}

/** May `actorEmail` amend the plan under Cabinet's delegation? Only the delegate, only in recommended. */
export function canAmendUnderDelegation(snapshot: GovernanceSnapshot, actorEmail: string): RuleResult {
  if (snapshot.state !== "recommended")
    return refuse(
      `Delegated amendments are made only between Cabinet's recommendation and Full Council's approval; this plan is ${lower(snapshot.state)}.${planEditability(snapshot.state) === "open" ? " Edit it directly instead." : ""}`,
    );
  const d = snapshot.delegation;
  if (!d || blank(d.delegateEmail))
    return refuse("Cabinet's delegation is not recorded on this plan; record the delegation (post, delegate, after consulting whom) first.");
  if (blank(actorEmail) || actorEmail.trim().toLowerCase() !== d.delegateEmail.trim().toLowerCase())
    return refuse(`Only ${d.post} (${d.delegateEmail}) may amend the plan under Cabinet's delegation, after consulting ${d.afterConsulting}.`);
  return { ok: true };
}

/**
 * May action progress, action status and indicator values be recorded? In every state but
 * superseded: monitoring goes on after approval; a superseded version's open actions were carried
 * forward to the next version.
 */
export function canRecordProgress(state: PlanState): RuleResult {
  if (state === "superseded")
    return refuse("This version is superseded; record progress on the current version, to which its open actions were carried forward.");
  return { ok: true };
}

/** May the next annual version (`new-year`) be started from a plan in `state`? From published or review. */
export function canStartNextVersion(state: PlanState): RuleResult {
  if (state === "published" || state === "review") return { ok: true };
  if (state === "superseded") return refuse("This version is already superseded; start the next version from the current one.");
  return refuse(`The next annual version can be started only from a published plan or one in annual review; this plan is ${lower(state)}. Take it through to publication first.`);
}

/** May a plan in `state` be marked superseded (its next version has just been published)? */
export function canSupersede(state: PlanState): RuleResult {
  if (state === "published" || state === "review") return { ok: true };
  return refuse(`Only a published plan or one in annual review can be superseded by its next version; this plan is ${lower(state)}.`);
}
