import { type AppError, isAppError, type Plan, planEditability } from "@safecity/core";
import { Hono } from "hono";
import { getPlan } from "../services/plan.service.ts";
import { adoptProposal, type PlanProposals, type ProposalCandidate, type ProposalPeriod, proposalsForPlan } from "../services/plan-proposals.service.ts";
import { ErrorSummary } from "./components.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { PlanHeading, PlanTabs } from "./plan-components.tsx";
import { type FormState, PostForm } from "./plan-form-kit.tsx";
import { handlePost, idParam, isManager, planActor, readSubmission } from "./plan-route-kit.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

/**
 * `/plans/:id/propose`: priorities proposed from the Strategic Assessment of the plan's area
 * (latest 12 months loaded, or `?from=&to=`), each with its evidence and, while the plan's content
 * may be changed by the signed-in user, an "Add as a priority" button. The post names only the
 * proposal's key and the period; the service recomputes the proposal and adds it through the plan
 * services (access, editability, audit). Without the data to assess, the page says what is missing
 * and what to do. Analysts and admins.
 */
export function planProposeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/plans/:id/propose", requireRole("analyst"), (c) => renderPropose(c, { csrf: c.var.csrfToken, failed: null }, periodOf(c.req.query())));
  app.post("/plans/:id/propose", requireRole("analyst"), async (c) => {
    const planId = idParam(c, "id", "plan");
    const sub = await readSubmission(c);
    const period = periodOf(sub.values);
    let priorityId = 0;
    return handlePost(
      c,
      sub,
      async () => {
        priorityId = (await adoptProposal(c.var.deps.store, planActor(c), planId, sub.values.key ?? "", c.var.deps.now(), period)).priority.id;
      },
      "", // replaced below: the plan page at the new priority
      (fs, status) => renderPropose(c, fs, period, status),
      "key",
    ).then((res) => (res.status === 303 ? c.redirect(`/plans/${planId}?done=priority#priority-${priorityId}`, 303) : res));
  });
  return app;
}

function periodOf(values: Record<string, string | undefined>): ProposalPeriod {
  return { ...(values.from ? { from: values.from.trim() } : {}), ...(values.to ? { to: values.to.trim() } : {}) };
}

/** Errors that mean "this cannot be assessed yet": shown on the page with what to do, not as an error page. */
const NOT_ASSESSABLE = new Set(["data.missing", "area.not_found", "area.ambiguous", "input.invalid"]);

