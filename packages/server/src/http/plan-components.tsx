import {
  type ActionProgress,
  type ActionStatus,
  type ConsultationResponse,
  type DelegatedAmendment,
  type Direction,
  formatPence,
  formatValue,
  type KeyAction,
  type PartnerOrganisation,
  PLAN_STATE_LABELS,
  type Plan,
  type PlanState,
  type Priority,
  type Rag,
  type ReadAcross,
} from "@safecity/core";
import type { Child } from "hono/jsx";
import { ScrollTable, when } from "./components.tsx";

/**
 * Display pieces of the Partnership Plan pages (no forms: those are in plan-forms.tsx). Every colour
 * comes with its word (a RAG tag says "Red", not just red) so nothing depends on colour alone.
 */

export const RAG_LABELS: Readonly<Record<Rag, string>> = { green: "Green", amber: "Amber", red: "Red", no_data: "No data" };
const RAG_TAG: Readonly<Record<Rag, string>> = { green: "govuk-tag--green", amber: "govuk-tag--yellow", red: "govuk-tag--red", no_data: "govuk-tag--grey" };

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
  not_started: "Not started",
  on_track: "On track",
  at_risk: "At risk",
  off_track: "Off track",
  completed: "Completed",
  cancelled: "Cancelled",
};
const STATUS_TAG: Readonly<Record<ActionStatus, string>> = {
  not_started: "govuk-tag--grey",
  on_track: "govuk-tag--green",
  at_risk: "govuk-tag--yellow",
  off_track: "govuk-tag--red",
  completed: "",
  cancelled: "govuk-tag--grey",
};

export const DIRECTION_LABELS: Readonly<Record<Direction, string>> = {
  improving: "Improving",
  worsening: "Worsening",
  no_change: "No change",
  no_comparison: "No comparison",
};

const STATE_TAG: Readonly<Record<PlanState, string>> = {
  draft: "govuk-tag--grey",
  consultation: "",
  recommended: "govuk-tag--purple",
  approved: "govuk-tag--turquoise",
  published: "govuk-tag--green",
  review: "govuk-tag--yellow",
  superseded: "govuk-tag--grey",
};

export function RagTag(props: { rag: Rag }) {
  return (
    <strong class={`govuk-tag ${RAG_TAG[props.rag] ?? "govuk-tag--grey"}`} data-rag={props.rag}>
      {RAG_LABELS[props.rag] ?? props.rag}
    </strong>
  );
}

export function StatusTag(props: { status: ActionStatus }) {
  return (
    <strong class={`govuk-tag ${STATUS_TAG[props.status] ?? "govuk-tag--grey"}`.trim()} data-status={props.status}>
      {ACTION_STATUS_LABELS[props.status] ?? props.status}
    </strong>
  );
}

export function StateTag(props: { state: PlanState }) {
  return (
    <strong class={`govuk-tag ${STATE_TAG[props.state] ?? "govuk-tag--grey"}`.trim()} data-state={props.state}>
      {PLAN_STATE_LABELS[props.state] ?? props.state}
    </strong>
  );
}

/** Whole pence as pounds (core's `formatPence`): 7_500_000 → "£75,000", 125_050 → "£1,250.50". */
export const money = formatPence;

/** A figure as core prints it (`formatValue`: at most 2 decimals, thousands separated); "" for none. */
export function figure(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? "" : formatValue(n);
}

/** "+1.5" / "−2" / "0". */
export function signedFigure(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "";
  return `${n > 0 ? "+" : n < 0 ? "−" : ""}${figure(Math.abs(n))}`;
}

/** Demo records say so on every page. */
export function PlanDemoLabel(props: { demo: boolean }) {
  if (!props.demo) return null;
  return (
    <div class="govuk-warning-text" data-testid="demo-label">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        Demo data: this plan is synthetic, made by <code>safecity demo</code>.
      </strong>
    </div>
  );
}

