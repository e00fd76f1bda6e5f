import os from "node:os";
import { AppError, penceToPounds, poundsToPence } from "@safecity/core";
import type { Command } from "commander";
import type { Actor } from "../services/audit.ts";
import { allocateGrant, createBudget, grantsOfPlan, payGrant, type PlanGrants, recordDelivered } from "../services/grant.service.ts";
import { type CliContext, printJson } from "./context.ts";

/* Money is typed and printed in pounds with two decimals (75000.00); the services hold whole pence. */

function changeContext(c: CliContext): { actor: Actor; now: Date } {
  return { actor: { label: `cli:${c.config.user || os.userInfo().username}`, ip: null }, now: new Date() };
}

function pence(text: string, option: string): number {
  const p = poundsToPence(text);
  if (p === null) throw new AppError("input.invalid", `${option} must be an amount in pounds with at most 2 decimals, e.g. 75000.00; got \`${text}\``);
  return p;
}

function id(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError("input.invalid", `${option} must be a record id (a whole number); got \`${text}\``);
  return n;
}

/** The grants with every amount in pounds (two decimals) for --json. */
function grantsJson(g: PlanGrants) {
  const money = (p: number) => penceToPounds(p);
  return {
    planId: g.planId,
    currency: "GBP",
    budgets: g.budgets.map((b) => ({
      id: b.id,
      year: b.year,
      name: b.name,
      amount: money(b.amountPence),
      allocated: money(b.allocatedPence),
      paid: money(b.paidPence),
      unallocated: money(b.unallocatedPence),
      demo: b.demo,
      rowVersion: b.rowVersion,
      allocations: b.allocations.map((a) => ({
        id: a.id,
        organisation: a.organisationName,
        organisationId: a.organisationId,
        actionId: a.actionId,
        purpose: a.purpose,
        amount: money(a.amountPence),
        paid: money(a.paidPence),
        outstanding: money(a.outstandingPence),
        delivered: a.delivered,
        rowVersion: a.rowVersion,
        payments: a.payments.map((p) => ({ id: p.id, date: p.date, amount: money(p.amountPence), note: p.note })),
      })),
    })),
    totals: {
      budget: money(g.totals.budgetPence),
      allocated: money(g.totals.allocatedPence),
      paid: money(g.totals.paidPence),
      unallocated: money(g.totals.unallocatedPence),
    },
  };
}

