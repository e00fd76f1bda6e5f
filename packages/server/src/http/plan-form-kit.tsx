import type { Child } from "hono/jsx";
import type { FieldError } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";

/**
 * GOV.UK form fields for the plan pages, which carry many small forms on one page. Each form has an
 * id (`priority-3`, `transition-recommended`); a field's id is `<form>-<name>` so an error summary
 * link (`#<form>-<name>`) lands on it. When a post is refused the page is rendered again with the
 * refused form's values kept (`FormState.failed`) and its errors next to the fields.
 */
export interface FormState {
  csrf: string;
  failed: { form: string; values: Record<string, string>; errors: FieldError[] } | null;
}

export const fieldId = (form: string, name: string): string => `${form}-${name}`;

function submittedOr(fs: FormState, form: string, name: string, fallback: string | number | null | undefined): string {
  if (fs.failed?.form === form && name in fs.failed.values) return fs.failed.values[name]!;
  return fallback === null || fallback === undefined ? "" : String(fallback);
}

function errorOf(fs: FormState, form: string, name: string): string | undefined {
  if (fs.failed?.form !== form) return undefined;
  return fs.failed.errors.find((e) => e.field === fieldId(form, name))?.message;
}

function ErrorMessage(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="govuk-error-message" id={`${props.id}-error`}>
      <span class="govuk-visually-hidden">Error:</span> {props.message}
    </p>
  ) : null;
}

interface FieldProps {
  fs: FormState;
  form: string;
  name: string;
  label: string;
  value?: string | number | null | undefined;
  hint?: string;
}

function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const parts = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return parts.length ? parts.join(" ") : undefined;
}

export function TextInput(props: FieldProps & { type?: "text" | "email" | "date" | "url"; width?: 5 | 10 | 20 | 30; inputmode?: "decimal" | "numeric" }) {
  const id = fieldId(props.form, props.name);
  const error = errorOf(props.fs, props.form, props.name);
  const width = props.width ? ` govuk-input--width-${props.width}` : "";
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label" for={id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="govuk-hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      <ErrorMessage id={id} message={error} />
      <input
        class={`govuk-input${width}${error ? " govuk-input--error" : ""}`}
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        inputmode={props.inputmode}
        spellcheck={props.type === "email" ? false : undefined}
        value={submittedOr(props.fs, props.form, props.name, props.value)}
        aria-describedby={describedBy(id, props.hint, error)}
      />
    </div>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const id = fieldId(props.form, props.name);
  const error = errorOf(props.fs, props.form, props.name);
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label" for={id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="govuk-hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      <ErrorMessage id={id} message={error} />
      <textarea class={`govuk-textarea${error ? " govuk-textarea--error" : ""}`} id={id} name={props.name} rows={props.rows ?? 3} aria-describedby={describedBy(id, props.hint, error)}>
        {submittedOr(props.fs, props.form, props.name, props.value)}
      </textarea>
    </div>
  );
}

export function Select(props: FieldProps & { options: readonly { value: string | number; text: string }[] }) {
  const id = fieldId(props.form, props.name);
  const error = errorOf(props.fs, props.form, props.name);
  const current = submittedOr(props.fs, props.form, props.name, props.value);
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label" for={id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="govuk-hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      <ErrorMessage id={id} message={error} />
      <select class={`govuk-select${error ? " govuk-select--error" : ""}`} id={id} name={props.name} aria-describedby={describedBy(id, props.hint, error)}>
        {props.options.map((o) => (
          <option value={String(o.value)} selected={String(o.value) === current}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox(props: FieldProps & { checked: boolean }) {
  const id = fieldId(props.form, props.name);
  const checked = props.fs.failed?.form === props.form ? props.fs.failed.values[props.name] === "yes" : props.checked;
  return (
    <div class="govuk-form-group">
      <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
        <div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id={id} name={props.name} type="checkbox" value="yes" checked={checked} />
          <label class="govuk-label govuk-checkboxes__label" for={id}>
            {props.label}
          </label>
        </div>
      </div>
    </div>
  );
}

/**
 * A POST form with the CSRF token, the record's `row_version` when it edits one (so a stale save is
 * refused as a conflict), and a submit button.
 */
export function PostForm(props: { fs: FormState; form: string; action: string; button: string; rowVersion?: number; secondary?: boolean; children?: Child; testId?: string }) {
  return (
    <form method="post" action={props.action} novalidate data-testid={props.testId ?? `form-${props.form}`} id={`form-${props.form}`}>
      <CsrfField token={props.fs.csrf} />
      <input type="hidden" name="_form" value={props.form} />
      {props.rowVersion !== undefined ? <input type="hidden" name="row_version" value={String(props.rowVersion)} /> : null}
      {props.children}
      <button type="submit" class={`govuk-button${props.secondary ? " govuk-button--secondary" : ""}`} data-module="govuk-button">
        {props.button}
      </button>
    </form>
  );
}

/** A form folded into a details element (the page stays readable with many of them). */
export function Folded(props: { summary: string; open?: boolean; children?: Child; testId?: string }) {
  return (
    <details class="govuk-details" open={props.open} data-testid={props.testId}>
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{props.summary}</span>
      </summary>
      <div class="govuk-details__text">{props.children}</div>
    </details>
  );
}

/** The strings of a parsed urlencoded body (files and arrays ignored). */
export function formValues(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string" && k !== "_csrf") out[k] = v.trim();
  return out;
}
