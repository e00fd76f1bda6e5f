import { readBoundaries } from "./boundary.reader.ts";
import { readTs003, readTs045, readTs062, readTs067 } from "./census.reader.ts";
import { normaliseHeader, parseCsv } from "./csv.ts";
import { CHANGE, CSP_CODE, LAD_CODE, LSOA11_CODE, LSOA21_CODE, PFA_CODE, readLadCspPfa, readLsoa11Lad, readLsoa11To21, readLsoa21WardLad, readRuc21, WARD_CODE } from "./geography.reader.ts";
import { IMD_DECILE, IMD_RANK, IMD_SCORE, readImd, readImdLadSummary } from "./imd.reader.ts";
import type { DatasetReader } from "./manifest.ts";
import { readOnsCrimeTable, tableNameFrom, yearEndingFrom } from "./ons-crime.reader.ts";
import { ANY_CODE, CENSUS_GEOGRAPHY, readCensusTs021, readLadYear, readLsoa11Population, readMid2022 } from "./population.reader.ts";
import type { ReferenceFile } from "./reference-data.ts";

/*
 * Which dataset a publisher's file holds, told by its columns (and, for the ONS crime tables, the
 * title naming the table and year), never by its name. Each rule lists column groups that must all
 * be present in one header row (a group is matched by any of its patterns) and groups that must
 * not be. `rank` orders two files recognised for one dataset (MYE5 before MYE4 before MYE2).
 */
type Group = RegExp[];
interface Rule {
  name: string;
  description: string;
  read: DatasetReader;
  all: Group[];
  not?: Group[];
  /** Matched against the sheet name and the first lines (title) of the table. */
  title?: RegExp;
  notTitle?: RegExp;
  /** The first data rows must carry LSOA codes (Nomis bulk zips hold the same table at every level). */
  lsoaRows?: boolean;
  rank?: number;
}

const IMD_ANY = [...IMD_DECILE, ...IMD_RANK, ...IMD_SCORE];
const LAD13 = [/^(lad|ltla)13_?c(ode|d)$/, /^local_authority_district_code_2013$/];
const LAD24 = [/^(lad|ltla)24_?c(ode|d)$/, /^local_authority_district_code_2024$/];
const OA_MSOA = [/^oa\d{2}_?c(ode|d)$/, /^msoa\d{2}_?c(ode|d)$/, /^output_area_code/];
const POPULATION = [/^total_population$/, /^all_ages$/];
const geo = (description: string) => description;

