import { nextStates, PLAN_STATE_LABELS, type Plan, type PlanState } from "@safecity/core";
import { SummaryList } from "./plan-components.tsx";
import { Checkbox, Folded, type FormState, PostForm, TextArea, TextInput } from "./plan-form-kit.tsx";

/**
 * The governance part of the plan page: the steps of the cycle (what happened, when, what was
 * resolved), what comes next, and for analysts and admins the form of each possible move with the
 * fields that step needs. The rules themselves are core's (`governanceTransition`); a refused
 * move comes back as an error summary with core's reason.
 */

/** What the plan record holds about its governance steps. */
export interface GovernanceRecord {
  consultees: string[];
  cabinetDate: string | null;
  cabinetResolution: string | null;
  councilDate: string | null;
  councilResolution: string | null;
  publishedDate: string | null;
  reviewDate: string | null;
}

const STEPS: { state: PlanState; label: string }[] = [
  { state: "draft", label: "Drafted" },
  { state: "consultation", label: "Consultation" },
  { state: "recommended", label: "Recommended by Cabinet" },
  { state: "approved", label: "Approved by Full Council" },
  { state: "published", label: "Published" },
  { state: "review", label: "Annual review" },
];

const ORDER: PlanState[] = ["draft", "consultation", "recommended", "approved", "published", "review", "superseded"];

/** What each move is called on its button. */
const MOVE_BUTTON: Partial<Record<PlanState, string>> = {
  consultation: "Start consultation",
  recommended: "Record Cabinet's recommendation",
  approved: "Record Full Council's approval",
  published: "Record publication",
  review: "Start the annual review",
  draft: "Return to draft",
};

const NEXT_HINT: Readonly<Record<PlanState, string>> = {
  draft: "Next: name the consultees and start consultation (the plan needs at least one priority).",
  consultation:
    "Next: Cabinet. Before the meeting record at least one consultation response, complete the Integrated Impact Assessment and, for a key decision, give 28 clear days' notice in the forward plan.",
  recommended: "Next: Full Council. Until then only the delegate may amend the plan; each amendment is listed below.",
  approved: "Next: publish the plan. From approval on its content is locked; progress and indicator values go on being recorded.",
  published: "Monitoring: record action progress and indicator values. Next: the annual review.",
  review: "Next: start the next annual version, which carries the priorities, open actions and targets forward.",
  superseded: "A later version of this plan has been published; this one is kept for the record.",
};

function stepDetail(state: PlanState, plan: Plan, g: GovernanceRecord): string {
  switch (state) {
    case "draft":
      return `Created ${plan.createdAt.slice(0, 10)}`;
    case "consultation":
      return g.consultees.length ? `Consultees: ${g.consultees.join(", ")}` : "";
    case "recommended":
      return [g.cabinetDate ? `Cabinet ${g.cabinetDate}` : "", (g.cabinetResolution ?? "").replace(/\.$/, ""), plan.delegation ? `Final amendments delegated to ${plan.delegation.post} after consulting ${plan.delegation.afterConsulting}` : ""]
        .filter(Boolean)
        .join(". ");
    case "approved":
      return [g.councilDate ? `Full Council ${g.councilDate}` : "", (g.councilResolution ?? "").replace(/\.$/, "")].filter(Boolean).join(". ");
    case "published":
      return g.publishedDate ? `Published ${g.publishedDate}` : "";
    case "review":
      return g.reviewDate ? `Review started ${g.reviewDate}` : "";
    default:
      return "";
  }
}

