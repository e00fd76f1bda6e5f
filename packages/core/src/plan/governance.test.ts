import { describe, expect, it } from "vitest";
import { clearDaysBetween } from "./dates.ts";
import {
  canAmendUnderDelegation,
  canRecordProgress,
  canStartNextVersion,
  canSupersede,
  type GovernanceSnapshot,
  governanceTransition,
  nextStates,
  planEditability,
  TRANSITION_TARGETS,
  type TransitionRequest,
  type TransitionTarget,
} from "./governance.ts";
import { PLAN_STATES, type PlanState } from "./plan.types.ts";

const delegation = { post: "Director of Environment and Economy", delegateEmail: "director@council.example", afterConsulting: "Cabinet Member for Communities" };

/** A plan that meets every condition for whichever move is asked of it. */
function ready(state: PlanState, over: Partial<GovernanceSnapshot> = {}): GovernanceSnapshot {
  return {
    state,
    priorityCount: 3,
    consultees: ["Overview and Scrutiny Management Committee"],
    responseCount: 2,
    keyDecision: true,
    forwardPlanNoticeDate: "2025-06-01",
    impactAssessment: { completed: true, date: "2025-06-15", summary: "No adverse impact", link: null },
    delegation,
    cabinetDate: "2025-07-11",
    councilDate: "2025-07-24",
    publishedDate: "2025-08-01",
    ...over,
  };
}

/** A request for each move that carries everything the move needs. */
function request(to: TransitionTarget): TransitionRequest {
  switch (to) {
    case "consultation":
      return { to, date: "2025-05-01" };
    case "recommended":
      return { to, date: "2025-07-11", resolution: "Recommend the plan to Council; delegate final amendments." };
    case "approved":
      return { to, date: "2025-07-24", resolution: "Approve the plan." };
    case "published":
      return { to, date: "2025-08-01" };
    case "review":
      return { to, date: "2026-04-01" };
    case "draft":
      return { to, date: "2025-07-25", note: "Referred back by Council" };
  }
}

const VALID: Array<[PlanState, PlanState]> = [
  ["draft", "consultation"],
  ["consultation", "recommended"],
  ["consultation", "draft"],
  ["recommended", "approved"],
  ["recommended", "draft"],
  ["approved", "published"],
  ["published", "review"],
];

function reasonOf(r: ReturnType<typeof governanceTransition>): string {
  if (r.ok) throw new Error(`expected a refusal; got ok -> ${r.next}`);
  return r.reason;
}

describe("governanceTransition: every pair of states", () => {
  const isValid = (from: PlanState, to: string) => VALID.some(([f, t]) => f === from && t === to);
  for (const from of PLAN_STATES) {
    for (const to of [...TRANSITION_TARGETS, "superseded" as const]) {
      if (isValid(from, to)) {
        it(`${from} -> ${to} is accepted when its conditions are met`, () => {
          expect(governanceTransition(ready(from), request(to as TransitionTarget))).toEqual({ ok: true, next: to });
        });
      } else {
        it(`${from} -> ${to} is refused with a reason`, () => {
          const req = to === "superseded" ? ({ to, date: "2025-08-01" } as unknown as TransitionRequest) : request(to);
          const reason = reasonOf(governanceTransition(ready(from), req));
          if (to === "superseded") expect(reason).toMatch(/next version is published/);
          else if (from === to) expect(reason).toMatch(/already/);
          else if (from === "superseded") expect(reason).toMatch(/superseded by a later one/);
          else expect(reason).toContain(`cannot move to ${to}`);
        });
      }
    }
  }
  it("lists the valid moves from each state", () => {
    for (const from of PLAN_STATES) expect(nextStates(from).sort()).toEqual(VALID.filter(([f]) => f === from).map(([, t]) => t).sort());
  });
  it("says where the plan can go instead", () => {
    expect(reasonOf(governanceTransition(ready("draft"), request("approved")))).toBe("A plan that is draft (draft) cannot move to approved. From draft it can move to: consultation.");
    expect(reasonOf(governanceTransition(ready("published"), request("draft")))).toBe(
      "A plan that is published (published) cannot move to draft. From published it can move to: review. To change it, start the next annual version (new-year).",
    );
    expect(reasonOf(governanceTransition(ready("recommended"), request("recommended")))).toBe("The plan is already recommended by Cabinet (recommended).");
  });
  it("points published and review plans to the next annual version", () => {
    expect(reasonOf(governanceTransition(ready("published"), request("draft")))).toMatch(/new-year/);
    expect(reasonOf(governanceTransition(ready("review"), request("consultation")))).toMatch(/new-year/);
  });
  it("refuses a state it does not know", () => {
    const r = governanceTransition(ready("draft"), { to: "finished", date: "2025-01-01" } as unknown as TransitionRequest);
    expect(reasonOf(r)).toBe("The state to move to must be one of draft, consultation, recommended, approved, published, review; got `finished`.");
  });
});

