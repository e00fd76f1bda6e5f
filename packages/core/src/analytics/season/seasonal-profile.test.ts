import { describe, expect, it } from "vitest";
import golden from "../../../test/golden/season/seasonal-decompose.golden.json" with { type: "json" };
import { findNonFinite } from "../stats/check.ts";
import { AVERAGE_MONTH_DAYS, daysInMonth } from "./ratio-to-moving-average.ts";
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
    const r = seasonalProfile(data, { subject: "violence", method: "mean" });
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
    expect(r.params).toEqual({ minMonths: 24, limitLevel: 0.975, method: "mean", limit: "Poisson upper percentile of the expected count", subject: "violence" });
  });

  it("flags a month above the Poisson upper limit of its expected count (limit from R)", () => {
    const data = years([
      { year: 2022, base: 10, set: { 10: 20 } },
      { year: 2023, base: 10, set: { 10: 20 } },
      { year: 2024, base: 10, set: { 10: 20, 3: 40 } },
    ]);
    const r = seasonalProfile(data, { method: "mean" });
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
    const eq = seasonalProfile(years([{ year: 2023, base: 7 }, { year: 2024, base: 7 }]), { method: "mean" });
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

describe("seasonalProfile, ratio to moving average (the default, issue 13 item 7)", () => {
  const monthsOf = (from: number, to: number) => Array.from({ length: (to - from + 1) * 12 }, (_, i) => `${from + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);

  it("equals R decompose(type = 'multiplicative') on the day-adjusted counts: index and trend", () => {
    const monthly = golden.months.map((m, i) => ({ month: m, count: golden.counts[i]! }));
    expect(golden.months.map(daysInMonth)).toEqual(golden.days);
    const r = seasonalProfile(monthly);
    expect(r.params.method).toBe("ratio-to-moving-average");
    for (const [c, row] of r.index.entries()) expect(row.index).toBeCloseTo(golden.index[c]!, 9);
    expect(r.index.reduce((s, row) => s + row.index!, 0) / 12).toBeCloseTo(100, 10);
  });

  it("a steady rise is not read as a season; days in the month are not either", () => {
    // 2 more crimes a day each month, counts proportional to days: no season at all
    const monthly = monthsOf(2022, 2024).map((m, i) => ({ month: m, count: (100 + 2 * i) * daysInMonth(m) }));
    const r = seasonalProfile(monthly);
    for (const row of r.index) expect(row.index).toBeCloseTo(100, 0);
    // the mean rule reads the rise as "the later months run high" and February as a low
    const old = seasonalProfile(monthly, { method: "mean" });
    expect(old.index[11]!.index! - old.index[0]!.index!).toBeGreaterThan(5);
    expect(old.index[1]!.index!).toBeLessThan(95);
  });

  it("hand-worked: 24 months, one ratio per calendar month, normalised to average 100", () => {
    // 30-day-equivalent counts: level 300 except July of both years at 600 (adjusted to an average month)
    const monthly = monthsOf(2022, 2023).map((m) => ({ month: m, count: Math.round(((m.endsWith("-07") ? 600 : 300) * daysInMonth(m)) / AVERAGE_MONTH_DAYS) }));
    const r = seasonalProfile(monthly);
    const adj = (m: string) => (monthly.find((x) => x.month === m)!.count * AVERAGE_MONTH_DAYS) / daysInMonth(m);
    // trend at 2022-07..2023-06 by the 2x12 centred average; the ratio for each calendar month is taken once
    const months = monthsOf(2022, 2023);
    const trendAt = (k: number) => (adj(months[k - 6]!) / 2 + months.slice(k - 5, k + 6).reduce((s, m) => s + adj(m), 0) + adj(months[k + 6]!) / 2) / 12;
    const ratios = Array.from({ length: 12 }, (_, k) => adj(months[k + 6]!) / trendAt(k + 6));
    const norm = ratios.reduce((s, x) => s + x, 0) / 12;
    for (let k = 0; k < 12; k++) expect(r.index[(k + 6) % 12]!.index).toBeCloseTo((ratios[k]! / norm) * 100, 9);
    expect(r.index[6]!.index!).toBeGreaterThan(180);
  });

  it("limits widen with over-dispersion: ordinary spread is not flagged, a real outlier is", () => {
    const monthly = golden.months.map((m, i) => ({ month: m, count: golden.counts[i]! }));
    const r = seasonalProfile(monthly);
    expect(r.dispersion).not.toBeNull();
    const spiked = monthly.map((x) => (x.month === "2024-03" ? { ...x, count: x.count * 2 } : x));
    const s = seasonalProfile(spiked);
    expect(s.aboveExpected.map((a) => a.month)).toContain("2024-03");
    const a = s.aboveExpected.find((x) => x.month === "2024-03")!;
    if (s.dispersion! > 1) expect(a.upperLimit).toBeCloseTo(a.expected + 1.959963984540054 * Math.sqrt(s.dispersion! * a.expected), 9);
  });

  it("a gap leaves a calendar month without a ratio: no index for it, and a note", () => {
    // 2022-01..2024-01 without 2022-08: 24 months, but a whole 13-month window only around 2023-03..2023-07
    const monthly = [...monthsOf(2022, 2023), "2024-01"].map((m) => ({ month: m, count: m === "2022-08" ? null : 100 }));
    const r = seasonalProfile(monthly);
    expect(r.sufficient).toBe(true);
    expect(findNonFinite(r)).toEqual([]);
    expect(r.index.filter((x) => x.index !== null).map((x) => x.name)).toEqual(["March", "April", "May", "June", "July"]);
    expect(r.notes.join(" ")).toContain("No 13-month run of data centred on January, February, August, September, October, November and December");
  });
});
