import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { crimeGroupMonthly } from "./crime-group.ts";
import { trendChange } from "./trend-change.ts";

/** One year's total spread over 12 months, exactly. */
function year(y: number, total: number) {
  const base = Math.floor(total / 12);
  return Array.from({ length: 12 }, (_, i) => ({
    month: `${y}-${String(i + 1).padStart(2, "0")}`,
    count: base + (i < total - base * 12 ? 1 : 0),
  }));
}

describe("trendChange", () => {
  const seed = [
    ...year(2007, 36340),
    ...year(2008, 33000),
    ...year(2009, 30000),
    ...year(2010, 28000),
    ...year(2011, 27214),
  ];

  it("the seed: all crime 36,340 (2007) to 27,214 (2011) is a 25.1% fall, significant", () => {
    const r = trendChange(seed);
    expect(r.latest.period).toBe("2011");
    expect(r.params.periodsAgo).toBe(4);
    const since = r.comparisons.find((c) => c.kind === "periodsAgo")!;
    expect(since.from!.period).toBe("2007");
    expect(since.change).toBe(27214 - 36340);
    expect(since.changePct!).toBeCloseTo(-25.1128, 4);
    expect(since.test!.verdict).toBe("a statistically significant fall (p < 0.001)");
    const prev = r.comparisons.find((c) => c.kind === "previous")!;
    expect(prev.from!.period).toBe("2010");
    expect(prev.change).toBe(-786);
    expect(prev.changePct!).toBeCloseTo((-786 / 28000) * 100, 10);
  });

  it("skips an incomplete latest year and says so", () => {
    const r = trendChange([...year(2023, 120), ...year(2024, 100), ...year(2025, 60).slice(0, 5)]);
    expect(r.latest.period).toBe("2024");
    expect(r.notes.some((n) => /latest period 2025 is incomplete \(5 of 12 months\)/.test(n))).toBe(true);
  });

  it("never compares an incomplete period silently", () => {
    const data = [...year(2023, 120), ...year(2024, 100)];
    data[3] = { month: "2023-04", count: null as unknown as number };
    const r = trendChange(data, { periodsAgo: 1 });
    expect(r.comparisons).toHaveLength(1);
    expect(r.comparisons[0]).toMatchObject({ comparable: false, change: null, test: null });
    expect(r.comparisons[0]!.reason).toBe("incomplete: 2023 has 11 of 12 months");
    const allowed = trendChange(data, { periodsAgo: 1, allowIncomplete: true });
    const c = allowed.comparisons[0]!;
    expect(c.comparable).toBe(true);
    // exposure = months present: 100 over 12 vs (120 - 10) over 11 -> equal monthly rates
    expect(c.test!.rateRatio).toBeCloseTo(100 / 12 / (110 / 11), 12);
  });

  it("months compare with the previous month and the same month last year", () => {
    const data = [...year(2024, 120), ...year(2025, 240)];
    const r = trendChange(data, { period: "month" });
    expect(r.latest.period).toBe("2025-12");
    expect(r.params.periodsAgo).toBe(12);
    expect(r.comparisons.map((c) => [c.from!.period, c.change, c.changePct])).toEqual([
      ["2025-11", 0, 0],
      ["2024-12", 10, 100],
    ]);
  });

  it("rates change with population and the test uses it as exposure", () => {
    const r = trendChange([...year(2024, 100), ...year(2025, 100)], { population: { "2024": 1000, "2025": 2000 }, periodsAgo: 1 });
    const c = r.comparisons[0]!;
    expect(c.change).toBe(0);
    expect(c.rateChange).toBe(50 - 100);
    expect(c.rateChangePct).toBe(-50);
    expect(c.test!.rateRatio).toBeCloseTo(0.5, 12);
  });

  it("a rise from zero has no percentage; one period has nothing to compare", () => {
    const r = trendChange([...year(2024, 0), ...year(2025, 12)], { periodsAgo: 1 });
    expect(r.comparisons[0]!.changePct).toBeNull();
    expect(r.comparisons[0]!.change).toBe(12);
    const one = trendChange(year(2025, 12));
    expect(one.comparisons.every((c) => !c.comparable)).toBe(true);
    expect(one.comparisons[0]!.reason).toBe("no period 1 before 2025 in the data");
  });

  it("all months missing is a clear error", () => {
    expect(() => trendChange([{ month: "2025-01", count: null }])).toThrow(AppError);
    expect(() => trendChange([])).toThrow(/no months with data/);
  });
});

describe("crimeGroupMonthly", () => {
  const rows = [
    { month: "2025-01", crimeType: "Burglary", count: 3 },
    { month: "2025-01", crimeType: "Anti-social behaviour", count: 50 },
    { month: "2025-01", crimeType: "Robbery", count: 2 },
    { month: "2025-02", crimeType: "Anti-social behaviour", count: 7 },
  ];
  it("all crime excludes ASB; a listed month with no rows is 0; unlisted months are left out", () => {
    expect(crimeGroupMonthly(rows, { months: ["2025-01", "2025-02", "2025-03"] })).toEqual([
      { month: "2025-01", count: 5 },
      { month: "2025-02", count: 0 },
      { month: "2025-03", count: 0 },
    ]);
    expect(crimeGroupMonthly(rows, { group: "Anti-social behaviour" })).toEqual([
      { month: "2025-01", count: 50 },
      { month: "2025-02", count: 7 },
    ]);
    expect(crimeGroupMonthly(rows, { months: ["2025-02"] })).toEqual([{ month: "2025-02", count: 0 }]);
  });
  it("custom groups and unknown groups", () => {
    expect(crimeGroupMonthly(rows, { group: "Acquisitive", groups: { Acquisitive: ["Burglary", "Robbery"] } })).toEqual([
      { month: "2025-01", count: 5 },
      { month: "2025-02", count: 0 },
    ]);
    expect(() => crimeGroupMonthly(rows, { group: "Nope" })).toThrow(/unknown crime group/);
  });
});

describe("trendChange default N for years", () => {
  it("two complete years: only the previous-year comparison", () => {
    const monthly = [2024, 2025].flatMap((y) => Array.from({ length: 12 }, (_, i) => ({ month: `${y}-${String(i + 1).padStart(2, "0")}`, count: 10 })));
    const r = trendChange(monthly, { period: "financialYear" });
    // FYs: 2023/24 (Jan-Mar 2024 only), 2024/25 complete, 2025/26 (Apr-Dec 2025): latest complete = 2024/25
    expect(r.latest.period).toBe("2024/25");
    expect(r.params.periodsAgo).toBe(1);
    expect(r.comparisons).toHaveLength(1);
    expect(r.comparisons[0]).toMatchObject({ comparable: false, reason: "incomplete: 2023/24 has 3 of 12 months" });
  });

  it("says when the change compares rates on populations from both sides of the 2021 Census (decision 0024)", () => {
    const r = trendChange([...year(2020, 1200), ...year(2021, 1200)], { period: "calendarYear", population: { "2020": 100_000, "2021": 110_000 } });
    expect(r.notes).toContain(
      "The change from 2020 to 2021 uses population estimates from both sides of the 2021 Census (mid-2020, rolled forward from the 2011 Census; 2021, based on the 2021 Census): part of a change in rate across 2021 can be the new population base, not crime; compare counts there.",
    );
    const same = trendChange([...year(2022, 1200), ...year(2023, 1200)], { period: "calendarYear", population: { "2020": 100_000, "2022": 110_000, "2023": 111_000 } });
    expect(same.notes.some((n) => n.includes("2021 Census"))).toBe(false);
  });
});