describe("governanceTransition: dates", () => {
  it.each(["2025-7-11", "11/07/2025", "2025-02-30", "2025-13-01", ""])("refuses the date %j", (date) => {
    const r = governanceTransition(ready("published"), { to: "review", date });
    expect(reasonOf(r)).toBe(`The date must be a calendar date written YYYY-MM-DD; got \`${date}\`.`);
  });
  it("accepts 29 February in a leap year only", () => {
    expect(governanceTransition(ready("published", { publishedDate: "2024-01-01" }), { to: "review", date: "2024-02-29" }).ok).toBe(true);
    expect(governanceTransition(ready("published", { publishedDate: "2023-01-01" }), { to: "review", date: "2023-02-29" }).ok).toBe(false);
  });
});

describe("draft -> consultation", () => {
  it("needs a priority", () => {
    expect(reasonOf(governanceTransition(ready("draft", { priorityCount: 0 }), request("consultation")))).toMatch(/no priorities; add at least one/);
  });
  it("needs a consultee, on the plan or named with the move", () => {
    const none = ready("draft", { consultees: [" "] });
    expect(reasonOf(governanceTransition(none, request("consultation")))).toMatch(/No consultee is named/);
    expect(governanceTransition(none, { to: "consultation", date: "2025-05-01", consultees: ["Children's Trust"] })).toEqual({ ok: true, next: "consultation" });
  });
  it("names every missing thing at once", () => {
    const reason = reasonOf(governanceTransition(ready("draft", { priorityCount: 0, consultees: [] }), request("consultation")));
    expect(reason).toMatch(/no priorities.*No consultee/);
  });
});

describe("consultation -> recommended (Cabinet)", () => {
  const cabinet = (date: string, over: Partial<GovernanceSnapshot> = {}, extra: Partial<TransitionRequest> = {}) =>
    governanceTransition(ready("consultation", over), { to: "recommended", date, resolution: "Recommend to Council.", ...extra } as TransitionRequest);

  it("counts clear days without the day of notice and the day of the meeting", () => {
    expect(clearDaysBetween("2025-06-01", "2025-06-03")).toBe(1);
    expect(clearDaysBetween("2025-06-20", "2025-07-11")).toBe(20);
    expect(clearDaysBetween("2024-02-01", "2024-03-01")).toBe(28); // 2024 is a leap year: 29 days apart
  });
  it("accepts a key decision with exactly 28 clear days and refuses 27", () => {
    // notice 2025-06-01: clear days to 2025-06-30 = 30 - 1 - 1 = 28; to 2025-06-29 = 27.
    expect(cabinet("2025-06-30", { forwardPlanNoticeDate: "2025-06-01" })).toEqual({ ok: true, next: "recommended" });
    expect(reasonOf(cabinet("2025-06-29", { forwardPlanNoticeDate: "2025-06-01" }))).toBe(
      "The forward plan notice was given on 2025-06-01, 27 clear days before Cabinet on 2025-06-29; a key decision needs 28. Move the meeting to 2025-06-30 or later.",
    );
  });
  it("says how short the notice is and when the meeting could be", () => {
    expect(reasonOf(cabinet("2025-07-11", { forwardPlanNoticeDate: "2025-06-20" }))).toBe(
      "The forward plan notice was given on 2025-06-20, 20 clear days before Cabinet on 2025-07-11; a key decision needs 28. Move the meeting to 2025-07-19 or later.",
    );
    expect(reasonOf(cabinet("2025-07-11", { forwardPlanNoticeDate: "2025-07-11" }))).toMatch(/is not before Cabinet on 2025-07-11.*Move the meeting to 2025-08-09 or later/);
    expect(reasonOf(cabinet("2025-07-11", { forwardPlanNoticeDate: null }))).toMatch(/no forward plan notice date is recorded.*on or before 2025-06-12/);
  });
  it("does not ask a non-key decision for notice", () => {
    expect(cabinet("2025-06-16", { keyDecision: false, forwardPlanNoticeDate: null })).toEqual({ ok: true, next: "recommended" });
  });
  it("needs a consultation response", () => {
    expect(reasonOf(cabinet("2025-07-11", { responseCount: 0 }))).toMatch(/No consultation response is recorded/);
  });
  it("needs a completed Integrated Impact Assessment on or before the meeting", () => {
    const iia = { completed: true, date: "2025-07-11", summary: "", link: null };
    expect(cabinet("2025-07-11", { impactAssessment: iia }).ok).toBe(true);
    expect(reasonOf(cabinet("2025-07-11", { impactAssessment: { ...iia, date: "2025-07-12" } }))).toBe(
      "The Integrated Impact Assessment was completed on 2025-07-12, after Cabinet on 2025-07-11; it must be completed on or before the meeting. Move the meeting to 2025-07-12 or later, or correct the assessment's date.",
    );
    expect(reasonOf(cabinet("2025-07-11", { impactAssessment: null }))).toMatch(/No Integrated Impact Assessment is recorded/);
    expect(reasonOf(cabinet("2025-07-11", { impactAssessment: { ...iia, completed: false } }))).toMatch(/not marked completed/);
    expect(reasonOf(cabinet("2025-07-11", { impactAssessment: { ...iia, date: null } }))).toMatch(/no completion date/);
  });
  it("needs the resolution text", () => {
    expect(reasonOf(cabinet("2025-07-11", {}, { resolution: "  " }))).toBe("Record the text of Cabinet's resolution.");
  });
  it("needs the delegation, from the request or the plan", () => {
    expect(reasonOf(cabinet("2025-07-11", { delegation: null }))).toMatch(/Cabinet must delegate final amendments/);
    expect(cabinet("2025-07-11", { delegation: null }, { delegation })).toEqual({ ok: true, next: "recommended" });
    expect(reasonOf(cabinet("2025-07-11", {}, { delegation: { ...delegation, post: "", afterConsulting: "" } }))).toMatch(
      /The delegation is incomplete: record the post .*, whom the delegate consults first/,
    );
    expect(reasonOf(cabinet("2025-07-11", {}, { delegation: { ...delegation, delegateEmail: "the director" } }))).toMatch(/must be an email address/);
  });
});

