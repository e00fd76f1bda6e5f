import type { NewIndicator } from "../db/repositories/plan-indicator.repository.ts";

/**
 * The imported indicators every partnership reports and police.uk lacks (issue 8), created by
 * `ensureStandardIndicators`. Period types follow how each is published: ASB and night-time
 * economy violence from police incident systems monthly; first-time entrants (Youth Justice
 * Board), repeat domestic abuse (MARAC) and deliberate fires (Home Office fire statistics)
 * quarterly; hospital admissions for assault (NHS Hospital Episode Statistics) by financial year.
 * Tolerance is 5% of the target unless a target sets its own.
 */
export const STANDARD_INDICATORS: readonly NewIndicator[] = [
  {
    key: "asb-reports",
    name: "Anti-social behaviour incidents reported to the police",
    unit: "count",
    polarity: "lower_is_better",
    periodType: "month",
  },
  {
    key: "fte-youth-justice",
    name: "First-time entrants to the youth justice system (aged 10-17)",
    unit: "count",
    polarity: "lower_is_better",
    periodType: "quarter",
  },
  {
    key: "repeat-domestic-abuse",
    name: "Repeat domestic abuse incidents (percent of MARAC cases that are repeats)",
    unit: "percent",
    polarity: "lower_is_better",
    periodType: "quarter",
  },
  {
    key: "nte-violence",
    name: "Violence in the night-time economy (town centre, Friday and Saturday nights)",
    unit: "count",
    polarity: "lower_is_better",
    periodType: "month",
  },
  {
    key: "deliberate-fires",
    name: "Deliberate fires attended by the fire and rescue service",
    unit: "count",
    polarity: "lower_is_better",
    periodType: "quarter",
  },
  {
    key: "hospital-assault-admissions",
    name: "Hospital admissions for assault",
    unit: "count",
    polarity: "lower_is_better",
    periodType: "financial_year",
  },
].map((i) => ({ ...i, ragRule: "default", tolerancePercent: 5, source: "imported", derived: null, demo: false }) as NewIndicator);
