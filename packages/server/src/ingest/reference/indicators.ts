import type { ReferenceData } from "./reference-data.ts";

/**
 * Open indicators per local authority and per CSP, for similarity (peer) groups. Every value is a
 * ratio of sums over the LSOAs (or LADs) of the area, so a CSP's value is its own, not an average
 * of averages:
 * - `population_density`: mid-2022 persons per km² (MYE5); CSP = Σ persons / Σ km².
 * - `imd2025_average_score`: LAD from the IMD 2025 LA summary; CSP = mid-2022-population-weighted
 *   mean of its LADs' scores (the LA score is itself population-weighted).
 * - `urban_lsoa_share`, `urban_population_share`: share of LSOAs 2021 classed Urban in RUC 2021,
 *   and of their Census 2021 residents.
 * - `lone_parent_household_share` (TS003 / TS045 households), `no_car_household_share` (TS045),
 *   `nssec_l1_l3_share` (TS062), `no_qualifications_share`, `level4_qualifications_share` (TS067).
 * Shares are 0..1. An indicator is left out for an area when any of its parts lacks the input.
 */
export interface IndicatorValue {
  areaCode: string;
  indicator: string;
  value: number;
  source: string;
}

const SRC = {
  density: "population/mye22final_MYE5_density.csv",
  imd: "imd/imd2025_england_ltla24.csv",
  ruc: "geography/ruc21_lsoa21.csv",
};

export function computeIndicators(data: ReferenceData, censusPopulation: Map<string, number>, cspOfLsoa: Map<string, string | null>): IndicatorValue[] {
  const out: IndicatorValue[] = [];
  // LSOA 2021 -> LAD via ward.
  const ladOfLsoa = new Map<string, string>();
  for (const [lsoa, v] of data.lsoa21) {
    const lad = v.parent ? data.ward.get(v.parent)?.parent : null;
    if (lad) ladOfLsoa.set(lsoa, lad);
  }
  // CSPs made of whole LADs only; a CSP sharing a LAD with others (Allerdale in Cumberland) gets
  // LAD-based indicators (density, IMD) only from LSOA data, i.e. none.
  const ladsOfCsp = new Map<string, string[]>();
  const sharesALad = new Set<string>();
  for (const [lad, csps] of data.ladCsps) {
    if (csps.length > 1) for (const c of csps) sharesALad.add(c);
    else ladsOfCsp.set(csps[0]!, [...(ladsOfCsp.get(csps[0]!) ?? []), lad]);
  }
  for (const c of sharesALad) ladsOfCsp.delete(c);
  const pop2022 = (lad: string) => data.population.get(`${lad}|2022`)?.persons;

  // Density and IMD: LAD values, then CSP from LAD parts.
  const addFromLads = (indicator: string, source: string, ladValue: (lad: string) => [number, number] | undefined, perLad: boolean) => {
    const byLad = new Map<string, [number, number]>();
    for (const lad of data.lad.keys()) {
      const v = ladValue(lad);
      if (v) byLad.set(lad, v);
    }
    if (perLad) for (const [lad, [num, den]] of byLad) if (den > 0) out.push({ areaCode: lad, indicator, value: num / den, source });
    for (const [csp, lads] of ladsOfCsp) {
      let num = 0;
      let den = 0;
      let complete = true;
      for (const lad of lads) {
        const v = byLad.get(lad);
        if (!v) complete = false;
        else {
          num += v[0];
          den += v[1];
        }
      }
      if (complete && den > 0) out.push({ areaCode: csp, indicator, value: num / den, source });
    }
  };
  addFromLads(
    "population_density",
    SRC.density,
    (lad) => {
      const p = pop2022(lad);
      const a = data.ladAreaKm2.get(lad);
      return p !== undefined && a ? [p, a] : undefined;
    },
    true,
  );
  addFromLads(
    "imd2025_average_score",
    SRC.imd,
    (lad) => {
      const s = data.ladImd2025Score.get(lad);
      const p = pop2022(lad);
      return s !== undefined && p !== undefined ? [s * p, p] : undefined;
    },
    false,
  );
  // LAD IMD score as published (not re-derived).
  for (const [lad, s] of data.ladImd2025Score) if (data.lad.has(lad)) out.push({ areaCode: lad, indicator: "imd2025_average_score", value: s, source: SRC.imd });

  // LSOA-based shares: sum numerators and denominators per LAD and per CSP.
  const lsoaShare = (indicator: string, source: string, part: (lsoa: string) => [number, number] | undefined) => {
    const sums = new Map<string, [number, number, boolean]>();
    const add = (area: string, v: [number, number] | undefined) => {
      const s = sums.get(area) ?? [0, 0, true];
      if (!v) s[2] = false;
      else {
        s[0] += v[0];
        s[1] += v[1];
      }
      sums.set(area, s);
    };
    for (const [lsoa, lad] of ladOfLsoa) {
      const v = part(lsoa);
      add(lad, v);
      const csp = cspOfLsoa.get(lsoa);
      if (csp) add(csp, v);
      else for (const c of data.ladCsps.get(lad) ?? []) add(c, undefined); // unknown CSP: its LAD's CSPs are incomplete
    }
    for (const [area, [num, den, complete]] of sums) if (complete && den > 0) out.push({ areaCode: area, indicator, value: num / den, source });
  };
  if (data.urban.size > 0) {
    lsoaShare("urban_lsoa_share", SRC.ruc, (l) => (data.urban.has(l) ? [data.urban.get(l) ? 1 : 0, 1] : undefined));
    if (censusPopulation.size > 0) {
      lsoaShare("urban_population_share", `${SRC.ruc} + population/census2021-ts021-lsoa.csv`, (l) => {
        const p = censusPopulation.get(l);
        return data.urban.has(l) && p !== undefined ? [data.urban.get(l) ? p : 0, p] : undefined;
      });
    }
  }
  const c = (l: string) => data.census.get(l);
  const has = (k: keyof NonNullable<ReturnType<typeof c>>) => [...data.census.values()].some((x) => x[k] !== undefined);
  const ratio = (num: keyof NonNullable<ReturnType<typeof c>>, den: keyof NonNullable<ReturnType<typeof c>>) => (l: string) => {
    const x = c(l);
    const a = x?.[num];
    const b = x?.[den];
    return a !== undefined && b !== undefined ? ([a, b] as [number, number]) : undefined;
  };
  if (has("loneParentHouseholds") && has("households")) lsoaShare("lone_parent_household_share", "population/census2021-ts003-lsoa.csv / census2021-ts045-lsoa.csv", ratio("loneParentHouseholds", "households"));
  if (has("noCarHouseholds")) lsoaShare("no_car_household_share", "population/census2021-ts045-lsoa.csv", ratio("noCarHouseholds", "households"));
  if (has("nssecL1L3")) lsoaShare("nssec_l1_l3_share", "population/census2021-ts062-lsoa.csv", ratio("nssecL1L3", "aged16Plus"));
  if (has("noQualifications")) lsoaShare("no_qualifications_share", "population/census2021-ts067-lsoa.csv", ratio("noQualifications", "qualAged16Plus"));
  if (has("level4Plus")) lsoaShare("level4_qualifications_share", "population/census2021-ts067-lsoa.csv", ratio("level4Plus", "qualAged16Plus"));
  return out;
}
