import { isAppError, PUBLIC_RESPONSE_LIMITS, priorityField } from "@safecity/core";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  openConsultations,
  type PublicConsultation,
  type PublicPriority,
  type PublicResponseForm,
  publicConsultation,
  submitPublicResponse,
} from "../services/consultation.service.ts";
import { SubmissionLimiter } from "../services/submission-limiter.ts";
import { ErrorSummary, type FieldError, ScrollTable } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { httpStatusFor } from "./error-status.ts";
import { idParam } from "./plan-route-kit.ts";
import { page } from "./render.tsx";
import { isConsultationPath } from "./require-role.ts";

/**
 * The public consultation (docs/decisions/0007-public-consultation.md): `/consult` lists the plans
 * in consultation and `/consult/:planId` shows one draft (priorities and key actions, public
 * fields only) with the response form; no account needed. These two paths are the only ones
 * `isConsultationPath` lets past the sign-in gate. The form is protected by:
 * - CSRF: the app's synchroniser token tied to the anonymous cookie (`safecity_anon`, set on the
 *   GET; csrf.tsx checks it before this handler runs);
 * - size: `consultationBodyLimit` refuses a body over `PUBLIC_RESPONSE_LIMITS.bodyBytes` with 413
 *   before it is read (mounted ahead of the CSRF check); a field over its limit is refused with 413
 *   and the form again, saying which and by how much;
 * - rate: `SubmissionLimiter` (in memory, per client address, 5 accepted per 10 minutes); the
 *   next is refused with 429 and Retry-After, the form kept;
 * - a honeypot field (`website`), hidden from people: when filled, nothing is stored and the
 *   answer is the same as a success.
 */

/** The honeypot field: hidden from people and assistive technology, filled by form-filling robots. */
export const HONEYPOT_FIELD = "website";

/**
 * Refuses a POST to the consultation over `PUBLIC_RESPONSE_LIMITS.bodyBytes` (413) before anything
 * reads it: at once when Content-Length says so, otherwise as the body arrives. Mounted first in the
 * pipeline (before the app-wide body limit, which would buffer up to its own larger limit), so it
 * answers with its own page rather than through the error handler.
 */
