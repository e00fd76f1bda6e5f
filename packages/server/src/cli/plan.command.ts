import os from "node:os";
import { AppError, type Delegation, type TransitionRequest } from "@safecity/core";
import type { Command } from "commander";
import { performanceForPlan } from "../services/performance.service.ts";
import { startNextVersion, transition } from "../services/plan-governance.service.ts";
import { cliPlanActor, createPlan, getPlan, listPlans, type PlanActor, planDetail } from "../services/plan.service.ts";
import { type CliContext, printJson } from "./context.ts";
import { printPlanDetail, printPlanList } from "./plan-print.ts";

interface TransitionOptions {
  date?: string;
  note?: string;
  resolution?: string;
  delegatePost?: string;
  delegateEmail?: string;
  afterConsulting?: string;
  consultee: string[];
  json?: boolean;
}

function actor(c: CliContext): PlanActor {
  return cliPlanActor(c.config.user || os.userInfo().username);
}

function planId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new AppError("input.invalid", `The plan id must be a whole number such as 3; got \`${raw}\``, { hint: "list plans with `safecity plan list`" });
  return id;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The core request for a move to `state` from the options; an unknown state is left for core to refuse with its reason. */
function transitionRequest(state: string, o: TransitionOptions, date: string): TransitionRequest {
  const misplaced: string[] = [];
  if (o.resolution !== undefined && state !== "recommended" && state !== "approved") misplaced.push("--resolution (Cabinet: recommended, Full Council: approved)");
  if ((o.delegatePost ?? o.delegateEmail ?? o.afterConsulting) !== undefined && state !== "recommended") misplaced.push("--delegate-post/--delegate-email/--after-consulting (recommended)");
  if (o.consultee.length > 0 && state !== "consultation") misplaced.push("--consultee (consultation)");
  if (misplaced.length) throw new AppError("input.invalid", `Options that do not apply to a move to ${state}: ${misplaced.join("; ")}`);
  switch (state) {
    case "consultation":
      return { to: "consultation", date, consultees: o.consultee };
    case "recommended": {
      const named = [o.delegatePost, o.delegateEmail, o.afterConsulting].some((v) => v !== undefined);
      const delegation: Delegation | undefined = named
        ? { post: o.delegatePost ?? "", delegateEmail: o.delegateEmail ?? "", afterConsulting: o.afterConsulting ?? "" }
        : undefined;
      return { to: "recommended", date, resolution: o.resolution ?? "", ...(delegation ? { delegation } : {}) };
    }
    case "approved":
      return { to: "approved", date, resolution: o.resolution ?? "" };
    case "published":
    case "review":
      return { to: state, date };
    case "draft":
      return { to: "draft", date, note: o.note ?? "" };
    default:
      return { to: state, date } as unknown as TransitionRequest;
  }
}

export function registerPlanCommand(program: Command, ctx: () => CliContext): void {
  const plan = program.command("plan").description("Partnership Plans: list, show, create, take through governance, start next year's version");

  plan
    .command("list")
    .description("list plans, newest period first")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const c = ctx();
      const plans = await listPlans(await c.store());
      if (o.json) printJson(c, plans);
      else printPlanList(c, plans);
    });

  plan
    .command("show <id>")
    .description("a plan with its priorities, actions and progress, targets with latest value, direction, RAG and forecast, governance record and amendments")
    .option("--json", "print JSON")
    .action(async (id: string, o: { json?: boolean }) => {
      const c = ctx();
      const detail = await planDetail(await c.store(), planId(id), { measure: performanceForPlan });
      if (o.json) printJson(c, detail);
      else printPlanDetail(c, detail);
    });

  plan
    .command("create")
    .description("start a plan in draft (add priorities, actions and targets on its page or through the API)")
    .requiredOption("--title <title>", "e.g. \"Community Safety Partnership Plan 2025-2028\"")
    .requiredOption("--area <code>", "ONS code of the partnership's area (CSP E22… or local authority)")
    .requiredOption("--from <YYYY-MM>", "first month the plan covers")
    .requiredOption("--to <YYYY-MM>", "last month the plan covers")
    .option("--partnership <name>", "the partnership's name (default: the area's name)")
    .option("--json", "print JSON")
    .action(async (o: { title: string; area: string; from: string; to: string; partnership?: string; json?: boolean }) => {
      const c = ctx();
      const created = await createPlan(
        await c.store(),
        actor(c),
        { title: o.title, areaCode: o.area, periodFrom: o.from, periodTo: o.to, ...(o.partnership ? { partnershipName: o.partnership } : {}) },
        new Date(),
      );
      if (o.json) printJson(c, created);
      else c.out.write(`Created plan ${created.id}: ${created.title} (${created.partnershipName}, ${created.periodFrom} to ${created.periodTo}), in draft\n`);
    });

  plan
    .command("transition <id> <state>")
    .description("move a plan to consultation, recommended (Cabinet), approved (Full Council), published, review, or back to draft; refused with the reason when a condition is unmet")
    .option("--date <YYYY-MM-DD>", "the day it happened: the meeting, the publication (default: today)")
    .option("--note <text>", "why (required to return to draft)")
    .option("--resolution <text>", "the meeting's resolution (recommended, approved)")
    .option("--delegate-post <post>", "Cabinet's delegation of final amendments: the post")
    .option("--delegate-email <email>", "the delegate's account email")
    .option("--after-consulting <whom>", "whom the delegate consults first")
    .option("--consultee <name>", "a consultee to add when starting consultation (repeat for more)", collect, [])
    .option("--json", "print the plan as JSON")
    .action(async (id: string, state: string, o: TransitionOptions) => {
      const c = ctx();
      const today = new Date().toISOString().slice(0, 10);
      const request = transitionRequest(state, o, o.date ?? today);
      const store = await c.store();
      const before = await getPlan(store, planId(id));
      const after = await transition(store, actor(c), before.id, request, new Date(), o.note ? { note: o.note } : {});
      if (o.json) {
        printJson(c, after);
        return;
      }
      c.out.write(`Plan ${after.id} moved from ${before.state} to ${after.state} on ${request.date}\n`);
      if (!o.date) c.out.write(`note: the date is today (${today}); give --date YYYY-MM-DD for the day it happened\n`);
    });

  plan
    .command("new-year <id>")
    .description("start the next annual version in draft from a published plan (or one in review), carrying priorities, open actions and targets forward")
    .option("--json", "print the new plan as JSON")
    .action(async (id: string, o: { json?: boolean }) => {
      const c = ctx();
      const store = await c.store();
      const next = await startNextVersion(store, actor(c), planId(id), new Date());
      if (o.json) {
        printJson(c, next);
        return;
      }
      const d = await planDetail(store, next.id);
      c.out.write(
        `Started plan ${next.id}: version ${next.version} of ${next.title}, in draft, with ${d.priorities.length} priorities, ${d.actions.length} open actions and ${d.targets.length} targets carried forward from plan ${id}\n`,
      );
      c.out.write(`Plan ${id} becomes superseded when plan ${next.id} is published.\n`);
    });
}