export function registerGrantsCommand(program: Command, ctx: () => CliContext): void {
  const grants = program.command("grants").description("the plan's community safety grants: budgets, allocations, payments (amounts in pounds)");

  grants
    .command("show")
    .description("budgets of a plan with their allocations, payments and balances")
    .requiredOption("--plan <id>", "plan id")
    .option("--json", "print JSON (amounts as pounds with two decimals)")
    .action(async (o: { plan: string; json?: boolean }) => {
      const c = ctx();
      const g = await grantsOfPlan(await c.store(), id(o.plan, "--plan"));
      if (o.json) {
        printJson(c, grantsJson(g));
        return;
      }
      if (!g.budgets.length) c.out.write(`Plan ${g.planId} has no grants budget yet: \`safecity grants budget --plan ${g.planId} --year 2025/26 --amount 75000.00 --name "Community Safety Budget"\`\n`);
      for (const b of g.budgets) {
        c.out.write(`Budget ${b.id}: ${b.name} ${b.year}${b.demo ? " [demo]" : ""}: £${penceToPounds(b.amountPence)}; allocated £${penceToPounds(b.allocatedPence)}, paid £${penceToPounds(b.paidPence)}, unallocated £${penceToPounds(b.unallocatedPence)}\n`);
        for (const a of b.allocations) {
          c.out.write(`  allocation ${a.id}: ${a.organisationName}: £${penceToPounds(a.amountPence)} (paid £${penceToPounds(a.paidPence)}, outstanding £${penceToPounds(a.outstandingPence)})${a.actionId ? ` for action ${a.actionId}` : ""}\n`);
          c.out.write(`    purpose: ${a.purpose}\n`);
          if (a.delivered) c.out.write(`    delivered: ${a.delivered}\n`);
          for (const p of a.payments) c.out.write(`    paid ${p.date}: £${penceToPounds(p.amountPence)}${p.note ? ` (${p.note})` : ""}\n`);
        }
      }
      if (g.budgets.length > 1) c.out.write(`Total: £${penceToPounds(g.totals.budgetPence)}; allocated £${penceToPounds(g.totals.allocatedPence)}, paid £${penceToPounds(g.totals.paidPence)}\n`);
    });

  grants
    .command("budget")
    .description("create a plan's grants budget for a financial year")
    .requiredOption("--plan <id>", "plan id")
    .requiredOption("--year <YYYY/YY>", "financial year, e.g. 2025/26")
    .requiredOption("--amount <pounds>", "amount in pounds, e.g. 75000.00")
    .requiredOption("--name <name>", "e.g. \"Community Safety Budget\"")
    .option("--json", "print JSON")
    .action(async (o: { plan: string; year: string; amount: string; name: string; json?: boolean }) => {
      const c = ctx();
      const b = await createBudget(await c.store(), { planId: id(o.plan, "--plan"), year: o.year, name: o.name, amountPence: pence(o.amount, "--amount") }, changeContext(c));
      if (o.json) printJson(c, { id: b.id, planId: b.planId, year: b.year, name: b.name, amount: penceToPounds(b.amountPence), rowVersion: b.rowVersion });
      else c.out.write(`Created budget ${b.id}: ${b.name} ${b.year}, £${penceToPounds(b.amountPence)}\n`);
    });

  grants
    .command("allocate")
    .description("allocate part of a budget to an organisation (refused beyond the budget)")
    .requiredOption("--budget <id>", "budget id (`grants show` lists them)")
    .requiredOption("--organisation <name>", "the organisation's name as stored")
    .requiredOption("--amount <pounds>", "amount in pounds, e.g. 18500.00")
    .requiredOption("--purpose <text>", "what the grant is for")
    .option("--action <id>", "the plan's key action it funds")
    .option("--json", "print JSON")
    .action(async (o: { budget: string; organisation: string; amount: string; purpose: string; action?: string; json?: boolean }) => {
      const c = ctx();
      const a = await allocateGrant(
        await c.store(),
        { budgetId: id(o.budget, "--budget"), organisation: o.organisation, amountPence: pence(o.amount, "--amount"), purpose: o.purpose, actionId: o.action === undefined ? null : id(o.action, "--action") },
        changeContext(c),
      );
      if (o.json) printJson(c, { id: a.id, budgetId: a.budgetId, organisation: a.organisationName, actionId: a.actionId, purpose: a.purpose, amount: penceToPounds(a.amountPence), rowVersion: a.rowVersion });
      else c.out.write(`Allocated £${penceToPounds(a.amountPence)} to ${a.organisationName} (allocation ${a.id})\n`);
    });

  grants
    .command("pay")
    .description("record a payment against an allocation (refused beyond the allocation)")
    .requiredOption("--allocation <id>", "allocation id")
    .requiredOption("--amount <pounds>", "amount in pounds, e.g. 9250.00")
    .requiredOption("--date <YYYY-MM-DD>", "date of payment")
    .option("--note <text>", "e.g. \"first instalment\"")
    .option("--json", "print JSON")
    .action(async (o: { allocation: string; amount: string; date: string; note?: string; json?: boolean }) => {
      const c = ctx();
      const p = await payGrant(await c.store(), { allocationId: id(o.allocation, "--allocation"), amountPence: pence(o.amount, "--amount"), date: o.date, note: o.note }, changeContext(c));
      if (o.json) printJson(c, { id: p.id, allocationId: p.allocationId, date: p.date, amount: penceToPounds(p.amountPence), note: p.note });
      else c.out.write(`Paid £${penceToPounds(p.amountPence)} on ${p.date} (allocation ${p.allocationId}, payment ${p.id})\n`);
    });

  grants
    .command("delivered")
    .description("record what a grant delivered")
    .requiredOption("--allocation <id>", "allocation id")
    .requiredOption("--text <text>", "what it delivered, e.g. \"120 young people reached\"")
    .option("--json", "print JSON")
    .action(async (o: { allocation: string; text: string; json?: boolean }) => {
      const c = ctx();
      const a = await recordDelivered(await c.store(), id(o.allocation, "--allocation"), o.text, changeContext(c));
      if (o.json) printJson(c, { id: a.id, delivered: a.delivered, rowVersion: a.rowVersion });
      else c.out.write(`Recorded what allocation ${a.id} (${a.organisationName}) delivered\n`);
    });
}
