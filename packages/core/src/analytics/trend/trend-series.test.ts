import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { trendSeries } from "./trend-series.ts";

const months = (from: string, counts: (number | null)[]) => {
  const [y, m] = from.split("-").map(Number) as [number, number];
  return counts.map((count, i) => {
    const idx = y * 12 + m - 1 + i;
    return { month: `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`, count };
  });
};

describe("trendSeries", () => {
  it("sums quarters and flags a missing month as incomplete, never as zero", () => {
    const r = trendSeries(months("2024-01", [1, 2, 3, 4, null, 6]), { period: "quarter" });
    expect(r.periods.map((p) => [p.period, p.count, p.monthsPresent, p.complete])).toEqual([
      ["2024-Q1", 6, 3, true],
      ["2024-Q2", 10, 2, false],
    ]);
    expect(r.periods[1]!.missingMonths).toEqual(["2024-05"]);
    expect(r.notes).toContain("Incomplete periods (months missing): 2024-Q2.");
  });

  it("a month absent from the array is missing too", () => {
    const r = trendSeries(
      [
        { month: "2024-03", count: 5 },
        { month: "2024-01", count: 1 },
      ],
      { period: "calendarYear" },
    );
    expect(r.periods[0]).toMatchObject({ period: "2024", count: 6, monthsPresent: 2, complete: false });
    expect(r.periods[0]!.missingMonths).toContain("2024-02");
  });

  it("financial years run April to March with labels like 2024/25", () => {
    const r = trendSeries(months("2024-01", Array(16).fill(10)), { period: "financialYear" });
    expect(r.periods.map((p) => [p.period, p.start, p.end, p.count, p.monthsPresent])).toEqual([
      ["2023/24", "2023-04", "2024-03", 30, 3],
      ["2024/25", "2024-04", "2025-03", 120, 12],
      ["2025/26", "2025-04", "2026-03", 10, 1],
    ]);
    expect(r.periods[1]!.complete).toBe(true);
  });

  it("rates per 1,000 use the estimate for the year of the period's first month", () => {
    const r = trendSeries(months("2024-01", Array(24).fill(100)), {
      period: "calendarYear",
      population: { "2024": 200_000, "2025": 250_000 },
    });
    // 1,200 / 200,000 * 1,000 = 6; 1,200 / 250,000 * 1,000 = 4.8
    expect(r.periods.map((p) => p.rate)).toEqual([6, 4.8]);
    expect(r.params.population).toBe("by year");
  });

  it("falls back to the nearest year's population and says so", () => {
    const r = trendSeries(months("2025-01", [10]), { population: { "2022": 1000 } });
    expect(r.periods[0]!.rate).toBe(10);
    expect(r.notes).toContain("No population for 2025: the 2022 estimate is used.");
  });

  it("matches each period to the estimate nearest its middle and says which (decision 0024)", () => {
    const r = trendSeries(months("2024-08", Array(12).fill(10)), { population: { "2024": 1000, "2025": 2000 } });
    // 12 months Aug 2024 to Jul 2025: middle 1 Feb 2025 -> mid-2025 (the first month's year would give 2024)
    expect(r.rolling.map((p) => [p.period, p.populationYear, p.rate])).toEqual([["12 months to 2025-07", "2025", 60]]);
    // months: their own year
    expect(r.periods.map((p) => p.populationYear)).toEqual([...Array(5).fill("2024"), ...Array(7).fill("2025")]);
    const q = trendSeries(months("2024-04", Array(12).fill(10)), { period: "financialYear", population: { "2024": 1000, "2025": 2000 } });
    expect(q.periods.map((p) => [p.period, p.populationYear])).toEqual([["2024/25", "2024"]]);
  });

  it("flags rates on populations from both sides of the 2021 Census", () => {
    const r = trendSeries(months("2020-01", Array(36).fill(10)), { period: "calendarYear", population: { "2020": 1000, "2021": 1100, "2022": 1200 } });
    expect(r.periods.map((p) => p.populationYear)).toEqual(["2020", "2021", "2022"]);
    expect(r.notes.find((n) => n.startsWith("The rates of this series"))).toBe(
      "The rates of this series use population estimates from both sides of the 2021 Census (mid-2020, rolled forward from the 2011 Census; 2021, mid-2022, based on the 2021 Census): part of a change in rate across 2021 can be the new population base, not crime; compare counts there.",
    );
    const after = trendSeries(months("2021-01", Array(24).fill(10)), { period: "calendarYear", population: { "2020": 1000, "2021": 1100, "2022": 1200 } });
    expect(after.notes.some((n) => n.includes("2021 Census"))).toBe(false);
  });

  it("rolling 12-month sums start at the first full window", () => {
    const counts = Array.from({ length: 14 }, (_, i) => i + 1); // 1..14
    const r = trendSeries(months("2024-01", counts));
    expect(r.rolling.map((p) => [p.end, p.count])).toEqual([
      ["2024-12", 78],
      ["2025-01", 90],
      ["2025-02", 102],
    ]);
    expect(r.params).toEqual({ period: "month", rollingMonths: 12, ratePer: 1000, population: "none", from: "2024-01", to: "2025-02" });
  });

  it("a period with no month present has count null (not 0) and rate null", () => {
    const r = trendSeries(months("2024-01", [5, null, null, null, 7]), { period: "quarter", population: 1000 });
    expect(r.periods.map((p) => p.count)).toEqual([5, 7]);
    const r2 = trendSeries(months("2024-01", [null, null, null, 1]), { period: "quarter", population: 1000 });
    expect(r2.periods[0]).toMatchObject({ count: null, rate: null, monthsPresent: 0 });
  });

  it("degenerate input: empty gives an empty series with a note; one month works", () => {
    const empty = trendSeries([]);
    expect(empty.periods).toEqual([]);
    expect(empty.notes).toEqual(["No monthly counts were given."]);
    const one = trendSeries([{ month: "2025-01", count: 0 }], { population: 100 });
    expect(one.periods).toHaveLength(1);
    expect(one.periods[0]!.rate).toBe(0);
    expect(one.rolling).toEqual([]);
  });

  it("rejects bad months, duplicates, negative counts and unknown periods", () => {
    expect(() => trendSeries([{ month: "2024/05", count: 1 }])).toThrow(/YYYY-MM/);
    expect(() => trendSeries([{ month: "2024-05", count: 1 }, { month: "2024-05", count: 2 }])).toThrow(/twice/);
    expect(() => trendSeries([{ month: "2024-05", count: -1 }])).toThrow(AppError);
    // @ts-expect-error deliberate bad period
    expect(() => trendSeries([], { period: "week" })).toThrow(/period must be one of/);
  });
});
