import type { Child } from "hono/jsx";
import { Chart, TableWithCsv } from "../http/analysis-kit.tsx";
import type { RenderedChart } from "../http/chart-svg.ts";
import { ScrollTable } from "../http/components.tsx";
import type { DataTable } from "../http/csv.ts";
import { AmendmentsTable, DIRECTION_LABELS, figure, money, RagTag, StatusTag, SummaryList } from "../http/plan-components.tsx";
import {
  actionsTable,
  grantsTable,
  keyMessagesTable,
  monthlyTable,
  OGL_URL,
  openDataTables,
  priorityAreasTable,
  seasonalTable,
  targetsTable,
} from "./public-site-data.ts";
import { longDay } from "./public-site-layout.tsx";
import type { PublicAction, PublicSite, PublicTarget } from "./public-site-model.ts";

/**
 * The public website's pages (bodies inside PublicLayout), from the public view model only.
 * Display pieces are the app's own (plan-components.tsx, analysis-kit.tsx); links are relative.
 */

const csvHref = (t: DataTable) => `data/${t.id}.csv`;

export function IndexPage(props: { site: PublicSite }) {
  const { site } = props;
  const d = site.decision;
  const p = site.plan;
  return (
    <>
      <SummaryList
        testId="plan-summary"
        rows={[
          ["Partnership", p.partnershipName],
          ["Period", `${p.periodFrom} to ${p.periodTo}`],
          ["Status", p.stateLabel],
          ["Approved by Full Council", longDay(d.councilDate)],
          ["Statutory basis", d.statutoryBasis],
          ...(p.assessmentRef ? ([["Evidence", p.assessmentRef]] as [string, Child][]) : []),
        ]}
      />
      <h2 class="govuk-heading-l">Priorities</h2>
      <ol class="govuk-list govuk-list--number">
        {site.priorities.map((x) => (
          <li>
            <a class="govuk-link" href={`#priority-${x.position}`}>
              {x.title}
            </a>
          </li>
        ))}
      </ol>
      {site.priorities.map((x) => (
        <section class="govuk-!-margin-bottom-8" id={`priority-${x.position}`} aria-labelledby={`priority-${x.position}-title`} data-testid="priority">
          <h2 class="govuk-heading-m app-wrap-anywhere" id={`priority-${x.position}-title`}>
            Priority {x.position}: {x.title}
          </h2>
          <p class="govuk-body app-wrap-anywhere">{x.rationale}</p>
          {x.evidence.length ? (
            <>
              <h3 class="govuk-heading-s">Evidence</h3>
              <ul class="govuk-list govuk-list--bullet govuk-body-s app-wrap-anywhere">
                {x.evidence.map((e) => (
                  <li>{e}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p class="govuk-body-s app-wrap-anywhere">
            {x.years.length ? `Runs ${x.years.join(", ")}. ` : ""}
            {x.areas.length ? (
              <>
                Priority areas: {x.areas.map((a) => a.name).join(", ")} (<a href="map.html" class="govuk-link">map</a>).
              </>
            ) : null}
          </p>
          <PublicActions actions={site.actions.filter((a) => a.priority === x.position)} caption={`Key actions of priority ${x.position}`} />
          <PublicTargets targets={site.targets.filter((t) => t.priority === x.position)} caption={`Targets of priority ${x.position}`} />
        </section>
      ))}
      {site.targets.some((t) => t.priority === null) ? (
        <section aria-labelledby="plan-targets">
          <h2 class="govuk-heading-m" id="plan-targets">
            Targets across the plan
          </h2>
          <PublicTargets targets={site.targets.filter((t) => t.priority === null)} caption="Targets across the plan" />
        </section>
      ) : null}
      <h2 class="govuk-heading-m">Partners</h2>
      <ul class="govuk-list govuk-list--bullet app-wrap-anywhere" data-testid="partners">
        {site.partners.map((x) => (
          <li>
            {x.name} ({x.role})
          </li>
        ))}
      </ul>
      {site.links.length ? (
        <>
          <h2 class="govuk-heading-m">Related plans and partnerships</h2>
          <ul class="govuk-list govuk-list--bullet app-wrap-anywhere">
            {site.links.map((l) => (
              <li>
                {l.url ? (
                  <a class="govuk-link" href={l.url} rel="noreferrer noopener">
                    {l.name}
                  </a>
                ) : (
                  l.name
                )}
                {l.note ? `: ${l.note}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="govuk-body">
        All targets and actions are in the <a class="govuk-link" href="data.html">open data</a>.
      </p>
    </>
  );
}

function PublicActions(props: { actions: PublicAction[]; caption: string }) {
  if (!props.actions.length) return <p class="govuk-body">No key actions.</p>;
  return (
    <ScrollTable label={props.caption}>
      <table class="govuk-table" data-testid="actions">
        <caption class="govuk-table__caption govuk-table__caption--s">{props.caption}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Action</th>
            <th scope="col" class="govuk-table__header">Owner and lead role</th>
            <th scope="col" class="govuk-table__header">Dates</th>
            <th scope="col" class="govuk-table__header">Progress</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.actions.map((a) => (
            <tr class="govuk-table__row">
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
              </th>
              <td class="govuk-table__cell app-wrap-anywhere">
                {a.owner}
                <br />
                <span class="govuk-body-s">{a.leadRole}</span>
              </td>
              <td class="govuk-table__cell app-nowrap">
                {a.startDate} to {a.dueDate}
              </td>
              <td class="govuk-table__cell app-wrap-anywhere">
                <StatusTag status={a.status} />
                {a.latest ? (
                  <span class="govuk-body-s app-block">
                    {a.latest.date}: {a.latest.note}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function PublicTargets(props: { targets: PublicTarget[]; caption: string }) {
  if (!props.targets.length) return null;
  return (
    <ScrollTable label={props.caption}>
      <table class="govuk-table" data-testid="targets">
        <caption class="govuk-table__caption govuk-table__caption--s">{props.caption}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Indicator</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Baseline</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Goal</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Latest</th>
            <th scope="col" class="govuk-table__header">RAG</th>
            <th scope="col" class="govuk-table__header">Direction of travel</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.targets.map((t) => (
            <tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header app-wrap-anywhere">
                {t.indicator}
                <span class="govuk-body-s app-block">{t.ragReason}</span>
              </th>
              <td class="govuk-table__cell govuk-table__cell--numeric">
                {figure(t.baselineValue)}
                <span class="govuk-body-s app-block">{t.baselinePeriod}</span>
              </td>
              <td class="govuk-table__cell govuk-table__cell--numeric">
                {figure(t.goal)}
                <span class="govuk-body-s app-block">by {t.deadline}</span>
              </td>
              <td class="govuk-table__cell govuk-table__cell--numeric">
                {t.latest ? (
                  <>
                    {figure(t.latest.value)}
                    <span class="govuk-body-s app-block">{t.latest.period}</span>
                  </>
                ) : (
                  "None yet"
                )}
              </td>
              <td class="govuk-table__cell">
                <RagTag rag={t.rag} />
              </td>
              <td class="govuk-table__cell" data-direction={t.direction}>
                {DIRECTION_LABELS[t.direction] ?? t.direction}
                {t.change ? (
                  <span class="govuk-body-s app-block">
                    from {figure(t.change.fromValue)} in {t.change.fromPeriod}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

export interface AssessmentCharts {
  trend: RenderedChart | null;
  seasonal: RenderedChart | null;
}

export function AssessmentPage(props: { site: PublicSite; charts: AssessmentCharts }) {
  const a = props.site.assessment;
  if (!a)
    return (
      <p class="govuk-body" data-testid="assessment-missing">
        The Strategic Assessment's figures are not part of this publication: {props.site.assessmentMissing ?? "no police data was loaded for the partnership's area"}.
      </p>
    );
  const messages = keyMessagesTable(props.site);
  const monthly = monthlyTable(props.site);
  const seasonal = seasonalTable(props.site);
  const areas = priorityAreasTable(props.site);
  return (
    <>
      <p class="govuk-body-l" data-testid="assessment-period">
        {a.areaName}, police recorded crime {a.from} to {a.to}
      </p>
      {a.missingMonths.length ? (
        <div class="govuk-inset-text">
          {a.missingMonths.length} month(s) had no police data and are gaps, not zeros: {a.missingMonths.join(", ")}.
        </div>
      ) : null}
      <h2 class="govuk-heading-m">Key messages</h2>
      <ol class="govuk-list govuk-list--number app-wrap-anywhere" data-testid="key-messages">
        {a.keyMessages.map((m) => (
          <li>{m.text}</li>
        ))}
      </ol>
      {messages ? (
        <p class="govuk-body-s">
          <a class="govuk-link" href={csvHref(messages)} download>
            Download the key messages as CSV
          </a>
        </p>
      ) : null}
      {monthly ? (
        <>
          <h2 class="govuk-heading-m">Monthly incidents by crime group</h2>
          {props.charts.trend ? (
            <Chart id="trends" chart={props.charts.trend} description={`Line charts of monthly recorded incidents in ${a.areaName} for each crime group, ${a.from} to ${a.to}`} />
          ) : null}
          <TableWithCsv t={monthly} csvHref={csvHref(monthly)} />
        </>
      ) : null}
      <h2 class="govuk-heading-m">Seasonal profile</h2>
      {seasonal && props.charts.seasonal ? (
        <>
          <Chart id="seasonal" chart={props.charts.seasonal} description={`Bar chart of the seasonal index of ${a.seasonal!.group.toLowerCase()} by calendar month`} />
          <TableWithCsv t={seasonal} csvHref={csvHref(seasonal)} />
        </>
      ) : (
        <p class="govuk-body">{a.seasonalMessage ?? "Not enough months for a seasonal profile."}</p>
      )}
      {areas ? (
        <>
          <h2 class="govuk-heading-m">Priority areas</h2>
          <p class="govuk-body">
            Neighbourhoods (LSOAs) ranked by crime rate and deprivation together. The plan's priority areas are on the <a class="govuk-link" href="map.html">map</a>.
          </p>
          <TableWithCsv t={areas} csvHref={csvHref(areas)} />
        </>
      ) : null}
    </>
  );
}

const PRIORITY_FILL = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840"];
export const fillOf = (priority: number) => PRIORITY_FILL[(priority - 1) % PRIORITY_FILL.length]!;

/** The priority areas as a static SVG (no script), a legend in words and the list of areas. */
export function MapPage(props: { site: PublicSite }) {
  const { site } = props;
  const m = site.map;
  if (!m)
    return (
      <p class="govuk-body" data-testid="map-missing">
        No map: {site.mapMissing ?? "no boundaries are installed for the partnership's area"}.
      </p>
    );
  const targeted = m.shapes.filter((s) => s.priorities.length > 0);
  const description = `Map of ${site.plan.partnershipName}'s neighbourhoods with the ${targeted.length} priority areas coloured by priority; the list below names them`;
  return (
    <>
      <figure class="app-chart" data-testid="priority-map">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${m.width} ${m.height}`} width="100%" role="img" aria-label={description}>
          <title>{description}</title>
          <g fill="#f3f2f1" stroke="#b1b4b6" stroke-width="0.6">
            {m.shapes
              .filter((s) => s.priorities.length === 0)
              .map((s) => (
                <path d={s.d}>
                  <title>{s.name}</title>
                </path>
              ))}
          </g>
          <g stroke="#0b0c0c" stroke-width="1.2" fill-opacity="0.75">
            {targeted.map((s) => (
              <path d={s.d} fill={fillOf(s.priorities[0]!)}>
                <title>{`${s.name}: priority ${s.priorities.join(", ")}`}</title>
              </path>
            ))}
          </g>
        </svg>
        <figcaption class="govuk-body-s">{description}.</figcaption>
      </figure>
      <h2 class="govuk-heading-m">Key</h2>
      <ul class="govuk-list" data-testid="map-legend">
        {site.priorities.map((p) => (
          <li>
            <svg width="16" height="16" aria-hidden="true" focusable="false">
              <rect width="16" height="16" fill={fillOf(p.position)} />
            </svg>{" "}
            Priority {p.position}: {p.title}
          </li>
        ))}
      </ul>
      {m.wholeArea.length ? (
        <p class="govuk-body">
          {m.wholeArea.map((w) => `Priority ${w.priority} covers the whole of ${w.name}.`).join(" ")}
        </p>
      ) : null}
      <h2 class="govuk-heading-m">Priority areas</h2>
      <ScrollTable label="Priority areas by priority">
        <table class="govuk-table" data-testid="map-areas">
          <caption class="govuk-visually-hidden">Priority areas by priority</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Area</th>
              <th scope="col" class="govuk-table__header">Code</th>
              <th scope="col" class="govuk-table__header">Priorities</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {targeted.map((s) => (
              <tr class="govuk-table__row">
                <th scope="row" class="govuk-table__header">
                  {s.name}
                </th>
                <td class="govuk-table__cell">{s.code}</td>
                <td class="govuk-table__cell">{s.priorities.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <p class="govuk-body-s">Boundaries: Office for National Statistics Open Geography (contains OS data © Crown copyright and database right), or the demo's drawn outlines.</p>
    </>
  );
}

export function GrantsPage(props: { site: PublicSite }) {
  const { site } = props;
  if (!site.grants.length) return <p class="govuk-body">No grants budget is recorded for this plan.</p>;
  const table = grantsTable(site);
  return (
    <>
      {site.grants.map((b) => (
        <section class="govuk-!-margin-bottom-6" aria-label={`${b.name} ${b.year}`}>
          <h2 class="govuk-heading-m app-wrap-anywhere">
            {b.name} {b.year}
          </h2>
          <SummaryList
            testId="budget-summary"
            rows={[
              ["Budget", money(b.amountPence)],
              ["Awarded", money(b.allocatedPence)],
              ["Paid so far", money(b.paidPence)],
              ["Not yet awarded", money(b.unallocatedPence)],
            ]}
          />
        </section>
      ))}
      <TableWithCsv t={table} csvHref={csvHref(table)} />
    </>
  );
}

export function DecisionPage(props: { site: PublicSite }) {
  const d = props.site.decision;
  const iia = d.impactAssessment;
  return (
    <>
      <SummaryList
        testId="decision-summary"
        rows={[
          ["Statutory basis", d.statutoryBasis],
          ["Key decision", d.keyDecision ? `Yes${d.forwardPlanNoticeDate ? `, in the forward plan from ${longDay(d.forwardPlanNoticeDate)}` : ""}` : "No"],
          ["Consulted", d.consultees.length ? d.consultees.join("; ") : "None recorded"],
          ["Cabinet", longDay(d.cabinetDate)],
          ["Full Council", longDay(d.councilDate)],
          ["Published", longDay(d.publishedDate)],
        ]}
      />
      <h2 class="govuk-heading-m">Cabinet's resolution</h2>
      <p class="govuk-body app-wrap-anywhere" data-testid="cabinet-resolution">
        {d.cabinetResolution ?? "Not recorded."}
      </p>
      <h2 class="govuk-heading-m">Full Council's resolution</h2>
      <p class="govuk-body app-wrap-anywhere" data-testid="council-resolution">
        {d.councilResolution ?? "Not recorded."}
      </p>
      <h2 class="govuk-heading-m">Delegated amendments</h2>
      {d.delegation ? (
        <p class="govuk-body app-wrap-anywhere">
          Cabinet delegated final amendments to the {d.delegation.post}, after consulting the {d.delegation.afterConsulting}.
        </p>
      ) : null}
      <AmendmentsTable amendments={d.amendments} />
      <h2 class="govuk-heading-m">Integrated Impact Assessment</h2>
      {iia ? (
        <p class="govuk-body app-wrap-anywhere">
          {iia.completed ? `Completed ${longDay(iia.date)}. ` : "Not completed. "}
          {iia.summary}{" "}
          {iia.link ? (
            <a class="govuk-link" href={iia.link} rel="noreferrer noopener">
              Read the assessment
            </a>
          ) : null}
        </p>
      ) : (
        <p class="govuk-body">Not recorded.</p>
      )}
    </>
  );
}

export function DataPage(props: { site: PublicSite }) {
  const tables = openDataTables(props.site);
  return (
    <>
      <p class="govuk-body">
        The figures of this publication as open data, free to reuse under the{" "}
        <a class="govuk-link" href={OGL_URL} rel="license">
          Open Government Licence v3.0
        </a>
        . {props.site.attribution}
      </p>
      <ul class="govuk-list govuk-list--bullet" data-testid="downloads">
        <li>
          <a class="govuk-link" href="data/plan.json" download>
            The whole plan as JSON
          </a>{" "}
          (priorities, actions, targets, grants, decision record, assessment figures)
        </li>
        {tables.map((t) => (
          <li>
            <a class="govuk-link" href={csvHref(t)} download>
              {t.caption} (CSV)
            </a>
          </li>
        ))}
        <li>
          <a class="govuk-link" href="data/LICENCE.txt">
            Licence and attribution (text)
          </a>
        </li>
      </ul>
      <h2 class="govuk-heading-m">Targets</h2>
      <TableWithCsv t={targetsTable(props.site)} csvHref="data/targets.csv" />
      <h2 class="govuk-heading-m">Key actions</h2>
      <TableWithCsv t={actionsTable(props.site)} csvHref="data/actions.csv" />
    </>
  );
}