/** The state banner: every step, done or to do, and what comes next. */
export function GovernanceSteps(props: { plan: Plan; record: GovernanceRecord }) {
  const at = ORDER.indexOf(props.plan.state);
  return (
    <div class="govuk-inset-text" data-testid="governance">
      <h2 class="govuk-heading-m">Governance</h2>
      <ol class="govuk-list govuk-list--number">
        {STEPS.map((s) => {
          const done = ORDER.indexOf(s.state) <= at;
          const detail = done ? stepDetail(s.state, props.plan, props.record) : "";
          return (
            <li data-step={s.state} data-done={done ? "yes" : "no"}>
              <strong>{s.label}</strong>: {s.state === props.plan.state ? "current step" : done ? "done" : "to do"}
              {detail ? <span class="govuk-body-s app-block app-wrap-anywhere">{detail}</span> : null}
            </li>
          );
        })}
      </ol>
      <p class="govuk-body" data-testid="governance-next">
        {NEXT_HINT[props.plan.state]}
      </p>
    </div>
  );
}

/** The governance details an analyst keeps on the plan: statutory basis, key decision, IIA, delegation, consultees. */
export function GovernanceSummary(props: { plan: Plan; record: GovernanceRecord }) {
  const p = props.plan;
  const iia = p.impactAssessment;
  return (
    <SummaryList
      testId="governance-details"
      rows={[
        ["Statutory basis", p.statutoryBasis || "Not recorded"],
        ["Strategic Assessment", p.assessmentRef ?? "Not recorded"],
        ["Key decision", p.keyDecision ? `Yes; forward plan notice ${p.forwardPlanNoticeDate ?? "not recorded"}` : "No"],
        [
          "Integrated Impact Assessment",
          iia ? `${iia.completed ? "Completed" : "Not completed"}${iia.date ? ` ${iia.date}` : ""}${iia.summary ? `: ${iia.summary}` : ""}${iia.link ? ` (${iia.link})` : ""}` : "Not recorded",
        ],
        ["Delegation", p.delegation ? `${p.delegation.post} (${p.delegation.delegateEmail}) after consulting ${p.delegation.afterConsulting}` : "Not recorded"],
        ["Consultees", props.record.consultees.length ? props.record.consultees.join(", ") : "None named"],
      ]}
    />
  );
}

/** One form per move the plan can make now, each with the fields that step needs. */
export function TransitionForms(props: { plan: Plan; fs: FormState }) {
  const moves = nextStates(props.plan.state);
  if (!moves.length) return null;
  const action = `/plans/${props.plan.id}/transition`;
  const d = props.plan.delegation;
  return (
    <section data-testid="transitions" aria-labelledby="transitions-title">
      <h2 class="govuk-heading-m" id="transitions-title">
        Record a governance step
      </h2>
      {moves.map((to) => {
        const form = `transition-${to}`;
        const open = props.fs.failed?.form === form;
        return (
          <Folded summary={`${MOVE_BUTTON[to] ?? PLAN_STATE_LABELS[to]}`} open={open} testId={`move-${to}`}>
            <PostForm fs={props.fs} form={form} action={action} button={MOVE_BUTTON[to] ?? "Record"} rowVersion={props.plan.rowVersion} secondary={to === "draft"}>
              <input type="hidden" name="to" value={to} />
              <TextInput fs={props.fs} form={form} name="date" label={to === "recommended" || to === "approved" ? "Meeting date" : "Date"} hint="YYYY-MM-DD" width={10} />
              {to === "consultation" ? <TextArea fs={props.fs} form={form} name="consultees" label="Consultees" hint="One per line, e.g. Overview and Scrutiny Management Committee" /> : null}
              {to === "recommended" || to === "approved" ? <TextArea fs={props.fs} form={form} name="resolution" label="Resolution" /> : null}
              {to === "recommended" ? (
                <>
                  <TextInput fs={props.fs} form={form} name="delegationPost" label="Final amendments delegated to (post)" value={d?.post} />
                  <TextInput fs={props.fs} form={form} name="delegateEmail" label="Delegate's account email" type="email" value={d?.delegateEmail} />
                  <TextInput fs={props.fs} form={form} name="afterConsulting" label="After consulting" value={d?.afterConsulting} />
                </>
              ) : null}
              {to === "draft" ? <TextArea fs={props.fs} form={form} name="note" label="Why it returns to draft" /> : null}
            </PostForm>
          </Folded>
        );
      })}
    </section>
  );
}

