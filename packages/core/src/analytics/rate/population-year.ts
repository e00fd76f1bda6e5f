/**
 * Which population estimate a rate uses, and the step at the 2021 Census, in words (issue 13 item 5,
 * decision 0024).
 *
 * Rules
 * - The estimate matched to a period is the ONS mid-year (30 June) estimate nearest the middle of
 *   the period (`populationYearFor`, decision 0012); when that year is not installed, the nearest
 *   installed year (ties to the earlier). `populationYearNote` says which year was used and why.
 * - The 2021 Census rebase: estimates for mid-2020 and earlier were rolled forward from the 2011
 *   Census; Census 2021 (21 March 2021) and the mid-2021 and later estimates rest on the 2021
 *   Census. Rates whose populations come from both sides (`straddlesCensus2021`) can change at the
 *   join because the population base changed, not the crime: `censusRebaseNote` says so.
 */
import { populationYearFor } from "../../domain/period.ts";

/** The last mid-year estimate rolled forward from the 2011 Census. */
export const LAST_PRE_2021_CENSUS_YEAR = 2020;

export interface PopulationYearChoice {
  /** The year whose mid-year estimate best matches the period. */
  wanted: number;
  /** The installed year used (nearest to `wanted`, ties to the earlier); null when none is installed. */
  used: number | null;
}

/** The installed estimate nearest the middle of the period from..to. */
export function choosePopulationYear(from: string, to: string, installed: readonly (number | string)[]): PopulationYearChoice {
  const wanted = populationYearFor(from, to);
  const years = [...new Set(installed.map(Number))].sort((a, b) => a - b);
  let used: number | null = null;
  for (const y of years) if (used === null || Math.abs(y - wanted) < Math.abs(used - wanted)) used = y;
  return { wanted, used };
}

/** True when the years include one from before the 2021 Census rebase and one from after it. */
export function straddlesCensus2021(years: readonly (number | string | null)[]): boolean {
  const ys = years.filter((y): y is number | string => y !== null).map(Number);
  return ys.some((y) => y <= LAST_PRE_2021_CENSUS_YEAR) && ys.some((y) => y > LAST_PRE_2021_CENSUS_YEAR);
}

/** The note for rates whose populations come from both sides of the 2021 Census, else null. */
export function censusRebaseNote(years: readonly (number | string | null)[], what = "These rates"): string | null {
  if (!straddlesCensus2021(years)) return null;
  const ys = [...new Set(years.filter((y) => y !== null).map(Number))].sort((a, b) => a - b);
  const before = ys.filter((y) => y <= LAST_PRE_2021_CENSUS_YEAR).map((y) => `mid-${y}`);
  const after = ys.filter((y) => y > LAST_PRE_2021_CENSUS_YEAR).map((y) => (y === 2021 ? "2021" : `mid-${y}`));
  return `${what} ${what.startsWith("The change") ? "uses" : "use"} population estimates from both sides of the 2021 Census (${before.join(", ")}, rolled forward from the 2011 Census; ${after.join(", ")}, based on the 2021 Census): part of a change in rate across 2021 can be the new population base, not crime; compare counts there.`;
}

/**
 * "Rates per 1,000 use the ONS mid-2022 population estimate: the nearest installed to mid-2025, the
 * middle of 2025-01 to 2025-12 (installed: mid-2019, mid-2020, mid-2022)."
 */
export function populationYearNote(opts: {
  from: string;
  to: string;
  installed: readonly (number | string)[];
  /** What the population is, e.g. "ONS mid-year population estimate" (default) or "Census 2021 usual residents". */
  kind?: string;
  /** Whose rates, e.g. "LSOA rates per 1,000" (default "Rates per 1,000"). */
  what?: string;
}): string {
  const what = opts.what ?? "Rates per 1,000";
  const { wanted, used } = choosePopulationYear(opts.from, opts.to, opts.installed);
  const period = opts.from === opts.to ? opts.from : `${opts.from} to ${opts.to}`;
  if (used === null) return `${what} are not given: no population is installed for the area.`;
  const census = opts.kind !== undefined && /census/i.test(opts.kind);
  const label = census ? `${opts.kind}` : `the ONS mid-${used} ${opts.kind ?? "population estimate"}`;
  const middle = `mid-${wanted}, the middle of ${period}`;
  const installed = [...new Set(opts.installed.map(Number))].sort((a, b) => a - b);
  const list = installed.length > 1 ? ` (installed: ${installed.map((y) => `mid-${y}`).join(", ")})` : "";
  if (used === wanted) return `${what} use ${label}: the estimate for ${middle}.`;
  const gap = Math.abs(used - wanted);
  const why = installed.length === 1 ? `the only one installed; ${middle}, is ${gap} year${gap === 1 ? "" : "s"} away` : `the nearest installed to ${middle}${list}`;
  const growth = used < wanted ? "; population change since then is not allowed for" : "";
  return `${what} use ${label}: ${why}${growth}.`;
}
