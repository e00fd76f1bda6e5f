/**
 * Funnel-plot control limits for a crude rate, exact Poisson method (as the PHE/Fingertips funnel
 * tools and R FunnelPlotR's `poisson_limits`): for an area of population n and a group rate θ
 * (per resident), the expected count is E = θ·n and the limits at level L (e.g. 0.95, 0.998) are
 *   lower = qgamma((1 − L)/2, E) / n,   upper = qgamma((1 + L)/2, E + 1) / n
 * i.e. qchisq(α/2, 2E)/(2n) and qchisq(1 − α/2, 2E + 2)/(2n), reported per 1,000 residents.
 * With E = 0 the lower limit is 0.
 */
import { invalid } from "../stats/check.ts";
import { qgamma } from "../stats/gamma.ts";

export interface FunnelLimit {
  level: number;
  lower: number;
  upper: number;
}

/** Limits per `per` residents (default 1,000) around `groupRate` (also per `per` residents). */
export function funnelLimits(groupRate: number, population: number, level: number, per = 1000): FunnelLimit {
  if (!(population > 0)) throw invalid(`population must be positive for funnel limits; got ${population}`);
  if (!(groupRate >= 0) || !Number.isFinite(groupRate)) throw invalid(`group rate must be 0 or more; got ${groupRate}`);
  if (!(level > 0 && level < 1)) throw invalid(`funnel level must be between 0 and 1; got ${level}`);
  const e = (groupRate / per) * population;
  const a = (1 - level) / 2;
  const lower = e > 0 ? qgamma(a, e) : 0;
  const upper = qgamma(1 - a, e + 1);
  return { level, lower: (lower / population) * per, upper: (upper / population) * per };
}
