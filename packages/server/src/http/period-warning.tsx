/**
 * The period warning at the top of every analysis page (decision 0012): which months of the
 * period have no police data, and that totals cover only the months loaded. The sentence comes from
 * core `missingMonthsWarning` through the scope, so pages, API and CLI say the same thing.
 */
export function PeriodWarning(props: { text: string | null | undefined }) {
  if (!props.text) return null;
  return (
    <div class="govuk-warning-text" data-testid="period-warning">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        {props.text}
      </strong>
    </div>
  );
}
