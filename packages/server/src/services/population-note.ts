import { censusRebaseNote, populationYearNote } from "@safecity/core";
import type { AnalysisScope, AreaPopulation } from "./analysis-scope.ts";
import type { PeersResult } from "./peers.service.ts";
import { LSOA_POPULATION_YEAR } from "./priority-areas.service.ts";
import type { TrendsResult } from "./trends.service.ts";

/**
 * The population-year note of an area's rates over the scope's period (decision 0024): which ONS
 * year the rates use and why, from the years installed for the area. A population summed from
 * Census 2021 LSOAs is said as such.
 */
export function areaPopulationNote(scope: Pick<AnalysisScope, "from" | "to">, population: AreaPopulation, what = "Rates per 1,000"): string {
  const installed = Object.keys(population.byYear ?? {});
  const census = installed.length === 1 && installed[0] === "2021" && /Census 2021/.test(population.source);
  return populationYearNote({ from: scope.from, to: scope.to, installed, what, ...(census ? { kind: "Census 2021 usual residents (summed over the area's LSOAs)" } : {}) });
}

/** The population-year note of LSOA rates (Census 2021 usual residents, the only LSOA population). */
export function lsoaPopulationNote(scope: Pick<AnalysisScope, "from" | "to">, year: number): string {
  return populationYearNote({ from: scope.from, to: scope.to, installed: [year], kind: `Census ${year} usual residents`, what: "LSOA rates per 1,000" });
}

/**
 * The assessment document's population notes: the area's rates, the LSOA rates, the peers'
 * police.uk rates (which year and why), and the 2021 Census step when the trend rates straddle it.
 */
export function populationNotes(population: AreaPopulation, scope: Pick<AnalysisScope, "from" | "to">, peers: PeersResult | null, trends: TrendsResult | null): string[] {
  const out = [population.byYear ? areaPopulationNote(scope, population) : "Rates per 1,000 are not given: no population is installed for the area."];
  out.push(lsoaPopulationNote(scope, LSOA_POPULATION_YEAR));
  if (peers) out.push(`The peers' police.uk rates per 1,000 use ${peers.params.policePopulation}.`);
  const years = (trends?.groups ?? []).flatMap((g) => g.series.periods.filter((p) => p.rate !== null).map((p) => p.populationYear));
  const rebase = censusRebaseNote(years, "The trend rates");
  if (rebase) out.push(rebase);
  return out;
}
