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
  import_job: ImportJobTable;
  incident: IncidentTable;
  incident_value: IncidentValueTable;
  incident_row: IncidentRowView;
  rollup: RollupTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  password_reset: PasswordResetTable;
  login_failure: LoginFailureTable;
  user_default_area: UserDefaultAreaTable;
  plan: PlanTable;
  plan_priority: PlanPriorityTable;
  plan_action: PlanActionTable;
  action_progress: ActionProgressTable;
  plan_target: PlanTargetTable;
  plan_link: PlanLinkTable;
  plan_partner: PlanPartnerTable;
  consultation_response: ConsultationResponseTable;
  public_response: PublicResponseTable;
  public_response_comment: PublicResponseCommentTable;
  plan_amendment: PlanAmendmentTable;
  indicator: IndicatorTable;
  indicator_value: IndicatorValueTable;
  grant_budget: GrantBudgetTable;
  grant_allocation: GrantAllocationTable;
  grant_payment: GrantPaymentTable;
  publication: PublicationTable;
  local_dataset: LocalDatasetTable;
  local_incident: LocalIncidentTable;
  local_dataset_grant: LocalDatasetGrantTable;
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
  /** Published national domain ranks, 1 = most deprived (migration 0014; null where the file has none). */
  income_rank: number | null;
  employment_rank: number | null;
  education_rank: number | null;
  health_rank: number | null;
  crime_rank: number | null;
  barriers_rank: number | null;
  environment_rank: number | null;
  /**
   * The IMD without its Crime domain (decision 0023): six domains, weights renormalised; national
   * rank (1 = most deprived) and decile. Null unless the whole national file was installed.
   */
  score_ex_crime: number | null;
  rank_ex_crime: number | null;
  decile_ex_crime: number | null;
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
  /** 0 or 1: the synthetic city of `safecity demo` (migration 0006). */
  demo: Generated<number>;
}

/** The import register: one row per file (force-month) attempt. */
/** An upload's background import (migration 0010): survives a restart as `interrupted`. */
export interface ImportJobTable {
  id: string;
  /** queued | running | finished | failed | interrupted | discarded */
  state: string;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  skip_invalid: number;
  /** 0 or 1: replace a force-month even with under half its rows (migration 0011). */
  replace: Generated<number>;
  /** JSON `[{name, bytes, file}]`. */
  uploads: string;
  /** JSON progress, report and error, as the API returns them. */
  progress: string | null;
  report: string | null;
  error: string | null;
}

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
  /** 0 or 1: a file of `safecity demo`'s synthetic city (migration 0006). */
  demo: Generated<number>;
  /** The version this import displaced when it last became current: what undoing it restores (migration 0011). */
  replaced_import_id: Generated<number | null>;
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
  /** 0 or 1: created by `safecity demo` (migration 0005). */
  demo: Generated<number>;
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
  /** Last request (idle timeout; written at most once a minute). Migration 0009. */
  last_seen_at: string | null;
  /** Last time the password (or the identity provider) was checked: re-authentication. */
  authenticated_at: string | null;
  ip: string | null;
  user_agent: string | null;
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
  /** Migration 0009: when it stops working, `read` | `write`, when it was revoked. */
  expires_at: string | null;
  scope: Generated<string>;
  revoked_at: string | null;
}

/** An administrator-issued one-time password reset link (migration 0009); SHA-256 of the secret. */
export interface PasswordResetTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  used_at: string | null;
}

/** One failed sign-in (migration 0009): normalised email, client address ('' when unknown). */
export interface LoginFailureTable {
  id: Generated<number>;
  at: string;
  account: string;
  client: string;
}

/** A user's default area for the analysis pages (migration 0015): `csp:Southampton` as resolved, its code, level. */
export interface UserDefaultAreaTable {
  user_id: number;
  area: string;
  area_code: string | null;
  area_level: string;
  updated_at: string;
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
  /** The plan the change belongs to (migration 0005), for the per-plan timeline. */
  plan_id: number | null;
}

/*
 * The Partnership Plan (migration 0005). Flags 0/1, dates ISO text, lists JSON text, money whole
 * pence; `row_version` is the optimistic-concurrency version every save names.
 */
export interface PlanTable {
  id: Generated<number>;
  title: string;
  area_code: string;
  partnership_name: string;
  period_from: string;
  period_to: string;
  version: Generated<number>;
  previous_id: number | null;
  /** A PlanState: draft | consultation | recommended | approved | published | review | superseded. */
  state: Generated<string>;
  assessment_ref: string | null;
  statutory_basis: Generated<string>;
  key_decision: Generated<number>;
  forward_plan_notice_date: string | null;
  iia_completed: Generated<number>;
  iia_date: string | null;
  iia_summary: string | null;
  iia_link: string | null;
  delegation_post: string | null;
  delegation_email: string | null;
  delegation_after_consulting: string | null;
  /** JSON array of consultee names. */
  consultees: Generated<string>;
  cabinet_date: string | null;
  cabinet_resolution: string | null;
  council_date: string | null;
  council_resolution: string | null;
  published_date: string | null;
  review_date: string | null;
  demo: Generated<number>;
  row_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface PlanPriorityTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  title: string;
  rationale: Generated<string>;
  /** JSON PriorityEvidence[]. */
  evidence: Generated<string>;
  /** JSON string[]. */
  area_codes: Generated<string>;
  /** JSON string[] of financial years. */
  years: Generated<string>;
  row_version: Generated<number>;
}

