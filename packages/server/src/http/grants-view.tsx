import type { GrantAllocation, GrantBudget } from "@safecity/core";
import type { BudgetWithAllocations } from "../services/grant.service.ts";
import { ScrollTable } from "./components.tsx";
import { money } from "./plan-components.tsx";
import type { OrganisationChoice } from "./plan-forms.tsx";
import { Folded, type FormState, PostForm, Select, TextArea, TextInput } from "./plan-form-kit.tsx";

/**
 * The grants page's pieces: each budget with its allocations (organisation, linked action, purpose,
 * amount, paid, what it delivered), payments, and the balance; forms for analysts and admins.
 * Amounts are whole pence; forms take pounds (`1250.50`).
 */

export function BudgetSection(props: { budget: BudgetWithAllocations; actionTitle: (id: number | null) => string; planId: number; canEdit: boolean; fs: FormState }) {
  const { budget } = props;
  const { allocations } = budget;
  return (
    <section class="govuk-!-margin-bottom-8" data-testid={`budget-${budget.id}`} aria-labelledby={`budget-${budget.id}-title`}>
      <h2 class="govuk-heading-m app-wrap-anywhere" id={`budget-${budget.id}-title`}>
        {budget.name} {budget.year}
      </h2>
      <dl class="govuk-summary-list" data-testid="budget-summary">
        {(
          [
            ["Budget", money(budget.amountPence)],
            ["Allocated", money(budget.allocatedPence)],
            ["Paid", money(budget.paidPence)],
            ["Balance (not yet allocated)", money(budget.unallocatedPence)],
          ] as const
        ).map(([k, v]) => (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{k}</dt>
            <dd class="govuk-summary-list__value" data-field={k}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {props.canEdit ? <BudgetAmountForm planId={props.planId} budget={budget} fs={props.fs} /> : null}
      {allocations.length ? (
        <ScrollTable label={`Allocations from ${budget.name} ${budget.year}`}>
          <table class="govuk-table" data-testid="allocations">
            <caption class="govuk-table__caption govuk-table__caption--s">Allocations</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Organisation and purpose</th>
                <th scope="col" class="govuk-table__header">Action</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Amount</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Paid</th>
                <th scope="col" class="govuk-table__header">Payments</th>
                <th scope="col" class="govuk-table__header">Delivered</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {allocations.map((a) => (
                <tr class="govuk-table__row" data-allocation-id={a.id}>
                  <th scope="row" class="govuk-table__header app-wrap-anywhere">
                    {a.organisationName}
                    <span class="govuk-body-s app-block">{a.purpose}</span>
                  </th>
                  <td class="govuk-table__cell app-wrap-anywhere">{props.actionTitle(a.actionId)}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{money(a.amountPence)}</td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{money(a.paidPence)}</td>
                  <td class="govuk-table__cell govuk-body-s">
                    {a.payments.length ? (
                      <ul class="govuk-list govuk-body-s">
                        {a.payments.map((p) => (
                          <li>
                            {p.date}: {money(p.amountPence)}
                            {p.note ? ` (${p.note})` : ""}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      "None"
                    )}
                  </td>
                  <td class="govuk-table__cell app-wrap-anywhere">
                    {a.delivered ?? "Not recorded"}
                    {props.canEdit ? <DeliveredForm planId={props.planId} allocation={a} fs={props.fs} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p class="govuk-body">Nothing allocated yet.</p>
      )}
    </section>
  );
}

function DeliveredForm(props: { planId: number; allocation: GrantAllocation; fs: FormState }) {
  const a = props.allocation;
  const form = `delivered-${a.id}`;
  return (
    <Folded summary="Change this allocation or record what it delivered" open={props.fs.failed?.form === form} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.planId}/grants/allocations/${a.id}/delivered`} button="Save" rowVersion={a.rowVersion}>
        <TextInput fs={props.fs} form={form} name="purpose" label="Purpose" value={a.purpose} />
        <TextInput fs={props.fs} form={form} name="amount" label="Amount in pounds" inputmode="decimal" width={10} value={(a.amountPence / 100).toFixed(2)} />
        <TextArea fs={props.fs} form={form} name="delivered" label="What the grant delivered" value={a.delivered} />
      </PostForm>
    </Folded>
  );
}

/** Change a budget's amount (refused below what is already allocated). */
function BudgetAmountForm(props: { planId: number; budget: GrantBudget; fs: FormState }) {
  const b = props.budget;
  const form = `budget-${b.id}`;
  return (
    <Folded summary="Change the budget's amount" open={props.fs.failed?.form === form} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.planId}/grants/budgets/${b.id}`} button="Save amount" rowVersion={b.rowVersion}>
        <TextInput fs={props.fs} form={form} name="amount" label="Amount in pounds" inputmode="decimal" width={10} value={(b.amountPence / 100).toFixed(2)} />
      </PostForm>
    </Folded>
  );
}

export function BudgetForm(props: { planId: number; fs: FormState }) {
  const form = "budget-new";
  return (
    <Folded summary="Add a budget" open={props.fs.failed?.form === form} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.planId}/grants/budgets`} button="Add budget">
        <TextInput fs={props.fs} form={form} name="year" label="Financial year" hint="e.g. 2025/26" width={10} />
        <TextInput fs={props.fs} form={form} name="name" label="Name" hint="e.g. Community Safety Budget" />
        <TextInput fs={props.fs} form={form} name="amount" label="Amount in pounds" hint="e.g. 75000" inputmode="decimal" width={10} />
      </PostForm>
    </Folded>
  );
}

export function AllocationForm(props: { planId: number; budgets: GrantBudget[]; organisations: OrganisationChoice[]; actions: { id: number; title: string }[]; fs: FormState }) {
  const form = "allocation-new";
  return (
    <Folded summary="Allocate a grant" open={props.fs.failed?.form === form} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.planId}/grants/allocations`} button="Allocate">
        <Select fs={props.fs} form={form} name="budgetId" label="Budget" options={props.budgets.map((b) => ({ value: b.id, text: `${b.name} ${b.year}` }))} />
        <Select fs={props.fs} form={form} name="organisation" label="Organisation" options={props.organisations.map((o) => ({ value: o.name, text: o.name }))} />
        <Select fs={props.fs} form={form} name="actionId" label="Key action it supports (optional)" options={[{ value: "", text: "None" }, ...props.actions.map((a) => ({ value: a.id, text: a.title }))]} />
        <TextInput fs={props.fs} form={form} name="purpose" label="Purpose" />
        <TextInput fs={props.fs} form={form} name="amount" label="Amount in pounds" inputmode="decimal" width={10} />
      </PostForm>
    </Folded>
  );
}

export function PaymentForm(props: { planId: number; allocations: { id: number; text: string }[]; fs: FormState }) {
  const form = "payment-new";
  return (
    <Folded summary="Record a payment" open={props.fs.failed?.form === form} testId={`edit-${form}`}>
      <PostForm fs={props.fs} form={form} action={`/plans/${props.planId}/grants/payments`} button="Record payment">
        <Select fs={props.fs} form={form} name="allocationId" label="Allocation" options={props.allocations.map((a) => ({ value: a.id, text: a.text }))} />
        <TextInput fs={props.fs} form={form} name="date" label="Date" hint="YYYY-MM-DD" width={10} />
        <TextInput fs={props.fs} form={form} name="amount" label="Amount in pounds" inputmode="decimal" width={10} />
        <TextInput fs={props.fs} form={form} name="note" label="Note (optional)" />
      </PostForm>
    </Folded>
  );
}
