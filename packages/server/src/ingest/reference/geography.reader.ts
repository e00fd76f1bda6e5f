import { type CsvTable, cell, readTable, rowError } from "./csv.ts";
import { GSS_RE, type ReferenceData, type ReferenceFile } from "./reference-data.ts";

/* Column patterns match the normalised header (lower case, `_` between words). Each names the
 * variants seen across ONS releases: `LAD24CD`, `ltla24_code`, `LAD22CD`, `LSOA code (2011)`. */
export const LAD_CODE = [/^(lad|ltla|lad_?)\d{2}_?c(ode|d)$/, /^local_authority_district_code/, /^(lad|ltla)_?code$/];
const LAD_NAME = [/^(lad|ltla|lad_?)\d{2}_?n(ame|m)$/, /^local_authority_district_name/, /^(lad|ltla)_?name$/];
export const CSP_CODE = [/^csp\d{2}_?c(ode|d)$/, /^community_safety_partnership_code$/, /^csp_?code$/];
const CSP_NAME = [/^csp\d{2}_?n(ame|m)$/, /^community_safety_partnership_name$/, /^csp_?name$/];
export const PFA_CODE = [/^pfa\d{2}_?c(ode|d)$/, /^police_force_area_code$/, /^pfa_?code$/];
const PFA_NAME = [/^pfa\d{2}_?n(ame|m)$/, /^police_force_area_name$/, /^pfa_?name$/];
export const WARD_CODE = [/^(ward|wd)\d{2}_?c(ode|d)$/, /^ward_code$/];
const WARD_NAME = [/^(ward|wd)\d{2}_?n(ame|m)$/, /^ward_name$/];
export const LSOA21_CODE = [/^lsoa21_?c(ode|d)$/, /^lsoa_code_2021$/, /^lsoa_2021_code$/];
const LSOA21_NAME = [/^lsoa21_?n(ame|m)$/, /^lsoa_name_2021$/, /^lsoa_2021_name$/];
export const LSOA11_CODE = [/^lsoa11_?c(ode|d)$/, /^lsoa_code_2011$/, /^lsoa_2011_code$/];
const LSOA11_NAME = [/^lsoa11_?n(ame|m)$/, /^lsoa_name_2011$/, /^lsoa_2011_name$/];
export const CHANGE = [/^chgind$/, /^change_?code$/, /^chgind_?\d*$/];

function code<K extends string>(t: CsvTable<K>, rec: { line: number; cells: string[] }, key: K, label: string): string {
  const v = cell(t, rec, key);
  if (!GSS_RE.test(v)) throw rowError(t.file, rec.line, t.header[t.columns[key]] ?? label, `expected an ONS code like E06000045; got \`${v}\``);
  return v;
}

/**
 * `lookup_ltla24_csp24_pfa24.csv`: local authority -> CSP -> police force area. Seven 2024 LADs
 * (unitaries formed since 2019, e.g. Cumberland, Buckinghamshire) are split across the CSPs of
 * their former districts: those LADs get no single parent CSP (see ladCsps).
 */
export function readLadCspPfa(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    lad: { label: "LAD code (LAD24CD / ltla24_code)", patterns: LAD_CODE },
    ladName: { label: "LAD name", patterns: LAD_NAME },
    csp: { label: "CSP code (CSP24CD / csp24_code)", patterns: CSP_CODE },
    cspName: { label: "CSP name", patterns: CSP_NAME },
    pfa: { label: "PFA code (PFA24CD / pfa24_code)", patterns: PFA_CODE },
    pfaName: { label: "PFA name", patterns: PFA_NAME },
  });
  for (const r of t.records) {
    const lad = code(t, r, "lad", "LAD code");
    const csp = code(t, r, "csp", "CSP code");
    const pfa = code(t, r, "pfa", "PFA code");
    const csps = data.ladCsps.get(lad) ?? [];
    if (!csps.includes(csp)) csps.push(csp);
    data.ladCsps.set(lad, csps);
    data.lad.set(lad, { name: cell(t, r, "ladName"), parent: csps.length === 1 ? csp : null });
    data.csp.set(csp, { name: cell(t, r, "cspName"), parent: pfa });
    data.pfa.set(pfa, { name: cell(t, r, "pfaName"), parent: null });
  }
  return t.records.length;
}

