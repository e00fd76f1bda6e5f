import { describe, expect, it } from "vitest";
import {
  addPeriods,
  comparePeriods,
  formatPeriod,
  periodIndex,
  periodMonths,
  periodOfMonth,
  periodOfType,
  periodRange,
  periodsBetween,
  periodType,
  samePeriodLastYear,
} from "./periods.ts";

describe("periodType and periodOfType", () => {
  it("recognises the three forms", () => {
    expect(periodType("2025-07")).toBe("month");
    expect(periodType("2025-Q3")).toBe("quarter");
    expect(periodType("2025/26")).toBe("financial_year");
    expect(periodType("1999/00")).toBe("financial_year");
    for (const bad of ["2025-13", "2025-7", "2025-Q5", "2025Q1", "2025/27", "2025-26", "25/26", ""]) expect(periodType(bad)).toBeNull();
  });
  it("says what was expected and what was given", () => {
    expect(periodOfType("quarter", "2025-Q1")).toBe("2025-Q1");
    expect(() => periodOfType("quarter", "2025-07", "deadline")).toThrow(
      "deadline must be a calendar quarter written YYYY-Qn (e.g. 2025-Q3); got `2025-07` (that is a month; this indicator counts by quarter)",
    );
    expect(() => periodOfType("month", "July 2025")).toThrow("period must be a month written YYYY-MM (e.g. 2025-07); got `July 2025`");
    expect(() => periodOfType("financial_year", "2025/27", "baseline period")).toThrow(
      "baseline period `2025/27` is not a financial year: it must end the year after it starts; write 2025/26",
    );
    expect(() => periodOfType("week" as never, "2025-07")).toThrow(/period type must be one of month, quarter, financial_year/);
  });
});

describe("period arithmetic", () => {
  it("indexes each type so consecutive periods differ by 1", () => {
    expect(periodIndex("2025-01") - periodIndex("2024-12")).toBe(1);
    expect(periodIndex("2025-Q1")).toBe(2025 * 4);
    expect(periodIndex("2025-Q1") - periodIndex("2024-Q4")).toBe(1);
    expect(periodIndex("2025/26")).toBe(2025);
    for (const p of ["2025-07", "2025-Q3", "2025/26", "2099/00"]) expect(formatPeriod(periodType(p)!, periodIndex(p))).toBe(p);
  });
  it("goes back a year by type", () => {
    expect(samePeriodLastYear("2025-03")).toBe("2024-03");
    expect(samePeriodLastYear("2025-Q1")).toBe("2024-Q1");
    expect(samePeriodLastYear("2025/26")).toBe("2024/25");
    expect(samePeriodLastYear("2000/01")).toBe("1999/00");
  });
  it("counts, lists and adds periods", () => {
    expect(periodsBetween("2025-Q1", "2026-Q2")).toBe(5);
    expect(periodsBetween("2025-11", "2025-02")).toBe(-9);
    expect(periodRange("2024-Q4", "2025-Q2")).toEqual(["2024-Q4", "2025-Q1", "2025-Q2"]);
    expect(periodRange("2025/26", "2024/25")).toEqual([]);
    expect(addPeriods("2025-Q4", 1)).toBe("2026-Q1");
    expect(addPeriods("2025-01", -1)).toBe("2024-12");
    expect(addPeriods("2025/26", 2)).toBe("2027/28");
  });
  it("compares periods of one type only", () => {
    expect(comparePeriods("2025-Q2", "2025-Q3")).toBeLessThan(0);
    expect(comparePeriods("2025/26", "2025/26")).toBe(0);
    expect(() => comparePeriods("2025-07", "2025-Q3")).toThrow("periods `2025-07` and `2025-Q3` are of different types (month, quarter); compare periods of one type");
    expect(() => periodsBetween("2025-07", "nonsense")).toThrow(/period must be a month written YYYY-MM.*got `nonsense`/);
  });
  it("maps months to their quarter and financial year and back", () => {
    expect(periodOfMonth("quarter", "2025-05")).toBe("2025-Q2");
    expect(periodOfMonth("financial_year", "2025-03")).toBe("2024/25");
    expect(periodOfMonth("financial_year", "2025-04")).toBe("2025/26");
    expect(periodOfMonth("month", "2025-04")).toBe("2025-04");
    expect(periodMonths("2025-Q3")).toEqual({ from: "2025-07", to: "2025-09" });
    expect(periodMonths("2025/26")).toEqual({ from: "2025-04", to: "2026-03" });
  });
});
