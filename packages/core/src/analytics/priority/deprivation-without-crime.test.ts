import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REFERENCE_DIR, needsSharedData } from "../../../../../fixtures/test-data.ts";
import {
  IOD_DOMAINS,
  type IodDomain,
  type LsoaDomainRanks,
  combineDomains,
  completeRanking,
  deprivationWithoutCrime,
  expTransformRank,
  imdFromDomains,
} from "./deprivation-without-crime.ts";
import { type DeprivationMeasure, deprivationLabel, priorityAreas } from "./priority-areas.ts";

/** Five LSOAs' published-style domain ranks (1 = most deprived of 5), in IOD_DOMAINS order. */
function five(): LsoaDomainRanks[] {
  const t: Record<string, number[]> = {
    //  income employment education health crime barriers environment
    A: [2, 2, 2, 2, 1, 2, 2], // the most crime, second on everything else
    B: [1, 1, 1, 1, 5, 3, 3],
    C: [3, 3, 3, 3, 2, 1, 1],
    D: [4, 4, 5, 4, 3, 4, 5],
    E: [5, 5, 4, 5, 4, 5, 4],
  };
  return Object.entries(t).map(([code, r]) => ({ code, ranks: Object.fromEntries(IOD_DOMAINS.map((d, i) => [d, r[i]!])) as Record<IodDomain, number> }));
}

describe("expTransformRank: the IoD exponential transform", () => {
  it("gives 100 to the most deprived, -23 ln(1 - R(1 - e^(-100/23))) with R = (n + 1 - rank)/n", () => {
    expect(expTransformRank(1, 5)).toBeCloseTo(100, 12);
    // rank 2 of 5: R = 0.8; 1 - 0.8 (1 - e^(-4.347826)) = 0.210348...; -23 ln(0.210348) = 35.8568
    expect(expTransformRank(2, 5)).toBeCloseTo(-23 * Math.log(1 - 0.8 * (1 - Math.exp(-100 / 23))), 12);
    expect(expTransformRank(2, 5)).toBeCloseTo(35.8568, 4);
    // rank 5 of 5: R = 0.2 -> 5.0580
    expect(expTransformRank(5, 5)).toBeCloseTo(5.058, 3);
    expect(() => expTransformRank(0, 5)).toThrow(/1 to 5/);
    expect(() => expTransformRank(6, 5)).toThrow(/1 to 5/);
  });
});

describe("combineDomains on five LSOAs (hand calculation)", () => {
  it("without crime: six domains, weights / 0.906; A (second on all six) scores exactly X(rank 2) = 35.8568", () => {
    const r = new Map(deprivationWithoutCrime(five()).map((x) => [x.code, x]));
    expect(r.get("A")!.score).toBeCloseTo(35.85682, 4);
    // B: 0.225*100*2 + 0.135*100*2 + 0.093*20.6327*2 = 75.8377, / 0.906 = 83.7061
    expect(r.get("B")!.score).toBeCloseTo((0.72 * 100 + 0.186 * 20.632707) / 0.906, 4);
    expect(r.get("B")!.score).toBeCloseTo(83.70605, 4);
    // C: 0.72*20.6327 + 0.186*100 = 33.4555, / 0.906 = 36.9267
    expect(r.get("C")!.score).toBeCloseTo(36.92665, 4);
    // Ranks: B, C, A, D, E; deciles ceil(rank * 10 / 5) = 2, 4, 6, 8, 10
    expect(["B", "C", "A", "D", "E"].map((c) => [r.get(c)!.rank, r.get(c)!.decile])).toEqual([
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 8],
      [5, 10],
    ]);
  });

  it("with crime (the published IMD's seven weights, sum 0.999): A's crime lifts it above C", () => {
    const r = new Map(imdFromDomains(five()).map((x) => [x.code, x]));
    // A: 0.906 * 35.8568 + 0.093 * 100 = 41.7863
    expect(r.get("A")!.score).toBeCloseTo(41.78628, 4);
    expect(r.get("C")!.score).toBeCloseTo(0.72 * 20.632707 + 0.093 * 35.856824 + 0.186 * 100, 4);
    expect(r.get("A")!.rank).toBe(2);
    expect(r.get("C")!.rank).toBe(3);
  });

  it("needs the whole national ranking of each domain combined", () => {
    const rows = five();
    expect(completeRanking(rows, IOD_DOMAINS)).toBeNull();
    expect(completeRanking(rows.slice(1), ["income"])).toMatch(/beyond the 4 LSOAs given \(LSOA E has rank 5\)/);
    const noCrime = rows.map((r) => ({ code: r.code, ranks: { ...r.ranks, crime: null } }));
    expect(completeRanking(noCrime, IOD_DOMAINS)).toMatch(/no crime domain rank/);
    expect(() => deprivationWithoutCrime(noCrime)).not.toThrow();
    // Ties as the publisher ranks them (1, 2, 2, 4, 5) are a whole ranking; 1, 2, 3, 3, 4 is not.
    const tied = rows.map((r) => ({ code: r.code, ranks: { ...r.ranks, health: r.code === "C" ? 2 : r.ranks.health } }));
    expect(completeRanking(tied, ["health"])).toBeNull();
    const gap = rows.map((r) => ({ code: r.code, ranks: { ...r.ranks, health: r.code === "E" ? 3 : r.ranks.health } }));
    expect(completeRanking(gap, ["health"])).toMatch(/health domain ranks are not one ranking of the 5 LSOAs given \(rank 5 is missing\)/);
    expect(() => deprivationWithoutCrime(rows.slice(1))).toThrow(/every LSOA of England/);
    expect(() => combineDomains(rows, [])).toThrow(/at least one/);
  });

  it("equal scores share a rank and the next is skipped, as in the published files", () => {
    // D and E ranked 4th (tied) on every domain, as the publisher would rank two equal scores: 1, 2, 3, 4, 4
    const fixed = five().map((r) => ({ code: r.code, ranks: Object.fromEntries(IOD_DOMAINS.map((d) => [d, r.code === "D" || r.code === "E" ? 4 : r.ranks[d]])) }));
    const out = new Map(deprivationWithoutCrime(fixed).map((x) => [x.code, x]));
    expect(out.get("D")!.rank).toBe(4);
    expect(out.get("E")!.rank).toBe(4);
    expect(out.get("D")!.decile).toBe(8);
  });
});

