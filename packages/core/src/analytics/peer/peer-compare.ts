/**
 * peerCompare: where one area stands in its peer group (Most Similar Group) for one crime group.
 *
 * Rules
 * - Rate = count / population × 1,000 for each area.
 * - Group mean = unweighted mean of the areas' rates (every area counts once, as MSG charts show);
 *   SD = sample standard deviation (n − 1); the ±1 SD band is mean ± SD. `groupRate` = total count /
 *   total population × 1,000 (pooled) is the centre of the funnel limits.
 * - Rank: 1 = lowest rate, of N areas (target included); tied rates share the lower rank.
 * - Quartile by rank: q = ceil(4 · rank / N); 1 = "lowest quarter" (lowest rates), 4 = "highest
 *   quarter" (highest rates, the worst 25%). `tied`: areas sharing the rate (itself included).
 *   `standing` says the position in words (peer-wording.ts: "the 4th highest rate of 15, among
 *   the highest quarter"), the one wording pages, CSV, CLI and key messages use.
 * - Quartile rule (`quartiles`): "rank" (default) is the rule above (tied rates share the lower
 *   rank, so a tie falls in the lower quarter; a group of 15 splits 3/4/4/4: ranks 1-3, 4-7, 8-11,
 *   12-15). "iquanta": cut points Q1, Q2, Q3 = the 25th, 50th and 75th percentiles of the rates
 *   (Excel QUARTILE.INC = R quantile type 7), q = 1 + the number of cut points below the rate; tied
 *   rates always share a quarter; 15 distinct rates split 4/4/3/4.
 * - Position vs mean in SDs: (rate − mean) / SD (null when SD = 0).
 * - Funnel limits at 95% and 99.8% around the pooled group rate; verdict: above/below the 99.8%
 *   limit ("significantly"), above/below the 95% limit, or within. `funnel`:
 *   "overdispersed" (default): Spiegelhalter's (2005) over-dispersed limits (overdispersion.ts),
 *   multiplicative (φ) by default or additive (τ²) with `dispersionModel`; exact Poisson limits when
 *   the group shows no over-dispersion (φ <= 1, or τ² = 0), said in `funnelMethod` and the notes.
 *   "poisson": the exact Poisson limits (funnel-limits.ts), the default before issue 13.
 *   Every row also carries its exact Poisson position (`poisson`), so a page can say "outside the
 *   Poisson limits, but not significant once the usual spread between areas is allowed for".
 */
import { invalid } from "../stats/check.ts";
import { type FunnelLimit, funnelLimits } from "./funnel-limits.ts";
import { type Dispersion, type DispersionModel, type FunnelMethod, dispersionApplies, overdispersedLimits, quantileType7, rateDispersion } from "./overdispersion.ts";
import { QUARTILE_LABELS, type QuartileLabel, peerStanding, quartileOf } from "./peer-wording.ts";

export interface PeerRow {
  code: string;
  name: string;
  count: number;
  population: number;
}

export type QuartileRule = "rank" | "iquanta";
export const QUARTILE_RULES: readonly QuartileRule[] = ["rank", "iquanta"];

export interface PeerCompareOptions {
  /** Funnel levels. Default [0.95, 0.998]. */
  levels?: [number, number];
  /** Funnel limits. Default "overdispersed" (Spiegelhalter 2005); "poisson" = exact Poisson. */
  funnel?: FunnelMethod;
  /** Over-dispersion model. Default "multiplicative" (φ); "additive" = random effects (τ²). */
  dispersionModel?: DispersionModel;
  /** Quartile rule. Default "rank" (ceil(4 · rank / N)); "iquanta" = rate cut points. */
  quartiles?: QuartileRule;
}

/** Which limits were drawn, and why. */
export interface FunnelMethodUsed {
  requested: FunnelMethod;
  model: DispersionModel | null;
  /** The limits actually used. */
  used: "overdispersed-multiplicative" | "overdispersed-additive" | "poisson";
  /** e.g. "over-dispersed (Spiegelhalter 2005, multiplicative, φ = 12.4)". */
  label: string;
  /** Short name for verdicts: "over-dispersed" or "Poisson". */
  limitsName: string;
}

