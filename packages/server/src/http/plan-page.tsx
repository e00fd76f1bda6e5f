import {
  type ConsultationResponse,
  type DelegatedAmendment,
  type Indicator,
  type KeyAction,
  type PartnerOrganisation,
  type Plan,
  type PlanGovernance,
  planEditability,
  type Priority,
  type ReadAcross,
  type Target,
  type TargetPerformance,
  withUnit,
} from "@safecity/core";
import { ScrollTable } from "./components.tsx";
import {
  type ActionRow,
  ActionsTable,
  AmendmentsTable,
  DIRECTION_LABELS,
  figure,
  LinksList,
  PartnersTable,
  PlanHeading,
  PlanTabs,
  PrioritySection,
  RagTag,
  ResponsesTable,
  signedFigure,
} from "./plan-components.tsx";
import { ActionForm, LinkForm, MilestonesForm, type OrganisationChoice, PartnerForm, PriorityForm, ProgressForm, RemoveForm, TargetForm } from "./plan-forms.tsx";
import type { FormState } from "./plan-form-kit.tsx";
import { PublishSiteForm } from "./plan-publish.routes.tsx";
import { GovernanceDetailsForm, GovernanceSteps, GovernanceSummary, NextVersionForm, ResponseForm, TransitionForms } from "./plan-governance-view.tsx";

/** Everything the plan page shows (gathered by the route from the plan services). */
export interface PlanPageData {
  plan: Plan;
  governance: PlanGovernance;
  priorities: Priority[];
  actions: ActionRow[];
  targets: { target: Target; indicator: Indicator | null; performance: TargetPerformance | null }[];
  links: (ReadAcross & { rowVersion: number })[];
  partners: PartnerOrganisation[];
  responses: ConsultationResponse[];
  amendments: DelegatedAmendment[];
  /** The public's consultation responses by channel (consultation.service.ts); counts only, the texts are on the analysts' page. */
  publicResponses?: { web: number; survey: number };
}

/** What the signed-in user may do on this plan's page. */
export interface PlanPermissions {
  /** Analyst or admin, and the plan's content is open (or they are the delegate while recommended). */
  editContent: boolean;
  /** Analyst or admin: record governance steps and responses. */
  governance: boolean;
  /** May record progress on this action (editors: their own organisation's only). */
  progress: (a: KeyAction) => boolean;
  /** Admin: the "Publish the public website" button, with the configured folder (null: not configured). */
  publishSite?: { dir: string | null } | null;
}

export interface PlanPageExtras {
  organisations: OrganisationChoice[];
  indicators: Indicator[];
}

/** "3 responses: 2 through the web form, 1 from survey imports". */
function publicCount(n: { web: number; survey: number }): string {
  const total = n.web + n.survey;
  if (total === 0) return "none yet";
  return `${total} ${total === 1 ? "response" : "responses"}: ${n.web} through the web form, ${n.survey} from survey imports`;
}

/** A figure with its indicator's unit ("25%", "2.67 per 1,000 residents"); as it is when the indicator is unknown. */
function unitOf(indicator: Indicator | undefined | null, figure: string): string {
  return indicator ? withUnit(figure, indicator.unit) : figure;
}

