import type { Generated } from "kysely";

/**
 * Table shapes. Row types stay inside src/db: services see the plain objects repositories return.
 * Months are `YYYY-MM` text; timestamps are ISO-8601 text (same on both dialects).
 */
export interface Database {
  force: ForceTable;
  area: AreaTable;
  lsoa_geo: LsoaGeoTable;
  lsoa_map_11_21: LsoaMapTable;
  population: PopulationTable;
  imd: ImdTable;
  boundary: BoundaryTable;
  ons_crime: OnsCrimeTable;
  reference_dataset: ReferenceDatasetTable;
  area_indicator: AreaIndicatorTable;
  import_file: ImportFileTable;
  incident: IncidentTable;
  incident_value: IncidentValueTable;
  incident_row: IncidentRowView;
  rollup: RollupTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
}

export interface ForceTable {
  id: Generated<number>;
  /** police.uk file-name slug: `hampshire`, `btp`. */
  slug: string;
  /** `Falls within` as published: `Hampshire Constabulary`. */
  name: string | null;
}

/** Every named area at every level (LSOA 2011/2021, ward, LAD, CSP, PFA) with its parent. */
export interface AreaTable {
  code: string;
  name: string;
  level: string;
  /** `2011` / `2021` for LSOAs, the lookup's year for others. */
  vintage: string | null;
  parent_code: string | null;
}

/**
 * One row per LSOA code ever seen (in police data or reference lookups), denormalised up the
 * hierarchy so a roll-up query joins once. Without reference data `lad_name` comes from the LSOA
 * name prefix and the codes above LSOA are null.
 */
export interface LsoaGeoTable {
  lsoa_code: string;
  lsoa_name: string;
  vintage: string | null;
  ward_code: string | null;
  lad_code: string | null;
  lad_name: string;
  csp_code: string | null;
  pfa_code: string | null;
  /** `reference` or `police` (derived from the name). */
  source: string;
}

export interface LsoaMapTable {
  lsoa11_code: string;
  lsoa21_code: string;
  /** ONS change code: U unchanged, S split, M merged, X irregular. */
  change_code: string;
}

export interface PopulationTable {
  area_code: string;
  year: number;
  persons: number;
  source: string;
}

export interface ImdTable {
  lsoa_code: string;
  /** `2015`, `2019`, `2025`. */
  edition: string;
  decile: number | null;
  rank: number | null;
  score: number | null;
  crime_decile: number | null;
}

export interface BoundaryTable {
  area_code: string;
  level: string;
  /** GeoJSON geometry (WGS84) as text. */
  geometry: string;
}

/** ONS police recorded crime tables by CSP (C2 counts, C4 rates, ...). `value` null where ONS marks [x]. */
export interface OnsCrimeTable {
  table_name: string;
  year_ending: string;
  area_code: string;
  area_name: string;
  offence: string;
  value: number | null;
  marker: string | null;
}

/** Open indicators per LAD and CSP for peer groups (migration 0002): `population_density`, `imd2025_average_score`, ... */
export interface AreaIndicatorTable {
  area_code: string;
  indicator: string;
  value: number;
  /** Mirror file(s) the value was computed from. */
  source: string;
}

export interface ReferenceDatasetTable {
  name: string;
  file_name: string;
  sha256: string;
  rows: number;
  installed_at: string;
}

/** The import register: one row per file (force-month) attempt. */
export interface ImportFileTable {
  id: Generated<number>;
  file_name: string;
  force_slug: string | null;
  month: string | null;
  sha256: string;
  rows: Generated<number>;
  rejected_rows: Generated<number>;
  no_location_rows: Generated<number>;
  /** running | imported | superseded | rejected | interrupted */
  status: string;
  started_at: string;
  finished_at: string | null;
  imported_by: string;
  /** Inclusive id range of this file's incidents (SQLite deletes by rowid range). */
  first_incident_id: number | null;
  last_incident_id: number | null;
  message: string | null;
}

/**
 * A police.uk street-level row, stored compactly: the `incident_row` view returns the published
 * columns (`crime_id` hex, `month` YYYY-MM, `reported_by`, `falls_within`, `outcome` as text).
 */
export interface IncidentTable {
  id: number;
  import_id: number;
  /** SQLite: 32-byte BLOB for a 64-digit lowercase id, else text; PostgreSQL: text. */
  crime_id: Buffer | string | null;
  /** YYYYMM as an integer: 2025-01 is 202501. */
  month: number;
  /** ids into incident_value */
  reported_by_id: number;
  falls_within_id: number;
  longitude: number | null;
  latitude: number | null;
  location: string;
  lsoa_code: string;
  crime_type_id: number;
  outcome_id: number;
  context: string;
}

/** The `incident_row` view: an incident with its police.uk columns as published. */
export interface IncidentRowView {
  id: number;
  import_id: number;
  crime_id: string | null;
  month: string;
  reported_by: string;
  falls_within: string;
  longitude: number | null;
  latitude: number | null;
  location: string;
  lsoa_code: string;
  crime_type_id: number;
  outcome: string;
  context: string;
}

/** The repeated texts of incidents (force names, outcome categories), each stored once. */
export interface IncidentValueTable {
  id: Generated<number>;
  value: string;
}

/** Counts by LSOA (2021 where mapped) x crime type x month, per import so a replace is exact. */
export interface RollupTable {
  import_id: number;
  lsoa_code: string;
  crime_type_id: number;
  month: string;
  n: number;
}

/** A partner organisation. `kind`: council | police | fire | health | probation | voluntary. */
export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  kind: string;
  created_at: string;
}

export interface AppUserTable {
  id: Generated<number>;
  /** Lower-cased. */
  email: string;
  name: string;
  organisation_id: number | null;
  /** admin | analyst | editor | viewer */
  role: string;
  /** argon2id PHC string; null for accounts that cannot sign in with a password. */
  password_hash: string | null;
  created_at: string;
  /** 0 or 1. */
  disabled: Generated<number>;
}

/** `id` is the SHA-256 (hex) of the random 32-byte token in the cookie. */
export interface SessionTable {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 (hex) of the token. */
  token_hash: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked: Generated<number>;
}

/** Who did what to what, when, from where; `before`/`after` are JSON text. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
}