describe("recommended -> approved -> published -> review", () => {
  it("holds Council on or after Cabinet's date", () => {
    const plan = ready("recommended", { cabinetDate: "2025-07-11" });
    expect(governanceTransition(plan, { to: "approved", date: "2025-07-11", resolution: "Approved" }).ok).toBe(true);
    expect(reasonOf(governanceTransition(plan, { to: "approved", date: "2025-07-10", resolution: "Approved" }))).toBe(
      "Full Council's meeting (2025-07-10) is before Cabinet on 2025-07-11; it must be on or after 2025-07-11.",
    );
    expect(reasonOf(governanceTransition(plan, { to: "approved", date: "2025-07-24", resolution: "" }))).toBe("Record the text of Full Council's resolution.");
    expect(reasonOf(governanceTransition(ready("recommended", { cabinetDate: null }), request("approved")))).toMatch(/No Cabinet date is recorded/);
  });
  it("publishes on or after Council's date", () => {
    const plan = ready("approved", { councilDate: "2025-07-24" });
    expect(governanceTransition(plan, { to: "published", date: "2025-07-24" }).ok).toBe(true);
    expect(reasonOf(governanceTransition(plan, { to: "published", date: "2025-07-23" }))).toMatch(/before Full Council on 2025-07-24/);
  });
  it("reviews on or after publication", () => {
    expect(reasonOf(governanceTransition(ready("published"), { to: "review", date: "2025-07-31" }))).toMatch(/before publication on 2025-08-01/);
  });
  it("returns to draft only with a note", () => {
    for (const from of ["consultation", "recommended"] as const)
      expect(reasonOf(governanceTransition(ready(from), { to: "draft", date: "2025-07-25", note: "" }))).toMatch(/a note is required/);
  });
});

describe("editability, delegated amendments, progress and the next version", () => {
  it("opens, delegates and locks plan content by state", () => {
    const got = Object.fromEntries(PLAN_STATES.map((s) => [s, planEditability(s)]));
    expect(got).toEqual({ draft: "open", consultation: "open", recommended: "delegated", approved: "locked", published: "locked", review: "locked", superseded: "locked" });
  });
  it("lets only the delegate amend, only in recommended", () => {
    expect(canAmendUnderDelegation(ready("recommended"), "Director@Council.example ")).toEqual({ ok: true });
    expect(canAmendUnderDelegation(ready("recommended"), "analyst@council.example")).toEqual({
      ok: false,
      reason: "Only Director of Environment and Economy (director@council.example) may amend the plan under Cabinet's delegation, after consulting Cabinet Member for Communities.",
    });
    expect(canAmendUnderDelegation(ready("recommended", { delegation: null }), "director@council.example").ok).toBe(false);
    for (const s of PLAN_STATES.filter((s) => s !== "recommended")) expect(canAmendUnderDelegation(ready(s), "director@council.example").ok).toBe(false);
    expect(canAmendUnderDelegation(ready("draft"), "director@council.example")).toMatchObject({ reason: expect.stringMatching(/Edit it directly/) });
  });
  it("records progress in every state but superseded", () => {
    for (const s of PLAN_STATES) expect(canRecordProgress(s).ok).toBe(s !== "superseded");
  });
  it("starts the next version from published or review only, and supersedes the same", () => {
    for (const s of PLAN_STATES) {
      expect(canStartNextVersion(s).ok).toBe(s === "published" || s === "review");
      expect(canSupersede(s).ok).toBe(s === "published" || s === "review");
    }
    expect(canStartNextVersion("approved")).toMatchObject({ reason: expect.stringMatching(/this plan is approved by Full Council/) });
  });
});
