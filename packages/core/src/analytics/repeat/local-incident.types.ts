/**
 * The contract between local incident storage (import, pseudonymisation, access control) and the
 * repeat / near-repeat analytics. Pure types: no I/O. Rules are in ../README.md ("Repeat
 * victimisation", "Near repeats (Knox test)", "Small-count suppression") and decision 0019.
 */

/** Flags a partner extract may carry on an incident. */
export type LocalFlag = "domestic" | "alcohol" | "night-time-economy" | "hate" | "vulnerable";

export const LOCAL_FLAGS: readonly LocalFlag[] = ["domestic", "alcohol", "night-time-economy", "hate", "vulnerable"];

/** One depersonalised local incident, as the analytics see it (keys are already keyed hashes). */
export interface LocalIncident {
  /** Date of the incident, YYYY-MM-DD (the date it happened, or the recorded date when unknown). */
  date: string;
  /** Minutes after midnight (0..1439) when the time is known, else null. */
  minutes: number | null;
  /** Pseudonymous victim key (HMAC of the partner's identifier), null when the extract has none. */
  victimKey: string | null;
  /** Pseudonymous location key (HMAC of the address / place identifier), null when unknown. */
  locationKey: string | null;
  /** British National Grid easting and northing in metres, null when the row has no point. */
  x: number | null;
  y: number | null;
  /** LSOA 2021 code when known. */
  lsoa: string | null;
  /** police.uk crime group (or the extract's local group mapped to one). */
  offenceGroup: string;
  flags: readonly LocalFlag[];
}

// ---------------------------------------------------------------------------------------------
// Repeat victimisation (issue 14 item 4)

export interface RepeatOptions {
  /** First and last day of the period, inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
  /** Only incidents carrying this flag. */
  flag?: LocalFlag;
  /** Only incidents in this offence group. */
  offenceGroup?: string;
  /** A repeat is an incident within this many days after the same victim's previous one (default 365). */
  repeatWindowDays?: number;
  /** How many repeat locations to list (default 10). */
  topLocations?: number;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
}

/** A share with its Wilson score interval. `share` is null when `total` is 0. */
export interface ShareWithInterval {
  count: number;
  total: number;
  share: number | null;
  low: number | null;
  high: number | null;
}

/** A count with its exact Poisson interval. */
export interface CountWithInterval {
  value: number;
  low: number;
  high: number;
}

export interface TimeToRepeatBand {
  /** e.g. "0-1 days" ; bands are [fromDays, toDays) in whole days, toDays null = open. */
  label: string;
  fromDays: number;
  toDays: number | null;
  count: number;
  /** Share of all repeats in the period, with Wilson interval. */
  share: ShareWithInterval;
}

export interface RepeatLocation {
  locationKey: string;
  /** Incidents at this location in the period. */
  incidents: number;
  /** Of them, how many were repeats at the location (2nd and later in the period). */
  repeats: number;
  /** incidents / all incidents with a location key in the period, with Wilson interval. */
  share: ShareWithInterval;
}

export interface RepeatMonth {
  /** YYYY-MM */
  month: string;
  /** Incidents in the month (matching the filter). */
  incidents: number;
  /** Repeat incidents in the month (see the repeat rule). */
  repeats: number;
  /** repeats / incidents with a victim key, with Wilson interval. */
  repeatShare: ShareWithInterval;
}