const RULES: Rule[] = [
  { name: "imd.2025_lsoa21", description: "Indices of Deprivation 2025 by LSOA 2021", read: readImd("2025"), all: [LSOA21_CODE, IMD_ANY] },
  { name: "imd.2015_lsoa11", description: "Indices of Deprivation 2015 by LSOA 2011", read: readImd("2015"), all: [LSOA11_CODE, IMD_ANY, LAD13] },
  { name: "imd.2019_lsoa11", description: "Indices of Deprivation 2019 by LSOA 2011", read: readImd("2019"), all: [LSOA11_CODE, IMD_ANY], not: [LAD13] },
  { name: "imd.2025_ltla24", description: "IMD 2025 local authority summary", read: readImdLadSummary, all: [LAD24, [/^imd_average_score$/, /^imd_2025_average_score$/, /^imd_average_score_/]] },
  { name: "population.lad_mid2022", description: "local authority population mid-2022 (ONS MYE5)", read: readMid2022, all: [ANY_CODE, [/^estimated_population_mid_2022$/], [/^area_sq_km$/]], rank: 0 },
  { name: "population.lad_mid2022", description: "local authority population mid-2022 (ONS MYE4)", read: readMid2022, all: [ANY_CODE, [/^mid_2022$/]], rank: 1 },
  { name: "population.lad_mid2022", description: "local authority population mid-2022 (ONS MYE2 persons)", read: readMid2022, all: [[/^code$/], [/^all_ages$/]], notTitle: /\b(fe)?males\b/i, rank: 2 },
  { name: "population.lad_mid2020", description: "local authority population mid-2020", read: readLadYear(2020), all: [[/^(lad|ltla)21_?c(ode|d)$/], [/^total_population$/]] },
  { name: "population.lad_mid2019", description: "local authority population mid-2019", read: readLadYear(2019), all: [[/^(lad|ltla)20_?c(ode|d)$/], [/^total_population$/]] },
  { name: "population.lsoa11_mid2020", description: "LSOA 2011 population mid-2020", read: readLsoa11Population, all: [LSOA11_CODE, POPULATION], not: [IMD_ANY] },
  { name: "population.lsoa21_census2021", description: "LSOA 2021 usual residents, Census 2021", read: readCensusTs021, all: [CENSUS_GEOGRAPHY, [/(^|_)total_all_usual_residents$/]], lsoaRows: true },
  { name: "census.ts003", description: "Census 2021 TS003 lone-parent households", read: readTs003, all: [CENSUS_GEOGRAPHY, [/single_family_household_lone_parent_family$/]], lsoaRows: true },
  { name: "census.ts003", description: "Census 2021 TS003 lone-parent households (Nomis extract)", read: readTs003, all: [CENSUS_GEOGRAPHY, [/^2021$/]], title: /^"?TS003\b/, lsoaRows: true },
  { name: "census.ts045", description: "Census 2021 TS045 car or van availability", read: readTs045, all: [CENSUS_GEOGRAPHY, [/total_all_households$/], [/no_cars_or_vans_in_household$/]], lsoaRows: true },
  { name: "census.ts062", description: "Census 2021 TS062 NS-SeC", read: readTs062, all: [CENSUS_GEOGRAPHY, [/l1_l2_and_l3_higher_managerial/]], lsoaRows: true },
  { name: "census.ts067", description: "Census 2021 TS067 highest qualification", read: readTs067, all: [CENSUS_GEOGRAPHY, [/_no_qualifications$/]], lsoaRows: true },
  { name: "geography.lsoa11_lsoa21", description: geo("LSOA 2011 -> LSOA 2021 with change codes"), read: readLsoa11To21, all: [LSOA11_CODE, LSOA21_CODE, CHANGE] },
  { name: "geography.lsoa21_ward24_ltla24", description: geo("LSOA 2021 -> ward -> local authority"), read: readLsoa21WardLad, all: [LSOA21_CODE, WARD_CODE, LAD_CODE], not: [LSOA11_CODE, OA_MSOA] },
  { name: "geography.ltla24_csp24_pfa24", description: geo("local authority -> CSP -> police force area"), read: readLadCspPfa, all: [LAD_CODE, CSP_CODE, PFA_CODE], not: [LSOA21_CODE, LSOA11_CODE, WARD_CODE] },
  { name: "geography.lsoa11_ltla21", description: geo("LSOA 2011 -> local authority"), read: readLsoa11Lad, all: [LSOA11_CODE, LAD_CODE], not: [LSOA21_CODE, WARD_CODE, OA_MSOA, IMD_ANY, POPULATION] },
  { name: "geography.ruc21_lsoa21", description: geo("rural-urban classification 2021 by LSOA 2021"), read: readRuc21, all: [LSOA21_CODE, [/^ruc$/, /^urban_rural(_flag)?$/, /^ruc21_?n(ame|m)$/]] },
];

/** ONS crime tables read (C1 and P2..P9 are recognised and left: C1 is in the CSP lookup, the others are not used). */
const CRIME_TABLES = new Set(["C2", "C3", "C4", "C5", "P1"]);

export interface Recognised {
  name: string;
  description: string;
  read: DatasetReader;
  rank: number;
  /** Boundaries: order among boundary files (LSOA 2021 first, then older and coarser). */
  boundaryOrder?: number;
}

export type Recognition = { ok: Recognised } | { ignored: string };

const LSOA_CELL = /^\s*[EW]01\d{6}\b/;

function headerRows(text: string): { cells: string[]; index: number; records: string[][] }[] {
  const records = parseCsv(text.slice(0, 200_000)).slice(0, 60).map((r) => r.cells);
  return records.map((cells, index) => ({ cells: cells.map(normaliseHeader), index, records }));
}

const has = (cells: string[], g: Group) => cells.some((c) => g.some((p) => p.test(c)));

const CODE_KEY = /^((lsoa|msoa|lad|ltla|utla|ward|wd|csp|pfa)(\d{2})_?c(ode|d))$/i;

/** The area-code property of the features (found in the text's start, past a `crs` object; parsed whole when the geometry comes first). */
function codeProperty(text: string): RegExpExecArray | null {
  const head = text.slice(0, 50_000);
  const objects = [...head.matchAll(/"properties"\s*:\s*\{([^}]*)\}/g)].map((m) => [...m[1]!.matchAll(/"([^"]+)"\s*:/g)].map((k) => k[1]!));
  let keys = objects.flat();
  if (objects.length < 2) {
    try {
      keys = Object.keys((JSON.parse(text) as { features?: { properties?: object }[] }).features?.[0]?.properties ?? {});
    } catch {
      return null;
    }
  }
  for (const k of keys) {
    const m = CODE_KEY.exec(k);
    if (m) return m;
  }
  return null;
}

function boundaryRecognition(f: ReferenceFile): Recognition {
  const m = codeProperty(f.text);
  if (!m) return { ignored: "GeoJSON without an ONS area code property (LSOA21CD, LAD24CD, PFA23CD, …)" };
  const kind = m[2]!.toLowerCase();
  const order = ["lsoa", "ward", "wd", "lad", "ltla", "utla", "csp", "pfa", "msoa"].indexOf(kind) * 100 + (99 - Number(m[3]));
  const base = f.path.replace(/^.*[/\\!]/, "").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();
  return { ok: { name: `boundaries.${base}`, description: `boundaries keyed by ${m[1]}`, read: readBoundaries, rank: 0, boundaryOrder: order } };
}

/** The dataset a file holds, or why it is left. `title` is the sheet name of a workbook table. */
export function recognise(f: ReferenceFile, sheet?: string): Recognition {
  if (/^\s*\{/.test(f.text.slice(0, 100))) return boundaryRecognition(f);
  const titleText = `${sheet ? `${sheet}\n` : ""}${f.text.slice(0, 2000)}`;
  const table = tableNameFrom(f.text);
  if (table) {
    const ye = yearEndingFrom(f.text);
    if (!CRIME_TABLES.has(table)) return { ignored: `ONS Table ${table} (not loaded)` };
    if (!ye) return { ignored: `ONS Table ${table} without "year ending <month> <year>" in its title` };
    const name = `ons_crime.${table.toLowerCase()}_ye${ye.replace("-", "_")}`;
    const description = `ONS recorded crime Table ${table}, year ending ${ye}`;
    return { ok: { name, description, read: readOnsCrimeTable({ tableName: table, yearEnding: ye, byForce: table === "P1" }), rank: 0 } };
  }
  const rows = headerRows(f.text);
  for (const rule of RULES) {
    if (rule.title && !rule.title.test(titleText.trim())) continue;
    if (rule.notTitle?.test(titleText.split("\n").slice(0, 2).join(" "))) continue;
    const header = rows.find((r) => rule.all.every((g) => has(r.cells, g)) && !(rule.not ?? []).some((g) => has(r.cells, g)));
    if (!header) continue;
    if (rule.lsoaRows) {
      const data = header.records.slice(header.index + 1, header.index + 6);
      if (!data.some((cells) => cells.some((c) => LSOA_CELL.test(c)))) return { ignored: `${rule.description}, but not at LSOA level` };
    }
    return { ok: { name: rule.name, description: rule.description, read: rule.read, rank: rule.rank ?? 0 } };
  }
  const near = rows.find((r) => r.cells.filter(Boolean).length >= 2);
  return { ignored: `columns not recognised${near ? ` (${near.records[near.index]!.filter(Boolean).slice(0, 6).join(" | ")})` : ""}` };
}
