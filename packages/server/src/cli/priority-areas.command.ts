import type { Command } from "commander";
import { AppError, type DeprivationMeasure, canonicalJson, type PriorityRateMethod } from "@safecity/core";
import { scopeJson } from "../services/analysis-scope.ts";
import { type PriorityAreasServiceResult, assessPriorityAreas } from "../services/priority-areas.service.ts";
import { type AnalysisOptions, analysisQuery, fmtCount, fmtNum, scopeLine, textTable, withAnalysisOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerPriorityAreasCommand(program: Command, ctx: () => CliContext): void {
  withAnalysisOptions(program.command("priority-areas").description("LSOAs ranked on crime rate and IMD 2025, with their overlap with Gi* hotspots"))
    .option("--top <n>", "how many areas to list (default 10)")
    .option("--deprivation <measure>", PRIORITY_DEPRIVATION_HELP)
    .option("--rates <rates>", PRIORITY_RATES_HELP)
    .action(async (opts: AnalysisOptions & { top?: string; rates?: string; deprivation?: string }) => {
      const c = ctx();
      const r = await assessPriorityAreas(await c.store(), { ...analysisQuery(opts), ...(opts.top ? { top: Number(opts.top) } : {}), ...priorityRatesQuery(opts), ...priorityDeprivationQuery(opts) });
      if (opts.json) c.out.write(canonicalJson(priorityAreasJson(r)));
      else printPriority(c, r);
    });
}

export const PRIORITY_RATES_HELP = "crime rate ranked: raw (observed, default) | empirical-bayes (Marshall 1991 global EB; both are listed)";

/** `--rates raw|empirical-bayes` as the query's option; anything else refused with the choices. */
export function priorityRatesQuery(opts: { rates?: string }): { rates?: PriorityRateMethod } {
  if (opts.rates === undefined) return {};
  if (opts.rates !== "raw" && opts.rates !== "empirical-bayes") throw new AppError("input.invalid", `--rates must be raw or empirical-bayes; got \`${opts.rates}\``);
  return { rates: opts.rates };
}

export const PRIORITY_DEPRIVATION_HELP =
  "deprivation ranked: imd-without-crime (default: the IMD rebuilt without its crime domain, so crime is not counted twice) | imd (the published IMD)";

/** `--deprivation imd-without-crime|imd` as the query's option; anything else refused with the choices. */
export function priorityDeprivationQuery(opts: { deprivation?: string }): { deprivation?: DeprivationMeasure } {
  if (opts.deprivation === undefined) return {};
  if (opts.deprivation !== "imd-without-crime" && opts.deprivation !== "imd") {
    throw new AppError("input.invalid", `--deprivation must be imd-without-crime or imd; got \`${opts.deprivation}\``, { hint: "imd-without-crime (the default) or imd (the published IMD, which includes a crime domain)" });
  }
  return { deprivation: opts.deprivation };
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
  c.out.write(`deprivation: ${r.params.deprivationMeasure}\n`);
  c.out.write(
    textTable(
      ["rank", "LSOA", "name", "count", "rate/1,000", "smoothed/1,000", "deprivation decile", "hotspot"],
      r.result.areas.map((a) => [a.rank, a.code, a.name, fmtCount(a.count), fmtNum(a.rate, 1), fmtNum(a.smoothedRate, 1), a.imdDecile, hot.has(a.code) ? "yes" : "no"]),
    ),
  );
  if (r.overlap) c.out.write(`\n${r.overlap.overlap} of ${r.result.areas.length} priority areas are also hotspot LSOAs (${r.overlap.hotspotLsoas.length} hotspot LSOAs)\n`);
  else if (r.overlapMessage) c.out.write(`\nhotspot overlap: ${r.overlapMessage}\n`);
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
