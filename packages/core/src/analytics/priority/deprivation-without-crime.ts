/**
 * The Index of Multiple Deprivation rebuilt from its domains, with or without the Crime domain.
 *
 * "Crime rate × IMD" counts crime twice: the IMD's Crime domain (9.3% of the index) is itself built
 * from recorded crime. The published domain ranks let the index be rebuilt without it.
 *
 * Method (English Indices of Deprivation technical reports, MHCLG 2019 and 2025, "Combining the
 * domains"): each domain is ranked nationally (published rank 1 = most deprived of N LSOAs); the
 * rank is scaled to R = (N + 1 − rank) / N, so the least deprived LSOA gets 1/N and the most
 * deprived 1; R is transformed to an exponential distribution
 *   X = −23 × ln(1 − R × (1 − exp(−100/23)))
 * (0 < X ≤ 100, the most deprived get ~100, so a very deprived domain is not cancelled by a less
 * deprived one); the index is the weighted sum of the transformed domains, weights Income 22.5%,
 * Employment 22.5%, Education 13.5%, Health 13.5%, Crime 9.3%, Barriers to Housing and Services
 * 9.3%, Living Environment 9.3%. The published seven weights sum to 0.999 and the published IMD
 * score is their plain sum; a subset of domains (here the six without Crime) has its weights divided
 * by their own sum (0.906), so they sum to 1 (a constant factor: ranks and deciles do not depend on it).
 *
 * The input is the published domain RANKS, not the published domain scores: the scores are rounded
 * to 3 decimal places (Income 0.013, ...), so ranking them creates thousands of ties the publisher
 * did not have. Rebuilt from the ranks, the IMD 2025 score of all 33,755 LSOAs is within 0.0007 of
 * the published (3 dp) score with every decile equal; rebuilt from the rounded scores it is within
 * 0.091 with 108 deciles different (the reference test in deprivation-without-crime.test.ts).
 *
 * Published domain ranks share a rank between equal scores and skip the next ("1, 2, 2, 4": three
 * such pairs in IoD 2025's Income domain); the result is ranked the same way nationally (1 = most
 * deprived; equal scores share a rank, listed by code) and cut into deciles as the publisher does:
 * decile = ceil(rank × 10 / N) (1 = the most deprived 10% of England). National ranks need every
 * LSOA of England: `completeRanking` says whether the rows given are the whole ranking.
 */
import { invalid } from "../stats/check.ts";

export const IOD_DOMAINS = ["income", "employment", "education", "health", "crime", "barriers", "environment"] as const;
export type IodDomain = (typeof IOD_DOMAINS)[number];

/** The IoD 2019 and 2025 domain weights (technical reports); they sum to 0.999. */
export const IOD_DOMAIN_WEIGHTS: Readonly<Record<IodDomain, number>> = {
  income: 0.225,
  employment: 0.225,
  education: 0.135,
  health: 0.135,
  crime: 0.093,
  barriers: 0.093,
  environment: 0.093,
};

/** The six domains of "IMD without crime". */
export const DOMAINS_WITHOUT_CRIME: readonly IodDomain[] = IOD_DOMAINS.filter((d) => d !== "crime");

export interface LsoaDomainRanks {
  code: string;
  /** Published national domain ranks, 1 = most deprived; only the domains combined are needed. */
  ranks: Partial<Record<IodDomain, number | null>>;
}

export interface CombinedDeprivation {
  code: string;
  /** Weighted sum of the transformed domains (0..100 when the weights sum to 1). */
  score: number;
  /** National rank of `score`, 1 = most deprived. */
  rank: number;
  /** 1 = most deprived 10% of the LSOAs ranked. */
  decile: number;
}

const EXP_CONSTANT = 1 - Math.exp(-100 / 23);

/** The IoD exponential transform of a published rank (1 = most deprived of n): ~100 for rank 1, ~0 for rank n. */
export function expTransformRank(rank: number, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw invalid(`the number of LSOAs ranked must be a whole number >= 1; got ${n}`);
  if (!Number.isInteger(rank) || rank < 1 || rank > n) throw invalid(`a domain rank must be a whole number from 1 to ${n}; got ${rank}`);
  const r = (n + 1 - rank) / n;
  return -23 * Math.log(1 - r * EXP_CONSTANT);
}

/**
 * Why `rows` are not one whole national ranking of each of `domains` (every row has the domain, and
 * its ranks are 1..N, equal ranks skipping the next as the publisher's do), or null when they are.
 */
export function completeRanking(rows: readonly LsoaDomainRanks[], domains: readonly IodDomain[]): string | null {
  const n = rows.length;
  if (n === 0) return "no LSOAs";
  for (const d of domains) {
    const ranks = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const r = row.ranks[d];
      if (r === undefined || r === null) return `LSOA ${row.code} has no ${d} domain rank`;
      if (!Number.isInteger(r) || r < 1 || r > n) return `the ${d} domain ranks go beyond the ${n} LSOAs given (LSOA ${row.code} has rank ${r}): not the whole national ranking`;
      ranks[i] = r;
    }
    // The publisher's ranks share a rank between equal scores and skip the next ones ("1, 2, 2, 4"):
    // sorted, each rank is the one before it or its own position.
    ranks.sort((a, b) => a - b);
    for (let i = 0; i < n; i++) {
      if (ranks[i] !== i + 1 && (i === 0 || ranks[i] !== ranks[i - 1])) return `the ${d} domain ranks are not one ranking of the ${n} LSOAs given (rank ${i + 1} is missing)`;
    }
  }
  return null;
}

/**
 * The index over `domains` (weights renormalised to sum to 1 unless `renormalise` is false), ranked
 * and cut into deciles over the rows given, which must be one whole national ranking (completeRanking).
 */
export function combineDomains(rows: readonly LsoaDomainRanks[], domains: readonly IodDomain[], opts: { renormalise?: boolean } = {}): CombinedDeprivation[] {
  if (domains.length === 0) throw invalid("at least one deprivation domain is needed");
  if (new Set(domains).size !== domains.length) throw invalid(`a domain is listed twice: ${domains.join(", ")}`);
  const problem = completeRanking(rows, domains);
  if (problem) throw invalid(`national ranks need every LSOA of England's published domain ranks: ${problem}`);
  const n = rows.length;
  const wSum = domains.reduce((s, d) => s + IOD_DOMAIN_WEIGHTS[d], 0);
  const divisor = opts.renormalise === false ? 1 : wSum;
  const scored = rows.map((row) => ({
    code: row.code,
    score: domains.reduce((s, d) => s + (IOD_DOMAIN_WEIGHTS[d] / divisor) * expTransformRank(row.ranks[d] as number, n), 0),
    rank: 0,
    decile: 0,
  }));
  const order = [...scored].sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  order.forEach((s, i) => {
    // Equal scores share a rank, as in the published files ("1, 2, 2, 4").
    s.rank = i > 0 && s.score === order[i - 1]!.score ? order[i - 1]!.rank : i + 1;
    s.decile = Math.ceil((s.rank * 10) / n);
  });
  return scored;
}

/** IMD without its Crime domain: the six other domains, weights renormalised (divided by 0.906). */
export function deprivationWithoutCrime(rows: readonly LsoaDomainRanks[]): CombinedDeprivation[] {
  return combineDomains(rows, DOMAINS_WITHOUT_CRIME);
}

/** The published IMD rebuilt from all seven domains with the published weights as they are (sum 0.999). */
export function imdFromDomains(rows: readonly LsoaDomainRanks[]): CombinedDeprivation[] {
  return combineDomains(rows, IOD_DOMAINS, { renormalise: false });
}
