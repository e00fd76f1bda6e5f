import os from "node:os";
import path from "node:path";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { badSurveyFileError, importSurvey, type SurveyImportReport } from "../services/consultation.service.ts";
import { cliPlanActor } from "../services/plan-access.ts";
import { type CliContext, printJson } from "./context.ts";

function planId(raw: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1)
    throw new AppError("input.invalid", `The plan id must be a whole number such as 3; got \`${raw}\``, { hint: "list plans with `safecity plan list`" });
  return id;
}

/**
 * `safecity plan consultation import <planId> <file.csv> [--json]`: a survey tool's export (one
 * response a row, a header row) into the plan's public consultation responses. The header is
 * matched tolerantly (Overall view, Priority 1 or the priority's title, Organisation); every bad
 * row is reported as `file:line (column): message` and nothing is written. Registered under the
 * `plan` command, after registerPlanCommand.
 */
export function registerPlanConsultationCommand(program: Command, ctx: () => CliContext): void {
  const plan = program.commands.find((c) => c.name() === "plan");
  if (!plan) throw new Error("registerPlanConsultationCommand: register the `plan` command (plan.command.ts) first");
  const consultation = plan.command("consultation").description("the public consultation on a plan in consultation: import a survey export");
  consultation
    .command("import <planId> <file>")
    .description(
      "import a survey export (CSV: a header row, one response a row; columns Overall view, Priority 1.. or each priority's title, Organisation; others ignored); the whole file or nothing",
    )
    .option("--json", "print a machine-readable report")
    .action(async (id: string, file: string, o: { json?: boolean }) => {
      const c = ctx();
      const actor = cliPlanActor(c.config.user || os.userInfo().username);
      const report = await importSurvey(await c.store(), actor, planId(id), file, new Date(), path.basename(file));
      if (o.json) printJson(c, report);
      if (report.errors.length) throw badSurveyFileError(report);
      if (!o.json) printReport(c, report);
    });
}

function printReport(c: CliContext, r: SurveyImportReport): void {
  const w = (s: string) => c.out.write(`${s}\n`);
  w(`${r.file}: ${r.imported} response${r.imported === 1 ? "" : "s"} imported into plan ${r.planId}${r.empty.length ? `; ${r.empty.length} empty row${r.empty.length === 1 ? "" : "s"} skipped (lines ${r.empty.join(", ")})` : ""}`);
  w("Columns read:");
  for (const p of r.mapping.priorities) w(`  priority ${p.position} (${p.title}): ${p.column}`);
  if (r.mapping.overall) w(`  overall view: ${r.mapping.overall}`);
  if (r.mapping.organisation) w(`  organisation: ${r.mapping.organisation}`);
  if (r.mapping.ignored.length) w(`Columns ignored (not stored): ${r.mapping.ignored.join(", ")}`);
}