export interface PlanActionTable {
  id: Generated<number>;
  plan_id: number;
  priority_id: number;
  title: string;
  owner_organisation_id: number;
  lead_role: string;
  start_date: string;
  due_date: string;
  /** JSON Milestone[]. */
  milestones: Generated<string>;
  /** An ActionStatus. */
  status: Generated<string>;
  budget_line: string | null;
  row_version: Generated<number>;
}

export interface ActionProgressTable {
  id: Generated<number>;
  action_id: number;
  date: string;
  author: string;
  status: string;
  note: Generated<string>;
  created_at: string;
}

export interface PlanTargetTable {
  id: Generated<number>;
  plan_id: number;
  priority_id: number | null;
  indicator_id: number;
  baseline_period: string;
  baseline_value: number;
  /** value | change_percent */
  kind: string;
  target_value: number;
  deadline: string;
  tolerance_percent: number | null;
  row_version: Generated<number>;
}

export interface PlanLinkTable {
  id: Generated<number>;
  plan_id: number;
  /** plan | partnership */
  kind: string;
  name: string;
  url: string | null;
  note: Generated<string>;
  row_version: Generated<number>;
}

export interface PlanPartnerTable {
  plan_id: number;
  organisation_id: number;
  role: string;
}

export interface ConsultationResponseTable {
  id: Generated<number>;
  plan_id: number;
  consultee: string;
  date: string;
  summary: string;
  recorded_by: string;
  created_at: string;
}

/**
 * A response from a member of the public to a plan in consultation (migration 0008): the public
 * form (`channel` web) or a survey export (`survey`, `source` = `file:line`). Never published.
 */
export interface PublicResponseTable {
  id: Generated<number>;
  plan_id: number;
  /** The plan's version when the response was made. */
  plan_version: number;
  /** YYYY-MM-DD the consultation step started (from the plan's audit trail); null when not recorded. */
  consultation_started: string | null;
  channel: string;
  /** Null for an individual. */
  organisation: string | null;
  overall: Generated<string>;
  source: string | null;
  /** JSON list of lower-case tags (themes) given by analysts. */
  tags: Generated<string>;
  row_version: Generated<number>;
  created_at: string;
}

/** One priority's comment in a public response; the position and title as they were when it was made. */
export interface PublicResponseCommentTable {
  id: Generated<number>;
  response_id: number;
  priority_id: number | null;
  priority_position: number;
  priority_title: string;
  comment: string;
}

/** An amendment made under the Cabinet delegation (only in `recommended`, only by the delegate). */
export interface PlanAmendmentTable {
  id: Generated<number>;
  plan_id: number;
  date: string;
  by: string;
  post: string;
  summary: string;
}

export interface IndicatorTable {
  id: Generated<number>;
  key: string;
  name: string;
  /** An IndicatorUnit. */
  unit: string;
  /** lower_is_better | higher_is_better */
  polarity: string;
  /** month | quarter | financial_year */
  period_type: string;
  rag_rule: Generated<string>;
  tolerance_percent: Generated<number>;
  /** derived | imported */
  source: string;
  derived_area_code: string | null;
  derived_crime: string | null;
  derived_measure: string | null;
  demo: Generated<number>;
  row_version: Generated<number>;
}

export interface IndicatorValueTable {
  indicator_id: number;
  area_code: string;
  period: string;
  value: number;
  /** The import file the value came from; null for derived values. */
  file: string | null;
  imported_at: string;
}

export interface GrantBudgetTable {
  id: Generated<number>;
  plan_id: number;
  /** Financial year, `2025/26`. */
  year: string;
  name: string;
  amount_pence: number;
  demo: Generated<number>;
  row_version: Generated<number>;
}

export interface GrantAllocationTable {
  id: Generated<number>;
  budget_id: number;
  organisation_id: number;
  action_id: number | null;
  purpose: string;
  amount_pence: number;
  delivered: string | null;
  row_version: Generated<number>;
}

export interface GrantPaymentTable {
  id: Generated<number>;
  allocation_id: number;
  date: string;
  amount_pence: number;
  note: Generated<string>;
}

/** A published public website of a plan (migration 0007): what, when, by whom, its content hash and snapshot. */
export interface PublicationTable {
  id: Generated<number>;
  plan_id: number;
  plan_version: number;
  /** 1, 2, … per plan: the version the site's footer shows. */
  number: number;
  published_at: string;
  published_by: string;
  /** sha256 over the output files in canonical order (publish/public-site-render.tsx). */
  content_sha256: string;
  file_count: number;
  output_dir: string;
  /** The public view model as canonical JSON: the site is rendered from it alone. */
  snapshot: string;
}

/** A partner's local incident extract (migration 0013, decision 0018). */
export interface LocalDatasetTable {
  id: Generated<number>;
  name: string;
  file_name: string;
  sha256: string;
  /** Which pseudonymisation key made its keys (a keyed hash of a constant, not the key). */
  key_id: string;
  rows: number;
  first_day: number | null;
  last_day: number | null;
  imported_at: string;
  imported_by: string;
}

/** One local incident: pseudonymous keys only (HMAC), day YYYYMMDD, BNG metres, flags bit set. */
export interface LocalIncidentTable {
  dataset_id: number;
  day: number;
  minutes: number | null;
  crime_type_id: number;
  offence_code: string;
  victim_key: string | null;
  location_key: string | null;
  x: number | null;
  y: number | null;
  lsoa_code: string | null;
  flags: number;
}

/** Who may read a dataset: one user, or every user of a role or above. */
export interface LocalDatasetGrantTable {
  dataset_id: number;
  user_id: number | null;
  role: string | null;
  granted_by: string;
  granted_at: string;
}
