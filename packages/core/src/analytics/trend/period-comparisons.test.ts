import { describe, expect, it } from "vitest";
import { monthRange } from "../../domain/month.ts";
import { periodComparisons, rollingTwelve, yearTotals } from "./period-comparisons.ts";
import { poissonTest } from "./poisson-test.ts";
import { yearOnYear } from "./year-on-year.ts";

const series = (from: string, to: string, count: (m: string, i: number) => number | null) => monthRange(from, to).map((m, i) => ({ month: m, count: count(m, i) }));

describe("rollingTwelve", () => {
  it("sums the 12 months ending at each month from the 12th on", () => {
    // counts 1, 2, 3, ... : the 12 months ending at month k (1-based) sum to 12k - 66
    const r = rollingTwelve(series("2024-01", "2025-03", (_m, i) => i + 1));
    expect(r.map((x) => x.month)).toEqual(monthRange("2024-12", "2025-03"));
    expect(r.map((x) => x.total)).toEqual([78, 90, 102, 114]);
    expect(r.every((x) => x.monthsWithData === 12)).toBe(true);
  });
  it("a missing month (null or absent) makes every total that spans it null, never smaller", () => {
    const monthly = series("2024-01", "2025-06", (m) => (m === "2024-06" ? null : 10)).filter((x) => x.month !== "2025-02");
    const r = rollingTwelve(monthly);
    const by = new Map(r.map((x) => [x.month, x]));
    expect(by.get("2024-12")).toEqual({ month: "2024-12", total: null, monthsWithData: 11 });
    expect(by.get("2025-05")).toEqual({ month: "2025-05", total: null, monthsWithData: 10 }); // spans 2024-06 and 2025-02
    expect(by.get("2025-06")).toEqual({ month: "2025-06", total: null, monthsWithData: 11 }); // spans 2025-02 only
    expect(rollingTwelve([])).toEqual([]);
    // months before the first with data are not listed (a long window read from the roll-up starts with them)
    const late = rollingTwelve([...series("2020-01", "2023-12", () => null), ...series("2024-01", "2024-12", () => 1)]);
    expect(late).toEqual([{ month: "2024-12", total: 12, monthsWithData: 12 }]);
  });
});

describe("yearOnYear with a lag: the same quarter last year", () => {
  it("compares the 3 months to `to` with the same 3 months a year earlier", () => {
    const monthly = series("2024-01", "2025-12", (m) => (m >= "2025-10" ? 30 : m >= "2024-10" && m <= "2024-12" ? 20 : 5));
    const r = yearOnYear(monthly, "2025-12", 3, 12);
    expect([r.current.from, r.current.to, r.previous.from, r.previous.to]).toEqual(["2025-10", "2025-12", "2024-10", "2024-12"]);
    expect([r.current.count, r.previous.count, r.change]).toEqual([90, 60, 30]);
    expect(r.current.label).toBe("the 3 months to December 2025");
    expect(r.test).toEqual(poissonTest(90, 3, 60, 3));
    expect(() => yearOnYear(monthly, "2025-12", 3, 2)).toThrow(/overlap/);
    // the default lag is still the length: the 3 months before
    expect(yearOnYear(monthly, "2025-12", 3).previous.from).toBe("2025-07");
  });
});

describe("yearTotals", () => {
  it("financial years April–March with the change against the year before", () => {
    // 2022-04 .. 2025-03: three complete financial years of 10, 20 and 15 a month
    const monthly = series("2022-04", "2025-03", (m) => (m <= "2023-03" ? 10 : m <= "2024-03" ? 20 : 15));
    const r = yearTotals(monthly, "financial");
    expect(r.map((y) => [y.year, y.from, y.to, y.count, y.complete])).toEqual([
      ["2022/23", "2022-04", "2023-03", 120, true],
      ["2023/24", "2023-04", "2024-03", 240, true],
      ["2024/25", "2024-04", "2025-03", 180, true],
    ]);
    expect(r[0]!.change).toBeNull();
    expect(r[1]!.change!.test).toEqual(poissonTest(240, 12, 120, 12));
    expect(r[2]!.change!.change).toBe(-60);
    expect(r[2]!.change!.test!.direction).toBe("fall");
  });
  it("calendar years; a partial year says so and compares only months with data in both years", () => {
    const monthly = series("2023-01", "2025-05", () => 10);
    const r = yearTotals(monthly, "calendar");
    expect(r.map((y) => [y.year, y.count, y.monthsWithData, y.complete])).toEqual([
      ["2023", 120, 12, true],
      ["2024", 120, 12, true],
      ["2025", 50, 5, false],
    ]);
    expect(r[2]!.change!.comparableMonths).toEqual(monthRange("2025-01", "2025-05"));
    expect(r[2]!.change!.current.label).toBe("the 12 months to December 2025 (5 months with data in both years)");
    expect([r[2]!.change!.current.count, r[2]!.change!.previous.count]).toEqual([50, 50]);
  });
  it("at most maxYears, latest last; the first listed still compares with an earlier year that has data", () => {
    const monthly = series("2019-01", "2025-12", () => 1);
    const r = yearTotals(monthly, "calendar", 3);
    expect(r.map((y) => y.year)).toEqual(["2023", "2024", "2025"]);
    expect(r[0]!.change!.previous.count).toBe(12);
    expect(yearTotals([], "calendar")).toEqual([]);
    expect(() => yearTotals(monthly, "calendar", 0)).toThrow(/1 to 20/);
  });
});

describe("periodComparisons", () => {
  it("ignores months after `to` and gathers every comparison", () => {
    const monthly = series("2023-01", "2026-02", (m) => (m > "2025-12" ? 1000 : 10));
    const r = periodComparisons(monthly, "2025-12");
    expect(r.sameQuarterLastYear.current.count).toBe(30);
    expect(r.rolling12.at(-1)).toEqual({ month: "2025-12", total: 120, monthsWithData: 12 });
    expect(r.calendarYears.map((y) => y.count)).toEqual([120, 120, 120]);
    expect(r.financialYears.at(-1)).toMatchObject({ year: "2025/26", count: 90, monthsWithData: 9, complete: false });
  });
});
