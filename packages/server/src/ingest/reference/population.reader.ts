import { levelFromCode } from "@safecity/core";
import { type CsvRecord, type CsvTable, cell, numberAt, readTable, rowError } from "./csv.ts";
import { LSOA11_CODE, LSOA21_CODE } from "./geography.reader.ts";
import { GSS_RE, type ReferenceData, type ReferenceFile } from "./reference-data.ts";

export const ANY_CODE = [/^code$/, /^(lad|ltla)\d{2}_?c(ode|d)$/, /^area_code$/, /^geography_code$/];

function put(data: ReferenceData, code: string, year: number, persons: number | null, source: string): boolean {
  if (persons === null) return false;
  data.population.set(`${code}|${year}`, { code, year, persons: Math.round(persons), source });
  return true;
}

function persons<K extends string>(t: CsvTable<K>, r: CsvRecord, key: K): number | null {
  const v = numberAt(t, r, key);
  if (v !== null && v < 0) throw rowError(t.file, r.line, t.header[t.columns[key]] ?? String(key), `population must not be negative; got ${v}`);
  return v;
}

/**
 * ONS mid-2022 estimates for all local authorities (`mye22final_MYE5_density.csv`, `_MYE4_`, `_MYE2_`):
 * rows for countries, regions and counties are skipped; only LAD codes are kept. MYE5 also gives
 * the area in km² used for population density.
 */
export function readMid2022(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    code: { label: "Code", patterns: ANY_CODE },
    persons: { label: "mid-2022 population (`Estimated Population mid-2022`, `Mid-2022` or `All ages`)", patterns: [/^estimated_population_mid_2022$/, /^mid_2022$/, /^all_ages$/, /population_mid_2022/] },
    area: { label: "Area (sq km)", patterns: [/^area_sq_km$/, /^area_km2$/], required: false },
  });
  let n = 0;
  for (const r of t.records) {
    const code = cell(t, r, "code");
    if (levelFromCode(code) !== "lad") continue;
    if (put(data, code, 2022, persons(t, r, "persons"), f.path)) n++;
    const area = numberAt(t, r, "area");
    if (area !== null && area > 0) data.ladAreaKm2.set(code, area);
  }
  return n;
}

/** Local-authority totals of a single year (`population20_ltla21.csv`, `population19_ltla20.csv`). */
export function readLadYear(year: number) {
  return (f: ReferenceFile, data: ReferenceData): number => {
    const t = readTable(f.path, f.text, {
      code: { label: "LAD code (ltla21_code / LAD21CD)", patterns: ANY_CODE },
      persons: { label: "total population (`total_population` / `All ages`)", patterns: [/^total_population$/, /^all_ages$/, /^population$/] },
    });
    let n = 0;
    for (const r of t.records) {
      const code = cell(t, r, "code");
      if (!GSS_RE.test(code)) continue;
      if (put(data, code, year, persons(t, r, "persons"), f.path)) n++;
    }
    return n;
  };
}

/** Mid-2020 LSOA 2011 estimates (`population20_lsoa11.csv`). */
export function readLsoa11Population(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    code: { label: "LSOA 2011 code (LSOA11CD / lsoa11_code)", patterns: LSOA11_CODE },
    persons: { label: "total population (`total_population` / `All Ages`)", patterns: [/^total_population$/, /^all_ages$/] },
  });
  let n = 0;
  for (const r of t.records) {
    const code = cell(t, r, "code");
    if (!GSS_RE.test(code)) continue;
    if (put(data, code, 2020, persons(t, r, "persons"), f.path)) n++;
  }
  return n;
}

/** Nomis puts code and name in one cell: `E01011954 : Hartlepool 001A`. */
export function nomisCode(s: string): string | null {
  const m = /^\s*([EWSNK]\d{8})\b/.exec(s);
  return m ? m[1]! : null;
}

export const CENSUS_GEOGRAPHY = [/^geography_code$/, ...LSOA21_CODE, /^2021_super_output_area_lower_layer$/, /super_output_area_lower_layer/, /^mnemonic$/];

/** Census 2021 TS021 usual residents by LSOA 2021 (Nomis layout, title lines; or the bulk-download layout). */
export function readCensusTs021(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    area: { label: "LSOA (`2021 super output area - lower layer` / `geography code`)", patterns: CENSUS_GEOGRAPHY },
    persons: { label: "Total: All usual residents", patterns: [/(^|_)total_all_usual_residents$/, /^all_usual_residents$/, /^total$/] },
  });
  let n = 0;
  for (const r of t.records) {
    const code = nomisCode(cell(t, r, "area"));
    if (!code) continue;
    if (put(data, code, 2021, persons(t, r, "persons"), f.path)) n++;
  }
  return n;
}
