import { AppError, isAppError } from "@safecity/core";
import { Hono } from "hono";
import type { PublicResponse } from "../db/repositories/consultation.repository.ts";
import { type ConsultationResponses, consultationResponses, tagResponse } from "../services/consultation.service.ts";
import { ErrorSummary, type FieldError, Notice, num, ScrollTable, when } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";
import { toCsv } from "./csv.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { httpStatusFor } from "./error-status.ts";
import { PlanHeading } from "./plan-components.tsx";
import { idParam, planActor, readSubmission } from "./plan-route-kit.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { csvResponse } from "./trends.routes.tsx";

/**
 * The public's consultation responses for analysts and administrators: `/plans/:id/consultation`
 * (summary: totals, organisations vs individuals, web vs survey, per priority, per tag, per
 * organisation; then every response with its tags, filterable by `?tag=`), and
 * `GET /plans/:id/consultation.csv` (every response, a column per priority), and
 * `POST /plans/:id/consultation/responses/:rid/tags` to replace a response's tags. The texts are
 * the public's own words, shown escaped; they are never published.
 */
export function planConsultationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/plans/:id/consultation", requireRole("analyst"), async (c) => {
    const planId = idParam(c, "id", "plan");
    const tag = c.req.query("tag") || undefined;
    const data = await consultationResponses(c.var.deps.store, planActor(c), planId, tag ? { tag } : {});
    return responsesPage(c, data, tag, c.req.query("done") === "tags" ? "Tags saved." : undefined, null);
  });

  app.get("/plans/:id/consultation.csv", requireRole("analyst"), async (c) => {
    const planId = idParam(c, "id", "plan");
    const data = await consultationResponses(c.var.deps.store, planActor(c), planId);
    return csvResponse(c, responsesCsv(data), `plan-${planId}-consultation-responses.csv`);
  });

  app.post("/plans/:id/consultation/responses/:rid/tags", requireRole("analyst"), async (c) => {
    const planId = idParam(c, "id", "plan");
    const responseId = idParam(c, "rid", "response");
    const sub = await readSubmission(c);
    const back = sub.values.tag ? `?tag=${encodeURIComponent(sub.values.tag)}&done=tags` : "?done=tags";
    try {
      if (sub.rowVersion === undefined) throw new AppError("input.invalid", "The form did not say which version of the response you opened (row_version); reload the page and try again.");
      await tagResponse(c.var.deps.store, planActor(c), planId, responseId, sub.values.tags ?? "", sub.rowVersion, c.var.deps.now());
    } catch (e) {
      if (!isAppError(e) || !(e.code === "input.invalid" || e.code === "plan.conflict")) throw e;
      const data = await consultationResponses(c.var.deps.store, planActor(c), planId, sub.values.tag ? { tag: sub.values.tag } : {});
      const failed = { responseId, tags: sub.values.tags ?? "", error: e.message };
      return responsesPage(c, data, sub.values.tag || undefined, undefined, failed, httpStatusFor(e.code) as 400 | 409);
    }
    return c.redirect(`/plans/${planId}/consultation${back}#response-${responseId}`, 303);
  });

  return app;
}

/**
 * Every response as a spreadsheet row: one column per current priority, removed priorities'
 * comments together in the last; the public's text goes through `toCsv`, which neutralises cells a
 * spreadsheet would read as formulas.
 */
export function responsesCsv(data: ConsultationResponses): string {
  const priorities = [...data.priorities].sort((a, b) => a.position - b.position);
  const header = [
    "response",
    "received",
    "channel",
    "source",
    "organisation",
    "plan version",
    "consultation started",
    "tags",
    "overall view",
    ...priorities.map((p) => `priority ${p.position}: ${p.title}`),
    "comments on removed priorities",
  ];
  const rows = data.responses.map((r) => [
    r.id,
    r.createdAt,
    r.channel,
    r.source,
    r.organisation,
    r.planVersion,
    r.consultationStarted,
    r.tags.join("; "),
    r.overall,
    ...priorities.map((p) => r.comments.find((cm) => cm.priorityId === p.id)?.comment ?? ""),
    r.comments
      .filter((cm) => cm.priorityId === null || !priorities.some((p) => p.id === cm.priorityId))
      .map((cm) => `${cm.title}: ${cm.comment}`)
      .join("\n"),
  ]);
  return toCsv(header, rows);
}

