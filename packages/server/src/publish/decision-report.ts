import { clearDaysBetween, formatPence, isIsoDate, PLAN_STATE_LABELS } from "@safecity/core";
import type { PlanGrants } from "../services/grant.service.ts";
import type { PlanDetail } from "../services/plan.service.ts";

/**
 * The committee decision report that takes a Partnership Plan to Cabinet and Full Council, with
 * the sections of the seed report (../shared/seed/): pure assembly from the plan's stored detail,
 * its grants and the wards of its priority areas. Facts the plan does not hold (who the report is
 * of, the contact, confidentiality, capital) come from the caller's options; anything unknown is
 * printed as "To be completed", never guessed. Renderers: decision-report-html.ts, decision-report-docx.ts.
 */

export type ReportBlock =
  | { kind: "paragraph"; text: string; /** The report's running paragraph number (seed style), when numbered. */ number?: number }
  | { kind: "subheading"; text: string }
  | { kind: "list"; items: string[]; ordered: boolean }
  | { kind: "table"; header: string[]; rows: string[][] };

export interface ReportSection {
  id: string;
  heading: string;
  blocks: ReportBlock[];
}

export interface DecisionReport {
  title: string;
  /** The plan's partnership and state, under the title. */
  subtitle: string;
  /** The plan is demo data: the renderers print a notice. */
  demo: boolean;
  sections: ReportSection[];
}

/** What the caller supplies that no stored record holds. */
export interface DecisionReportOptions {
  /** "Cabinet Member for Communities". */
  reportOf?: string;
  /** Author's name, telephone, e-mail (as the committee clerk wants it). */
  contact?: string;
  /** "None." or the exempt paragraphs. */
  confidentiality?: string;
  /** Capital implications ("None."). */
  capital?: string;
  /** Whether and how the Plan is in the Council's Policy Framework. */
  policyFramework?: string;
}

export interface WardRef {
  code: string;
  name: string;
}

export interface DecisionReportInput {
  detail: PlanDetail;
  grants: PlanGrants;
  /** Wards of the LSOAs the priorities target, in name order. */
  wards: WardRef[];
  /** Names of the whole areas (not LSOAs) some priority targets, e.g. the city: "All" wards then. */
  wholeAreas: string[];
  /** Indicator id -> its name, for the targets table. */
  indicatorNames: ReadonlyMap<number, string>;
  options?: DecisionReportOptions;
}

