import { describe, expect, it } from "vitest";
import { findNonFinite } from "../stats/check.ts";
import { seasonalProfile } from "./seasonal-profile.ts";

/** Years of 12 monthly counts: every month `base`, with overrides by calendar month (1-based). */
function years(spec: { year: number; base: number; set?: Record<number, number> }[]) {
  return spec.flatMap(({ year, base, set = {} }) =>
    Array.from({ length: 12 }, (_, i) => ({ month: `${year}-${String(i + 1).padStart(2, "0")}`, count: set[i + 1] ?? base })),
  );
}

describe("seasonalProfile", () => {
  it("October peak in 3 of 3 years; index = calendar-month mean / overall mean x 100", () => {
    const data = years([
      { year: 2022, base: 10, set: { 10: 20 } },
      { year: 2023, base: 10, set: { 10: 20 } },
      { year: 2024, base: 10, set: { 10: 20 } },
    ]);
    const r = seasonalProfile(data, { subject: "violence" });
    expect(r.sufficient).toBe(true);
    expect(r.overallMonthlyMean).toBeCloseTo(130 / 12, 12);
    expect(r.index[9]!.index).toBeCloseTo((20 / (130 / 12)) * 100, 10); // 184.615...
    expect(r.index[0]!.index).toBeCloseTo((10 / (130 / 12)) * 100, 10); // 92.307...
    expect(r.peakMonths).toEqual(["October"]);
    expect(r.peakByYear).toEqual([
      { year: "2022", months: ["October"], count: 20 },
      { year: "2023", months: ["October"], count: 20 },
      { year: "2024", months: ["October"], count: 20 },
    ]);
    expect(r.peakSummary!.text).toBe("October is the peak month for violence in 3 of 3 years");
    // expected October = (130/12) * 1.846 = 20 exactly; R qpois(0.975, 20) = 29 -> nothing flagged
    expect(r.aboveExpected).toEqual([]);
    expect(r.params).toEqual({ minMonths: 24, limitLevel: 0.975, limit: "Poisson upper percentile of the expected count", subject: "violence" });
  });

  it("flags a month above the Poisson upper limit of its expected count (limit from R)", () => {
    const data = years([
      { year: 2022, base: 10, set: { 10: 20 } },
      { year: 2023, base: 10, set: { 10: 20 } },
      { year: 2024, base: 10, set: { 10: 20, 3: 40 } },
    ]);
    const r = seasonalProfile(data);
    // March index = 20 / (420/36) = 1.714; 2024 level = 160/12; expected = 22.857; R qpois(0.975, 22.857) = 33
    expect(r.aboveExpected).toHaveLength(1);
    const a = r.aboveExpected[0]!;
    expect(a.month).toBe("2024-03");
    expect(a.count).toBe(40);
    expect(a.expected).toBeCloseTo((160 / 12) * (20 / (420 / 36)), 10);
    expect(a.upperLimit).toBe(33);
    // March and October both average 20 over the three years: a tie for the highest index
    expect(r.peakMonths).toEqual(["March", "October"]);
    expect(r.peakByYear[2]).toEqual({ year: "2024", months: ["March"], count: 40 });
    expect(r.peakSummary!.text).toBe("October is the peak month in 2 of 3 years");
  });

  it("fewer than 24 months: insufficient, with a reason and no NaN", () => {
    const r = seasonalProfile(years([{ year: 2024, base: 5 }]));
    expect(r.sufficient).toBe(false);
    expect(r.message).toBe("A seasonal profile needs at least 24 months of data; 12 months are present.");
    expect(r.index).toEqual([]);
    const one = seasonalProfile([{ month: "2025-01", count: 3 }]);
    expect(one.message).toMatch(/1 month is present/);
    expect(seasonalProfile([]).sufficient).toBe(false);
  });

  it("missing months do not count towards the 24", () => {
    const data = years([
      { year: 2023, base: 5 },
      { year: 2024, base: 5 },
    ]).map((m, i) => (i === 5 ? { ...m, count: null } : m));
    expect(seasonalProfile(data).sufficient).toBe(false);
  });

  it("all months equal: every index 100, no peak; all zeros: no pattern", () => {
    const eq = seasonalProfile(years([{ year: 2023, base: 7 }, { year: 2024, base: 7 }]));
    expect(eq.index.every((r) => r.index === 100)).toBe(true);
    expect(eq.peakSummary).toBeNull();
    expect(eq.notes).toContain("Every month has the same average: there is no peak month.");
    const zero = seasonalProfile(years([{ year: 2023, base: 0 }, { year: 2024, base: 0 }]));
    expect(zero.sufficient).toBe(true);
    expect(zero.index.every((r) => r.index === null)).toBe(true);
    expect(zero.notes).toEqual(["No crimes in any month: there is no seasonal pattern."]);
    expect(findNonFinite(zero)).toEqual([]);
  });

  it("partial years do not count for peaks", () => {
    const data = [...years([{ year: 2023, base: 5, set: { 10: 9 } }, { year: 2024, base: 5, set: { 10: 9 } }]), { month: "2025-01", count: 50 }];
    const r = seasonalProfile(data);
    expect(r.peakByYear.map((p) => p.year)).toEqual(["2023", "2024"]);
    expect(r.notes).toContain("Peak months are counted over complete calendar years only; not 2025.");
  });
});
