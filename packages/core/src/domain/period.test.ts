import { describe, expect, it } from "vitest";
import { monthRange } from "./month.ts";
import { defaultPeriod, interiorGaps, missingMonthsWarning, monthRuns, populationYearFor, previousPeriod } from "./period.ts";

describe("defaultPeriod: the latest 12 complete months without a gap", () => {
  it("takes the last 12 of a long run", () => {
    expect(defaultPeriod(monthRange("2022-01", "2025-10"))).toEqual({ from: "2024-11", to: "2025-10", months: 12, note: null });
  });
  it("a gap inside the latest 12 months: only the months after it, and says so", () => {
    const loaded = [...monthRange("2023-01", "2025-03"), ...monthRange("2025-06", "2025-10")];
    expect(defaultPeriod(loaded)).toEqual({
      from: "2025-06",
      to: "2025-10",
      months: 5,
      note: "the latest 12 months have a gap (no file for 2025-04 to 2025-05), so the default period is the 5 months since it; choose a period to include earlier months",
    });
  });
  it("a gap before the latest 12 months does not matter", () => {
    const loaded = [...monthRange("2020-01", "2023-12"), ...monthRange("2024-02", "2025-12")];
    expect(defaultPeriod(loaded)).toEqual({ from: "2025-01", to: "2025-12", months: 12, note: null });
  });
  it("the fixtures' months: 2024-04 then 2025-01..03", () => {
    expect(defaultPeriod(["2025-03", "2024-04", "2025-01", "2025-02"])).toMatchObject({ from: "2025-01", to: "2025-03", months: 3 });
    expect(defaultPeriod(["2025-03", "2024-04", "2025-01", "2025-02"])!.note).toMatch(/no file for 2024-05 to 2024-12/);
  });
  it("fewer than 12 months loaded, nothing loaded, other lengths", () => {
    expect(defaultPeriod(["2025-01", "2025-02"])).toEqual({ from: "2025-01", to: "2025-02", months: 2, note: "only 2 months are loaded, so the default period is shorter than 12 months" });
    expect(defaultPeriod(["2025-01"])!.note).toBe("only 1 month is loaded, so the default period is shorter than 12 months");
    expect(defaultPeriod([])).toBeNull();
    expect(defaultPeriod(monthRange("2024-01", "2025-12"), 24)).toMatchObject({ from: "2024-01", to: "2025-12", months: 24, note: null });
    expect(() => defaultPeriod(["2025-01"], 0)).toThrow(/at least 1 month/);
  });
});

describe("gaps", () => {
  it("runs of consecutive months, across a year end, unsorted and repeated input", () => {
    expect(monthRuns(["2025-01", "2024-12", "2024-11", "2025-03", "2025-03"]).map((r) => [r.from, r.to, r.months.length])).toEqual([
      ["2024-11", "2025-01", 3],
      ["2025-03", "2025-03", 1],
    ]);
    expect(monthRuns([])).toEqual([]);
  });
  it("interior gaps only: missing months at the ends are not gaps", () => {
    const period = monthRange("2024-01", "2024-12");
    expect(interiorGaps(period, ["2024-03", "2024-04", "2024-07", "2024-08"])).toEqual(["2024-05", "2024-06"]);
    expect(interiorGaps(period, new Set(monthRange("2024-03", "2024-10")))).toEqual([]);
    expect(interiorGaps(period, [])).toEqual([]);
  });
});

describe("populationYearFor: the mid-year estimate nearest the middle of the period", () => {
  it("calendar, financial and split years", () => {
    expect(populationYearFor("2025-01", "2025-12")).toBe(2025);
    expect(populationYearFor("2024-04", "2025-03")).toBe(2024);
    expect(populationYearFor("2024-10", "2025-09")).toBe(2025);
    // middle exactly between two mid-years: the earlier
    expect(populationYearFor("2024-07", "2025-06")).toBe(2024);
    expect(populationYearFor("2025-06", "2025-06")).toBe(2025);
    expect(populationYearFor("2025-01", "2025-01")).toBe(2025);
    expect(populationYearFor("2025-12", "2025-12")).toBe(2025);
    expect(populationYearFor("2023-01", "2025-12")).toBe(2024);
    expect(() => populationYearFor("2025-02", "2025-01")).toThrow(/before it starts/);
  });
  it("the period before, of the same length", () => {
    expect(previousPeriod("2025-01", "2025-12")).toEqual({ from: "2024-01", to: "2024-12" });
    expect(previousPeriod("2025-03", "2025-05")).toEqual({ from: "2024-12", to: "2025-02" });
  });
});

describe("missingMonthsWarning", () => {
  it("names the missing months and what the totals cover", () => {
    expect(missingMonthsWarning({ months: 12, missing: [], force: "Hampshire Constabulary" })).toBeNull();
    expect(missingMonthsWarning({ months: 12, missing: [...monthRange("2024-05", "2024-12"), "2025-02"], force: "Hampshire Constabulary" })).toBe(
      "9 of the 12 months of this period have no Hampshire Constabulary file (2024-05 to 2024-12, 2025-02): their crime is unknown, not zero. Totals and rates cover only the 3 months with data; changes compare only periods with every month loaded.",
    );
    expect(missingMonthsWarning({ months: 2, missing: ["2025-01"], force: null })).toBe(
      "1 of the 2 months of this period has no police data (2025-01): their crime is unknown, not zero. Totals and rates cover only the 1 month with data; changes compare only periods with every month loaded.",
    );
    expect(missingMonthsWarning({ months: 1, missing: ["2025-01"], force: "X" })).toMatch(/No month of the period has data\.$/);
  });
});
