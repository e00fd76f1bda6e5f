import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { renderDecisionReportDocx } from "../publish/decision-report-docx.ts";
import { renderDecisionReportHtml } from "../publish/decision-report-html.ts";
import { decisionReportOfPlan } from "../services/decision-report.service.ts";
import type { CliContext } from "./context.ts";

const FORMATS = ["docx", "html"] as const;

interface DecisionOptions {
  plan: string;
  format: string;
  out: string;
  reportOf?: string;
  contact?: string;
  confidentiality?: string;
  capital?: string;
  policyFramework?: string;
}

export function registerReportCommand(program: Command, ctx: () => CliContext): void {
  const report = program.command("report").description("reports that leave the partnership");

  report
    .command("decision")
    .description("the committee decision report that takes a plan to Cabinet and Full Council (Word or standalone HTML)")
    .requiredOption("--plan <id>", "the plan's id (`safecity plan list`)")
    .requiredOption("--format <format>", `one of ${FORMATS.join(", ")}`)
    .requiredOption("--out <file>", "the file to write (its folder must exist)")
    .option("--report-of <post>", 'whose report it is, e.g. "Cabinet Member for Communities"')
    .option("--contact <text>", "the author's name, telephone and e-mail")
    .option("--confidentiality <text>", 'the statement of confidentiality, e.g. "None."')
    .option("--capital <text>", 'capital implications, e.g. "None."')
    .option("--policy-framework <text>", "whether and how the plan is in the Council's Policy Framework")
    .action(async (o: DecisionOptions) => {
      const c = ctx();
      const planId = Number(o.plan);
      if (!Number.isSafeInteger(planId) || planId <= 0) throw new AppError("input.invalid", `--plan must be a plan id (a whole number); got \`${o.plan}\``, { hint: "`safecity plan list` shows the plans" });
      if (!(FORMATS as readonly string[]).includes(o.format)) throw new AppError("input.invalid", `--format must be one of ${FORMATS.join(", ")}; got \`${o.format}\``);
      const dir = path.dirname(path.resolve(o.out));
      if (!fs.existsSync(dir)) throw new AppError("input.invalid", `--out: the folder ${dir} does not exist`, { hint: "create it first, or write the report elsewhere" });
      const content = await decisionReportOfPlan(await c.store(), planId, {
        reportOf: o.reportOf,
        contact: o.contact,
        confidentiality: o.confidentiality,
        capital: o.capital,
        policyFramework: o.policyFramework,
      });
      const bytes = o.format === "docx" ? await renderDecisionReportDocx(content) : Buffer.from(renderDecisionReportHtml(content), "utf8");
      fs.writeFileSync(o.out, bytes);
      c.out.write(`wrote the decision report of plan ${planId} (${content.sections.length} sections, ${o.format}, ${bytes.length.toLocaleString("en-GB")} bytes) to ${o.out}\n`);
    });
}
