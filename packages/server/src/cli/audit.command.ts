import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { listAudit } from "../db/repositories/audit.repository.ts";
import { getPlan } from "../services/plan.service.ts";
import { planTimeline, recordTimeline } from "../services/plan-governance.service.ts";
import { type CliContext, printJson } from "./context.ts";

interface AuditOptions {
  plan?: string;
  target?: string;
  limit: string;
  json?: boolean;
}

export function registerAuditCommand(program: Command, ctx: () => CliContext): void {
  program
    .command("audit")
    .description("the audit trail, newest first: who changed what, when, before and after")
    .option("--plan <id>", "one plan's timeline")
    .option("--target <record>", "one record's timeline, e.g. action:17, priority:3, plan:2")
    .option("--limit <n>", "at most this many rows", "1000")
    .option("--json", "print JSON")
    .action(async (o: AuditOptions) => {
      const c = ctx();
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new AppError("input.invalid", `--limit must be a whole number from 1; got \`${o.limit}\``);
      const store = await c.store();
      let rows: Awaited<ReturnType<typeof listAudit>>;
      if (o.plan !== undefined) {
        const id = Number(o.plan);
        if (!Number.isInteger(id) || id < 1) throw new AppError("input.invalid", `--plan must be a plan id such as 3; got \`${o.plan}\``, { hint: "list plans with `safecity plan list`" });
        await getPlan(store, id);
        rows = await planTimeline(store, id, { limit });
        if (o.target) rows = rows.filter((r) => r.target === o.target);
      } else if (o.target) rows = await recordTimeline(store, o.target, { limit });
      else rows = await listAudit(store, { limit });
      if (o.json) {
        printJson(c, rows);
        return;
      }
      if (!rows.length) c.out.write("No audit rows.\n");
      for (const r of rows) c.out.write(`${r.at}\t${r.actor}\t${r.action}\t${r.target ?? ""}${r.after ? `\t${JSON.stringify(r.after)}` : ""}\n`);
    });
}
