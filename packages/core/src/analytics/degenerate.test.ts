/**
 * Every analytic on degenerate input (empty, one month, all equal, all zero): a clear result or an
 * AppError, never NaN or Infinity anywhere in the output (checked by walking the result, since
 * JSON.stringify would hide NaN as null).
 */
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { concentration } from "./concentration/concentration.ts";
import { narrateAssessment } from "./narrative/narrate-assessment.ts";
import { peerCompare } from "./peer/peer-compare.ts";
import { peerSimilarity } from "./peer/peer-similarity.ts";
import { priorityAreas } from "./priority/priority-areas.ts";
import { priorityHotspotOverlap } from "./priority/priority-hotspot-overlap.ts";
import { seasonalProfile } from "./season/seasonal-profile.ts";
import { findNonFinite } from "./stats/check.ts";
import { poissonTest } from "./trend/poisson-test.ts";
import { trendChange } from "./trend/trend-change.ts";
import { TREND_PERIODS } from "./trend/monthly.ts";
import { trendSeries } from "./trend/trend-series.ts";

const series = (n: number, value: number | ((i: number) => number)) =>
  Array.from({ length: n }, (_, i) => ({
    month: `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
    count: typeof value === "number" ? value : value(i),
  }));

/** Runs `fn`; passes when it returns a fully finite result or throws an AppError. */
function clear(fn: () => unknown): "result" | "error" {
  let out: unknown;
  try {
    out = fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message.length).toBeGreaterThan(10);
    return "error";
  }
  expect(findNonFinite(out)).toEqual([]);
  return "result";
}

const inputs = {
  empty: [],
  oneMonth: series(1, 5),
  oneZeroMonth: series(1, 0),
  allEqual: series(36, 7),
  allZero: series(36, 0),
  withGaps: series(36, (i) => i).map((m, i) => (i % 5 === 0 ? { ...m, count: null } : m)),
};

describe("degenerate monthly input", () => {
  for (const [name, monthly] of Object.entries(inputs)) {
    it(`${name}: trendSeries, trendChange, seasonalProfile`, () => {
      for (const period of TREND_PERIODS) {
        expect(clear(() => trendSeries(monthly, { period, population: 1000 }))).toBe("result");
        clear(() => trendChange(monthly, { period, population: { "2020": 1000 } }));
      }
      expect(clear(() => seasonalProfile(monthly))).toBe("result");
    });
  }
  it("empty input to trendChange is an error, to trendSeries an empty result", () => {
    expect(clear(() => trendChange([]))).toBe("error");
    expect(clear(() => trendSeries([]))).toBe("result");
  });
});

describe("degenerate counts", () => {
  it("poissonTest on zeros and extremes", () => {
    for (const [a, b] of [[0, 0], [0, 1], [1, 0], [0, 100000], [100000, 0]] as const) {
      expect(clear(() => poissonTest(a, 1, b, 1))).toBe("result");
    }
  });
  it("concentration, peers, priority, overlap, narrative", () => {
    expect(clear(() => concentration([]))).toBe("error");
    for (const c of [[0], [3], [0, 0, 0], [2, 2, 2]]) expect(clear(() => concentration(c))).toBe("result");
    const equalPeers = [
      { code: "A", name: "A", count: 0, population: 10 },
      { code: "B", name: "B", count: 0, population: 10 },
    ];
    expect(clear(() => peerCompare(equalPeers, "A"))).toBe("result");
    expect(clear(() => peerCompare([equalPeers[0]!], "A"))).toBe("error");
    expect(clear(() => peerCompare([{ ...equalPeers[0]!, population: 0 }, equalPeers[1]!], "A"))).toBe("error");
    const flat = [
      { code: "A", name: "A", indicators: { x: 1 } },
      { code: "B", name: "B", indicators: { x: 1 } },
    ];
    expect(clear(() => peerSimilarity(flat, "A"))).toBe("error");
    const lsoa = { code: "L", name: "L", count: 0, population: 100, imdDecile: 5 };
    expect(clear(() => priorityAreas([lsoa]))).toBe("result");
    expect(clear(() => priorityAreas([lsoa, { ...lsoa, code: "M" }]))).toBe("result");
    expect(clear(() => priorityHotspotOverlap([], []))).toBe("result");
    expect(clear(() => narrateAssessment({ changes: [{ subject: "X", from: { label: "a", count: 0 }, to: { label: "b", count: 0 } }] }))).toBe("result");
  });
});