export interface RepeatMeasures {
  from: string;
  to: string;
  flag: LocalFlag | null;
  offenceGroup: string | null;
  repeatWindowDays: number;
  /** Look-back start: incidents on or after this day (and before `from`) count as "previous" ones. */
  lookBackFrom: string;
  confidence: number;
  /** Incidents in the period matching the filter (all of them, with or without a victim key). */
  incidents: number;
  /** Of them, without a victim key: counted in incidence, excluded from victim measures. */
  withoutVictimKey: number;
  /** Incidence: incidents with a victim key in the period. */
  incidence: CountWithInterval;
  /** Prevalence: distinct victims with at least one incident in the period. */
  prevalence: number;
  /** Concentration: incidence / prevalence (incidents per victim), null when prevalence is 0. */
  concentration: number | null;
  /** Repeat incidents in the period: incidents within the window after the same victim's previous one. */
  repeatIncidents: ShareWithInterval;
  /** Victims in the period with at least one repeat incident in the period (the Marac measure). */
  repeatVictims: ShareWithInterval;
  timeToRepeat: TimeToRepeatBand[];
  /** Median days between an incident and the same victim's previous one, over repeats; null if none. */
  medianDaysToRepeat: number | null;
  repeatLocations: RepeatLocation[];
  /** Month by month over the period (every month present, zeros included). */
  monthly: RepeatMonth[];
  /** Data gaps and rules applied (e.g. incidents without a victim key). */
  notes: string[];
}

export type RepeatMeasuresFn = (incidents: readonly LocalIncident[], options: RepeatOptions) => RepeatMeasures;

// ---------------------------------------------------------------------------------------------
// Near repeats: the Knox test (issue 14 item 5)

export interface KnoxPoint {
  /** Easting and northing (metres, BNG) */
  x: number;
  y: number;
  /** Time in days (e.g. days since 1970-01-01; fractions allowed). */
  t: number;
}

export type KnoxMetric = "euclidean" | "manhattan";

export interface KnoxOptions {
  /**
   * Break points of the spatial bands, increasing, first 0 (metres), e.g. [0, 1, 100, 200, 400].
   * Bands are [b0,b1), [b1,b2), ... as R NearRepeat's defaults (cut with right = FALSE,
   * include.lowest = FALSE): a pair at exactly the last break or beyond is in no band; end with
   * Infinity to keep every pair.
   */
  distanceBands: readonly number[];
  /** Break points of the temporal bands in days, same rule. */
  timeBands: readonly number[];
  /** Monte-Carlo permutations (times shuffled across locations), e.g. 99 or 999. */
  permutations: number;
  /** Any 32-bit integer; the same seed gives the same result. */
  seed: number;
  metric: KnoxMetric;
}

export interface KnoxBand {
  from: number;
  to: number;
  /** Interval notation, e.g. "[0,100)". */
  label: string;
}

export interface KnoxResult {
  n: number;
  metric: KnoxMetric;
  permutations: number;
  seed: number;
  distanceBands: KnoxBand[];
  timeBands: KnoxBand[];
  /** [distance band][time band] pair counts. */
  observed: number[][];
  /** Mean over the permutations. */
  expected: number[][];
  /** observed / expected (null when expected is 0). */
  knoxRatio: (number | null)[][];
  /** observed / median of the permutations (null when the median is 0). */
  knoxRatioMedian: (number | null)[][];
  /** (#{permutation >= observed} + 1) / (permutations + 1). */
  pValue: number[][];
  /** Pairs closer than the last finite distance break (the pairs recounted per permutation). */
  closePairs: number;
  notes: string[];
}

export type KnoxTestFn = (points: readonly KnoxPoint[], options: KnoxOptions) => KnoxResult;

// ---------------------------------------------------------------------------------------------
// Small-count suppression (issue 14 item 3, the rule lives in core)

/** A two-way table of non-negative integer counts: cells[row][column]. */
export interface CountTable {
  rows: readonly string[];
  columns: readonly string[];
  cells: readonly (readonly number[])[];
}

export type SuppressionReason = "primary" | "secondary";

export interface SuppressedTable {
  rows: readonly string[];
  columns: readonly string[];
  /** null where suppressed. */
  cells: (number | null)[][];
  /** Why each cell is suppressed (null = published). */
  reasons: (SuppressionReason | null)[][];
  /**
   * True row and column totals and the grand total. A row total is null when the table has one
   * column (it would be the cell itself), a column total likewise for one row; all totals are null
   * in the rare case where no set of cells hides a small count from them (see the README rule).
   */
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
  threshold: number;
}

export type SuppressSmallCountsFn = (table: CountTable, threshold?: number) => SuppressedTable;
