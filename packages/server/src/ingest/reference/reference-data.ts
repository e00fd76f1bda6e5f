import type { IodDomain } from "@safecity/core";

/**
 * What the reference readers collect before anything is written: plain maps keyed by ONS code.
 * The service turns it into rows in one transaction, so a broken file leaves the store untouched.
 */
export interface NamedParent {
  name: string;
  parent: string | null;
}

export interface PopulationValue {
  persons: number;
  source: string;
}

export interface ImdValue {
  lsoaCode: string;
  edition: string;
  decile: number | null;
  rank: number | null;
  score: number | null;
  crimeDecile: number | null;
  /** Published national domain ranks (1 = most deprived), null where the file has none. */
  domainRanks: Record<IodDomain, number | null>;
  /** The IMD without its Crime domain (decision 0023); null unless the file is the whole national ranking. */
  scoreExCrime: number | null;
  rankExCrime: number | null;
  decileExCrime: number | null;
}

export interface OnsCrimeValue {
  tableName: string;
  yearEnding: string;
  areaCode: string;
  areaName: string;
  offence: string;
  value: number | null;
  marker: string | null;
}

/** LSOA 2021 counts from the Census tables, for the area indicators. */
export interface CensusCounts {
  households?: number;
  loneParentHouseholds?: number;
  noCarHouseholds?: number;
  aged16Plus?: number;
  nssecL1L3?: number;
  qualAged16Plus?: number;
  noQualifications?: number;
  level4Plus?: number;
}

export interface ReferenceData {
  pfa: Map<string, NamedParent>;
  csp: Map<string, NamedParent>;
  /** LAD -> CSP (2024); parent null when the LAD is split across several CSPs (see ladCsps). */
  lad: Map<string, NamedParent>;
  /** LAD -> every CSP it takes part in (Cumberland -> Allerdale, Carlisle, Copeland). */
  ladCsps: Map<string, string[]>;
  /** Ward (May 2024) -> LAD. */
  ward: Map<string, NamedParent>;
  /** LSOA 2021 -> ward. */
  lsoa21: Map<string, NamedParent>;
  /** LSOA 2011 name and the LAD its lookup gives (2021/2022 codes), parent filled later. */
  lsoa11: Map<string, { name: string; lad: string | null }>;
  map11to21: { lsoa11: string; lsoa21: string; change: string }[];
  /** key `${code}|${year}` */
  population: Map<string, { code: string; year: number } & PopulationValue>;
  imd: Map<string, ImdValue>;
  /** code -> boundary; the first file that supplies a code wins (see the manifest order). */
  boundary: Map<string, { level: string; geometry: string }>;
  onsCrime: OnsCrimeValue[];
  /** LSOA 2021 -> urban? (RUC 2021) */
  urban: Map<string, boolean>;
  census: Map<string, CensusCounts>;
  /** LAD -> area in km² (MYE5). */
  ladAreaKm2: Map<string, number>;
  /** LAD -> IMD 2025 average score. */
  ladImd2025Score: Map<string, number>;
}

export function emptyReferenceData(): ReferenceData {
  return {
    pfa: new Map(),
    csp: new Map(),
    lad: new Map(),
    ladCsps: new Map(),
    ward: new Map(),
    lsoa21: new Map(),
    lsoa11: new Map(),
    map11to21: [],
    population: new Map(),
    imd: new Map(),
    boundary: new Map(),
    onsCrime: [],
    urban: new Map(),
    census: new Map(),
    ladAreaKm2: new Map(),
    ladImd2025Score: new Map(),
  };
}

/** A file of the mirror, read and decompressed. */
export interface ReferenceFile {
  /** Path relative to the mirror root, `/`-separated: `geography/lookup_ltla24_csp24_pfa24.csv`. */
  path: string;
  text: string;
  sha256: string;
}

/** ONS 9-character GSS code (`E06000045`). */
export const GSS_RE = /^[EWSNK]\d{8}$/;
