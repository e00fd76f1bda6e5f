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
 * - Position vs mean in SDs: (rate − mean) / SD (null when SD = 0).
 * - Funnel limits at 95% and 99.8% around the pooled group rate (see funnel-limits.ts); verdict:
 *   above/below the 99.8% limit ("significantly"), above/below the 95% limit, or within.
 */
import { invalid } from "../stats/check.ts";
import { type FunnelLimit, funnelLimits } from "./funnel-limits.ts";
import { QUARTILE_LABELS, type QuartileLabel, peerStanding, quartileOf } from "./peer-wording.ts";

export interface PeerRow {
  code: string;
  name: string;
  count: number;
  population: number;
}

export interface PeerCompareOptions {
  /** Funnel levels. Default [0.95, 0.998]. */
  levels?: [number, number];
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
    funnel: "exact Poisson";
    ranking: "1 = lowest rate; ties share the lower rank";
    quartile: "ceil(4 * rank / N)";
  };
  notes: string[];
}

function pct(level: number): string {
  return `${Number((level * 100).toFixed(1))}%`;
}

export function peerCompare(rows: readonly PeerRow[], targetCode: string, opts: PeerCompareOptions = {}): PeerCompareResult {
  const levels = opts.levels ?? [0.95, 0.998];
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
  const positions: PeerPosition[] = rows.map((r, i) => {
    const rate = rates[i]!;
    const rank = 1 + rates.filter((v) => v < rate).length;
    const quartile = quartileOf(rank, n);
    const tied = rates.filter((v) => v === rate).length;
    const inner = funnelLimits(groupRate, r.population, levels[0]);
    const outer = funnelLimits(groupRate, r.population, levels[1]);
    let position: PeerPosition["position"] = "within";
    let beyond: number | null = null;
    if (rate > inner.upper) {
      position = "above";
      beyond = rate > outer.upper ? levels[1] : levels[0];
    } else if (rate < inner.lower) {
      position = "below";
      beyond = rate < outer.lower ? levels[1] : levels[0];
    }
    const verdict =
      position === "within"
        ? `within the ${pct(levels[0])} limits: not significantly different from the group`
        : `${beyond === levels[1] ? "significantly " : ""}${position === "above" ? "higher" : "lower"} than the group (${position} the ${pct(beyond!)} limit)`;
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
      standing: peerStanding({ rank, of: n, tied }),
      sdFromMean: sd === null ? null : (rate - mean) / sd,
      funnel: { inner, outer },
      position,
      beyond,
      verdict,
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
      funnel: "exact Poisson",
      ranking: "1 = lowest rate; ties share the lower rank",
      quartile: "ceil(4 * rank / N)",
    },
    notes,
  };
}
