import { ACTION_STATUSES, type Indicator, type KeyAction, LINK_KINDS, type Milestone, type Plan, type Priority, type Target } from "@safecity/core";
import { CsrfField } from "./csrf.tsx";
import { ACTION_STATUS_LABELS } from "./plan-components.tsx";
import { Folded, type FormState, PostForm, Select, TextArea, TextInput } from "./plan-form-kit.tsx";

/**
 * The plan page's content forms: add or edit priorities, key actions, targets, read-across links,
 * partners (analysts and admins, while the plan is editable) and the progress form an editor sees
 * on their own organisation's actions. Every edit form carries the record's `row_version`.
 */

/** A form's details are open when its post (or its removal) was refused. */
const isOpen = (fs: FormState, form: string): boolean => fs.failed?.form === form || fs.failed?.form === `${form}-remove`;

/** Removes a record (named by its row_version, so a removal of something changed since is refused too). */
export function RemoveForm(props: { fs: FormState; form: string; action: string; rowVersion?: number; what: string }) {
  return (
    <form method="post" action={props.action} novalidate data-testid={`form-${props.form}`} class="govuk-!-margin-top-2">
      <CsrfField token={props.fs.csrf} />
      <input type="hidden" name="_form" value={props.form} />
      {props.rowVersion !== undefined ? <input type="hidden" name="row_version" value={String(props.rowVersion)} /> : null}
      <button type="submit" id={`${props.form}-button`} class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button">
        Remove<span class="govuk-visually-hidden"> {props.what}</span>
      </button>
    </form>
  );
}

export interface OrganisationChoice {
  id: number;
  name: string;
}

const statusOptions = ACTION_STATUSES.map((s) => ({ value: s, text: ACTION_STATUS_LABELS[s] }));

export function NewPlanForm(props: { fs: FormState }) {
  const form = "new-plan";
  return (
    <PostForm fs={props.fs} form={form} action="/plans" button="Create plan">
      <h2 class="govuk-heading-m">New plan</h2>
      <TextInput fs={props.fs} form={form} name="title" label="Title" hint="e.g. Community Safety Partnership Plan 2025-2028" />
      <TextInput fs={props.fs} form={form} name="partnershipName" label="Partnership" hint="e.g. Southampton Safe City Partnership" />
      <TextInput fs={props.fs} form={form} name="areaCode" label="Area code" hint="ONS code of the CSP or local authority, e.g. E06000045" width={10} />
      <TextInput fs={props.fs} form={form} name="periodFrom" label="First month" hint="YYYY-MM, e.g. 2025-04" width={10} />
      <TextInput fs={props.fs} form={form} name="periodTo" label="Last month" hint="YYYY-MM, e.g. 2028-03" width={10} />
      <TextInput fs={props.fs} form={form} name="statutoryBasis" label="Statutory basis (optional)" hint="e.g. Crime and Disorder Act 1998, section 6" />
      <TextInput fs={props.fs} form={form} name="assessmentRef" label="Strategic Assessment it follows (optional)" />
    </PostForm>
  );
}

export function PriorityForm(props: { plan: Plan; priority?: Priority; fs: FormState }) {
  const p = props.priority;
  const form = p ? `priority-${p.id}` : "priority-new";
  return (
    <Folded summary={p ? `Edit priority ${p.position}` : "Add a priority"} open={isOpen(props.fs, form)} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={p ? `/plans/${props.plan.id}/priorities/${p.id}` : `/plans/${props.plan.id}/priorities`} button={p ? "Save priority" : "Add priority"} {...(p ? { rowVersion: p.rowVersion } : {})}>
        <TextInput fs={props.fs} form={form} name="title" label="Title" value={p?.title} />
        <TextArea fs={props.fs} form={form} name="rationale" label="Rationale" hint="Why: cite the Strategic Assessment's findings" value={p?.rationale} />
        <TextInput fs={props.fs} form={form} name="years" label="Years it runs (optional)" hint="Financial years separated by commas, e.g. 2025/26, 2026/27" value={p?.years.join(", ")} />
        <TextInput fs={props.fs} form={form} name="areaCodes" label="Priority areas (optional)" hint="LSOA or ward codes separated by commas" value={p?.areaCodes.join(", ")} />
      </PostForm>
      {p ? <RemoveForm fs={props.fs} form={`${form}-remove`} action={`/plans/${props.plan.id}/priorities/${p.id}/remove`} rowVersion={p.rowVersion} what={`priority ${p.position}`} /> : null}
    </Folded>
  );
}

