import { readReferenceBoundaries } from "./boundary-set.ts";
import { readCensusTs021, readLadYear, readLsoa11Population, readMid2022 } from "./population.reader.ts";
import { readLadCspPfa, readLsoa11Lad, readLsoa11To21, readLsoa21WardLad, readRuc21 } from "./geography.reader.ts";
import { readImd, readImdLadSummary } from "./imd.reader.ts";
import { readOnsCrimeTable } from "./ons-crime.reader.ts";
import { readTs003, readTs045, readTs062, readTs067 } from "./census.reader.ts";
import type { ReferenceData, ReferenceFile } from "./reference-data.ts";

export type DatasetReader = (file: ReferenceFile, data: ReferenceData) => number;

export interface ManifestEntry {
  /** Dataset name recorded in reference_dataset: `geography.lsoa21_ward24_ltla24`. */
  name: string;
  /**
   * Candidate files relative to the mirror root, best first: the first one present is read, the
   * others are reported as alternatives not used (e.g. the official IoD2019 File_2 when the
   * tidy imd2019 file is there).
   */
  files: string[];
  required: boolean;
  read: DatasetReader;
  /** One line for the docs and the report. */
  description: string;
}

/**
 * The mirror layout (see docs/reference-data.md). Order matters: geography first (other readers
 * only fill maps, so order among them only decides which boundary file wins for a shared code).
 */
