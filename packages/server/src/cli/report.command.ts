import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { renderAssessmentReportHtml } from "../publish/assessment-report-html.ts";
import { printHtmlToPdf, requireChromium } from "../publish/assessment-report-pdf.ts";
import { renderDecisionReportDocx } from "../publish/decision-report-docx.ts";
import { renderDecisionReportHtml } from "../publish/decision-report-html.ts";
import { assessmentReportOf } from "../services/assessment-report.service.ts";
import { decisionReportOfPlan } from "../services/decision-report.service.ts";
import { type AnalysisOptions, analysisQuery } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

const FORMATS = ["docx", "html"] as const;
const ASSESSMENT_FORMATS = ["html", "pdf"] as const;

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

  report
    .command("assessment")
    .description("the Strategic Assessment report of an area and period (standalone HTML, or PDF printed with Chromium)")
    .requiredOption("--area <code|name>", "a code (E06000045) or a name, optionally level-qualified (lad:Southampton, csp:North Hampshire)")
    .option("--from <YYYY-MM>", "first month (default: the first month loaded for the area's force)")
    .option("--to <YYYY-MM>", "last month (default: the last month loaded for the area's force)")
    .option("--type <group|type>", 'crime group of the hot spots, seasonality and priority areas (default "All crime")')
    .requiredOption("--format <format>", `one of ${ASSESSMENT_FORMATS.join(", ")}`)
    .requiredOption("--out <file>", "the file to write (its folder must exist)")
    .action(async (o: AnalysisOptions & { format: string; out: string }) => {
      const c = ctx();
      if (!(ASSESSMENT_FORMATS as readonly string[]).includes(o.format)) throw new AppError("input.invalid", `--format must be one of ${ASSESSMENT_FORMATS.join(", ")}; got \`${o.format}\``);
      const dir = path.dirname(path.resolve(o.out));
      if (!fs.existsSync(dir)) throw new AppError("input.invalid", `--out: the folder ${dir} does not exist`, { hint: "create it first, or write the report elsewhere" });
      if (o.format === "pdf") requireChromium();
      const { report: content } = await assessmentReportOf(await c.store(), analysisQuery(o), { now: new Date() });
      const bytes = o.format === "pdf" ? (await printHtmlToPdf((pages) => renderAssessmentReportHtml(content, pages ? { pages } : {}))).pdf : Buffer.from(await renderAssessmentReportHtml(content), "utf8");
      fs.writeFileSync(o.out, bytes);
      c.out.write(
        `wrote the Strategic Assessment report of ${content.title.replace(/^Strategic Assessment: /, "")} (${content.sections.length} sections, ${content.figures.length} figures, ${content.tables.length} tables, ${o.format}, ${bytes.length.toLocaleString("en-GB")} bytes) to ${o.out}\n`,
      );
    });
}