export function ActionForm(props: { plan: Plan; priorities: Priority[]; organisations: OrganisationChoice[]; action?: KeyAction; priorityId?: number; fs: FormState }) {
  const a = props.action;
  const form = a ? `action-${a.id}` : `action-new-${props.priorityId ?? 0}`;
  return (
    <Folded summary={a ? "Edit this action" : "Add a key action"} open={isOpen(props.fs, form)} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={a ? `/plans/${props.plan.id}/actions/${a.id}` : `/plans/${props.plan.id}/actions`} button={a ? "Save action" : "Add action"} {...(a ? { rowVersion: a.rowVersion } : {})}>
        <Select fs={props.fs} form={form} name="priorityId" label="Priority" value={a?.priorityId ?? props.priorityId} options={props.priorities.map((p) => ({ value: p.id, text: `${p.position}. ${p.title}` }))} />
        <TextInput fs={props.fs} form={form} name="title" label="Action" value={a?.title} />
        <Select fs={props.fs} form={form} name="ownerOrganisationId" label="Owner organisation" value={a?.ownerOrganisationId} options={props.organisations.map((o) => ({ value: o.id, text: o.name }))} />
        <TextInput fs={props.fs} form={form} name="leadRole" label="Lead role" hint="A post, not a person, e.g. Licensing Manager" value={a?.leadRole} />
        <TextInput fs={props.fs} form={form} name="startDate" label="Start date" hint="YYYY-MM-DD" width={10} value={a?.startDate} />
        <TextInput fs={props.fs} form={form} name="dueDate" label="Due date" hint="YYYY-MM-DD" width={10} value={a?.dueDate} />
        <TextInput fs={props.fs} form={form} name="budgetLine" label="Budget line (optional)" value={a?.budgetLine} />
        <TextArea
          fs={props.fs}
          form={form}
          name="milestones"
          label="Milestones (optional)"
          hint="One per line: the due date, then the title, e.g. 2025-09-30 Levy consultation closes; start the line with [x] when done"
          value={a ? milestonesText(a.milestones) : ""}
        />
        {a ? <Select fs={props.fs} form={form} name="status" label="Status" value={a.status} options={statusOptions} /> : null}
      </PostForm>
      {a ? <RemoveForm fs={props.fs} form={`${form}-remove`} action={`/plans/${props.plan.id}/actions/${a.id}/remove`} rowVersion={a.rowVersion} what={a.title} /> : null}
    </Folded>
  );
}

/** Milestones as the action form writes them: `[x] 2025-09-30 Title` (done) or `2025-09-30 Title`. */
export function milestonesText(milestones: readonly Milestone[]): string {
  return milestones.map((m) => `${m.done ? "[x] " : ""}${m.due} ${m.title}`).join("\n");
}

/** Editors of the owning organisation (and analysts, admins) tick milestones done. */
export function MilestonesForm(props: { plan: Plan; action: KeyAction; fs: FormState }) {
  const a = props.action;
  const form = `milestones-${a.id}`;
  if (!a.milestones.length) return null;
  return (
    <Folded summary="Tick milestones done" open={isOpen(props.fs, form)} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.plan.id}/actions/${a.id}/milestones`} button="Save milestones" rowVersion={a.rowVersion}>
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Milestones done</legend>
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              {a.milestones.map((m, i) => (
                <div class="govuk-checkboxes__item">
                  <input class="govuk-checkboxes__input" id={`${form}-done-${i}`} name="done" type="checkbox" value={String(i)} checked={m.done} />
                  <label class="govuk-label govuk-checkboxes__label" for={`${form}-done-${i}`}>
                    {m.due} {m.title}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
      </PostForm>
    </Folded>
  );
}

/** Editors (of the owning organisation), analysts and admins record progress: date, status, note. */
export function ProgressForm(props: { plan: Plan; action: KeyAction; fs: FormState }) {
  const a = props.action;
  const form = `progress-${a.id}`;
  return (
    <Folded summary="Record progress" open={isOpen(props.fs, form)} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.plan.id}/actions/${a.id}/progress`} button="Record progress">
        <TextInput fs={props.fs} form={form} name="date" label="Date" hint="YYYY-MM-DD" width={10} />
        <Select fs={props.fs} form={form} name="status" label="Status" value={a.status} options={statusOptions} />
        <TextArea fs={props.fs} form={form} name="note" label="Progress" />
      </PostForm>
    </Folded>
  );
}