export interface PeerPosition {
  code: string;
  name: string;
  count: number;
  population: number;
  rate: number;
  rank: number;
  of: number;
  quartile: 1 | 2 | 3 | 4;
  quartileLabel: QuartileLabel;
  /** Areas with exactly this rate, itself included. */
  tied: number;
  /** The position in words: "the 4th highest rate of 15, among the highest quarter". */
  standing: string;
  sdFromMean: number | null;
  funnel: { inner: FunnelLimit; outer: FunnelLimit };
  position: "above" | "below" | "within";
  /** The widest limit crossed (0.998 or 0.95), null when within. */
  beyond: number | null;
  verdict: string;
  /** (O − E) / √E at the pooled rate (null when it is 0). */
  z: number | null;
  /** z allowing for over-dispersion: z / √φ (multiplicative) or (rate − θ0) / √(V + τ²) (additive); = z under Poisson limits. */
  zAdjusted: number | null;
  /** The exact Poisson limits and position, whatever limits were used. */
  poisson: { funnel: { inner: FunnelLimit; outer: FunnelLimit }; position: "above" | "below" | "within"; beyond: number | null };
}

export interface PeerCompareResult {
  target: PeerPosition;
  /** Every area, lowest rate first. */
  rows: PeerPosition[];
  group: {
    n: number;
    mean: number;
    sd: number | null;
    band: { lower: number; upper: number } | null;
    groupRate: number;
    totalCount: number;
    totalPopulation: number;
  };
  params: {
    ratePer: 1000;
    levels: [number, number];
    centre: "pooled group rate";
    sd: "sample (n - 1)";
    funnel: string;
    ranking: "1 = lowest rate; ties share the lower rank";
    quartile: string;
    quartileRule: QuartileRule;
  };
  funnelMethod: FunnelMethodUsed;
  /** Over-dispersion of the group around the pooled rate (null when the pooled rate is 0). */
  dispersion: Dispersion | null;
  notes: string[];
}

const QUARTILE_RULE_TEXT: Record<QuartileRule, string> = {
  rank: "ceil(4 * rank / N)",
  iquanta: "first k with rate <= Qk, Qk = QUARTILE.INC (R type 7) cut points of the rates",
};

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function place(rate: number, inner: FunnelLimit, outer: FunnelLimit, levels: [number, number]): { position: PeerPosition["position"]; beyond: number | null } {
  if (rate > inner.upper) return { position: "above", beyond: rate > outer.upper ? levels[1] : levels[0] };
  if (rate < inner.lower) return { position: "below", beyond: rate < outer.lower ? levels[1] : levels[0] };
  return { position: "within", beyond: null };
}

function pct(level: number): string {
  return `${Number((level * 100).toFixed(1))}%`;
}