/** The links under a plan's heading: the plan, its performance, timeline and grants. */
export function PlanTabs(props: { planId: number; current: "plan" | "performance" | "timeline" | "grants" }) {
  const tabs = [
    { key: "plan", href: `/plans/${props.planId}`, text: "Plan" },
    { key: "performance", href: `/plans/${props.planId}/performance`, text: "Performance" },
    { key: "timeline", href: `/plans/${props.planId}/timeline`, text: "Timeline" },
    { key: "grants", href: `/plans/${props.planId}/grants`, text: "Grants" },
  ] as const;
  return (
    <nav aria-label="Plan pages" class="govuk-!-margin-bottom-6">
      <ul class="govuk-list app-inline-list">
        {tabs.map((t) => (
          <li>
            {t.key === props.current ? (
              <strong aria-current="page">{t.text}</strong>
            ) : (
              <a class="govuk-link" href={t.href}>
                {t.text}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The plan's heading block: title, partnership, period, version and state. */
export function PlanHeading(props: { plan: Plan; sub?: string; children?: Child }) {
  const p = props.plan;
  return (
    <>
      <span class="govuk-caption-l app-wrap-anywhere">
        {p.partnershipName} · {p.periodFrom} to {p.periodTo} · version {p.version}
      </span>
      <h1 class="govuk-heading-l app-wrap-anywhere">
        {props.sub ? `${props.sub}: ` : ""}
        {p.title}
      </h1>
      <p class="govuk-body" data-testid="plan-state">
        <StateTag state={p.state} />
      </p>
      <PlanDemoLabel demo={p.demo} />
      {props.children}
    </>
  );
}

/** A key/value summary list. */
export function SummaryList(props: { rows: [string, Child][]; testId?: string }) {
  return (
    <dl class="govuk-summary-list" data-testid={props.testId}>
      {props.rows.map(([k, v]) => (
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{k}</dt>
          <dd class="govuk-summary-list__value app-wrap-anywhere">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PrioritySection(props: { priority: Priority; children?: Child }) {
  const p = props.priority;
  return (
    <section class="govuk-!-margin-bottom-8" data-testid={`priority-${p.id}`} aria-labelledby={`priority-${p.id}-title`}>
      <h3 class="govuk-heading-m app-wrap-anywhere" id={`priority-${p.id}-title`}>
        Priority {p.position}: {p.title}
      </h3>
      <p class="govuk-body app-wrap-anywhere">{p.rationale}</p>
      {p.evidence.length ? (
        <>
          <h4 class="govuk-heading-s">Evidence</h4>
          <ul class="govuk-list govuk-list--bullet govuk-body-s app-wrap-anywhere">
            {p.evidence.map((e) => (
              <li>
                {e.text} <span class="govuk-hint govuk-!-display-inline">({e.ref})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {p.areaCodes.length || p.years.length ? (
        <p class="govuk-body-s app-wrap-anywhere">
          {p.years.length ? `Runs ${p.years.join(", ")}. ` : ""}
          {p.areaCodes.length ? `Priority areas: ${p.areaCodes.join(", ")}.` : ""}
        </p>
      ) : null}
      {props.children}
    </section>
  );
}

export interface ActionRow {
  action: KeyAction;
  latest: ActionProgress | null;
}

/** Key actions of one priority: owner, lead role, dates, status, the latest progress, and per-row extras (forms). */
export function ActionsTable(props: { rows: ActionRow[]; caption: string; extra?: (a: KeyAction) => Child }) {
  if (!props.rows.length) return <p class="govuk-body">No key actions yet.</p>;
  return (
    <ScrollTable label={props.caption}>
      <table class="govuk-table" data-testid="actions">
        <caption class="govuk-table__caption govuk-table__caption--s">{props.caption}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Action</th>
            <th scope="col" class="govuk-table__header">Owner and lead role</th>
            <th scope="col" class="govuk-table__header">Dates</th>
            <th scope="col" class="govuk-table__header">Status</th>
            <th scope="col" class="govuk-table__header">Latest progress</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.rows.map(({ action: a, latest }) => (
            <tr class="govuk-table__row" data-action-id={a.id}>
              <th scope="row" class="govuk-table__header app-wrap-anywhere">
                {a.title}
                {a.milestones.length ? (
                  <ul class="govuk-list govuk-body-s">
                    {a.milestones.map((m) => (
                      <li>
                        {m.done ? "Done: " : "Due "}
                        {m.due} {m.title}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {a.budgetLine ? <span class="govuk-body-s app-block">Budget: {a.budgetLine}</span> : null}
                <a class="govuk-link govuk-body-s app-block" href={`/plans/${a.planId}/actions/${a.id}/timeline`}>
                  Timeline<span class="govuk-visually-hidden"> of {a.title}</span>
                </a>
              </th>
              <td class="govuk-table__cell app-wrap-anywhere">
                {a.ownerOrganisationName}
                <br />
                <span class="govuk-body-s">{a.leadRole}</span>
              </td>
              <td class="govuk-table__cell app-nowrap">
                {a.startDate} to {a.dueDate}
              </td>
              <td class="govuk-table__cell">
                <StatusTag status={a.status} />
              </td>
              <td class="govuk-table__cell app-wrap-anywhere">
                {latest ? (
                  <>
                    <span class="govuk-body-s">
                      {latest.date}, {latest.author}:
                    </span>{" "}
                    {latest.note}
                  </>
                ) : (
                  "None recorded"
                )}
                {props.extra ? props.extra(a) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

export function LinksList<L extends ReadAcross>(props: { links: L[]; extra?: (l: L) => Child }) {
  if (!props.links.length) return <p class="govuk-body">No read-across links recorded.</p>;
  return (
    <ul class="govuk-list govuk-list--bullet app-wrap-anywhere" data-testid="links">
      {props.links.map((l) => (
        <li>
          {l.url ? (
            <a class="govuk-link" href={safeUrl(l.url)} rel="noreferrer noopener">
              {l.name}
            </a>
          ) : (
            l.name
          )}{" "}
          ({l.kind === "plan" ? "plan" : "partnership"}){l.note ? `: ${l.note}` : ""}
          {props.extra ? props.extra(l) : null}
        </li>
      ))}
    </ul>
  );
}

/** Only http(s) links become hrefs (a `javascript:` URL in the data stays inert). */
export function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : "#";
}

export function PartnersTable(props: { partners: PartnerOrganisation[]; extra?: (p: PartnerOrganisation) => Child }) {
  if (!props.partners.length) return <p class="govuk-body">No partner organisations recorded.</p>;
  return (
    <ScrollTable label="Partner organisations">
      <table class="govuk-table" data-testid="partners">
        <caption class="govuk-visually-hidden">Partner organisations</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Organisation</th>
            <th scope="col" class="govuk-table__header">Kind</th>
            <th scope="col" class="govuk-table__header">Role in the partnership</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.partners.map((p) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell app-wrap-anywhere">{p.name}</td>
              <td class="govuk-table__cell">{p.kind}</td>
              <td class="govuk-table__cell app-wrap-anywhere">
                {p.role}
                {props.extra ? props.extra(p) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

export function ResponsesTable(props: { responses: ConsultationResponse[] }) {
  if (!props.responses.length) return <p class="govuk-body">No consultation responses recorded.</p>;
  return (
    <ScrollTable label="Consultation responses">
      <table class="govuk-table" data-testid="responses">
        <caption class="govuk-visually-hidden">Consultation responses</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Date</th>
            <th scope="col" class="govuk-table__header">Consultee</th>
            <th scope="col" class="govuk-table__header">Summary</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.responses.map((r) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell app-nowrap">{r.date}</td>
              <td class="govuk-table__cell app-wrap-anywhere">{r.consultee}</td>
              <td class="govuk-table__cell app-wrap-anywhere">{r.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** Delegated amendments; the public site passes them without `by` (the officer's name stays inside). */
export function AmendmentsTable(props: { amendments: (Pick<DelegatedAmendment, "date" | "post" | "summary"> & { by?: string })[] }) {
  if (!props.amendments.length) return <p class="govuk-body">No delegated amendments.</p>;
  return (
    <ScrollTable label="Delegated amendments">
      <table class="govuk-table" data-testid="amendments">
        <caption class="govuk-visually-hidden">Delegated amendments</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Date</th>
            <th scope="col" class="govuk-table__header">By</th>
            <th scope="col" class="govuk-table__header">Amendment</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.amendments.map((a) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell app-nowrap">{a.date}</td>
              <td class="govuk-table__cell app-wrap-anywhere">
                {a.by ? (
                  <>
                    {a.by}
                    <br />
                  </>
                ) : null}
                <span class="govuk-body-s">{a.post}</span>
              </td>
              <td class="govuk-table__cell app-wrap-anywhere">{a.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** One audit row as the timelines show it. */
export interface TimelineEntry {
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
}

/** A recorded value as a reader writes it: text without quotes, lists joined, nothing as "none". */
function plainValue(v: unknown): string {
  if (v === null || v === undefined || v === "") return "none";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.length ? v.map(plainValue).join(", ") : "none";
  return `(${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${plainValue(x)}`)
    .join(", ")})`;
}

/** What changed, field by field, for an update ("status: not_started → completed"); the record's fields for a create. */
function changeText(before: unknown, after: unknown): string {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const fields = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k}: ${plainValue(v)}`).join("; ");
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (keys.length) return keys.map((k) => `${k}: ${plainValue(before[k])} → ${plainValue(after[k])}`).join("; ");
  }
  const shown = (v: unknown) => (isObj(v) ? fields(v) : plainValue(v));
  const had = before !== null && before !== undefined;
  const has = after !== null && after !== undefined;
  if (had && has) return `${shown(before)} → ${shown(after)}`;
  if (has) return shown(after);
  return had ? `removed: ${shown(before)}` : "";
}

export function Timeline(props: { entries: TimelineEntry[]; label: string }) {
  if (!props.entries.length) return <p class="govuk-body">Nothing recorded yet.</p>;
  return (
    <ScrollTable label={props.label}>
      <table class="govuk-table" data-testid="timeline">
        <caption class="govuk-visually-hidden">{props.label}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">When</th>
            <th scope="col" class="govuk-table__header">Who</th>
            <th scope="col" class="govuk-table__header">What</th>
            <th scope="col" class="govuk-table__header">Record</th>
            <th scope="col" class="govuk-table__header">Change</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.entries.map((e) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell app-nowrap">{when(e.at)}</td>
              <td class="govuk-table__cell app-wrap-anywhere">{e.actor}</td>
              <td class="govuk-table__cell">{e.action}</td>
              <td class="govuk-table__cell app-wrap-anywhere">{e.target ?? ""}</td>
              <td class="govuk-table__cell app-wrap-anywhere govuk-body-s">{changeText(e.before, e.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