export function TargetsTable(props: { rows: PlanPageData["targets"]; priorities: Priority[]; caption: string }) {
  if (!props.rows.length) return <p class="govuk-body">No targets yet.</p>;
  const priorityTitle = (id: number | null) => props.priorities.find((p) => p.id === id)?.title ?? "Plan-wide";
  return (
    <ScrollTable label={props.caption}>
      <table class="govuk-table" data-testid="targets">
        <caption class="govuk-table__caption govuk-table__caption--s">{props.caption}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Indicator and target</th>
            <th scope="col" class="govuk-table__header">Priority</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Goal</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Latest</th>
            <th scope="col" class="govuk-table__header">Direction</th>
            <th scope="col" class="govuk-table__header">RAG</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.rows.map(({ target: t, indicator: ind, performance: p }) => (
            <tr class="govuk-table__row" data-target-id={t.id}>
              <th scope="row" class="govuk-table__header app-wrap-anywhere">
                {ind ? ind.name : `Indicator ${t.indicatorId}`}
                <span class="govuk-body-s app-block">
                  {t.kind === "change_percent"
                    ? `${signedFigure(t.targetValue)}% on ${t.baselinePeriod} (${unitOf(ind, figure(t.baselineValue))})`
                    : `reach ${unitOf(ind, figure(t.targetValue))} (baseline ${t.baselinePeriod}: ${unitOf(ind, figure(t.baselineValue))})`}{" "}
                  by{" "}
                  {t.deadline}
                </span>
              </th>
              <td class="govuk-table__cell app-wrap-anywhere">{priorityTitle(t.priorityId)}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{p ? unitOf(ind, figure(p.goal)) : ""}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{p?.latest ? `${unitOf(ind, figure(p.latest.value))} (${p.latest.period})` : "No data"}</td>
              <td class="govuk-table__cell">{p ? DIRECTION_LABELS[p.direction] : ""}</td>
              <td class="govuk-table__cell">
                {p ? (
                  <>
                    <RagTag rag={p.rag} />
                    <span class="govuk-body-s app-block">{p.ragReason}</span>
                  </>
                ) : (
                  ""
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** The plan page body: governance, priorities with their actions and targets, links, partners, consultation, amendments. */
export function PlanPage(props: { data: PlanPageData; can: PlanPermissions; extras: PlanPageExtras; fs: FormState }) {
  const { data, can, extras, fs } = props;
  const { plan } = data;
  const editable = planEditability(plan.state);
  return (
    <>
      <PlanHeading plan={plan} />
      <PlanTabs planId={plan.id} current="plan" />
      <GovernanceSteps plan={plan} record={data.governance} />
      <GovernanceSummary plan={plan} record={data.governance} />
      {can.governance ? <TransitionForms plan={plan} fs={fs} /> : null}
      {can.governance ? <NextVersionForm plan={plan} fs={fs} /> : null}
      {can.publishSite ? <PublishSiteForm plan={plan} csrf={fs.csrf} publishDir={can.publishSite.dir} /> : null}
      {can.editContent ? <GovernanceDetailsForm plan={plan} record={data.governance} fs={fs} /> : null}
      {editable === "delegated" ? (
        <p class="govuk-body" data-testid="delegation-note">
          Recommended by Cabinet: {plan.delegation ? `only ${plan.delegation.post} (${plan.delegation.delegateEmail}) may amend the plan, after consulting ${plan.delegation.afterConsulting}; each change is listed as a delegated amendment.` : "the delegation is not recorded."}
        </p>
      ) : editable === "locked" ? (
        <p class="govuk-body" data-testid="locked-note">
          The plan's content is locked from Full Council's approval on; action progress and indicator values go on being recorded.
        </p>
      ) : null}

      <h2 class="govuk-heading-l">Priorities</h2>
      {data.priorities.length ? null : <p class="govuk-body">No priorities yet.</p>}
      {data.priorities.map((pr) => (
        <PrioritySection priority={pr}>
          {can.editContent ? <PriorityForm plan={plan} priority={pr} fs={fs} /> : null}
          <ActionsTable
            caption={`Key actions for priority ${pr.position}`}
            rows={data.actions.filter((r) => r.action.priorityId === pr.id)}
            extra={(a) => (
              <>
                {can.progress(a) ? <ProgressForm plan={plan} action={a} fs={fs} /> : null}
                {can.progress(a) ? <MilestonesForm plan={plan} action={a} fs={fs} /> : null}
                {can.editContent ? <ActionForm plan={plan} priorities={data.priorities} organisations={extras.organisations} action={a} fs={fs} /> : null}
              </>
            )}
          />
          {can.editContent ? <ActionForm plan={plan} priorities={data.priorities} organisations={extras.organisations} priorityId={pr.id} fs={fs} /> : null}
        </PrioritySection>
      ))}
      {can.editContent ? <PriorityForm plan={plan} fs={fs} /> : null}
      {can.editContent ? (
        <p class="govuk-body" data-testid="propose-link">
          <a class="govuk-link" href={`/plans/${plan.id}/propose`}>
            Propose priorities from the Strategic Assessment
          </a>
        </p>
      ) : null}

      <h2 class="govuk-heading-l">Targets</h2>
      <TargetsTable rows={data.targets} priorities={data.priorities} caption="Targets and their latest position" />
      {can.editContent
        ? data.targets.map(({ target, indicator }) => (
            <div data-testid={`target-form-${target.id}`}>
              <p class="govuk-body-s govuk-!-margin-bottom-1">{indicator?.name ?? `Target ${target.id}`}</p>
              <TargetForm plan={plan} priorities={data.priorities} indicators={extras.indicators} target={target} fs={fs} />
            </div>
          ))
        : null}
      {can.editContent ? <TargetForm plan={plan} priorities={data.priorities} indicators={extras.indicators} fs={fs} /> : null}
      <p class="govuk-body">
        <a class="govuk-link" href={`/plans/${plan.id}/performance`}>
          The quarterly performance report
        </a>
      </p>

      <h2 class="govuk-heading-l">Read-across</h2>
      <LinksList
        links={data.links}
        extra={(l) => (can.editContent ? <RemoveForm fs={fs} form={`link-${l.id}-remove`} action={`/plans/${plan.id}/links/${l.id}/remove`} rowVersion={l.rowVersion} what={l.name} /> : null)}
      />
      {can.editContent ? <LinkForm plan={plan} fs={fs} /> : null}

      <h2 class="govuk-heading-l">Partners</h2>
      <PartnersTable
        partners={data.partners}
        extra={(p) => (can.editContent ? <RemoveForm fs={fs} form={`partner-${p.organisationId}-remove`} action={`/plans/${plan.id}/partners/${p.organisationId}/remove`} what={p.name} /> : null)}
      />
      {can.editContent ? <PartnerForm plan={plan} organisations={extras.organisations} fs={fs} /> : null}

      <h2 class="govuk-heading-l">Consultation</h2>
      <ResponsesTable responses={data.responses} />
      {can.governance && plan.state === "consultation" ? <ResponseForm plan={plan} fs={fs} /> : null}
      {can.governance ? (
        <p class="govuk-body" data-testid="public-consultation-link">
          <a class="govuk-link" href={`/plans/${plan.id}/consultation`}>
            Responses from the public: read, tag and summarise
          </a>
          {data.publicResponses ? ` (${publicCount(data.publicResponses)})` : null}
          {plan.state === "consultation" ? (
            <>
              {" "}
              (the draft is open to the public at{" "}
              <a class="govuk-link" href={`/consult/${plan.id}`}>
                /consult/{plan.id}
              </a>
              )
            </>
          ) : null}
        </p>
      ) : null}

      <h2 class="govuk-heading-l">Delegated amendments</h2>
      <AmendmentsTable amendments={data.amendments} />

      <p class="govuk-body">
        <a class="govuk-link" href={`/api/v1/plans/${plan.id}`}>
          This plan as JSON
        </a>
      </p>
    </>
  );
}
