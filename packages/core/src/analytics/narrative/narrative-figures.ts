/** Adapters from analytic results to the plain figures narrateAssessment takes. */

import type { ConcentrationResult } from "../concentration/concentration.ts";
import type { PeerCompareResult } from "../peer/peer-compare.ts";
import { flaggedInComparison } from "../quality/flagged-months.ts";
import type { SeasonalProfileResult } from "../season/seasonal-profile.ts";
import { MONTH_NAMES } from "../stats/format.ts";
import type { TrendChangeResult } from "../trend/trend-change.ts";
import type { ChangeFigure, ConcentrationFigure, PeakFigure, PeerFigure } from "./narrate-assessment.ts";

/**
 * Period labels as people write them: "2025-11" -> "November 2025", "2025-Q4" -> "October to
 * December 2025"; financial years ("2024/25") and years stay as they are.
 */
export function periodName(label: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) return `${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}`;
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  if (q) {
    const first = (Number(q[2]) - 1) * 3;
    return `${MONTH_NAMES[first]} to ${MONTH_NAMES[first + 2]} ${q[1]}`;
  }
  return label;
}

/**
 * The comparison of kind `kind`, when it could be made (null when not comparable). `flaggedMonths`:
 * the months flagged by the data quality checks; those in either period go into the figure.
 */
export function changeFigureFromTrend(
  result: TrendChangeResult,
  subject: string,
  kind: "previous" | "periodsAgo" = "previous",
  flaggedMonths: readonly string[] = [],
): ChangeFigure | null {
  const c = result.comparisons.find((x) => x.kind === kind);
  if (!c?.comparable || !c.from || c.from.count === null || c.to.count === null) return null;
  const flagged = flaggedInComparison(flaggedMonths, c.from, c.to);
  return {
    subject,
    from: { label: periodName(c.from.period), count: c.from.count },
    to: { label: periodName(c.to.period), count: c.to.count },
    test: c.test ? { pValue: c.test.pValue, significant: c.test.significant } : null,
    ...(flagged.length ? { flaggedMonths: flagged } : {}),
  };
}

export function peerFigureFromCompare(result: PeerCompareResult, subject: string, previousRank?: number): PeerFigure {
  const t = result.target;
  return {
    subject,
    rank: t.rank,
    of: t.of,
    ...(t.tied > 1 ? { tied: t.tied } : {}),
    // a quartile from the cut-point rule is said as given (the rank rule is recomputed from rank and of)
    ...(result.params.quartileRule === "rank" ? {} : { quartile: t.quartile }),
    ...(previousRank !== undefined ? { previousRank } : {}),
    ...(result.funnelMethod
      ? {
          significance: {
            position: t.position,
            beyond: t.beyond,
            levels: result.params.levels,
            limits: result.funnelMethod.used === "poisson" ? ("Poisson" as const) : ("over-dispersed" as const),
            ...(result.funnelMethod.used === "overdispersed-multiplicative" && result.dispersion ? { phi: result.dispersion.phi } : {}),
          },
        }
      : {}),
  };
}

export function peakFigureFromSeason(result: SeasonalProfileResult, subject?: string): PeakFigure | null {
  const s = result.peakSummary;
  if (!result.sufficient || !s) return null;
  return { month: s.month, ...(subject ? { subject } : {}), ...(s.of > 0 ? { years: s.years, of: s.of } : {}) };
}

export function concentrationFigures(result: ConcentrationResult, subject: string, placeName = "LSOAs"): ConcentrationFigure[] {
  return result.top
    .filter((t) => t.share !== null)
    .map((t) => ({
      subject,
      placeName,
      p: t.p,
      places: t.places,
      totalPlaces: result.places,
      share: t.share!,
      generalisedGini: result.generalisedGini,
    }));
}