interface FailedTags {
  responseId: number;
  tags: string;
  error: string;
}

function responsesPage(c: AppContext, data: ConsultationResponses, tag: string | undefined, notice: string | undefined, failed: FailedTags | null, status: 200 | 400 | 409 = 200) {
  const { plan, summary: s } = data;
  const errors: FieldError[] = failed ? [{ field: `tags-${failed.responseId}`, message: failed.error }] : [];
  return page(
    c,
    `Consultation responses: ${plan.title}`,
    <>
      <ErrorSummary errors={errors} />
      <Notice text={notice} />
      <PlanHeading plan={plan} sub="Consultation responses" />
      <p class="govuk-body">
        <a class="govuk-link" href={`/plans/${plan.id}`}>
          Back to the plan
        </a>
      </p>
      <p class="govuk-body">
        Responses from the public, sent through the consultation form or imported from a survey export with{" "}
        <code>safecity plan consultation import</code>. They are for the partnership's analysis only and are never published.
      </p>
      {plan.state === "consultation" ? (
        <p class="govuk-body" data-testid="public-address">
          The consultation is open to the public at{" "}
          <a class="govuk-link" href={`/consult/${plan.id}`}>
            /consult/{plan.id}
          </a>
          .
        </p>
      ) : (
        <p class="govuk-body" data-testid="public-address">
          The plan is not in consultation, so the public form is closed.
        </p>
      )}

      <h2 class="govuk-heading-m">Summary</h2>
      <dl class="govuk-summary-list" data-testid="consultation-summary">
        {(
          [
            ["Responses", s.total],
            ["From individuals", s.individuals],
            ["On behalf of organisations", s.organisations],
            ["Through the web form", s.byChannel.web],
            ["From survey imports", s.byChannel.survey],
            ["Giving an overall view", s.withOverall],
            ["Not yet tagged", s.untagged],
          ] as const
        ).map(([k, v]) => (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{k}</dt>
            <dd class="govuk-summary-list__value" data-testid={`count-${k.toLowerCase().replace(/\s+/g, "-")}`}>
              {num(v)}
            </dd>
          </div>
        ))}
      </dl>
      <CountTable
        label="Responses commenting on each priority"
        head="Priority"
        testId="per-priority"
        rows={s.perPriority.map((p) => ({ name: p.position === null ? p.title : `${p.position}. ${p.title}`, count: p.responses }))}
      />
      <CountTable
        label="Responses per tag"
        head="Tag"
        testId="per-tag"
        rows={s.perTag.map((t) => ({ name: t.tag, count: t.responses, href: `/plans/${plan.id}/consultation?tag=${encodeURIComponent(t.tag)}` }))}
        empty="No response is tagged yet."
      />
      <CountTable label="Responses per organisation" head="Organisation" testId="per-organisation" rows={s.perOrganisation.map((o) => ({ name: o.organisation, count: o.responses }))} empty="No response was made on behalf of an organisation." />

      <p class="govuk-body">
        <a class="govuk-link" href={`/plans/${plan.id}/consultation.csv`} download>
          Download every response (CSV)
        </a>
      </p>
      <h2 class="govuk-heading-m" id="responses">
        {tag ? `Responses tagged “${tag}”` : "Responses"}
      </h2>
      {tag ? (
        <p class="govuk-body">
          <a class="govuk-link" href={`/plans/${plan.id}/consultation#responses`}>
            Show every response
          </a>
        </p>
      ) : null}
      {data.responses.length === 0 ? <p class="govuk-body">No responses{tag ? " with this tag" : " yet"}.</p> : null}
      {data.responses.map((r) => (
        <ResponseCard planId={plan.id} response={r} csrf={c.var.csrfToken} tag={tag} failed={failed?.responseId === r.id ? failed : null} />
      ))}
    </>,
    { status, hasError: errors.length > 0 },
  );
}