export function consultationBodyLimit(maxBytes: number = PUBLIC_RESPONSE_LIMITS.bodyBytes): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      c.header("Cache-Control", "no-store");
      return page(
        c as AppContext,
        "Your response is too long",
        <>
          <h1 class="govuk-heading-l">Your response is too long</h1>
          <p class="govuk-body" data-testid="problem">
            Your response is larger than the {Math.round(maxBytes / 1024)} KB this form accepts, so it was not read or saved.
          </p>
          <p class="govuk-body">
            Each answer can be up to {PUBLIC_RESPONSE_LIMITS.commentChars.toLocaleString("en-GB")} characters. Go back, shorten your answers and send them again.
          </p>
        </>,
        { status: 413 },
      );
    },
  });
  return async (c, next) => {
    if (c.req.method !== "POST" || !isConsultationPath(c.req.path)) return next();
    return limit(c, next);
  };
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** `2025-04` → `April 2025`. */
function monthName(ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  return m ? `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : ym;
}

interface FormView {
  values: Record<string, string>;
  errors: FieldError[];
  /** A refusal for the whole form (rate limit), shown in the error summary. */
  banner?: string;
}

export function consultationRoutes(opts: { limiter?: SubmissionLimiter } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limiter = opts.limiter ?? new SubmissionLimiter();

  app.get("/consult", async (c) => {
    const plans = await openConsultations(c.var.deps.store);
    return page(
      c,
      "Have your say on community safety plans",
      <>
        <h1 class="govuk-heading-l">Have your say on community safety plans</h1>
        {plans.length ? (
          <>
            <p class="govuk-body">These draft plans are open for comments. You do not need an account.</p>
            <ul class="govuk-list" data-testid="open-consultations">
              {plans.map((p) => (
                <li>
                  <a class="govuk-link app-wrap-anywhere" href={`/consult/${p.id}`}>
                    {p.title}
                  </a>{" "}
                  <span class="govuk-body-s app-wrap-anywhere">
                    ({p.partnershipName}, {monthName(p.periodFrom)} to {monthName(p.periodTo)})
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p class="govuk-body" data-testid="no-consultations">
            No plan is open for consultation at the moment.
          </p>
        )}
      </>,
    );
  });

  app.get("/consult/:planId", async (c) => {
    const planId = idParam(c, "planId", "consultation");
    const view = await publicConsultation(c.var.deps.store, planId);
    if (!view.open) return closedPage(c, view);
    return consultationPage(c, view, { values: {}, errors: [] }, c.req.query("sent") === "1");
  });

  app.post("/consult/:planId", async (c) => {
    const store = c.var.deps.store;
    const now = c.var.deps.now();
    const planId = idParam(c, "planId", "consultation");
    const view = await publicConsultation(store, planId);
    if (!view.open) return closedPage(c, view);
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === "string" && k !== "_csrf") values[k] = v;

    const client = c.var.deps.clientIp(c) ?? "unknown";
    const wait = limiter.retryAfter(client, now);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      const minutes = Math.ceil(wait / 60);
      return consultationPage(c, view, {
        values,
        errors: [],
        banner: `You have sent ${limiter.max} responses in the last ${limiter.windowMs / 60_000} minutes from this connection. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and send this one again; your answers are kept below.`,
      }, false, 429);
    }
    if ((values[HONEYPOT_FIELD] ?? "") !== "") {
      // A robot filled the hidden field: store nothing, answer as if it worked.
      limiter.record(client, now);
      return c.redirect(`/consult/${planId}?sent=1`, 303);
    }
    const form: PublicResponseForm = { overall: values.overall ?? "", organisation: values.organisation ?? "", comments: new Map() };
    for (const p of view.priorities) form.comments.set(p.id, values[priorityField(p.id)] ?? "");
    try {
      await submitPublicResponse(store, planId, form, now);
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (e.code === "consultation.closed") {
        const closedView = await publicConsultation(store, planId);
        if (!closedView.open) return closedPage(c, closedView);
      }
      if (e.code !== "input.invalid" && e.code !== "consultation.too_large") throw e;
      const errors = e.problems.map((p) => ({ field: p.field ?? "overall", message: p.message }));
      return consultationPage(c, view, { values, errors }, false, httpStatusFor(e.code) as 400 | 413);
    }
    limiter.record(client, now);
    return c.redirect(`/consult/${planId}?sent=1`, 303);
  });

  return app;
}

function closedPage(c: AppContext, view: Extract<PublicConsultation, { open: false }>) {
  return page(
    c,
    "This consultation has closed",
    <>
      <h1 class="govuk-heading-l">This consultation has closed</h1>
      <p class="govuk-body app-wrap-anywhere" data-testid="consultation-closed">
        The consultation on {view.plan.title} has closed, so it no longer takes responses. Thank you to everyone who responded.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/consult">
          See the plans open for consultation
        </a>
      </p>
    </>,
    { status: 410 },
  );
}

function consultationPage(c: AppContext, view: Extract<PublicConsultation, { open: true }>, form: FormView, sent: boolean, status: 200 | 400 | 413 | 429 = 200) {
  const p = view.plan;
  const errors: FieldError[] = form.banner ? [{ field: "response-form", message: form.banner }] : form.errors;
  return page(
    c,
    `Have your say: ${p.title}`,
    <>
      <ErrorSummary errors={errors} />
      {sent ? (
        <div class="govuk-panel govuk-panel--confirmation" data-testid="response-sent">
          <h2 class="govuk-panel__title">Response sent</h2>
          <div class="govuk-panel__body">Thank you for your views</div>
        </div>
      ) : null}
      <span class="govuk-caption-l app-wrap-anywhere">
        {p.partnershipName} · {monthName(p.periodFrom)} to {monthName(p.periodTo)}
      </span>
      <h1 class="govuk-heading-l app-wrap-anywhere">Have your say: {p.title}</h1>
      {sent ? (
        <>
          <p class="govuk-body">
            The partnership's analysts read every response before the plan goes to Cabinet. Responses are not published, and we did not record your name or
            contact details.
          </p>
          <p class="govuk-body">
            <a class="govuk-link" href={`/consult/${p.id}`}>
              Back to the draft plan
            </a>
          </p>
        </>
      ) : (
        <>
          <p class="govuk-body">
            {p.partnershipName} is consulting on this draft plan. Read its priorities and key actions, then tell us what you think. You do not need an account,
            and we do not ask for your name or contact details.
          </p>
          {view.priorities.map((pr) => (
            <PriorityBlock priority={pr} />
          ))}
          <ResponseForm view={view} form={form} csrf={c.var.csrfToken} />
        </>
      )}
    </>,
    { status, hasError: errors.length > 0 },
  );
}

function PriorityBlock(props: { priority: PublicPriority }) {
  const pr = props.priority;
  return (
    <section aria-labelledby={`priority-${pr.id}-title`} data-testid="public-priority">
      <h2 class="govuk-heading-m app-wrap-anywhere" id={`priority-${pr.id}-title`}>
        Priority {pr.position}: {pr.title}
      </h2>
      {pr.rationale ? <p class="govuk-body app-wrap-anywhere">{pr.rationale}</p> : null}
      {pr.actions.length ? (
        <ScrollTable label={`Key actions for priority ${pr.position}`}>
          <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--s">Key actions</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Action</th>
                <th scope="col" class="govuk-table__header">Led by</th>
                <th scope="col" class="govuk-table__header">From</th>
                <th scope="col" class="govuk-table__header">Due</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {pr.actions.map((a) => (
                <tr class="govuk-table__row">
                  <td class="govuk-table__cell app-wrap-anywhere">{a.title}</td>
                  <td class="govuk-table__cell app-wrap-anywhere">
                    {a.leadRole}, {a.ownerOrganisationName}
                  </td>
                  <td class="govuk-table__cell app-nowrap">{a.startDate}</td>
                  <td class="govuk-table__cell app-nowrap">{a.dueDate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p class="govuk-body">No key actions are set for this priority yet.</p>
      )}
    </section>
  );
}

function CountedTextArea(props: { name: string; label: string; hint?: string; form: FormView; rows?: number }) {
  const error = props.form.errors.find((e) => e.field === props.name)?.message;
  const id = props.name;
  const max = PUBLIC_RESPONSE_LIMITS.commentChars;
  return (
    <div class={`govuk-form-group govuk-character-count${error ? " govuk-form-group--error" : ""}`} data-module="govuk-character-count" data-maxlength={String(max)}>
      <label class="govuk-label govuk-label--s app-wrap-anywhere" for={id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="govuk-hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {error ? (
        <p class="govuk-error-message" id={`${id}-error`}>
          <span class="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      <textarea
        class={`govuk-textarea govuk-js-character-count${error ? " govuk-textarea--error" : ""}`}
        id={id}
        name={props.name}
        rows={props.rows ?? 5}
        aria-describedby={[`${id}-info`, props.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ")}
      >
        {props.form.values[props.name] ?? ""}
      </textarea>
      <div id={`${id}-info`} class="govuk-hint govuk-character-count__message">
        You can enter up to {max.toLocaleString("en-GB")} characters
      </div>
    </div>
  );
}

function ResponseForm(props: { view: Extract<PublicConsultation, { open: true }>; form: FormView; csrf: string }) {
  const { view, form } = props;
  const orgError = form.errors.find((e) => e.field === "organisation")?.message;
  return (
    <form method="post" action={`/consult/${view.plan.id}`} novalidate id="response-form" data-testid="response-form">
      <CsrfField token={props.csrf} />
      <h2 class="govuk-heading-l">Your response</h2>
      <div class="govuk-inset-text">
        Answer as much or as little as you like: at least one box. Please do not include personal details, such as names, addresses or phone numbers, about
        yourself or anyone else. Responses are read by the partnership's analysts and are not published.
      </div>
      {view.priorities.map((pr) => (
        <CountedTextArea name={priorityField(pr.id)} label={`Your comments on priority ${pr.position}: ${pr.title}`} form={form} />
      ))}
      <CountedTextArea name="overall" label="Your overall view of the plan" hint="For example what is missing, or what matters most to you." form={form} rows={6} />
      <div class={`govuk-form-group${orgError ? " govuk-form-group--error" : ""}`}>
        <label class="govuk-label govuk-label--s" for="organisation">
          Organisation (optional)
        </label>
        <div class="govuk-hint" id="organisation-hint">
          If you are responding on behalf of an organisation, give its name. Leave this empty if you are responding as an individual.
        </div>
        {orgError ? (
          <p class="govuk-error-message" id="organisation-error">
            <span class="govuk-visually-hidden">Error:</span> {orgError}
          </p>
        ) : null}
        <input
          class={`govuk-input${orgError ? " govuk-input--error" : ""}`}
          id="organisation"
          name="organisation"
          type="text"
          autocomplete="organization"
          value={form.values.organisation ?? ""}
          aria-describedby={orgError ? "organisation-hint organisation-error" : "organisation-hint"}
        />
      </div>
      <div class="govuk-visually-hidden" aria-hidden="true">
        <label for={HONEYPOT_FIELD}>Leave this field empty</label>
        <input type="text" id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} value="" tabindex={-1} autocomplete="off" />
      </div>
      <button type="submit" class="govuk-button" data-module="govuk-button" data-testid="send-response">
        Send your response
      </button>
    </form>
  );
}
