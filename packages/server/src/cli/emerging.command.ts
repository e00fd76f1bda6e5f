import { canonicalJson } from "@safecity/core";
import type { Command } from "commander";
import { scopeJson } from "../services/analysis-scope.ts";
import { assessEmerging, type EmergingServiceResult } from "../services/emerging.service.ts";
import { type AnalysisOptions, analysisQuery, type EmergingMethodFlags, emergingMethodQuery, fmtNum, scopeLine, textTable, withAnalysisOptions, withEmergingMethodOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerEmergingCommand(program: Command, ctx: () => CliContext): void {
  withEmergingMethodOptions(withAnalysisOptions(program.command("emerging").description("emerging hot spots: space-time Gi*, Mann–Kendall trend, 17 categories")))
    .option("--step <step>", "month | quarter (default month)")
    .option("--grid <grid>", "h3:<resolution> or square:<metres> (default square, size chosen automatically)")
    .option("--clip <clip>", "boundary | none: keep only the grid cells that meet the area's boundary (default boundary, when boundaries are installed)")
    .action(async (opts: AnalysisOptions & EmergingMethodFlags & { step?: string; grid?: string; clip?: string }) => {
      const c = ctx();
      const r = await assessEmerging(await c.store(), { ...analysisQuery(opts), ...emergingMethodQuery(opts), ...(opts.clip ? { clip: opts.clip } : {}), ...(opts.step ? { step: opts.step } : {}), ...(opts.grid ? { grid: opts.grid } : {}) });
      if (opts.json) c.out.write(canonicalJson(emergingJson(r)));
      else printEmerging(c, r);
    });
}

/** Every cell with its counts and z per step, the Mann–Kendall statistic and p, and its category. */
export function emergingJson(r: EmergingServiceResult) {
  return {
    scope: scopeJson(r.scope),
    step: r.step,
    steps: r.result.steps,
    stepsExcluded: r.stepsExcluded,
    params: { ...r.result.params, grid: r.cube.params, clip: r.clip },
    points: r.cube.points,
    summary: r.result.summary,
    cells: r.result.cells.map((c) => ({ id: c.id, counts: c.counts, z: c.z, p: c.p, mannKendall: c.mannKendall, category: c.category })),
    notes: r.notes,
  };
}

function printEmerging(c: CliContext, r: EmergingServiceResult): void {
  c.out.write(scopeLine(r.scope));
  c.out.write(`${r.result.cells.length} cells × ${r.result.steps.length} ${r.step}s (${r.result.steps[0]} to ${r.result.steps.at(-1)})\n`);
  const m = r.result.params;
  c.out.write(`bins on ${m.adjust === "fdr" ? "FDR-adjusted p" : "raw p"}; trend ${m.trendTest}; ${m.rules} rules; first step ${m.firstSteps}; grid ${r.clip.clippedTo ? `clipped to ${r.clip.clippedTo}` : "not clipped"}\n\n`);
  const summary = Object.entries(r.result.summary).filter(([, n]) => n > 0);
  c.out.write(textTable(["category", "cells"], summary.map(([k, n]) => [k, n])));
  const patterned = r.result.cells.filter((x) => x.category !== "no-pattern").slice(0, 20);
  if (patterned.length) {
    c.out.write("\n");
    c.out.write(textTable(["cell", "category", "total", "MK tau", "MK p"], patterned.map((x) => [x.id, x.category, x.counts.reduce((s, v) => s + v, 0), fmtNum(x.mannKendall.tau, 3), fmtNum(x.mannKendall.p, 4)])));
  }
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
