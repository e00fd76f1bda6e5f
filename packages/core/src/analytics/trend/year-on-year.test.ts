import { describe, expect, it } from "vitest";
import { monthRange } from "../../domain/month.ts";
import { poissonTest } from "./poisson-test.ts";
import { yearOnYear } from "./year-on-year.ts";

const series = (from: string, to: string, count: (m: string, i: number) => number | null) => monthRange(from, to).map((m, i) => ({ month: m, count: count(m, i) }));

describe("yearOnYear", () => {
  it("the latest 12 months against the 12 before, with the exact Poisson test", () => {
    const monthly = series("2024-01", "2025-12", (m) => (m < "2025-01" ? 100 : 90));
    const r = yearOnYear(monthly, "2025-12");
    expect(r.current).toEqual({ from: "2025-01", to: "2025-12", label: "the 12 months to December 2025", count: 1080 });
    expect(r.previous).toEqual({ from: "2024-01", to: "2024-12", label: "the 12 months to December 2024", count: 1200 });
    expect([r.comparable, r.change, r.comparableMonths.length, r.leftOut]).toEqual([true, -120, 12, []]);
    expect(r.changePct).toBeCloseTo(-10, 12);
    expect(r.test).toEqual(poissonTest(1080, 12, 1200, 12));
    expect(r.test!.direction).toBe("fall");
    expect(r.test!.significant).toBe(true);
  });
  it("a year that does not start in January; months before the window are ignored", () => {
    const monthly = series("2022-01", "2025-06", (_m, i) => i);
    const r = yearOnYear(monthly, "2025-06");
    expect([r.current.from, r.previous.from, r.previous.to]).toEqual(["2024-07", "2023-07", "2024-06"]);
    // counts are the month index from 2022-01: current = sum 30..41, previous = sum 18..29
    expect([r.current.count, r.previous.count]).toEqual([426, 282]);
  });
  it("a missing month leaves out its pair from both totals, and the label says so", () => {
    const monthly = series("2024-01", "2025-12", (m) => (m === "2024-05" || m === "2025-08" ? null : 10));
    const r = yearOnYear(monthly, "2025-12");
    expect(r.comparableMonths).toHaveLength(10);
    expect(r.leftOut).toEqual([
      { month: "2025-05", reason: "no data for 2024-05" },
      { month: "2025-08", reason: "no data for 2025-08" },
    ]);
    expect([r.current.count, r.previous.count, r.change]).toEqual([100, 100, 0]);
    expect(r.current.label).toBe("the 12 months to December 2025 (10 months with data in both years)");
    expect(r.test).toEqual(poissonTest(100, 10, 100, 10));
  });
  it("no earlier year loaded: not comparable, with the reason; a rise from 0 has no %", () => {
    const r = yearOnYear(series("2025-01", "2025-12", () => 5), "2025-12");
    expect([r.comparable, r.reason, r.current.count, r.test]).toEqual([false, "no month of 2025-01 to 2025-12 has data in both years", null, null]);
    const zero = yearOnYear(series("2024-01", "2025-12", (m) => (m < "2025-01" ? 0 : 2)), "2025-12");
    expect([zero.change, zero.changePct]).toEqual([24, null]);
  });
  it("refuses bad input", () => {
    expect(() => yearOnYear([], "2025-13")).toThrow(/YYYY-MM/);
    expect(() => yearOnYear([{ month: "2025-01", count: -1 }], "2025-12")).toThrow(/whole number/);
    expect(() => yearOnYear([], "2025-12", 0)).toThrow(/1 to 120/);
  });
});
