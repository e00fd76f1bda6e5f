import type { Command } from "commander";
import { canonicalJson, periodName } from "@safecity/core";
import { scopeJson } from "../services/analysis-scope.ts";
import { type TrendsResult, assessTrends } from "../services/trends.service.ts";
import { type AnalysisOptions, analysisQuery, fmtCount, fmtNum, scopeLine, textTable, withAnalysisOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerTrendsCommand(program: Command, ctx: () => CliContext): void {
  withAnalysisOptions(program.command("trends").description("crime counts, rates per 1,000 and change by period, with an exact Poisson test"))
    .option("--period <period>", "month | quarter | financialYear | calendarYear (default quarter)")
    .action(async (opts: AnalysisOptions & { period?: string }) => {
      const c = ctx();
      const r = await assessTrends(await c.store(), { ...analysisQuery(opts), ...(opts.period ? { period: opts.period } : {}) });
      if (opts.json) c.out.write(canonicalJson(trendsJson(r)));
      else printTrends(c, r);
    });
}

export function trendsJson(r: TrendsResult) {
  return { scope: scopeJson(r.scope), population: r.population, params: r.params, groups: r.groups, notes: r.notes };
}

function printTrends(c: CliContext, r: TrendsResult): void {
  c.out.write(scopeLine(r.scope));
  c.out.write(`population: ${r.population.source}\n\n`);
  const rows = r.groups.map((g) => {
    const prev = g.change?.comparisons.find((x) => x.kind === "previous");
    return [
      g.group,
      fmtCount(g.total),
      g.change ? `${periodName(g.change.latest.period)}: ${fmtCount(g.change.latest.count)}` : "–",
      prev?.comparable ? `${prev.changePct === null ? "–" : `${fmtNum(prev.changePct, 1)}%`} (${prev.test?.verdict ?? ""})` : (prev?.reason ?? g.message ?? "–"),
    ];
  });
  c.out.write(textTable(["group", "total", "latest", "change on previous"], rows));
  const one = r.groups.length === 1 ? r.groups[0]! : null;
  if (one) {
    c.out.write("\n");
    c.out.write(
      textTable(
        ["period", "count", "months", "rate per 1,000"],
        one.series.periods.map((p) => [p.period, fmtCount(p.count), `${p.monthsPresent}/${p.monthsInPeriod}`, fmtNum(p.rate, 2)]),
      ),
    );
  }
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