export function TargetForm(props: { plan: Plan; priorities: Priority[]; indicators: Indicator[]; target?: Target; fs: FormState }) {
  const t = props.target;
  const form = t ? `target-${t.id}` : "target-new";
  return (
    <Folded summary={t ? "Edit this target" : "Add a target"} open={isOpen(props.fs, form)} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={t ? `/plans/${props.plan.id}/targets/${t.id}` : `/plans/${props.plan.id}/targets`} button={t ? "Save target" : "Add target"} {...(t ? { rowVersion: t.rowVersion } : {})}>
        <Select fs={props.fs} form={form} name="indicatorId" label="Indicator" value={t?.indicatorId} options={props.indicators.map((i) => ({ value: i.id, text: `${i.name} (${i.key})` }))} />
        <Select fs={props.fs} form={form} name="priorityId" label="Priority" value={t?.priorityId ?? ""} options={[{ value: "", text: "None (plan-wide)" }, ...props.priorities.map((p) => ({ value: p.id, text: `${p.position}. ${p.title}` }))]} />
        <TextInput fs={props.fs} form={form} name="baselinePeriod" label="Baseline period" hint="Same period type as the indicator: 2025-04, 2025-Q1 or 2024/25" width={10} value={t?.baselinePeriod} />
        <TextInput fs={props.fs} form={form} name="baselineValue" label="Baseline value" inputmode="decimal" width={10} value={t?.baselineValue} />
        <Select
          fs={props.fs}
          form={form}
          name="kind"
          label="Kind of target"
          value={t?.kind ?? "change_percent"}
          options={[
            { value: "change_percent", text: "Change the baseline by a percentage" },
            { value: "value", text: "Reach a value" },
          ]}
        />
        <TextInput fs={props.fs} form={form} name="targetValue" label="Target" hint="A percentage change (e.g. -4) or the value to reach" inputmode="decimal" width={10} value={t?.targetValue} />
        <TextInput fs={props.fs} form={form} name="deadline" label="Deadline period" width={10} value={t?.deadline} />
        <TextInput fs={props.fs} form={form} name="tolerancePercent" label="Tolerance, % of the target (optional)" hint="Empty takes the indicator's default" inputmode="decimal" width={5} value={t?.tolerancePercent} />
      </PostForm>
      {t ? <RemoveForm fs={props.fs} form={`${form}-remove`} action={`/plans/${props.plan.id}/targets/${t.id}/remove`} rowVersion={t.rowVersion} what={`target ${t.id}`} /> : null}
    </Folded>
  );
}

export function LinkForm(props: { plan: Plan; fs: FormState }) {
  const form = "link-new";
  return (
    <Folded summary="Add a read-across link" open={isOpen(props.fs, form)} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.plan.id}/links`} button="Add link">
        <Select fs={props.fs} form={form} name="kind" label="Kind" options={LINK_KINDS.map((k) => ({ value: k, text: k === "plan" ? "Another plan" : "A partnership" }))} />
        <TextInput fs={props.fs} form={form} name="name" label="Name" hint="e.g. Council Plan 2025-2028, Health and Wellbeing Board" />
        <TextInput fs={props.fs} form={form} name="url" label="Web address (optional)" type="url" />
        <TextInput fs={props.fs} form={form} name="note" label="How it reads across (optional)" />
      </PostForm>
    </Folded>
  );
}

export function PartnerForm(props: { plan: Plan; organisations: OrganisationChoice[]; fs: FormState }) {
  const form = "partner-new";
  return (
    <Folded summary="Add a partner organisation" open={isOpen(props.fs, form)} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.plan.id}/partners`} button="Add partner">
        <Select fs={props.fs} form={form} name="organisationId" label="Organisation" options={props.organisations.map((o) => ({ value: o.id, text: o.name }))} />
        <TextInput fs={props.fs} form={form} name="role" label="Role in the partnership" hint="e.g. responsible authority, co-operating body, voluntary sector" />
      </PostForm>
    </Folded>
  );
}
