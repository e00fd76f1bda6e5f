import type { Command } from "commander";
import { canonicalJson } from "@safecity/core";
import { scopeJson } from "../services/analysis-scope.ts";
import { type SeasonalityResult, assessSeasonality } from "../services/seasonality.service.ts";
import { type AnalysisOptions, analysisQuery, fmtCount, fmtNum, scopeLine, textTable, withAnalysisOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerSeasonalityCommand(program: Command, ctx: () => CliContext): void {
  withAnalysisOptions(program.command("seasonality").description("monthly index, peak months and months above the expected range (needs 24+ months)")).action(
    async (opts: AnalysisOptions) => {
      const c = ctx();
      const r = await assessSeasonality(await c.store(), analysisQuery(opts));
      if (opts.json) c.out.write(canonicalJson(seasonalityJson(r)));
      else printSeasonality(c, r);
    },
  );
}

export function seasonalityJson(r: SeasonalityResult) {
  return { scope: scopeJson(r.scope), group: r.group, status: r.status, message: r.message, monthly: r.monthly, profile: r.profile, notes: r.notes };
}

function printSeasonality(c: CliContext, r: SeasonalityResult): void {
  c.out.write(scopeLine(r.scope));
  c.out.write(`${r.group}\n\n`);
  if (r.status !== "ok") c.out.write(`${r.message}\n`);
  else {
    c.out.write(textTable(["month", "months", "mean", "index"], r.profile.index.map((i) => [i.name, i.monthsPresent, fmtNum(i.mean, 1), fmtNum(i.index, 1)])));
    if (r.profile.peakSummary) c.out.write(`\n${r.profile.peakSummary.text}\n`);
    if (r.profile.aboveExpected.length) {
      c.out.write("\nabove the expected range (Poisson 97.5th percentile):\n");
      c.out.write(textTable(["month", "count", "expected", "upper limit"], r.profile.aboveExpected.map((a) => [a.month, fmtCount(a.count), fmtNum(a.expected, 1), fmtCount(a.upperLimit)])));
    }
  }
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