/** `lookup_lsoa21_ward24_ltla24.csv`: LSOA 2021 -> ward -> LAD. Adds LADs the CSP lookup lacks (parent unknown). */
export function readLsoa21WardLad(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    lsoa: { label: "LSOA 2021 code (LSOA21CD / lsoa21_code)", patterns: LSOA21_CODE },
    lsoaName: { label: "LSOA 2021 name", patterns: LSOA21_NAME },
    ward: { label: "ward code (WD24CD / ward24_code)", patterns: WARD_CODE },
    wardName: { label: "ward name", patterns: WARD_NAME },
    lad: { label: "LAD code (LAD24CD / ltla24_code)", patterns: LAD_CODE },
    ladName: { label: "LAD name", patterns: LAD_NAME },
  });
  for (const r of t.records) {
    const lsoa = code(t, r, "lsoa", "LSOA code");
    const ward = code(t, r, "ward", "ward code");
    const lad = code(t, r, "lad", "LAD code");
    data.lsoa21.set(lsoa, { name: cell(t, r, "lsoaName"), parent: ward });
    data.ward.set(ward, { name: cell(t, r, "wardName"), parent: lad });
    if (!data.lad.has(lad)) data.lad.set(lad, { name: cell(t, r, "ladName"), parent: null });
  }
  return t.records.length;
}

/** `lookup_lsoa11_lsoa21_ltla22.csv`: LSOA 2011 -> 2021 with the ONS change code (U/S/M/X). */
export function readLsoa11To21(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    lsoa11: { label: "LSOA 2011 code (LSOA11CD / lsoa11_code)", patterns: LSOA11_CODE },
    lsoa11Name: { label: "LSOA 2011 name", patterns: LSOA11_NAME },
    lsoa21: { label: "LSOA 2021 code (LSOA21CD / lsoa21_code)", patterns: LSOA21_CODE },
    change: { label: "change code (CHGIND / change_code)", patterns: CHANGE },
    lad: { label: "LAD code", patterns: LAD_CODE, required: false },
  });
  for (const r of t.records) {
    const lsoa11 = code(t, r, "lsoa11", "LSOA 2011 code");
    const lsoa21 = code(t, r, "lsoa21", "LSOA 2021 code");
    const change = cell(t, r, "change").toUpperCase();
    if (!/^[USMX]$/.test(change)) throw rowError(t.file, r.line, t.header[t.columns.change] ?? "change", `change code must be U, S, M or X; got \`${change}\``);
    data.map11to21.push({ lsoa11, lsoa21, change });
    const lad = cell(t, r, "lad");
    const prev = data.lsoa11.get(lsoa11);
    if (!prev) data.lsoa11.set(lsoa11, { name: cell(t, r, "lsoa11Name"), lad: GSS_RE.test(lad) ? lad : null });
  }
  return t.records.length;
}

/** `lookup_lsoa11_ltla21.csv`: LSOA 2011 -> LAD 2021, used when an LSOA 2011 has no 2021 successor. */
export function readLsoa11Lad(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    lsoa11: { label: "LSOA 2011 code (LSOA11CD / lsoa11_code)", patterns: LSOA11_CODE },
    lsoa11Name: { label: "LSOA 2011 name", patterns: LSOA11_NAME },
    lad: { label: "LAD code (LAD21CD / ltla21_code)", patterns: LAD_CODE },
  });
  for (const r of t.records) {
    const lsoa11 = code(t, r, "lsoa11", "LSOA 2011 code");
    const lad = code(t, r, "lad", "LAD code");
    const prev = data.lsoa11.get(lsoa11);
    if (!prev) data.lsoa11.set(lsoa11, { name: cell(t, r, "lsoa11Name"), lad });
    else if (!prev.lad) prev.lad = lad;
  }
  return t.records.length;
}

/** `ruc21_lsoa21.csv`: rural-urban classification 2021 per LSOA 2021 (for the area indicators). */
export function readRuc21(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    lsoa: { label: "LSOA 2021 code (LSOA21CD / lsoa21_code)", patterns: LSOA21_CODE },
    ruc: { label: "urban/rural class (ruc / RUC21NM)", patterns: [/^ruc$/, /^urban_rural(_flag)?$/, /^ruc21_?n(ame|m)$/, /^classification$/] },
  });
  for (const r of t.records) {
    const lsoa = code(t, r, "lsoa", "LSOA code");
    data.urban.set(lsoa, /^urban/i.test(cell(t, r, "ruc")));
  }
  return t.records.length;
}
