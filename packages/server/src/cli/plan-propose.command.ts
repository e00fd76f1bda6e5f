import os from "node:os";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { cliPlanActor } from "../services/plan-access.ts";
import { adoptProposal, type PlanProposals, type ProposalPeriod, proposalsForPlan } from "../services/plan-proposals.service.ts";
import { type CliContext, printJson } from "./context.ts";

interface ProposeOptions {
  from?: string;
  to?: string;
  adopt?: string;
  json?: boolean;
}

function planId(raw: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1)
    throw new AppError("input.invalid", `The plan id must be a whole number such as 3; got \`${raw}\``, { hint: "list plans with `safecity plan list`" });
  return id;
}

/**
 * `safecity plan propose <id> [--from --to] [--json]`: priorities proposed from the Strategic
 * Assessment of the plan's area, with their evidence; `--adopt <ref>` adds one to the plan.
 * Registered under the `plan` command, after registerPlanCommand.
 */
export function registerPlanProposeCommand(program: Command, ctx: () => CliContext): void {
  const plan = program.commands.find((c) => c.name() === "plan");
  if (!plan) throw new Error("registerPlanProposeCommand: register the `plan` command (plan.command.ts) first");
  plan
    .command("propose <id>")
    .description("priorities proposed from the Strategic Assessment of the plan's area (latest 12 months loaded by default), each with its evidence; --adopt <ref> adds one")
    .option("--from <YYYY-MM>", "first month assessed (default: 11 months before --to)")
    .option("--to <YYYY-MM>", "last month assessed (default: the last month loaded for the area's force)")
    .option("--adopt <ref>", "add the proposal with this ref (e.g. group/burglary) to the plan as a priority")
    .option("--json", "print JSON")
    .action(async (id: string, o: ProposeOptions) => {
      const c = ctx();
      const store = await c.store();
      const period: ProposalPeriod = { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) };
      if (o.adopt !== undefined) {
        const actor = cliPlanActor(c.config.user || os.userInfo().username);
        const { priority, proposals } = await adoptProposal(store, actor, planId(id), o.adopt, new Date(), period);
        if (o.json) printJson(c, { priority, assessmentRef: proposals.assessmentRef });
        else c.out.write(`Added priority ${priority.position} to plan ${id}: ${priority.title} (priority id ${priority.id}, ${priority.evidence.length} pieces of evidence from assessment:${proposals.vintage})\n`);
        return;
      }
      const proposals = await proposalsForPlan(store, planId(id), period);
      if (o.json) printJson(c, proposals);
      else printProposals(c, proposals);
    });
}

function printProposals(c: CliContext, p: PlanProposals): void {
  const w = (s: string) => c.out.write(`${s}\n`);
  w(`Proposed priorities for plan ${p.plan.id} (${p.plan.title}) from the Strategic Assessment of ${p.area.name}, ${p.period.from} to ${p.period.to}`);
  for (const s of p.sections.filter((x) => x.status !== "ok")) w(`  ${s.name}: ${s.status}${s.message ? ` (${s.message})` : ""}`);
  if (!p.candidates.length) w("\nNo proposals.");
  for (const cand of p.candidates) {
    w("");
    w(`${cand.key}: ${cand.title}${cand.adoptedAs ? ` [already priority ${cand.adoptedAs.position}]` : ""}`);
    for (const e of cand.evidence) w(`  - ${e.text} (${e.ref})`);
  }
  for (const n of p.notes) w(`note: ${n}`);
  if (p.candidates.some((x) => !x.adoptedAs)) w(`\nAdd one with \`safecity plan propose ${p.plan.id} --adopt <ref> --from ${p.period.from} --to ${p.period.to}\`.`);
}
