import { PLAN_STATE_LABELS, type Plan } from "@safecity/core";
import type { PlanDetail } from "../services/plan.service.ts";
import type { CliContext } from "./context.ts";

/** Plain-text views of plans for `safecity plan list` and `plan show`. */

export function printPlanList(c: CliContext, plans: Plan[]): void {
  if (!plans.length) {
    c.out.write("No plans yet. Start one with `safecity plan create --title … --area … --from YYYY-MM --to YYYY-MM`.\n");
    return;
  }
  for (const p of plans) {
    c.out.write(`${p.id}\t${p.title} (version ${p.version})\t${p.periodFrom} to ${p.periodTo}\t${PLAN_STATE_LABELS[p.state]}${p.demo ? "\t[demo]" : ""}\n`);
  }
}

export function printPlanDetail(c: CliContext, d: PlanDetail): void {
  const { plan, governance } = d;
  const w = (s: string) => c.out.write(`${s}\n`);
  w(`${plan.title} (plan ${plan.id}, version ${plan.version}${plan.previousId ? `, carried forward from plan ${plan.previousId}` : ""})${plan.demo ? " [demo data]" : ""}`);
  w(`${plan.partnershipName} (${plan.areaCode}), ${plan.periodFrom} to ${plan.periodTo}: ${PLAN_STATE_LABELS[plan.state]}`);
  if (governance.consultees.length) w(`Consultees: ${governance.consultees.join("; ")}`);
  if (governance.cabinetDate) w(`Cabinet ${governance.cabinetDate}: ${governance.cabinetResolution ?? ""}`);
  if (plan.delegation) w(`Delegated amendments: ${plan.delegation.post} (${plan.delegation.delegateEmail}) after consulting ${plan.delegation.afterConsulting}`);
  if (governance.councilDate) w(`Full Council ${governance.councilDate}: ${governance.councilResolution ?? ""}`);
  if (governance.publishedDate) w(`Published ${governance.publishedDate}`);
  if (governance.reviewDate) w(`Annual review ${governance.reviewDate}`);
  for (const p of d.priorities) {
    w("");
    w(`Priority ${p.position}: ${p.title}`);
    if (p.rationale) w(`  Why: ${p.rationale}`);
    for (const a of d.actions.filter((x) => x.priorityId === p.id)) {
      w(`  - [${a.status}] ${a.title} (${a.ownerOrganisationName}, ${a.leadRole}; ${a.startDate} to ${a.dueDate}) action ${a.id}`);
      const last = a.progress.at(-1);
      if (last) w(`      latest: ${last.date} ${last.note} (${last.author})`);
    }
    for (const t of d.targets.filter((x) => x.priorityId === p.id)) w(`  target ${targetLine(t)}`);
  }
  const unattached = d.targets.filter((t) => t.priorityId === null);
  if (unattached.length) {
    w("");
    w("Targets not tied to a priority:");
    for (const t of unattached) w(`  target ${targetLine(t)}`);
  }
  if (d.responses.length) {
    w("");
    w("Consultation responses:");
    for (const r of d.responses) w(`  ${r.date} ${r.consultee}: ${r.summary}`);
  }
  if (d.amendments.length) {
    w("");
    w("Amendments under delegation:");
    for (const a of d.amendments) w(`  ${a.date} ${a.by} (${a.post}): ${a.summary}`);
  }
  if (d.links.length) w(`\nRead-across: ${d.links.map((l) => l.name).join("; ")}`);
  if (d.partners.length) w(`Partners: ${d.partners.map((p) => `${p.name} (${p.role})`).join("; ")}`);
}

function targetLine(t: PlanDetail["targets"][number]): string {
  const goal = t.kind === "change_percent" ? `${t.targetValue > 0 ? "+" : ""}${t.targetValue}% on ${t.baselineValue} (${t.baselinePeriod})` : `${t.targetValue} (baseline ${t.baselineValue} in ${t.baselinePeriod})`;
  const perf = t.performance;
  const measured = perf
    ? `; latest ${perf.latest ? `${perf.latest.value} (${perf.latest.period})` : "none"}, ${perf.direction.replace("_", " ")}, ${perf.rag.toUpperCase()}${perf.forecast ? `, forecast ${round(perf.forecast.value)} by ${perf.forecast.period}` : ""}`
    : "";
  return `${t.id}: indicator ${t.indicatorId} to ${goal} by ${t.deadline}${measured}`;
}

const round = (n: number): string => (Math.round(n * 10) / 10).toString();