/** The mirror's tidy IMD 2025 file: published domain ranks and scores, IMD score, rank, decile. */
function readImd2025(file: string) {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0]!.split(",").map((h) => h.replace(/"/g, ""));
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const names: Record<IodDomain, string> = {
    income: "Income",
    employment: "Employment",
    education: "Education",
    health: "Health",
    crime: "Crime",
    barriers: "Housing_and_Services",
    environment: "Environment",
  };
  return lines.slice(1).map((line) => {
    const c = line.split(",").map((x) => x.replace(/"/g, ""));
    return {
      code: c[0]!,
      ranks: Object.fromEntries(IOD_DOMAINS.map((d) => [d, Number(c[at(`${names[d]}_rank`)])])) as Record<IodDomain, number>,
      scores: Object.fromEntries(IOD_DOMAINS.map((d) => [d, Number(c[at(`${names[d]}_score`)])])) as Record<IodDomain, number>,
      imdScore: Number(c[at("IMD_score")]),
      imdRank: Number(c[at("IMD_rank")]),
      imdDecile: Number(c[at("IMD_decile")]),
      crimeDecile: Number(c[at("Crime_decile")]),
    };
  });
}

const IMD_2025 = path.join(REFERENCE_DIR, "imd", "imd2025_england_lsoa21.csv");
const noData = needsSharedData("the IMD 2025 reference test needs the national IoD 2025 file") || !existsSync(IMD_2025);

describe.skipIf(noData)("reference: the published IMD 2025 rebuilt from its seven published domain ranks (33,755 LSOAs)", () => {
  const rows = noData ? [] : readImd2025(IMD_2025);

  it("matches the published score (3 dp) within 0.001, every decile and all but a few ranks", () => {
    expect(rows).toHaveLength(33755);
    const rebuilt = imdFromDomains(rows);
    let maxDiff = 0;
    let decileDiff = 0;
    let rankDiff = 0;
    rebuilt.forEach((x, i) => {
      const p = rows[i]!;
      maxDiff = Math.max(maxDiff, Math.abs(x.score - p.imdScore));
      if (x.decile !== p.imdDecile) decileDiff++;
      if (x.rank !== p.imdRank) rankDiff++;
    });
    // Measured: max |difference| 0.00069 (the published score is rounded to 3 dp), 0 deciles and
    // 2 ranks different (one pair of LSOAs whose published scores are equal to 3 dp, swapped).
    expect(maxDiff).toBeLessThan(0.001);
    expect(decileDiff).toBe(0);
    expect(rankDiff).toBeLessThanOrEqual(2);
  });

  it("the direction matters: ranks read the other way round (rank 1 = least deprived) do not reproduce it", () => {
    const n = rows.length;
    const w = { income: 0.225, employment: 0.225, education: 0.135, health: 0.135, crime: 0.093, barriers: 0.093, environment: 0.093 };
    const maxDiff = Math.max(...rows.map((r) => Math.abs(IOD_DOMAINS.reduce((s, d) => s + w[d] * expTransformRank(n + 1 - r.ranks[d], n), 0) - r.imdScore)));
    expect(maxDiff).toBeGreaterThan(10);
  });

  it("the rounded published domain SCORES are a worse input than the ranks (ties): max difference 0.09, 108 deciles", () => {
    // Rank each domain's 3 dp score (highest = most deprived; ties share their average rank, rounded down).
    const byScore = rows.map((r) => ({ code: r.code, ranks: {} as Record<IodDomain, number> }));
    for (const d of IOD_DOMAINS) {
      const order = rows.map((r, i) => [r.scores[d], i] as const).sort((a, b) => b[0] - a[0]);
      let k = 0;
      while (k < order.length) {
        let j = k;
        while (j + 1 < order.length && order[j + 1]![0] === order[k]![0]) j++;
        for (let m = k; m <= j; m++) byScore[order[m]![1]]!.ranks[d] = k + 1;
        k = j + 1;
      }
    }
    // Tied ranks are not a permutation, so compute the sum directly with the same transform.
    const n = rows.length;
    const w = { income: 0.225, employment: 0.225, education: 0.135, health: 0.135, crime: 0.093, barriers: 0.093, environment: 0.093 };
    const maxDiff = Math.max(...byScore.map((x, i) => Math.abs(IOD_DOMAINS.reduce((s, d) => s + w[d] * expTransformRank(x.ranks[d], n), 0) - rows[i]!.imdScore)));
    expect(maxDiff).toBeGreaterThan(0.01);
  });

  it("IMD without crime: 33,755 national ranks and deciles of 3,375 or 3,376 LSOAs; measured changes against the published IMD", () => {
    const ex = deprivationWithoutCrime(rows);
    const perDecile = new Map<number, number>();
    for (const x of ex) perDecile.set(x.decile, (perDecile.get(x.decile) ?? 0) + 1);
    expect([...perDecile.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const v of perDecile.values()) expect([3375, 3376]).toContain(v);
    expect(new Set(ex.map((x) => x.rank)).size).toBe(rows.length);
    // Measured against the published deciles: 28,601 unchanged, 2,599 one decile more deprived, 2,513
    // one less, 40 two less, 2 three less; the most deprived 20% keeps 6,518 of its 6,751 LSOAs.
    const shifts = new Map<number, number>();
    let bothTop20 = 0;
    ex.forEach((x, i) => {
      const p = rows[i]!;
      shifts.set(x.decile - p.imdDecile, (shifts.get(x.decile - p.imdDecile) ?? 0) + 1);
      if (x.decile <= 2 && p.imdDecile <= 2) bothTop20++;
    });
    expect([...shifts].sort((a, b) => a[0] - b[0])).toEqual([
      [-1, 2599],
      [0, 28601],
      [1, 2513],
      [2, 40],
      [3, 2],
    ]);
    expect(bothTop20).toBe(6518);
  });
});

describe("priorityAreas names the deprivation measure it was given", () => {
  const lsoas = [
    { code: "A", name: "Southampton 001A", count: 100, population: 1000, imdDecile: 1, imdRank: 50 },
    { code: "B", name: "Southampton 002A", count: 50, population: 1000, imdDecile: 5, imdRank: 15000 },
  ];

  it("imd-without-crime: params and reasons say so; the ranking itself is the same arithmetic", () => {
    const ex = priorityAreas(lsoas, { deprivation: "imd-without-crime", imdEdition: "2025" });
    expect(ex.params.deprivation).toBe("imd-without-crime");
    expect(ex.params.deprivationMeasure).toBe("IMD 2025 without its crime domain (six domains, weights renormalised)");
    expect(ex.areas[0]!.reason).toMatch(/; IMD-without-crime decile 1 \(in the most deprived 10% in England\)$/);
    expect(ex.areas[1]!.reason).toMatch(/; IMD-without-crime decile 5$/);
    const pub = priorityAreas(lsoas, { deprivation: "imd", imdEdition: "2025" });
    expect(pub.params.deprivationMeasure).toBe("IMD 2025 (published, includes its crime domain)");
    expect(pub.areas[0]!.reason).toMatch(/; IMD decile 1 \(in the most deprived 10% in England\)$/);
    expect(pub.ranked.map((a) => [a.code, a.score])).toEqual(ex.ranked.map((a) => [a.code, a.score]));
  });

  it("defaults to the published IMD's wording (the caller says which measure it passed) and refuses others", () => {
    expect(priorityAreas(lsoas).params.deprivation).toBe("imd");
    expect(deprivationLabel("imd")).toBe("IMD (published, includes its crime domain)");
    expect(() => priorityAreas(lsoas, { deprivation: "imd-ex" as DeprivationMeasure })).toThrow(/deprivation must be "imd-without-crime" or "imd"; got `imd-ex`/);
  });
});
