import { describe, expect, it } from "vitest";
import { findNonFinite } from "../analytics/stats/check.ts";
import { directionOfTravel, formatValue, offTargetPercent, targetGoal, targetPerformance, withUnit } from "./performance.ts";
import type { Indicator, IndicatorValue, Polarity, RagRule, Target } from "./plan.types.ts";

function indicator(over: Partial<Indicator> = {}): Indicator {
  return {
    id: 1,
    key: "violence",
    name: "Violence against the person",
    unit: "number",
    polarity: "lower_is_better",
    periodType: "quarter",
    ragRule: "default",
    tolerancePercent: 5,
    source: "imported",
    derived: null,
    demo: false,
    ...over,
  };
}

function target(over: Partial<Target> = {}): Target {
  return {
    id: 7,
    planId: 1,
    priorityId: 1,
    indicatorId: 1,
    baselinePeriod: "2024-Q1",
    baselineValue: 100,
    kind: "value",
    targetValue: 100,
    deadline: "2026-Q1",
    tolerancePercent: null,
    rowVersion: 1,
    ...over,
  };
}

/** Last year's 2024-Q2 and this year's 2025-Q2 values (null leaves the period out). */
function pair(lastYear: number | null, latest: number): IndicatorValue[] {
  return [...(lastYear === null ? [] : [{ period: "2024-Q2", value: lastYear }]), { period: "2025-Q2", value: latest }];
}

describe("targetGoal", () => {
  it("takes a value target as it is and changes the baseline for a change target", () => {
    expect(targetGoal({ kind: "value", targetValue: 250, baselineValue: 999 })).toBe(250);
    expect(targetGoal({ kind: "change_percent", targetValue: -4, baselineValue: 1000 })).toBe(960);
    expect(targetGoal({ kind: "change_percent", targetValue: 10, baselineValue: 250 })).toBe(275);
    expect(() => targetGoal({ kind: "ratio" as never, targetValue: 1, baselineValue: 1 })).toThrow("target kind must be value or change_percent; got `ratio`");
  });
});

