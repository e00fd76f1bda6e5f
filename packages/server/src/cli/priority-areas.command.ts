import type { Command } from "commander";
import { canonicalJson } from "@safecity/core";
import { scopeJson } from "../services/analysis-scope.ts";
import { type PriorityAreasServiceResult, assessPriorityAreas } from "../services/priority-areas.service.ts";
import { type AnalysisOptions, analysisQuery, fmtCount, fmtNum, scopeLine, textTable, withAnalysisOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerPriorityAreasCommand(program: Command, ctx: () => CliContext): void {
  withAnalysisOptions(program.command("priority-areas").description("LSOAs ranked on crime rate and IMD 2025, with their overlap with Gi* hotspots"))
    .option("--top <n>", "how many areas to list (default 10)")
    .action(async (opts: AnalysisOptions & { top?: string }) => {
      const c = ctx();
      const r = await assessPriorityAreas(await c.store(), { ...analysisQuery(opts), ...(opts.top ? { top: Number(opts.top) } : {}) });
      if (opts.json) c.out.write(canonicalJson(priorityAreasJson(r)));
      else printPriority(c, r);
    });
}

export function priorityAreasJson(r: PriorityAreasServiceResult) {
  return {
    scope: scopeJson(r.scope),
    status: r.status,
    message: r.message,
    params: { ...r.params, analysis: r.result?.params ?? null },
    areas: r.result?.areas ?? [],
    ranked: r.result?.ranked ?? [],
    excluded: r.excluded,
    overlap: r.overlap,
    overlapMessage: r.overlapMessage,
    notes: r.notes,
  };
}

function printPriority(c: CliContext, r: PriorityAreasServiceResult): void {
  c.out.write(scopeLine(r.scope));
  if (!r.result) {
    c.out.write(`${r.message}\n`);
    return;
  }
  const hot = new Set(r.overlap?.hotspotLsoas ?? []);
  c.out.write(
    textTable(
      ["rank", "LSOA", "name", "count", "rate/1,000", "IMD decile", "hotspot"],
      r.result.areas.map((a) => [a.rank, a.code, a.name, fmtCount(a.count), fmtNum(a.rate, 1), a.imdDecile, hot.has(a.code) ? "yes" : "no"]),
    ),
  );
  if (r.overlap) c.out.write(`\n${r.overlap.overlap} of ${r.result.areas.length} priority areas are also hotspot LSOAs (${r.overlap.hotspotLsoas.length} hotspot LSOAs)\n`);
  else if (r.overlapMessage) c.out.write(`\nhotspot overlap: ${r.overlapMessage}\n`);
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