async function renderPropose(c: AppContext, fs: FormState, period: ProposalPeriod, status: 200 | 400 | 404 | 409 | 422 = 200) {
  const store = c.var.deps.store;
  const plan = await getPlan(store, idParam(c, "id", "plan"));
  let proposals: PlanProposals | null = null;
  let problem: AppError | null = null;
  try {
    proposals = await proposalsForPlan(store, plan.id, period);
  } catch (e) {
    if (!isAppError(e) || !NOT_ASSESSABLE.has(e.code)) throw e;
    problem = e;
  }
  const errors = fs.failed?.errors ?? [];
  const canAdd = canChangeContent(c, plan);
  return page(
    c,
    `Propose priorities: ${plan.title}`,
    <>
      <ErrorSummary errors={errors} />
      <PlanHeading plan={plan} sub="Propose priorities" />
      <PlanTabs planId={plan.id} current="plan" />
      <p class="govuk-body">
        Priorities proposed from the Strategic Assessment of the plan's area: the priority areas, the crime groups where the area is among the highest quarter of rates in its Most Similar
        Group or rose by a statistically significant amount, and the emerging hot spots. Each comes with the evidence it rests on, cited by the assessment's vintage.
      </p>
      <PeriodForm period={proposals ? { from: proposals.period.from, to: proposals.period.to } : period} planId={plan.id} />
      {problem ? <NotAssessable plan={plan} error={problem} /> : null}
      {proposals ? <Proposals proposals={proposals} canAdd={canAdd} fs={fs} /> : null}
      {!canAdd ? (
        <p class="govuk-body" data-testid="propose-locked">
          {planEditability(plan.state) === "locked"
            ? "The plan's content is locked from Full Council's approval on, so no priority can be added to it; start the next annual version to use these proposals."
            : "You may not change this plan's content in its current state, so the proposals are shown without the buttons."}
        </p>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href={`/plans/${plan.id}`}>
          Back to the plan
        </a>
      </p>
    </>,
    { status, hasError: errors.length > 0 },
  );
}

/** The same rule as the plan page's edit forms: analysts and admins while open, only the delegate while recommended. */
function canChangeContent(c: AppContext, plan: Plan): boolean {
  const editability = planEditability(plan.state);
  if (editability === "open") return isManager(c);
  if (editability === "delegated") return plan.delegation?.delegateEmail.trim().toLowerCase() === c.var.user!.email.toLowerCase();
  return false;
}

function PeriodForm(props: { period: ProposalPeriod; planId: number }) {
  return (
    <form method="get" action={`/plans/${props.planId}/propose`} class="govuk-!-margin-bottom-6" data-testid="propose-period">
      <div class="govuk-form-group">
        <label class="govuk-label" for="propose-from">
          First month (YYYY-MM)
        </label>
        <input class="govuk-input govuk-input--width-10" id="propose-from" name="from" type="text" value={props.period.from ?? ""} />
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label" for="propose-to">
          Last month (YYYY-MM)
        </label>
        <div class="govuk-hint" id="propose-to-hint">
          Leave both empty for the latest 12 months loaded.
        </div>
        <input class="govuk-input govuk-input--width-10" id="propose-to" name="to" type="text" value={props.period.to ?? ""} aria-describedby="propose-to-hint" />
      </div>
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
        Assess this period
      </button>
    </form>
  );
}

function NotAssessable(props: { plan: Plan; error: AppError }) {
  const e = props.error;
  return (
    <div class="govuk-inset-text" data-testid="propose-not-assessable">
      <h2 class="govuk-heading-m">Nothing can be proposed yet</h2>
      <p class="govuk-body app-wrap-anywhere">{e.message.replace(/\.$/, "")}.</p>
      {e.hint ? <p class="govuk-body app-wrap-anywhere">What to do: {e.hint.replace(/\.$/, "")}.</p> : null}
      <p class="govuk-body">
        The assessment needs police.uk data for the plan's area ({props.plan.areaCode}) and the reference data (geography, population, deprivation). Load them on the{" "}
        <a class="govuk-link" href="/data">
          data page
        </a>{" "}
        or with <code>safecity import</code> and <code>safecity reference</code>.
      </p>
    </div>
  );
}

function Proposals(props: { proposals: PlanProposals; canAdd: boolean; fs: FormState }) {
  const p = props.proposals;
  const unavailable = p.sections.filter((s) => s.status !== "ok");
  return (
    <>
      <p class="govuk-body" data-testid="propose-source">
        From the Strategic Assessment of {p.area.name}
        {p.area.code ? ` (${p.area.code})` : ""}, police data {p.period.from} to {p.period.to} ({p.period.months} months; vintage <code>assessment:{p.vintage}</code>).
      </p>
      {unavailable.length || p.notes.length ? (
        <div class="govuk-warning-text" data-testid="propose-notes">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <div class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">Warning</span>
            <ul class="govuk-list govuk-list--bullet">
              {unavailable.map((s) => (
                <li class="app-wrap-anywhere">
                  {s.name}: {s.status}
                  {s.message ? ` (${s.message})` : ""}; nothing proposed from it.
                </li>
              ))}
              {p.notes.map((n) => (
                <li class="app-wrap-anywhere">{n}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {p.candidates.length === 0 ? <p class="govuk-body">No proposals from this assessment; add priorities by hand on the plan's page.</p> : null}
      {p.candidates.map((cand) => (
        <Candidate candidate={cand} proposals={p} canAdd={props.canAdd} fs={props.fs} />
      ))}
    </>
  );
}

function Candidate(props: { candidate: ProposalCandidate; proposals: PlanProposals; canAdd: boolean; fs: FormState }) {
  const { candidate: cand, proposals: p } = props;
  const form = `propose-${cand.key.replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section class="govuk-!-margin-bottom-8" data-testid={`proposal-${cand.key}`} aria-labelledby={`${form}-key`}>
      {/* the id an error summary links to (`<form>-key`) */}
      <h2 class="govuk-heading-m app-wrap-anywhere" id={`${form}-key`}>
        {cand.title}
      </h2>
      <p class="govuk-body app-wrap-anywhere">{cand.rationale}</p>
      <h3 class="govuk-heading-s">Evidence</h3>
      <ul class="govuk-list govuk-list--bullet" data-testid={`evidence-${cand.key}`}>
        {cand.evidence.map((e) => (
          <li class="app-wrap-anywhere">
            {e.text} <code>{e.ref}</code>
          </li>
        ))}
      </ul>
      {cand.areaCodes.length ? <p class="govuk-body-s app-wrap-anywhere">Areas: {cand.areaCodes.join(", ")}</p> : null}
      {cand.adoptedAs ? (
        <p class="govuk-body" data-testid={`adopted-${cand.key}`}>
          Already in the plan as{" "}
          <a class="govuk-link" href={`/plans/${p.plan.id}#priority-${cand.adoptedAs.id}`}>
            priority {cand.adoptedAs.position}
          </a>
          .
        </p>
      ) : props.canAdd ? (
        <PostForm fs={props.fs} form={form} action={`/plans/${p.plan.id}/propose`} button="Add as a priority">
          <input type="hidden" name="key" value={cand.key} />
          <input type="hidden" name="from" value={p.period.from} />
          <input type="hidden" name="to" value={p.period.to} />
        </PostForm>
      ) : null}
    </section>
  );
}