function CountTable(props: { label: string; head: string; testId: string; rows: { name: string; count: number; href?: string }[]; empty?: string }) {
  if (!props.rows.length && props.empty) return <p class="govuk-body">{props.empty}</p>;
  return (
    <ScrollTable label={props.label}>
      <table class="govuk-table" data-testid={props.testId}>
        <caption class="govuk-table__caption govuk-table__caption--s">{props.label}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">
              {props.head}
            </th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">
              Responses
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.rows.map((r) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell app-wrap-anywhere">
                {r.href ? (
                  <a class="govuk-link" href={r.href}>
                    {r.name}
                  </a>
                ) : (
                  r.name
                )}
              </td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{num(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** Text as paragraphs, one per line break (escaped like every interpolated value). */
function Paragraphs(props: { text: string }) {
  return (
    <>
      {props.text.split(/\n+/).map((line) => (
        <p class="govuk-body app-wrap-anywhere">{line}</p>
      ))}
    </>
  );
}

function ResponseCard(props: { planId: number; response: PublicResponse; csrf: string; tag: string | undefined; failed: FailedTags | null }) {
  const r = props.response;
  const fieldId = `tags-${r.id}`;
  const from = r.channel === "web" ? "web form" : `survey import (${r.source ?? "file"})`;
  return (
    <div class="govuk-summary-card" id={`response-${r.id}`} data-testid="public-response">
      <div class="govuk-summary-card__title-wrapper">
        <h3 class="govuk-summary-card__title app-wrap-anywhere">
          Response {r.id}: {r.organisation ? `on behalf of ${r.organisation}` : "an individual"}
        </h3>
      </div>
      <div class="govuk-summary-card__content">
        <p class="govuk-body-s app-wrap-anywhere">
          {from}, {when(r.createdAt)}, plan version {r.planVersion}
          {r.consultationStarted ? `, consultation started ${r.consultationStarted}` : ""}
        </p>
        <dl class="govuk-summary-list">
          {r.comments.map((cm) => (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key app-wrap-anywhere">
                Priority {cm.position}: {cm.title}
                {cm.priorityId === null ? " (removed from the plan)" : ""}
              </dt>
              <dd class="govuk-summary-list__value" data-testid="response-comment">
                <Paragraphs text={cm.comment} />
              </dd>
            </div>
          ))}
          {r.overall ? (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Overall view</dt>
              <dd class="govuk-summary-list__value" data-testid="response-overall">
                <Paragraphs text={r.overall} />
              </dd>
            </div>
          ) : null}
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Tags</dt>
            <dd class="govuk-summary-list__value app-wrap-anywhere" data-testid="response-tags">
              {r.tags.length ? r.tags.join(", ") : "None"}
            </dd>
          </div>
        </dl>
        <form method="post" action={`/plans/${props.planId}/consultation/responses/${r.id}/tags`} novalidate data-testid="tag-form">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="row_version" value={String(r.rowVersion)} />
          {props.tag ? <input type="hidden" name="tag" value={props.tag} /> : null}
          <div class={`govuk-form-group${props.failed ? " govuk-form-group--error" : ""}`}>
            <label class="govuk-label" for={fieldId}>
              Tags for response {r.id}
            </label>
            <div class="govuk-hint" id={`${fieldId}-hint`}>
              Themes separated by commas, for example street lighting, youth provision
            </div>
            {props.failed ? (
              <p class="govuk-error-message" id={`${fieldId}-error`}>
                <span class="govuk-visually-hidden">Error:</span> {props.failed.error}
              </p>
            ) : null}
            <input
              class={`govuk-input${props.failed ? " govuk-input--error" : ""}`}
              id={fieldId}
              name="tags"
              type="text"
              value={props.failed ? props.failed.tags : r.tags.join(", ")}
              aria-describedby={props.failed ? `${fieldId}-hint ${fieldId}-error` : `${fieldId}-hint`}
            />
          </div>
          <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
            Save tags<span class="govuk-visually-hidden"> for response {r.id}</span>
          </button>
        </form>
      </div>
    </div>
  );
}