describe("direction and off-target gap", () => {
  it("reads the change by polarity", () => {
    expect(directionOfTravel(90, 100, "lower_is_better")).toBe("improving");
    expect(directionOfTravel(110, 100, "lower_is_better")).toBe("worsening");
    expect(directionOfTravel(90, 100, "higher_is_better")).toBe("worsening");
    expect(directionOfTravel(110, 100, "higher_is_better")).toBe("improving");
    expect(directionOfTravel(100, 100, "higher_is_better")).toBe("no_change");
    expect(directionOfTravel(100, null, "higher_is_better")).toBe("no_comparison");
  });
  it("measures only the wrong side, as a percent of the goal", () => {
    expect(offTargetPercent(1008, 960, "lower_is_better")).toBe(5); // 48 / 960
    expect(offTargetPercent(900, 960, "lower_is_better")).toBe(0);
    expect(offTargetPercent(90, 120, "higher_is_better")).toBe(25);
    expect(offTargetPercent(1, 0, "lower_is_better")).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("targetPerformance RAG", () => {
  const cases: Array<{ polarity: Polarity; rule: RagRule; lastYear: number | null; latest: number; rag: string; reason: string }> = [
    // lower is better, goal 100, tolerance 5%
    { polarity: "lower_is_better", rule: "default", lastYear: 110, latest: 95, rag: "green", reason: "On target: 95 in 2025-Q2 against a target of at most 100." },
    { polarity: "lower_is_better", rule: "default", lastYear: 90, latest: 105, rag: "green", reason: "5.0% above the target of 100 (105 in 2025-Q2), within the 5% tolerance." },
    { polarity: "lower_is_better", rule: "default", lastYear: 120, latest: 110, rag: "amber", reason: "10.0% above the target of 100 (110 in 2025-Q2), beyond the 5% tolerance, but improving on 120 in 2024-Q2." },
    { polarity: "lower_is_better", rule: "default", lastYear: 105, latest: 110, rag: "red", reason: "10.0% above the target of 100 (110 in 2025-Q2), beyond the 5% tolerance and not improving (worse than 105 in 2024-Q2)." },
    { polarity: "lower_is_better", rule: "default", lastYear: 110, latest: 110, rag: "red", reason: "10.0% above the target of 100 (110 in 2025-Q2), beyond the 5% tolerance and not improving (no better than 110 in 2024-Q2)." },
    { polarity: "lower_is_better", rule: "default", lastYear: null, latest: 110, rag: "red", reason: "10.0% above the target of 100 (110 in 2025-Q2), beyond the 5% tolerance and not improving (with no value for 2024-Q2 to show improvement)." },
    { polarity: "lower_is_better", rule: "strict", lastYear: 110, latest: 100, rag: "green", reason: "On target: 100 in 2025-Q2 against a target of at most 100." },
    { polarity: "lower_is_better", rule: "strict", lastYear: 120, latest: 104, rag: "amber", reason: "4.0% above the target of 100 (104 in 2025-Q2): within the 5% tolerance, but the strict rule is green only on target." },
    { polarity: "lower_is_better", rule: "strict", lastYear: 120, latest: 110, rag: "red", reason: "10.0% above the target of 100 (110 in 2025-Q2), beyond the 5% tolerance." },
    // higher is better, goal 100, tolerance 5%
    { polarity: "higher_is_better", rule: "default", lastYear: 90, latest: 101, rag: "green", reason: "On target: 101 in 2025-Q2 against a target of at least 100." },
    { polarity: "higher_is_better", rule: "default", lastYear: 99, latest: 96, rag: "green", reason: "4.0% below the target of 100 (96 in 2025-Q2), within the 5% tolerance." },
    { polarity: "higher_is_better", rule: "default", lastYear: 80, latest: 90, rag: "amber", reason: "10.0% below the target of 100 (90 in 2025-Q2), beyond the 5% tolerance, but improving on 80 in 2024-Q2." },
    { polarity: "higher_is_better", rule: "default", lastYear: 95, latest: 90, rag: "red", reason: "10.0% below the target of 100 (90 in 2025-Q2), beyond the 5% tolerance and not improving (worse than 95 in 2024-Q2)." },
    { polarity: "higher_is_better", rule: "strict", lastYear: 90, latest: 100, rag: "green", reason: "On target: 100 in 2025-Q2 against a target of at least 100." },
    { polarity: "higher_is_better", rule: "strict", lastYear: 99, latest: 95, rag: "amber", reason: "5.0% below the target of 100 (95 in 2025-Q2): within the 5% tolerance, but the strict rule is green only on target." },
    { polarity: "higher_is_better", rule: "strict", lastYear: 80, latest: 90, rag: "red", reason: "10.0% below the target of 100 (90 in 2025-Q2), beyond the 5% tolerance." },
  ];
  for (const c of cases) {
    it(`${c.polarity}, ${c.rule}: ${c.lastYear} -> ${c.latest} is ${c.rag}`, () => {
      const p = targetPerformance(target(), indicator({ polarity: c.polarity, ragRule: c.rule }), pair(c.lastYear, c.latest));
      expect(p.rag).toBe(c.rag);
      expect(p.ragReason).toBe(c.reason);
    });
  }
  it("is no_data without a value, for both rules", () => {
    for (const ragRule of ["default", "strict"] as const) {
      const p = targetPerformance(target(), indicator({ ragRule }), []);
      expect(p).toMatchObject({ rag: "no_data", latest: null, change: null, direction: "no_comparison", significance: null, forecast: null });
      expect(p.ragReason).toBe("No value has been recorded for this indicator yet.");
    }
  });
  it("takes the tolerance from the target before the indicator", () => {
    expect(targetPerformance(target({ tolerancePercent: 10 }), indicator(), pair(105, 110)).rag).toBe("green");
    expect(targetPerformance(target({ tolerancePercent: 0 }), indicator(), pair(90, 101)).rag).toBe("red");
    expect(() => targetPerformance(target({ tolerancePercent: -1 }), indicator(), [])).toThrow("tolerance for target 7 must be a percent of 0 or more; got -1");
  });
  it("resolves a change target (baseline 1000, -4% -> 960) and is green exactly at the tolerance", () => {
    const t = target({ kind: "change_percent", baselineValue: 1000, targetValue: -4 });
    const p = targetPerformance(t, indicator(), pair(1100, 1008)); // 48 / 960 = 5.0%
    expect(p.goal).toBe(960);
    expect(p.rag).toBe("green");
    expect(p.ragReason).toBe("5.0% above the target of 960 (1,008 in 2025-Q2), within the 5% tolerance.");
    expect(targetPerformance(t, indicator(), pair(1100, 1009)).rag).toBe("amber"); // 49 / 960 = 5.1%, improving on 1100
  });
});

describe("targetPerformance latest, change and significance", () => {
  it("takes the last period with a value and compares the same period a year before", () => {
    const series = [
      { period: "2025-Q1", value: 130 },
      { period: "2024-Q1", value: 100 },
      { period: "2024-Q4", value: 120 },
    ];
    const p = targetPerformance(target({ targetValue: 200 }), indicator({ polarity: "higher_is_better" }), series);
    expect(p.latest).toEqual({ period: "2025-Q1", value: 130 });
    expect(p.change).toEqual({ from: { period: "2024-Q1", value: 100 }, absolute: 30, percent: 30 });
    expect(p.direction).toBe("improving");
    expect(p.significance).toBeNull(); // not a count indicator
    expect(targetPerformance(target(), indicator(), pair(0, 5)).change).toEqual({ from: { period: "2024-Q2", value: 0 }, absolute: 5, percent: null });
  });
  it("tests counts with the exact Poisson test, two-sided", () => {
    // 20 this year vs 40 last year: given 60, 20 ~ Binomial(60, 1/2) under no change;
    // p = 2 · Σ_{k<=20} C(60, k) / 2^60, summed exactly here.
    let sum = 0n;
    let c = 1n;
    for (let k = 0n; k <= 20n; k++) {
      sum += c;
      c = (c * (60n - k)) / (k + 1n);
    }
    const expected = (2 * Number(sum)) / 2 ** 60;
    const p = targetPerformance(target(), indicator({ unit: "count" }), pair(40, 20));
    expect(p.significance!.pValue).toBeCloseTo(expected, 12);
    expect(p.significance!.significant).toBe(expected < 0.05);
    expect(p.significance!.method).toMatch(/^exact conditional binomial test \(R poisson.test\), two-sided, alpha 0.05: a statistically significant fall/);
    expect(targetPerformance(target(), indicator({ unit: "count" }), pair(40, 38)).significance!.significant).toBe(false);
    expect(targetPerformance(target(), indicator({ unit: "count" }), pair(null, 38)).significance).toBeNull();
  });
  it("refuses values that do not fit the indicator", () => {
    expect(() => targetPerformance(target(), indicator({ unit: "count" }), pair(40, 20.5))).toThrow(
      "indicator violence counts, so its value for 2025-Q2 must be a whole number of 0 or more; got 20.5",
    );
    expect(() => targetPerformance(target(), indicator(), [{ period: "2025-06", value: 1 }])).toThrow(/indicator violence value period must be a calendar quarter/);
    expect(() => targetPerformance(target(), indicator(), [...pair(1, 2), { period: "2025-Q2", value: 3 }])).toThrow("indicator violence has two values for 2025-Q2; keep one value per period");
    expect(() => targetPerformance(target({ deadline: "2026-03" }), indicator(), [])).toThrow(/target 7 deadline must be a calendar quarter/);
  });
});

describe("targetPerformance forecast", () => {
  // 10, 12, 15, 17 in 2024-Q1..Q4: the line 9.9 + 2.4x (see forecast.test.ts); deadline 2025-Q2 is x = 5.
  const series = [10, 12, 15, 17].map((value, i) => ({ period: `2024-Q${i + 1}`, value }));
  it("forecasts to the deadline with a 95% interval", () => {
    const f = targetPerformance(target({ deadline: "2025-Q2" }), indicator(), series).forecast!;
    expect(f.period).toBe("2025-Q2");
    expect(f.value).toBeCloseTo(21.9, 10);
    expect(f.level).toBe(0.95);
    expect(f.upper - f.lower).toBeCloseTo(2 * 2.617202, 5);
  });
  it("gives none once the deadline is reached or with fewer than 4 values", () => {
    expect(targetPerformance(target({ deadline: "2024-Q4" }), indicator(), series).forecast).toBeNull();
    expect(targetPerformance(target({ deadline: "2025-Q2" }), indicator(), series.slice(1)).forecast).toBeNull();
  });
});

describe("targetPerformance on a goal of 0", () => {
  it("is green at 0 and off target by any amount above it, with no NaN or Infinity in the result", () => {
    const zero = target({ targetValue: 0 });
    expect(targetPerformance(zero, indicator(), pair(3, 0)).rag).toBe("green");
    const p = targetPerformance(zero, indicator(), pair(3, 1)); // improving on 3, but the gap has no percent
    expect(p.rag).toBe("amber");
    expect(p.ragReason).toBe("Above the target of 0 (1 in 2025-Q2), beyond the 5% tolerance, but improving on 3 in 2024-Q2.");
    expect(findNonFinite(p)).toEqual([]);
    expect(findNonFinite(targetPerformance(zero, indicator({ unit: "count" }), pair(0, 2)))).toEqual([]);
  });
});

describe("formatValue", () => {
  it("groups thousands and keeps at most 2 decimals", () => {
    expect(formatValue(1040)).toBe("1,040");
    expect(formatValue(12.345)).toBe("12.35");
    expect(formatValue(7.5)).toBe("7.5");
    expect(formatValue(-3)).toBe("-3");
  });
});

describe("targetPerformance figures that cannot be negative", () => {
  // 30, 20, 10, 5 in 2024-Q1..Q4: xbar 1.5, ybar 16.25, Sxy -42.5, Sxx 5, so slope -8.5 and intercept 29;
  // at 2025-Q1 (x = 4) the line is 29 - 34 = -5; SSE 7.5 (residuals 1, -0.5, -2, 1.5), s = sqrt(3.75),
  // se = s * sqrt(1 + 1/4 + 2.5²/5) = s * sqrt(2.5), t(0.975, 2) = 4.302653: interval -5 ± 13.17401.
  const falling = [30, 20, 10, 5].map((value, i) => ({ period: `2024-Q${i + 1}`, value }));
  const half = 4.302653 * Math.sqrt(3.75) * Math.sqrt(2.5);
  it("floors a count's forecast and its interval at 0 and says so", () => {
    const f = targetPerformance(target({ deadline: "2025-Q1" }), indicator({ unit: "count" }), falling).forecast!;
    expect(f.value).toBe(0);
    expect(f.lower).toBe(0);
    expect(f.upper).toBeCloseTo(-5 + half, 4);
    expect(f.method).toContain("the line reaches -5 in 2025-Q1");
    expect(f.method).toContain("a count cannot be below 0");
  });
  it("floors rates and percentages at 0 and ranks at 1, and leaves a plain number alone", () => {
    for (const unit of ["rate_per_1000", "percent"] as const)
      expect(targetPerformance(target({ deadline: "2025-Q1" }), indicator({ unit }), falling).forecast!.value).toBe(0);
    const rank = targetPerformance(target({ deadline: "2025-Q1" }), indicator({ unit: "rank" }), [9, 7, 4, 3].map((value, i) => ({ period: `2024-Q${i + 1}`, value })));
    // 9, 7, 4, 3: slope -2.1, intercept 8.9 (ybar 5.75 + 2.1 * 1.5); at x = 4: 0.5, below the best rank of 1.
    expect(rank.forecast!.value).toBe(1);
    expect(rank.forecast!.lower).toBe(1);
    const plain = targetPerformance(target({ deadline: "2025-Q1" }), indicator({ unit: "number" }), falling).forecast!;
    expect(plain.value).toBeCloseTo(-5, 10);
    expect(plain.lower).toBeCloseTo(-5 - half, 4);
  });
  it("gives no percent change for a rank (a move from 6th to 7th is one place, not +16.7%)", () => {
    const p = targetPerformance(target(), indicator({ unit: "rank" }), pair(6, 7));
    expect(p.change).toEqual({ from: { period: "2024-Q2", value: 6 }, absolute: 1, percent: null });
  });
});

describe("withUnit", () => {
  it("writes each unit so a value cannot be misread", () => {
    expect(withUnit("23.8", "percent")).toBe("23.8%");
    expect(withUnit("−2.6", "percent", "change")).toBe("−2.6 points");
    expect(withUnit("2.67", "rate_per_1000")).toBe("2.67 per 1,000 residents");
    expect(withUnit("+0.12", "rate_per_1000", "change")).toBe("+0.12 per 1,000 residents");
    expect(withUnit("7", "rank")).toBe("rank 7");
    expect(withUnit("+1", "rank", "change")).toBe("+1 places");
    expect(withUnit("786", "count")).toBe("786");
    expect(withUnit("1.5", "number")).toBe("1.5");
  });
});

describe("ragReason with the indicator's unit", () => {
  it("writes a percentage's values with % so the gap (a percent of the goal) is not read as points", () => {
    const pct = indicator({ unit: "percent" });
    // 23.8 against at most 25: on target
    expect(targetPerformance(target({ targetValue: 25 }), pct, pair(26.4, 23.8)).ragReason).toBe("On target: 23.8% in 2025-Q2 against a target of at most 25%.");
    // 27.5 against 25 is (27.5 - 25) / 25 = 10% of the goal above it, up from 26.4: red
    expect(targetPerformance(target({ targetValue: 25 }), pct, pair(26.4, 27.5)).ragReason).toBe(
      "10.0% above the target of 25% (27.5% in 2025-Q2), beyond the 5% tolerance and not improving (worse than 26.4% in 2024-Q2).",
    );
    // a rate: 2.2 per 1,000 against 2 is 10% above, improving on 2.5: amber
    expect(targetPerformance(target({ targetValue: 2 }), indicator({ unit: "rate_per_1000" }), pair(2.5, 2.2)).ragReason).toBe(
      "10.0% above the target of 2 per 1,000 residents (2.2 per 1,000 residents in 2025-Q2), beyond the 5% tolerance, but improving on 2.5 per 1,000 residents in 2024-Q2.",
    );
  });
});