export const TO_BE_COMPLETED = "To be completed";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `2025-07-15` -> "15 July 2025"; `2025-04` -> "April 2025"; null -> "To be completed". */
export function longDate(date: string | null): string {
  if (!date) return TO_BE_COMPLETED;
  const [y, m, d] = date.split("-");
  const month = MONTHS[Number(m) - 1];
  if (!month) return date;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
/** 4 -> "four groups"; 1 -> "one group"; 12 -> "12 groups". */
function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${NUMBER_WORDS[n] ?? String(n)} ${n === 1 ? noun : plural}`;
}

function given(value: string | undefined, option: string): string {
  const v = value?.trim();
  return v ? v : `${TO_BE_COMPLETED} (give ${option})`;
}

const roman = (i: number) => ["i", "ii", "iii", "iv", "v", "vi"][i] ?? String(i + 1);

/** Builds the report's sections from the plan; pure (no clock, no I/O). */
export function buildDecisionReport(input: DecisionReportInput): DecisionReport {
  const { detail, grants, wards, wholeAreas, indicatorNames } = input;
  const options = input.options ?? {};
  const { plan, governance, priorities, actions, targets, links, partners, responses, amendments } = detail;
  let paragraph = 0;
  const p = (text: string): ReportBlock => ({ kind: "paragraph", text });
  const np = (text: string): ReportBlock => ({ kind: "paragraph", text, number: ++paragraph });
  const period = `${longDate(plan.periodFrom)} to ${longDate(plan.periodTo)}`;
  const years = [...new Set(priorities.flatMap((x) => x.years))];
  const owners = new Set(actions.map((a) => a.ownerOrganisationId));
  const section = (id: string, heading: string, blocks: ReportBlock[]): ReportSection => ({ id, heading, blocks });

  const sections: ReportSection[] = [];

  sections.push(
    section("decision-makers", "Decision maker(s) and dates", [
      {
        kind: "table",
        header: ["Decision maker", "Date of decision"],
        rows: [
          ["Cabinet", longDate(governance.cabinetDate)],
          ["Full Council", longDate(governance.councilDate)],
        ],
      },
    ]),
  );
  sections.push(section("subject", "Subject", [p(`Adoption of the ${plan.title} (${period}, version ${plan.version}).`)]));
  sections.push(section("report-of", "Report of", [p(given(options.reportOf, "--report-of, e.g. \"Cabinet Member for Communities\""))]));
  sections.push(section("contact", "Contact", [p(given(options.contact, "--contact with the author's name, telephone and e-mail"))]));
  sections.push(section("confidentiality", "Statement of confidentiality", [p(given(options.confidentiality, "--confidentiality, e.g. \"None.\""))]));

  const summary: ReportBlock[] = [
    p(
      `${plan.partnershipName} brings the responsible authorities and their partners together to reduce crime and disorder. The partnership has a statutory duty to produce a Strategic Assessment and a Partnership Plan (${plan.statutoryBasis}).`,
    ),
    p(
      `The Plan covers ${period}. It sets ${counted(priorities.length, "priority", "priorities")}, ${counted(actions.length, "key action")} owned by ${counted(owners.size, "partner organisation")} and ${counted(targets.length, "target")} measured by indicators.`,
    ),
  ];
  if (plan.assessmentRef) summary.push(p(`The priorities are drawn from the ${plan.assessmentRef}.`));
  if (grants.totals.budgetPence > 0) summary.push(p(`The Plan is supported by grants budgets totalling ${formatPence(grants.totals.budgetPence)}.`));
  sections.push(section("summary", "Brief summary", summary));

  const cabinet: string[] = [];
  if (plan.delegation) {
    cabinet.push(
      `To delegate authority to the ${plan.delegation.post} to agree any final amendments to the Plan following consultation with the ${plan.delegation.afterConsulting} prior to submission to Council for approval.`,
    );
  }
  cabinet.push(`${plan.delegation ? "Subject to (i) above, to" : "To"} recommend the ${plan.title} to Council for approval.`);
  const recommendations: ReportBlock[] = [
    { kind: "subheading", text: "Cabinet" },
    { kind: "list", ordered: false, items: cabinet.map((t, i) => `(${roman(i)}) ${t}`) },
    { kind: "subheading", text: "Council" },
    { kind: "list", ordered: false, items: [`(i) To approve the ${plan.title}.`] },
  ];
  if (governance.cabinetResolution) recommendations.push(p(`Cabinet resolved on ${longDate(governance.cabinetDate)}: ${governance.cabinetResolution}`));
  if (amendments.length) {
    recommendations.push({ kind: "subheading", text: "Amendments made under the delegation" });
    recommendations.push({ kind: "table", header: ["Date", "By (post)", "Amendment"], rows: amendments.map((a) => [longDate(a.date), a.post, a.summary]) });
  }
  if (governance.councilResolution) recommendations.push(p(`Council resolved on ${longDate(governance.councilDate)}: ${governance.councilResolution}`));
  sections.push(section("recommendations", "Recommendations", recommendations));

  const reasons: ReportBlock[] = [
    np(
      `The Partnership Plan is a statutory duty (${plan.statutoryBasis}).${plan.assessmentRef ? ` It reflects the findings of the ${plan.assessmentRef}.` : ""}`,
    ),
  ];
  if (governance.consultees.length) reasons.push(np(`The draft Plan was consulted on with: ${governance.consultees.join("; ")}.`));
  if (responses.length) {
    reasons.push(np(`${counted(responses.length, "consultation response").replace(/^./, (c) => c.toUpperCase())} ${responses.length === 1 ? "was" : "were"} recorded:`));
    reasons.push({ kind: "table", header: ["Consultee", "Date", "Response"], rows: responses.map((r) => [r.consultee, longDate(r.date), r.summary]) });
  }
  reasons.push(np("Approval will enable the partnership to work to a clear set of priorities and to deliver the key actions relating to them."));
  if (years.length > 1) reasons.push(np(`The priorities run for ${counted(years.length, "year")} (${years.join(", ")}); the Plan and its actions are reviewed every year.`));
  sections.push(section("reasons", "Reasons for report recommendations", reasons));

  sections.push(
    section("alternatives", "Alternative options considered and rejected", [
      np(`As the Plan is a statutory duty (${plan.statutoryBasis}), there is no alternative to producing a plan.`),
    ]),
  );

  const keyMessages = [...new Map(priorities.flatMap((x) => x.evidence).map((e) => [e.text, e])).values()];
  const detailBlocks: ReportBlock[] = [{ kind: "subheading", text: "Key messages from the Strategic Assessment" }];
  if (keyMessages.length) {
    detailBlocks.push(np(`The ${plan.assessmentRef ?? "Strategic Assessment"} found:`));
    detailBlocks.push({ kind: "list", ordered: false, items: keyMessages.map((e) => e.text) });
  } else {
    detailBlocks.push(np(`${TO_BE_COMPLETED}: the priorities cite no findings of the Strategic Assessment.`));
  }
  detailBlocks.push({ kind: "subheading", text: "Priorities" });
  detailBlocks.push(np(`The partnership has agreed to focus collective effort on ${counted(priorities.length, "priority", "priorities")}${years.length ? ` for ${years.join(", ")}` : ""}:`));
  detailBlocks.push({ kind: "list", ordered: true, items: priorities.map((x) => `${x.title}. ${x.rationale}`) });
  if (actions.length) {
    detailBlocks.push({ kind: "subheading", text: "Key actions" });
    const position = new Map(priorities.map((x) => [x.id, x.position]));
    detailBlocks.push({
      kind: "table",
      header: ["Priority", "Key action", "Owner", "Lead role", "Due"],
      rows: actions.map((a) => [String(position.get(a.priorityId) ?? ""), a.title, a.ownerOrganisationName, a.leadRole, longDate(a.dueDate)]),
    });
  }
  if (targets.length) {
    detailBlocks.push({ kind: "subheading", text: "Targets" });
    detailBlocks.push({
      kind: "table",
      header: ["Priority", "Indicator", "Baseline", "Target", "By"],
      rows: targets.map((t) => [
        String(priorities.find((x) => x.id === t.priorityId)?.position ?? ""),
        indicatorNames.get(t.indicatorId) ?? t.performance?.indicatorKey ?? `indicator ${t.indicatorId}`,
        `${t.baselineValue} (${t.baselinePeriod})`,
        t.kind === "change_percent" ? `${t.targetValue > 0 ? "+" : ""}${t.targetValue}% on the baseline` : String(t.targetValue),
        t.deadline,
      ]),
    });
  }
  if (partners.length) {
    detailBlocks.push({ kind: "subheading", text: "Partners" });
    detailBlocks.push({ kind: "table", header: ["Organisation", "Role in the partnership"], rows: partners.map((o) => [o.name, o.role]) });
  }
  if (links.length) {
    detailBlocks.push({ kind: "subheading", text: "Read-across to other plans and partnerships" });
    detailBlocks.push({ kind: "list", ordered: false, items: links.map((l) => (l.note ? `${l.name}: ${l.note}` : l.name)) });
  }
  sections.push(section("detail", "Detail", detailBlocks));

  const budgetLines = [...new Set(actions.map((a) => a.budgetLine).filter((b): b is string => !!b))];
  const resources: ReportBlock[] = [
    { kind: "subheading", text: "Capital" },
    np(given(options.capital, "--capital, e.g. \"None.\"")),
    { kind: "subheading", text: "Revenue" },
    np(
      `The key actions are delivered by their owner organisations within their own budgets${budgetLines.length ? `; budget lines named in the Plan: ${budgetLines.join("; ")}` : ""}.`,
    ),
  ];
  for (const b of grants.budgets) {
    const groups = new Set(b.allocations.map((a) => a.organisationId)).size;
    resources.push(
      np(
        `The ${b.name} (${b.year}) is ${formatPence(b.amountPence)}, of which ${formatPence(b.allocatedPence)} is allocated as grants to ${counted(groups, "group")}${b.unallocatedPence > 0 ? ` and ${formatPence(b.unallocatedPence)} is not yet allocated` : ""}:`,
      ),
    );
    resources.push({
      kind: "table",
      header: ["Organisation", "Purpose", "Grant"],
      rows: [...b.allocations.map((a) => [a.organisationName, a.purpose, formatPence(a.amountPence)]), ["Total", "", formatPence(b.allocatedPence)]],
    });
  }
  if (!grants.budgets.length) resources.push(np("No grants budget is recorded for the Plan."));
  sections.push(section("resources", "Resource implications", resources));

  sections.push(
    section("legal", "Legal implications", [
      { kind: "subheading", text: "Statutory power to undertake proposals in the report" },
      np(plan.statutoryBasis),
    ]),
  );

  const policy: ReportBlock[] = [np(given(options.policyFramework, "--policy-framework, e.g. \"The Plan is included in the Council's Policy Framework.\""))];
  if (governance.councilResolution) policy.push(p(`Full Council's resolution: ${governance.councilResolution}`));
  sections.push(section("policy-framework", "Policy framework implications", policy));

  const key: ReportBlock[] = [p(plan.keyDecision ? "Yes" : "No")];
  if (plan.keyDecision) {
    if (plan.forwardPlanNoticeDate && isIsoDate(plan.forwardPlanNoticeDate) && governance.cabinetDate && isIsoDate(governance.cabinetDate)) {
      const clear = clearDaysBetween(plan.forwardPlanNoticeDate, governance.cabinetDate);
      key.push(p(`Given in the forward plan on ${longDate(plan.forwardPlanNoticeDate)}, ${clear} clear days before the Cabinet meeting of ${longDate(governance.cabinetDate)}.`));
    } else {
      key.push(p(`Forward plan notice: ${plan.forwardPlanNoticeDate ? longDate(plan.forwardPlanNoticeDate) : TO_BE_COMPLETED}.`));
    }
  }
  sections.push(section("key-decision", "Key decision", key));

  const affected: ReportBlock[] = [];
  if (wholeAreas.length) affected.push(p(`All (${wholeAreas.join(", ")})`));
  if (wards.length) affected.push(p(`Priority areas are in ${counted(wards.length, "ward")}: ${wards.map((w) => w.name).join(", ")}.`));
  if (!affected.length) affected.push(p(`${TO_BE_COMPLETED}: the priorities name no areas.`));
  sections.push(section("wards", "Wards/communities affected", affected));

  const appendices = [`${plan.title} (${PLAN_STATE_LABELS[plan.state]})`];
  const background = [plan.assessmentRef, plan.impactAssessment?.link ? `Integrated Impact Assessment: ${plan.impactAssessment.link}` : null].filter((x): x is string => !!x);
  sections.push(
    section("supporting-documents", "Supporting documents", [
      { kind: "subheading", text: "Appendices" },
      { kind: "list", ordered: true, items: appendices },
      { kind: "subheading", text: "Background documents" },
      background.length ? { kind: "list", ordered: true, items: background } : p("None."),
    ]),
  );

  const iia = plan.impactAssessment;
  sections.push(
    section("iia", "Integrated Impact Assessment", [
      iia?.completed
        ? p(`Completed on ${longDate(iia.date)}. ${iia.summary}`)
        : p(`${TO_BE_COMPLETED}: no Integrated Impact Assessment is recorded as completed for the Plan${iia?.summary ? ` (${iia.summary})` : ""}.`),
    ]),
  );

  return {
    title: `Report to Cabinet and Full Council: ${plan.title}`,
    subtitle: `${plan.partnershipName}, ${PLAN_STATE_LABELS[plan.state].toLowerCase()}`,
    demo: plan.demo,
    sections,
  };
}