export function peerCompare(rows: readonly PeerRow[], targetCode: string, opts: PeerCompareOptions = {}): PeerCompareResult {
  const levels = opts.levels ?? [0.95, 0.998];
  const requested = opts.funnel ?? "overdispersed";
  const model = opts.dispersionModel ?? "multiplicative";
  const quartileRule = opts.quartiles ?? "rank";
  if (requested !== "overdispersed" && requested !== "poisson") throw invalid(`funnel must be "overdispersed" or "poisson"; got ${String(requested)}`);
  if (model !== "multiplicative" && model !== "additive") throw invalid(`dispersion model must be "multiplicative" or "additive"; got ${String(model)}`);
  if (quartileRule !== "rank" && quartileRule !== "iquanta") throw invalid(`quartile rule must be "rank" or "iquanta"; got ${String(quartileRule)}`);
  if (!(levels[0] > 0 && levels[1] < 1 && levels[0] < levels[1])) {
    throw invalid(`levels must be two increasing probabilities, e.g. [0.95, 0.998]; got [${levels.join(", ")}]`);
  }
  if (!Array.isArray(rows) || rows.length === 0) throw invalid("peer comparison needs the rows of a peer group; none were given");
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.code)) throw invalid(`area ${r.code} appears twice in the peer group`);
    seen.add(r.code);
    if (!Number.isInteger(r.count) || r.count < 0) throw invalid(`count for ${r.code} must be a whole number >= 0; got ${r.count}`);
    if (!Number.isFinite(r.population) || r.population <= 0) {
      throw invalid(`population for ${r.code} (${r.name}) must be positive; got ${r.population}`, "check the population estimates for the peer group");
    }
  }
  if (!seen.has(targetCode)) throw invalid(`target ${targetCode} is not in the peer group`, "include the target area's own row");
  if (rows.length < 2) throw invalid("a peer group needs at least 2 areas (the target and one peer)", "add peers or compute them with peerSimilarity");
  const n = rows.length;
  const rates = rows.map((r) => (r.count / r.population) * 1000);
  const mean = rates.reduce((s, v) => s + v, 0) / n;
  const sdRaw = Math.sqrt(rates.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const sd = sdRaw > 1e-12 * Math.max(1, mean) ? sdRaw : null;
  const totalCount = rows.reduce((s, r) => s + r.count, 0);
  const totalPopulation = rows.reduce((s, r) => s + r.population, 0);
  const groupRate = (totalCount / totalPopulation) * 1000;
  const notes: string[] = [];
  if (sd === null) notes.push("Every area has the same rate: the standard deviation is 0, so positions in SDs are not given.");
  if (totalCount === 0) notes.push("No crimes in any area of the group.");
  const dispersion = rateDispersion(rows, groupRate);
  const od = requested === "overdispersed" && dispersionApplies(dispersion, model);
  const funnelMethod: FunnelMethodUsed = od
    ? {
        requested,
        model,
        used: model === "multiplicative" ? "overdispersed-multiplicative" : "overdispersed-additive",
        label: `over-dispersed (Spiegelhalter 2005, ${model}, ${model === "multiplicative" ? `φ = ${fmt(dispersion!.phi)}` : `τ² = ${dispersion!.tau2.toPrecision(3)}`})`,
        limitsName: "over-dispersed",
      }
    : { requested, model: requested === "overdispersed" ? model : null, used: "poisson", label: "exact Poisson", limitsName: "Poisson" };
  if (requested === "overdispersed" && !od) {
    notes.push(
      dispersion
        ? `The group shows no over-dispersion (φ = ${fmt(dispersion.phi)}${model === "additive" ? ", τ² = 0" : ""}): the exact Poisson limits are used.`
        : "With no crimes in the group the over-dispersion cannot be estimated: the exact Poisson limits are used.",
    );
  }
  if (od) {
    notes.push(
      `The rates vary between areas ${fmt(dispersion!.phi)} times as much as chance alone would make them (φ, from winsorised z-scores): the funnel limits are widened for it (Spiegelhalter 2005, ${model} model), so "significantly" means different beyond the usual spread between similar areas.`,
    );
  }
  const sortedRates = [...rates].sort((a, b) => a - b);
  const cuts = [0.25, 0.5, 0.75].map((p) => quantileType7(sortedRates, p));
  const positions: PeerPosition[] = rows.map((r, i) => {
    const rate = rates[i]!;
    const rank = 1 + rates.filter((v) => v < rate).length;
    const quartile = quartileRule === "rank" ? quartileOf(rank, n) : ((1 + cuts.filter((c) => rate > c).length) as 1 | 2 | 3 | 4);
    const tied = rates.filter((v) => v === rate).length;
    const pInner = funnelLimits(groupRate, r.population, levels[0]);
    const pOuter = funnelLimits(groupRate, r.population, levels[1]);
    const inner = od ? overdispersedLimits(groupRate, r.population, levels[0], dispersion!, model) : pInner;
    const outer = od ? overdispersedLimits(groupRate, r.population, levels[1], dispersion!, model) : pOuter;
    const { position, beyond } = place(rate, inner, outer, levels);
    const verdict =
      position === "within"
        ? `within the ${pct(levels[0])} ${od ? "over-dispersed limits" : "limits"}: not significantly different from the group`
        : `${beyond === levels[1] ? "significantly " : ""}${position === "above" ? "higher" : "lower"} than the group (${position} the ${pct(beyond!)} ${od ? "over-dispersed limit" : "limit"})`;
    const z = dispersion ? dispersion.z[i]! : null;
    const v = (groupRate * 1000) / r.population;
    const zAdjusted = z === null ? null : !od ? z : model === "multiplicative" ? z / Math.sqrt(dispersion!.phi) : (rate - groupRate) / Math.sqrt(v + dispersion!.tau2);
    return {
      code: r.code,
      name: r.name,
      count: r.count,
      population: r.population,
      rate,
      rank,
      of: n,
      quartile,
      quartileLabel: QUARTILE_LABELS[quartile - 1]!,
      tied,
      standing: peerStanding({ rank, of: n, tied, ...(quartileRule === "rank" ? {} : { quartile }) }),
      sdFromMean: sd === null ? null : (rate - mean) / sd,
      funnel: { inner, outer },
      position,
      beyond,
      verdict,
      z,
      zAdjusted,
      poisson: { funnel: { inner: pInner, outer: pOuter }, ...place(rate, pInner, pOuter, levels) },
    };
  });
  const sorted = [...positions].sort((a, b) => a.rate - b.rate || (a.code < b.code ? -1 : 1));
  return {
    target: positions.find((p) => p.code === targetCode)!,
    rows: sorted,
    group: {
      n,
      mean,
      sd,
      band: sd === null ? null : { lower: mean - sd, upper: mean + sd },
      groupRate,
      totalCount,
      totalPopulation,
    },
    params: {
      ratePer: 1000,
      levels,
      centre: "pooled group rate",
      sd: "sample (n - 1)",
      funnel: funnelMethod.label,
      ranking: "1 = lowest rate; ties share the lower rank",
      quartile: QUARTILE_RULE_TEXT[quartileRule],
      quartileRule,
    },
    funnelMethod,
    dispersion,
    notes,
  };
}