export const REFERENCE_MANIFEST: readonly ManifestEntry[] = [
  { name: "geography.ltla24_csp24_pfa24", files: ["geography/lookup_ltla24_csp24_pfa24.csv"], required: true, read: readLadCspPfa, description: "local authority -> CSP -> police force area (2024)" },
  { name: "geography.lsoa21_ward24_ltla24", files: ["geography/lookup_lsoa21_ward24_ltla24.csv"], required: true, read: readLsoa21WardLad, description: "LSOA 2021 -> ward (May 2024) -> local authority" },
  { name: "geography.lsoa11_lsoa21", files: ["geography/lookup_lsoa11_lsoa21_ltla22.csv"], required: false, read: readLsoa11To21, description: "LSOA 2011 -> LSOA 2021 with change codes" },
  { name: "geography.lsoa11_ltla21", files: ["geography/lookup_lsoa11_ltla21.csv"], required: false, read: readLsoa11Lad, description: "LSOA 2011 -> local authority 2021" },
  { name: "geography.ruc21_lsoa21", files: ["geography/ruc21_lsoa21.csv"], required: false, read: readRuc21, description: "rural-urban classification 2021 by LSOA 2021 (area indicators)" },
  { name: "population.lad_mid2022", files: ["population/mye22final_MYE5_density.csv", "population/mye22final_MYE4_summary_mid2011_and_mid2022.csv", "population/mye22final_MYE2_persons_single_year_of_age.csv"], required: false, read: readMid2022, description: "local authority population mid-2022 (ONS MYE)" },
  { name: "population.lad_mid2020", files: ["population/population20_ltla21.csv"], required: false, read: readLadYear(2020), description: "local authority population mid-2020" },
  { name: "population.lad_mid2019", files: ["population/population19_ltla20.csv"], required: false, read: readLadYear(2019), description: "local authority population mid-2019" },
  { name: "population.lsoa21_census2021", files: ["population/census2021-ts021-lsoa.csv"], required: false, read: readCensusTs021, description: "LSOA 2021 usual residents, Census 2021 (TS021 total)" },
  { name: "population.lsoa11_mid2020", files: ["population/population20_lsoa11.csv"], required: false, read: readLsoa11Population, description: "LSOA 2011 population mid-2020" },
  { name: "census.ts003", files: ["population/census2021-ts003-lsoa.csv"], required: false, read: readTs003, description: "Census 2021 TS003 lone-parent households by LSOA 2021" },
  { name: "census.ts045", files: ["population/census2021-ts045-lsoa.csv"], required: false, read: readTs045, description: "Census 2021 TS045 households with no car or van by LSOA 2021" },
  { name: "census.ts062", files: ["population/census2021-ts062-lsoa.csv"], required: false, read: readTs062, description: "Census 2021 TS062 NS-SeC by LSOA 2021" },
  { name: "census.ts067", files: ["population/census2021-ts067-lsoa.csv"], required: false, read: readTs067, description: "Census 2021 TS067 highest qualification by LSOA 2021" },
  { name: "imd.2025_lsoa21", files: ["imd/imd2025_england_lsoa21.csv"], required: false, read: readImd("2025"), description: "Indices of Deprivation 2025 by LSOA 2021 (decile, rank, score, crime decile)" },
  { name: "imd.2025_ltla24", files: ["imd/imd2025_england_ltla24.csv"], required: false, read: readImdLadSummary, description: "IMD 2025 local authority summary (average score, area indicators)" },
  { name: "imd.2019_lsoa11", files: ["imd/imd2019_england_lsoa11.csv", "imd/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", "imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"], required: false, read: readImd("2019"), description: "Indices of Deprivation 2019 by LSOA 2011 (decile, rank, crime decile)" },
  { name: "imd.2015_lsoa11", files: ["imd/imd2015_england_lsoa11.csv"], required: false, read: readImd("2015"), description: "Indices of Deprivation 2015 by LSOA 2011 (score, rank, decile)" },
  ...readReferenceBoundaries(),
  { name: "ons_crime.c2_ye2024_12", files: ["ons-crime-tables/policeforceareatablesyedecember2024_TableC2.csv"], required: false, read: readOnsCrimeTable({ tableName: "C2", yearEnding: "2024-12" }), description: "ONS recorded crime by CSP, counts, year ending Dec 2024 (C2)" },
  { name: "ons_crime.c3_ye2024_12", files: ["ons-crime-tables/policeforceareatablesyedecember2024_TableC3.csv"], required: false, read: readOnsCrimeTable({ tableName: "C3", yearEnding: "2024-12" }), description: "ONS recorded crime by CSP, % change on the year, YE Dec 2024 (C3)" },
  { name: "ons_crime.c4_ye2024_12", files: ["ons-crime-tables/policeforceareatablesyedecember2024_TableC4.csv"], required: false, read: readOnsCrimeTable({ tableName: "C4", yearEnding: "2024-12" }), description: "ONS recorded crime by CSP, rates per 1,000, YE Dec 2024 (C4)" },
  { name: "ons_crime.c5_ye2023_12", files: ["ons-crime-tables/policeforceareatablesyedecember2024_TableC5.csv"], required: false, read: readOnsCrimeTable({ tableName: "C5", yearEnding: "2023-12" }), description: "ONS recorded crime by CSP, counts, year ending Dec 2023 (C5)" },
  { name: "ons_crime.p1_ye2024_12", files: ["ons-crime-tables/policeforceareatablesyedecember2024_TableP1.csv"], required: false, read: readOnsCrimeTable({ tableName: "P1", yearEnding: "2024-12", byForce: true }), description: "ONS recorded crime by police force area, YE Dec 2024 (P1)" },
  { name: "ons_crime.c2_ye2025_06", files: ["ons-crime-tables/policeforceareatablesyejune25final.csv"], required: false, read: readOnsCrimeTable({ tableName: "C2", yearEnding: "2025-06" }), description: "ONS recorded crime by CSP, counts, year ending Jun 2025 (C2)" },
];

/** Files of the mirror the installer knows and deliberately does not load (reported as such). */
export const NOT_LOADED: readonly { file: string; why: string }[] = [
  { file: "geography/lookup_lsoa11_ward17.csv", why: "2017 wards are superseded; LSOA 2011 wards come from their 2021 successors" },
  { file: "geography/LSOA_PopCentroids_EW_2021_V3.csv", why: "no centroid table yet" },
  { file: "geography/fe6c55f0924b4734adf1cf7104a0173e_0.csv.gz", why: "output-area lookup (OA11 -> LSOA11 -> LAD17); not needed at LSOA level" },
  { file: "imd/File_6_-_IoD2019_Population_Denominators.csv.gz", why: "mid-2015 denominators; newer populations are loaded" },
  { file: "imd/imd2019_england_ltla19.csv", why: "2019 local authority summary; the 2025 summary is used" },
  { file: "ons-crime-tables/policeforceareatablesyedecember2024_TableC1.csv", why: "multi-authority CSPs are in the CSP lookup" },
  { file: "ons-crime-tables/policeforceareatablesyedecember2024.xlsx", why: "the workbook's tables are read from their CSV copies" },
];
