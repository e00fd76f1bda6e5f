import type { Child } from "hono/jsx";

/** A field error to show in the error summary and next to the field (`href` = `#<field id>`). */
export interface FieldError {
  field: string;
  message: string;
}

/** GOV.UK error summary: at the top of the form, each error linking to its field. */
export function ErrorSummary(props: { errors: FieldError[] }) {
  if (!props.errors.length) return null;
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">There is a problem</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {props.errors.map((e) => (
              <li>
                <a href={`#${e.field}`}>{e.message}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** A wide table that scrolls inside its own box on narrow screens (the page never scrolls sideways). */
export function ScrollTable(props: { label: string; children?: Child }) {
  return (
    // tabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable)
    <section class="app-table-scroll" aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}

export function CodeBlock(props: { children?: Child }) {
  return <code class="app-code-block">{props.children}</code>;
}

/** `1234567` → `1,234,567`. */
export function num(n: number): string {
  return n.toLocaleString("en-GB");
}

/** ISO timestamp → `2025-03-01 14:05 UTC`. */
export function when(iso: string | null): string {
  if (!iso) return "";
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The installed reference datasets, as the status and data pages both list them. */
export function ReferenceDatasetsTable(props: { rows: { name: string; fileName: string; rows: number; installedAt: string }[]; testId: string }) {
  return (
    <ScrollTable label="Reference datasets">
      <table class="govuk-table" data-testid={props.testId}>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Dataset</th>
            <th scope="col" class="govuk-table__header">File</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows</th>
            <th scope="col" class="govuk-table__header">Installed</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.rows.map((r) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell app-wrap-anywhere">{r.name}</td>
              <td class="govuk-table__cell app-wrap-anywhere">{r.fileName}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{num(r.rows)}</td>
              <td class="govuk-table__cell">{when(r.installedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** A success banner after a post/redirect/get (`?done=`); nothing without text. */
export function Notice(props: { text: string | undefined; id?: string; testId?: string }) {
  if (!props.text) return null;
  const id = props.id ?? "notice-title";
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby={id} data-testid={props.testId ?? "notice"}>
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id={id}>
          Success
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{props.text}</p>
      </div>
    </div>
  );
}
