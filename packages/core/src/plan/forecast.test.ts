import { describe, expect, it } from "vitest";
import { FORECAST_MIN_POINTS, forecastToPeriod, linearTrend, predictInterval, qt } from "./forecast.ts";

describe("qt (Student's t quantile)", () => {
  it("matches R's qt", () => {
    // R: qt(0.975, c(1, 2, 5, 10, 30, 1000)); qt(0.95, 5); qt(0.995, 3)
    expect(qt(0.975, 1)).toBeCloseTo(12.706205, 5);
    expect(qt(0.975, 2)).toBeCloseTo(4.302653, 6);
    expect(qt(0.975, 5)).toBeCloseTo(2.570582, 6);
    expect(qt(0.975, 10)).toBeCloseTo(2.228139, 6);
    expect(qt(0.975, 30)).toBeCloseTo(2.042272, 6);
    expect(qt(0.975, 1000)).toBeCloseTo(1.962339, 6);
    expect(qt(0.95, 5)).toBeCloseTo(2.015048, 6);
    expect(qt(0.995, 3)).toBeCloseTo(5.840909, 6);
  });
  it("is symmetric about 0", () => {
    expect(qt(0.025, 10)).toBeCloseTo(-2.228139, 6);
    expect(qt(0.5, 3)).toBe(0);
  });
  it("refuses a probability outside (0, 1) or a non-positive df", () => {
    expect(() => qt(1, 3)).toThrow("p must be between 0 and 1 (e.g. 0.975); got 1");
    expect(() => qt(0.975, 0)).toThrow("degrees of freedom must be a positive number; got 0");
  });
});

describe("linearTrend and predictInterval", () => {
  // y = 10, 12, 15, 17 at x = 0..3. By hand: xbar 1.5, ybar 13.5, Sxx 5, Sxy 12, slope 2.4,
  // intercept 9.9; residuals 0.1, -0.3, 0.3, -0.1; SSE 0.2, s² = 0.2/2 = 0.1.
  const points = [10, 12, 15, 17].map((y, x) => ({ x, y }));
  it("fits slope, intercept and residual error", () => {
    const t = linearTrend(points);
    expect(t.slope).toBeCloseTo(2.4, 12);
    expect(t.intercept).toBeCloseTo(9.9, 12);
    expect(t.sxx).toBe(5);
    expect(t.residualSe).toBeCloseTo(Math.sqrt(0.1), 12);
  });
  it("widens the interval away from the data", () => {
    // x0 = 5: yhat 21.9; se = sqrt(0.1 * (1 + 1/4 + 3.5²/5)) = sqrt(0.37); half = 4.302653 * 0.608276 = 2.617202
    const p = predictInterval(linearTrend(points), 5);
    expect(p.value).toBeCloseTo(21.9, 10);
    expect(p.lower).toBeCloseTo(21.9 - 2.617202, 5);
    expect(p.upper).toBeCloseTo(21.9 + 2.617202, 5);
    const near = predictInterval(linearTrend(points), 1.5);
    expect(near.upper - near.lower).toBeLessThan(p.upper - p.lower);
  });
  it("refuses too few points or a single x", () => {
    expect(() => linearTrend(points.slice(0, 2))).toThrow("a linear trend needs at least 3 points; got 2");
    expect(() => linearTrend([1, 2, 3].map((y) => ({ x: 4, y })))).toThrow(/two or more different x values/);
  });
});

describe("forecastToPeriod", () => {
  const quarters = [
    { period: "2025-Q1", value: 10 },
    { period: "2024-Q4", value: 17 }, // out of order on purpose; sorted before fitting
    { period: "2024-Q3", value: 15 },
  ];
  const series = [{ period: "2024-Q1", value: 10 }, { period: "2024-Q2", value: 12 }, ...quarters.slice(1)];
  it("forecasts the hand-fitted line to a later quarter with its 95% interval", () => {
    const f = forecastToPeriod(series, "2025-Q2")!; // x0 = 5 periods after 2024-Q1
    expect(f.value).toBeCloseTo(21.9, 10);
    expect(f.lower).toBeCloseTo(19.282798, 5);
    expect(f.upper).toBeCloseTo(24.517202, 5);
    expect(f.level).toBe(0.95);
    expect(f.method).toBe("linear trend (ordinary least squares) over 4 values 2024-Q1 to 2024-Q4; 95% prediction interval (Student's t, 2 df)");
  });
  it("says when the deadline is further beyond the data than the data spans (a long extrapolation)", () => {
    // the values span 2024-Q1 to 2024-Q4 (3 periods); 2025-Q3 is 3 after the last: said plainly only beyond that
    expect(forecastToPeriod(series, "2025-Q3")!.method).not.toContain("further ahead");
    const far = forecastToPeriod(series, "2025-Q4")!;
    expect(far.value).toBeCloseTo(9.9 + 2.4 * 7, 10);
    expect(far.method).toContain("; 2025-Q4 is 4 periods after the last value, further ahead than the 3 periods the values span: a rough guide only");
  });
  it("uses period indexes, so a missing period leaves a gap in x", () => {
    // x = 0, 1, 3, 4 (2024-03 missing): y = 2x exactly -> forecast 2 * 6 = 12 with zero width
    const gappy = [0, 1, 3, 4].map((x) => ({ period: `2024-0${x + 1}`, value: 2 * x }));
    const f = forecastToPeriod(gappy, "2024-07")!;
    expect(f.value).toBeCloseTo(12, 10);
    expect(f.upper - f.lower).toBeCloseTo(0, 10);
  });
  it("gives none with fewer than 4 values or when the period is not after the data", () => {
    expect(FORECAST_MIN_POINTS).toBe(4);
    expect(forecastToPeriod(series.slice(0, 3), "2026-Q1")).toBeNull();
    expect(forecastToPeriod(series, "2024-Q4")).toBeNull();
    expect(forecastToPeriod(series, "2024-Q2")).toBeNull();
  });
  it("refuses mixed period types and duplicate periods", () => {
    expect(() => forecastToPeriod(series, "2026-03")).toThrow("series[0].period `2024-Q1` is a quarter, but the forecast period `2026-03` is a month; use one period type");
    expect(() => forecastToPeriod([...series, { period: "2024-Q2", value: 1 }], "2026-Q1")).toThrow("series has two values for 2024-Q2; keep one value per period");
  });
});