/** Analysts keep the governance details on the plan (while its content is editable). */
export function GovernanceDetailsForm(props: { plan: Plan; record: GovernanceRecord; fs: FormState }) {
  const p = props.plan;
  const form = "details";
  return (
    <Folded summary="Edit the plan's details and governance record" open={props.fs.failed?.form === form} testId="edit-details">
      <PostForm fs={props.fs} form={form} action={`/plans/${p.id}/details`} button="Save details" rowVersion={p.rowVersion}>
        <TextInput fs={props.fs} form={form} name="title" label="Title" value={p.title} />
        <TextInput fs={props.fs} form={form} name="statutoryBasis" label="Statutory basis" value={p.statutoryBasis} />
        <TextInput fs={props.fs} form={form} name="assessmentRef" label="Strategic Assessment it cites" value={p.assessmentRef} />
        <Checkbox fs={props.fs} form={form} name="keyDecision" label="Key decision" checked={p.keyDecision} />
        <TextInput fs={props.fs} form={form} name="forwardPlanNoticeDate" label="Forward plan notice date" hint="YYYY-MM-DD" width={10} value={p.forwardPlanNoticeDate} />
        <Checkbox fs={props.fs} form={form} name="iiaCompleted" label="Integrated Impact Assessment completed" checked={p.impactAssessment?.completed ?? false} />
        <TextInput fs={props.fs} form={form} name="iiaDate" label="Impact assessment date" hint="YYYY-MM-DD" width={10} value={p.impactAssessment?.date} />
        <TextArea fs={props.fs} form={form} name="iiaSummary" label="Impact assessment summary" value={p.impactAssessment?.summary} />
        <TextInput fs={props.fs} form={form} name="iiaLink" label="Impact assessment link" type="url" value={p.impactAssessment?.link} />
        <TextInput fs={props.fs} form={form} name="delegationPost" label="Delegation: post" value={p.delegation?.post} />
        <TextInput fs={props.fs} form={form} name="delegateEmail" label="Delegation: delegate's account email" type="email" value={p.delegation?.delegateEmail} />
        <TextInput fs={props.fs} form={form} name="afterConsulting" label="Delegation: after consulting" value={p.delegation?.afterConsulting} />
        <TextArea fs={props.fs} form={form} name="consultees" label="Consultees" hint="One per line" value={props.record.consultees.join("\n")} />
      </PostForm>
    </Folded>
  );
}

/** Consultation responses are recorded while the plan is in consultation. */
export function ResponseForm(props: { plan: Plan; fs: FormState }) {
  const form = "response";
  return (
    <Folded summary="Record a consultation response" open={props.fs.failed?.form === form} testId="add-response">
      <PostForm fs={props.fs} form={form} action={`/plans/${props.plan.id}/responses`} button="Record response">
        <TextInput fs={props.fs} form={form} name="consultee" label="Consultee" />
        <TextInput fs={props.fs} form={form} name="date" label="Date" hint="YYYY-MM-DD" width={10} />
        <TextArea fs={props.fs} form={form} name="summary" label="Summary of the response" />
      </PostForm>
    </Folded>
  );
}

/** From a published plan or one in annual review: start version n+1 in draft, carrying the content forward. */
export function NextVersionForm(props: { plan: Plan; fs: FormState }) {
  if (props.plan.state !== "published" && props.plan.state !== "review") return null;
  return (
    <PostForm fs={props.fs} form="new-version" action={`/plans/${props.plan.id}/new-version`} button={`Start version ${props.plan.version + 1}`} secondary testId="new-version">
      <p class="govuk-body">The next annual version starts in draft with this plan's priorities, open actions, targets, links, partners and consultees.</p>
    </PostForm>
  );
}
