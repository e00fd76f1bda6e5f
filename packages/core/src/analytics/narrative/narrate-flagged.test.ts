import { describe, expect, it } from "vitest";
import { monthRange } from "../../domain/month.ts";
import { trendChange } from "../trend/trend-change.ts";
import { narrateAssessment } from "./narrate-assessment.ts";
import { changeFigureFromTrend } from "./narrative-figures.ts";

// Quarterly counts: 2025-Q1..Q3 at 1,000 a month, Q4 at 1,300 a month: Q4 on Q3 is a 30% rise,
// significant by any test (3,900 against 3,000).
const monthly = monthRange("2025-01", "2025-12").map((month) => ({ month, count: month >= "2025-10" ? 1300 : 1000 }));
const change = trendChange(monthly, { period: "quarter" });

describe("key messages over a month flagged by the data quality checks", () => {
  it("calls the change significant when no month of either period is flagged", () => {
    const f = changeFigureFromTrend(change, "All crime", "previous", ["2025-02"])!;
    expect(f.flaggedMonths).toBeUndefined();
    const text = narrateAssessment({ changes: [f] }).messages[0]!.text;
    expect(text).toBe("All crime rose 30.0% from 3,000 in July to September 2025 to 3,900 in October to December 2025, a statistically significant rise (p < 0.001)");
  });
  it("withholds the significance wording when a flagged month lies in the earlier period", () => {
    const f = changeFigureFromTrend(change, "All crime", "previous", ["2025-08"])!;
    expect(f.flaggedMonths).toEqual(["2025-08"]);
    const m = narrateAssessment({ changes: [f] }).messages[0]!;
    expect(m.text).toBe(
      "All crime rose 30.0% from 3,000 in July to September 2025 to 3,900 in October to December 2025; the change includes a month flagged as unusual in the police data (August 2025), so it is not tested for significance",
    );
    expect(m.text).not.toMatch(/significant (rise|fall)/);
    expect(m.figures.flaggedMonths).toBe("2025-08");
    expect(m.figures.pValue).toBeUndefined();
  });
  it("and in the later period, naming every flagged month", () => {
    const m = narrateAssessment({ changes: [{ ...changeFigureFromTrend(change, "All crime", "previous", ["2025-11", "2025-07"])! }] }).messages[0]!;
    expect(m.text).toContain("includes months flagged as unusual in the police data (July 2025 and November 2025)");
  });
  it("also for a figure typed in with a non-significant test", () => {
    const m = narrateAssessment({
      changes: [{ subject: "Robbery", from: { label: "2024", count: 100 }, to: { label: "2025", count: 104 }, test: { pValue: 0.8, significant: false }, flaggedMonths: ["2025-08"] }],
    }).messages[0]!;
    expect(m.text).toBe("Robbery rose 4.0% from 100 in 2024 to 104 in 2025; the change includes a month flagged as unusual in the police data (August 2025), so it is not tested for significance");
  });
});
