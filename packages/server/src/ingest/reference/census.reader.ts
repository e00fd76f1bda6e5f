import { type CsvTable, cell, numberAt, readTable } from "./csv.ts";
import { nomisCode } from "./population.reader.ts";
import type { CensusCounts, ReferenceData, ReferenceFile } from "./reference-data.ts";

/*
 * Census 2021 LSOA tables used for the socio-economic area indicators (peer groups). Two layouts are
 * accepted: the ONS bulk download (`date,geography,geography code,<category columns>`) and Nomis
 * (title lines, `E01011954 : Hartlepool 001A` in the first column).
 */
export const GEOGRAPHY = [/^geography_code$/, /^lsoa21_?c(ode|d)$/, /super_output_area_lower_layer/, /^mnemonic$/];

function counts(data: ReferenceData, code: string): CensusCounts {
  let c = data.census.get(code);
  if (!c) {
    c = {};
    data.census.set(code, c);
  }
  return c;
}

function each<K extends string>(t: CsvTable<K>, fn: (code: string, rec: (typeof t.records)[number]) => void): number {
  let n = 0;
  for (const r of t.records) {
    const code = nomisCode(cell(t, r, "area" as K));
    if (!code) continue;
    fn(code, r);
    n++;
  }
  return n;
}

/** TS003 household composition: lone-parent family households (the Nomis extract holds that one category). */
export function readTs003(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    area: { label: "LSOA (`geography code` / `2021 super output area - lower layer`)", patterns: GEOGRAPHY },
    loneParent: { label: "lone-parent family households (Nomis `2021` count column for `Single family household: Lone parent family`)", patterns: [/single_family_household_lone_parent_family$/, /^2021$/] },
  });
  return each(t, (code, r) => {
    const v = numberAt(t, r, "loneParent");
    if (v !== null) counts(data, code).loneParentHouseholds = v;
  });
}

/** TS045 car or van availability: all households and households with no car or van. */
export function readTs045(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    area: { label: "LSOA (`geography code`)", patterns: GEOGRAPHY },
    total: { label: "Number of cars or vans: Total: All households", patterns: [/total_all_households$/] },
    none: { label: "Number of cars or vans: No cars or vans in household", patterns: [/no_cars_or_vans_in_household$/] },
  });
  return each(t, (code, r) => {
    const c = counts(data, code);
    c.households = numberAt(t, r, "total") ?? undefined;
    c.noCarHouseholds = numberAt(t, r, "none") ?? undefined;
  });
}

/** TS062 NS-SeC: residents aged 16+ and those in L1, L2 and L3 (higher managerial and professional). */
export function readTs062(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    area: { label: "LSOA (`geography code`)", patterns: GEOGRAPHY },
    total: { label: "NS-SeC: Total: All usual residents aged 16 years and over", patterns: [/total_all_usual_residents_aged_16_years_and_over$/] },
    l13: { label: "NS-SeC: L1, L2 and L3 Higher managerial, administrative and professional occupations", patterns: [/l1_l2_and_l3_higher_managerial/] },
  });
  return each(t, (code, r) => {
    const c = counts(data, code);
    c.aged16Plus = numberAt(t, r, "total") ?? undefined;
    c.nssecL1L3 = numberAt(t, r, "l13") ?? undefined;
  });
}

/** TS067 highest qualification: residents aged 16+, no qualifications, level 4 and above. */
export function readTs067(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    area: { label: "LSOA (`geography code`)", patterns: GEOGRAPHY },
    total: { label: "Highest level of qualification: Total: All usual residents aged 16 years and over", patterns: [/total_all_usual_residents_aged_16_years_and_over$/] },
    none: { label: "Highest level of qualification: No qualifications", patterns: [/_no_qualifications$/] },
    l4: { label: "Highest level of qualification: Level 4 qualifications and above", patterns: [/level_4_qualifications_and_above$/] },
  });
  return each(t, (code, r) => {
    const c = counts(data, code);
    c.qualAged16Plus = numberAt(t, r, "total") ?? undefined;
    c.noQualifications = numberAt(t, r, "none") ?? undefined;
    c.level4Plus = numberAt(t, r, "l4") ?? undefined;
  });
}
