import { canonicalJson } from "@safecity/core";
import { ACTION_STATUS_LABELS, DIRECTION_LABELS, RAG_LABELS } from "../http/plan-components.tsx";
import type { DataTable } from "../http/csv.ts";
import type { PublicSite } from "./public-site-model.ts";

/**
 * The public site's open data: each table a page shows, as the CSV it links to (data/<id>.csv),
 * and the whole public view model as JSON (data/plan.json) with its licence. Pure.
 */

export const OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

const pounds = (pence: number) => Math.round(pence) / 100;

export function targetsTable(site: PublicSite): DataTable {
  return {
    id: "targets",
    caption: "Targets with their RAG rating and direction of travel",
    header: ["Priority", "Indicator", "Unit", "Baseline period", "Baseline", "Goal", "Deadline", "Latest period", "Latest value", "RAG", "Direction of travel", "Why this rating"],
    numeric: [true, false, false, false, true, true, false, false, true, false, false, false],
    rows: site.targets.map((t) => [
      t.priority,
      t.indicator,
      t.unit,
      t.baselinePeriod,
      t.baselineValue,
      t.goal,
      t.deadline,
      t.latest?.period ?? null,
      t.latest?.value ?? null,
      RAG_LABELS[t.rag] ?? t.rag,
      DIRECTION_LABELS[t.direction] ?? t.direction,
      t.ragReason,
    ]),
  };
}

export function actionsTable(site: PublicSite): DataTable {
  return {
    id: "actions",
    caption: "Key actions and their progress",
    header: ["Priority", "Action", "Owner", "Lead role", "Start", "Due", "Status", "Latest update", "Progress"],
    numeric: [true],
    rows: site.actions.map((a) => [
      a.priority,
      a.title,
      a.owner,
      a.leadRole,
      a.startDate,
      a.dueDate,
      ACTION_STATUS_LABELS[a.status] ?? a.status,
      a.latest?.date ?? null,
      a.latest?.note ?? null,
    ]),
  };
}

export function grantsTable(site: PublicSite): DataTable {
  return {
    id: "grants",
    caption: "Grants awarded",
    header: ["Financial year", "Budget", "Organisation", "Purpose", "Key action", "Awarded (£)", "Paid (£)", "What it delivered"],
    numeric: [false, false, false, false, false, true, true, false],
    rows: site.grants.flatMap((b) =>
      b.allocations.map((a) => [b.year, b.name, a.organisation, a.purpose, a.action, pounds(a.amountPence), pounds(a.paidPence), a.delivered]),
    ),
  };
}

export function keyMessagesTable(site: PublicSite): DataTable | null {
  if (!site.assessment) return null;
  return {
    id: "key-messages",
    caption: `Key messages of the Strategic Assessment, ${site.assessment.from} to ${site.assessment.to}`,
    header: ["Number", "Key message"],
    numeric: [true, false],
    rows: site.assessment.keyMessages.map((m, i) => [i + 1, m.text]),
  };
}

export function monthlyTable(site: PublicSite): DataTable | null {
  const a = site.assessment;
  if (!a || a.monthly.length === 0) return null;
  const groups = [...new Set(a.monthly.map((m) => m.group))];
  const months = [...new Set(a.monthly.map((m) => m.month))].sort();
  const at = new Map(a.monthly.map((m) => [`${m.group}|${m.month}`, m.count]));
  return {
    id: "monthly-counts",
    caption: `Recorded incidents by month and crime group, ${a.areaName} (an empty cell: no data loaded for that month)`,
    header: ["Month", ...groups],
    numeric: [false, ...groups.map(() => true)],
    rows: months.map((m) => [m, ...groups.map((g) => at.get(`${g}|${m}`) ?? null)]),
  };
}

export function seasonalTable(site: PublicSite): DataTable | null {
  const s = site.assessment?.seasonal;
  if (!s) return null;
  return {
    id: "seasonal",
    caption: `Seasonal index of ${s.group.toLowerCase()} by calendar month (100 = an average month)`,
    header: ["Month", "Seasonal index"],
    numeric: [false, true],
    rows: s.rows.map((r) => [r.name, r.index]),
  };
}

export function priorityAreasTable(site: PublicSite): DataTable | null {
  const a = site.assessment;
  if (!a || a.priorityAreas.length === 0) return null;
  return {
    id: "priority-areas",
    caption: `Priority areas of the Strategic Assessment: crime rate and deprivation, ${a.from} to ${a.to}`,
    header: ["Rank", "Area", "Code", "Incidents", "Population", "Rate per 1,000", "Deprivation decile", "Why"],
    numeric: [true, false, false, true, true, true, true, false],
    rows: a.priorityAreas.map((p) => [p.rank, p.name, p.code, p.count, p.population, p.rate === null ? null : Math.round(p.rate * 10) / 10, p.imdDecile, p.reason]),
  };
}

/** Every table published, in the order the data page lists them. */
export function openDataTables(site: PublicSite): DataTable[] {
  return [targetsTable(site), actionsTable(site), grantsTable(site), keyMessagesTable(site), monthlyTable(site), seasonalTable(site), priorityAreasTable(site)].filter(
    (t): t is DataTable => t !== null,
  );
}

/** data/plan.json: the public view model with its licence, canonical (sorted keys). */
export function planJson(site: PublicSite): string {
  return canonicalJson({ licence: { name: "Open Government Licence v3.0", url: OGL_URL, attribution: site.attribution }, site });
}

export function licenceText(site: PublicSite): string {
  return [
    `${site.plan.title} (${site.plan.partnershipName}): open data`,
    `Publication ${site.publication.number}, plan version ${site.plan.version}, published ${site.publication.date}.`,
    "",
    "These files are published under the Open Government Licence v3.0:",
    OGL_URL,
    "",
    site.attribution,
    "Police data: data.police.uk. Statistics: Office for National Statistics. Deprivation: Ministry of Housing, Communities and Local Government.",
    "",
  ].join("\n");
}
