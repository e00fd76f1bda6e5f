import { AppError, canonicalJson, SEASONAL_METHODS, type SeasonalMethod } from "@safecity/core";
import type { Command } from "commander";
import { scopeJson } from "../services/analysis-scope.ts";
import { assessSeasonality, type SeasonalityResult } from "../services/seasonality.service.ts";
import { type AnalysisOptions, analysisQuery, fmtCount, fmtNum, scopeLine, textTable, withAnalysisOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerSeasonalityCommand(program: Command, ctx: () => CliContext): void {
  withAnalysisOptions(program.command("seasonality").description("monthly index, peak months and months above the expected range (needs 24+ months)"))
    .option("--method <method>", "ratio-to-moving-average (default: days in month and the trend taken out first) | mean (calendar-month mean / overall mean)")
    .action(async (opts: AnalysisOptions & { method?: string }) => {
      const c = ctx();
      const method = opts.method?.trim().toLowerCase();
      if (method !== undefined && !(SEASONAL_METHODS as readonly string[]).includes(method)) {
        throw new AppError("input.invalid", `--method must be one of ${SEASONAL_METHODS.join(", ")}; got "${opts.method}"`, { hint: "e.g. --method mean" });
      }
      const r = await assessSeasonality(await c.store(), { ...analysisQuery(opts), ...(method ? { method: method as SeasonalMethod } : {}) });
      if (opts.json) c.out.write(canonicalJson(seasonalityJson(r)));
      else printSeasonality(c, r);
    });
}

export function seasonalityJson(r: SeasonalityResult) {
  return { scope: scopeJson(r.scope), group: r.group, status: r.status, message: r.message, monthly: r.monthly, profile: r.profile, notes: r.notes };
}

function printSeasonality(c: CliContext, r: SeasonalityResult): void {
  c.out.write(scopeLine(r.scope));
  c.out.write(`${r.group}\n\n`);
  if (r.status !== "ok") c.out.write(`${r.message}\n`);
  else {
    c.out.write(`seasonal index: ${r.profile.params.method === "mean" ? "calendar-month mean / overall mean" : "ratio to the centred 12-month moving average, after days in month"}\n`);
    c.out.write(textTable(["month", "months", "mean", "index"], r.profile.index.map((i) => [i.name, i.monthsPresent, fmtNum(i.mean, 1), fmtNum(i.index, 1)])));
    if (r.profile.peakSummary) c.out.write(`\n${r.profile.peakSummary.text}\n`);
    if (r.profile.aboveExpected.length) {
      const phi = r.profile.dispersion;
      const limit = r.profile.params.method === "mean" || phi === null || phi <= 1 ? "Poisson 97.5th percentile" : `97.5% quasi-Poisson limit, over-dispersion φ = ${fmtNum(phi, 2)}`;
      c.out.write(`\nabove the expected range (${limit}):\n`);
      c.out.write(textTable(["month", "count", "expected", "upper limit"], r.profile.aboveExpected.map((a) => [a.month, fmtCount(a.count), fmtNum(a.expected, 1), fmtCount(a.upperLimit)])));
    }
  }
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
