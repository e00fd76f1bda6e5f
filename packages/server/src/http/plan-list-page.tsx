import type { Plan } from "@safecity/core";
import { ErrorSummary, type FieldError, Notice, ScrollTable } from "./components.tsx";
import { StateTag } from "./plan-components.tsx";
import { NewPlanForm } from "./plan-forms.tsx";
import type { FormState } from "./plan-form-kit.tsx";

/** `/plans`: every plan (title, partnership, period, version, state) and, for analysts and admins, the new-plan form. */
export function PlanListPage(props: { plans: Plan[]; canCreate: boolean; fs: FormState; errors: FieldError[]; notice?: string }) {
  return (
    <>
      <ErrorSummary errors={props.errors} />
      <h1 class="govuk-heading-l">Partnership plans</h1>
      <Notice text={props.notice} />
      {props.plans.length ? (
        <ScrollTable label="Plans">
          <table class="govuk-table" data-testid="plans">
            <caption class="govuk-visually-hidden">Plans</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Plan</th>
                <th scope="col" class="govuk-table__header">Partnership</th>
                <th scope="col" class="govuk-table__header">Period</th>
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">Version</th>
                <th scope="col" class="govuk-table__header">State</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {props.plans.map((p) => (
                <tr class="govuk-table__row" data-plan-id={p.id}>
                  <th scope="row" class="govuk-table__header app-wrap-anywhere">
                    <a class="govuk-link" href={`/plans/${p.id}`}>
                      {p.title}
                    </a>
                    {p.demo ? (
                      <strong class="govuk-tag govuk-tag--grey govuk-!-margin-left-1" data-testid="demo-tag">
                        Demo
                      </strong>
                    ) : null}
                  </th>
                  <td class="govuk-table__cell app-wrap-anywhere">{p.partnershipName}</td>
                  <td class="govuk-table__cell app-nowrap">
                    {p.periodFrom} to {p.periodTo}
                  </td>
                  <td class="govuk-table__cell govuk-table__cell--numeric">{p.version}</td>
                  <td class="govuk-table__cell">
                    <StateTag state={p.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p class="govuk-body" data-testid="no-plans">
          No plans yet.
        </p>
      )}
      {props.canCreate ? <NewPlanForm fs={props.fs} /> : <p class="govuk-body">Analysts and administrators create plans.</p>}
      <p class="govuk-body">
        <a class="govuk-link" href="/api/v1/plans">
          These plans as JSON
        </a>
      </p>
    </>
  );
}
