/** Data quality checks on imported police.uk street files (issue 11 item 4, decision 0016): the shared types. */

/** One force's street file for one month, as the roll-up and the import register count it. */
export interface ForceMonthCounts {
  /** The force's slug (`hampshire`). */
  force: string;
  month: string;
  /** Rows by police.uk crime type name. */
  byType: Readonly<Record<string, number>>;
  /** Every row of the file. */
  rows: number;
  /** Rows without coordinates. */
  noLocation: number;
  /** Rows without an LSOA code. */
  noLsoa: number;
  /** Rows in LSOAs of another police force area; null when unknown (no reference geography installed). */
  outsideForce: number | null;
}

/** Crime IDs of one force-month that also appear in another month's file of the same force. */
export interface RepeatedCrimeIds {
  force: string;
  month: string;
  /** Distinct repeated ids in this month. */
  ids: number;
  /** The other months they also appear in. */
  otherMonths: string[];
  /** A few of the ids, for looking them up. */
  examples: string[];
}

export type QualityCheck = "count" | "share" | "missing-months" | "repeated-ids";

/**
 * One finding: what, where and how unusual. `unusual` findings flag their force-month (analyses over
 * it carry a warning, and key messages never call a change over it significant); `note`s are said
 * but flag nothing.
 */
export interface QualityFinding {
  check: QualityCheck;
  severity: "unusual" | "note";
  force: string;
  /** The month concerned; null for a finding about a span (missing months: see `months`). */
  month: string | null;
  months: string[];
  /** "All crime", a crime type, "rows without a location", "rows without an LSOA", "rows outside the force area", "Crime IDs". */
  measure: string;
  value: number;
  /** The band the value was judged against; null when there is none. */
  usual: UsualBand | null;
  /** value / the usual median (counts) or share / usual share (shares); null when not defined. */
  ratio: number | null;
  text: string;
}

/** The usual range of a measure over the months before, and the band outside which a value is flagged. */
export interface UsualBand {
  /** Months of history used (loaded months of the previous 12). */
  months: number;
  median: number;
  /** The usual range: the lowest and highest month, after trimming one month from each end when 6 or more. */
  lowest: number;
  highest: number;
  /** Flagged below `low` or above `high`. */
  low: number;
  high: number;
}

export interface DataQualityReport {
  findings: QualityFinding[];
  /** Force -> months with an `unusual` finding, sorted. */
  flaggedMonths: Record<string, string[]>;
  /** Force-months not checked for counts and shares: fewer than `minMonths` of the previous 12 loaded. */
  unchecked: { force: string; month: string; historyMonths: number }[];
  params: DataQualityParams;
}

export interface DataQualityParams {
  /** Months of history before the month checked (12). */
  window: number;
  /** Fewest loaded months of history for a month to be checked (3). */
  minMonths: number;
  /** From this many months of history one lowest and one highest month are set aside (6). */
  trimFrom: number;
  /** A count is flagged beyond `factor` times the usual range (1.5). */
  factor: number;
  /** ...and beyond `z` Poisson standard deviations of it (5), so small counts are not flagged for noise. */
  z: number;
  /** A share is flagged only when it is this much above the usual highest share, too (0.01 = 1 percentage point). */
  minShareExcess: number;
}

export const DATA_QUALITY_PARAMS: DataQualityParams = { window: 12, minMonths: 3, trimFrom: 6, factor: 1.5, z: 5, minShareExcess: 0.01 };
