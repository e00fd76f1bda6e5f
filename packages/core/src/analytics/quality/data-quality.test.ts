import { describe, expect, it } from "vitest";
import { checkDataQuality } from "./data-quality.ts";
import { flaggedInComparison, flaggedInYearOnYear, flaggedMonthsBetween, flaggedMonthsWarning } from "./flagged-months.ts";
import type { ForceMonthCounts } from "./quality.types.ts";
import { usualBand } from "./usual-band.ts";

function fm(month: string, byType: Record<string, number>, extra: Partial<ForceMonthCounts> = {}): ForceMonthCounts {
  const rows = Object.values(byType).reduce((a, b) => a + b, 0);
  return { force: "testshire", month, byType, rows, noLocation: 0, noLsoa: 0, outsideForce: null, ...extra };
}

describe("usualBand", () => {
  it("is null with fewer than 3 months of history", () => {
    expect(usualBand([100, 120])).toBeNull();
  });
  it("uses the whole range under 6 months: 1.5 times the range, or 5 Poisson SDs when wider", () => {
    const b = usualBand([100, 90, 110, 95])!;
    // lowest 90, highest 110; 110 x 1.5 = 165 > 110 + 5 sqrt(110) = 162.4; 90 / 1.5 = 60 > 90 - 5 sqrt(90) = 42.6
    expect(b.lowest).toBe(90);
    expect(b.highest).toBe(110);
    expect(b.median).toBe(97.5);
    expect(b.high).toBeCloseTo(165, 10);
    expect(b.low).toBeCloseTo(90 - 5 * Math.sqrt(90), 10);
  });
  it("sets the lowest and highest month aside from 6 months on, so one odd month does not widen the range", () => {
    const b = usualBand([1000, 1010, 990, 1005, 995, 3000])!;
    expect([b.lowest, b.highest]).toEqual([995, 1010]);
    expect(b.high).toBeCloseTo(1515, 10);
  });
  it("small counts: the Poisson term dominates", () => {
    const b = usualBand([2, 3, 1, 2])!;
    // highest 3: max(4.5, 3 + 5 sqrt 3 = 11.66); lowest 1: min(0.67, 1 - 5 = -4)
    expect(b.high).toBeCloseTo(3 + 5 * Math.sqrt(3), 10);
    expect(b.low).toBe(-4);
  });
});

describe("checkDataQuality: counts", () => {
  const history = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"].map((m, i) =>
    fm(m, { Burglary: 500 + i * 10, Robbery: 80 + i, "Anti-social behaviour": 1500 - i * 20 }),
  );
  it("flags a type far above and one far below the previous months, and says how unusual", () => {
    const r = checkDataQuality({ forceMonths: [...history, fm("2024-07", { Burglary: 1200, Robbery: 82, "Anti-social behaviour": 300 })], forceNames: { testshire: "Testshire" } });
    const counts = r.findings.filter((f) => f.check === "count");
    expect(counts.map((f) => f.measure).sort()).toEqual(["Anti-social behaviour", "Burglary"]);
    const b = counts.find((f) => f.measure === "Burglary")!;
    // history 500..550, trimmed to 510..540; median 525; 1200 / 525 = 2.29
    expect(b.usual).toMatchObject({ months: 6, lowest: 510, highest: 540, median: 525 });
    expect(b.ratio).toBeCloseTo(1200 / 525, 10);
    expect(b.text).toBe("Testshire 2024-07: Burglary 1,200 against a usual 510–540 (median 525) in the previous 6 months loaded: 2.3 times the median");
    const asb = counts.find((f) => f.measure === "Anti-social behaviour")!;
    expect(asb.text).toContain("300 against a usual 1,420–1,480 (median 1,450)");
    expect(asb.text).toMatch(/21% of the median$/);
    expect(r.flaggedMonths).toEqual({ testshire: ["2024-07"] });
  });
  it("does not flag an ordinary month, nor the history months, and lists months with too little history", () => {
    const r = checkDataQuality({ forceMonths: [...history, fm("2024-07", { Burglary: 560, Robbery: 70, "Anti-social behaviour": 1350 })] });
    expect(r.findings).toEqual([]);
    expect(r.flaggedMonths).toEqual({});
    expect(r.unchecked.map((u) => `${u.month}:${u.historyMonths}`)).toEqual(["2024-01:0", "2024-02:1", "2024-03:2"]);
  });
  it("flags the total when it alone is unusual (a half-published month)", () => {
    const r = checkDataQuality({ forceMonths: [...history, fm("2024-07", { Burglary: 250, Robbery: 40, "Anti-social behaviour": 700 })] });
    expect(r.findings.filter((f) => f.check === "count").map((f) => f.measure)).toContain("All crime");
  });
  it("counts missing months as unknown (left out of the history), never zero", () => {
    // only 2024-01 and 2024-02 before 2024-12: too little history, not a drop against zeros
    const r = checkDataQuality({ forceMonths: [history[0]!, history[1]!, fm("2024-12", { Burglary: 5000 })] });
    expect(r.findings.filter((f) => f.check === "count")).toEqual([]);
    expect(r.unchecked.find((u) => u.month === "2024-12")?.historyMonths).toBe(2);
  });
});

describe("checkDataQuality: shares, missing months, repeated ids", () => {
  const base = (m: string, noLocation: number, extra: Partial<ForceMonthCounts> = {}) => fm(m, { Burglary: 1000 }, { noLocation, ...extra });
  it("flags a month whose share of rows without a location is far above the force's usual share", () => {
    const months = [base("2025-01", 30), base("2025-02", 25), base("2025-03", 35), base("2025-04", 200)];
    const r = checkDataQuality({ forceMonths: months });
    const f = r.findings.filter((x) => x.check === "share");
    expect(f).toHaveLength(1);
    // usual 2.5%-3.5%: at most max(35 x 1.5 = 52.5, 35 + 5 sqrt 35 = 64.6) rows expected of 1,000
    expect(f[0]!.usual!.high).toBeCloseTo((35 + 5 * Math.sqrt(35)) / 1000, 10);
    expect(f[0]!.text).toBe("testshire 2025-04: 200 rows without a location (20.0% of 1,000) against a usual 2.5%–3.5% (median 3.0%) in the previous 3 months loaded: 6.7 times the median");
  });
  it("does not flag a share a few rows above a usual zero (1 percentage point at least)", () => {
    const months = [base("2025-01", 0), base("2025-02", 0), base("2025-03", 0), base("2025-04", 8)];
    expect(checkDataQuality({ forceMonths: months }).findings).toEqual([]);
  });
  it("checks rows outside the force area only when the geography is known", () => {
    const months = [
      base("2025-01", 0, { outsideForce: 8 }),
      base("2025-02", 0, { outsideForce: 10 }),
      base("2025-03", 0, { outsideForce: 9 }),
      base("2025-04", 0, { outsideForce: 120 }),
      base("2025-05", 0, { outsideForce: null }),
    ];
    const f = checkDataQuality({ forceMonths: months }).findings;
    expect(f.map((x) => `${x.month} ${x.measure} ${x.value}`)).toEqual(["2025-04 rows outside the force area 120"]);
  });
  it("notes each run of missing months between the first and last loaded, without flagging", () => {
    const months = ["2024-01", "2024-02", "2024-06", "2024-09"].map((m) => base(m, 0));
    const r = checkDataQuality({ forceMonths: months });
    const notes = r.findings.filter((x) => x.check === "missing-months");
    expect(notes.map((n) => n.months)).toEqual([["2024-03", "2024-04", "2024-05"], ["2024-07", "2024-08"]]);
    expect(notes[0]!.text).toBe("testshire: no file for 2024-03 to 2024-05 (3 months between 2024-02 and 2024-06): their crime is unknown, not zero");
    expect(notes.every((n) => n.severity === "note")).toBe(true);
    expect(r.flaggedMonths).toEqual({});
  });
  it("notes repeated Crime IDs (a note: the check reads incidents, so it cannot flag months the roll-up checks do not)", () => {
    const r = checkDataQuality({ forceMonths: [], repeatedIds: [{ force: "testshire", month: "2025-03", ids: 2, otherMonths: ["2025-02"], examples: ["ab12", "cd34"] }] });
    expect(r.findings[0]!.text).toBe("testshire 2025-03: 2 Crime IDs also in the file for 2025-02 (each crime should appear in one month only); e.g. ab12, cd34");
    expect(r.findings[0]!.severity).toBe("note");
    expect(r.flaggedMonths).toEqual({});
  });
});

describe("flagged months in analyses", () => {
  it("finds the flagged months of a period and of either side of a comparison", () => {
    expect(flaggedMonthsBetween(["2025-08", "2024-02"], "2025-01", "2025-12")).toEqual(["2025-08"]);
    expect(flaggedInComparison(["2025-08"], { start: "2025-07", end: "2025-09" }, { start: "2025-10", end: "2025-12" })).toEqual(["2025-08"]);
    expect(flaggedInComparison(["2025-08"], { start: "2025-01", end: "2025-03" }, { start: "2025-10", end: "2025-12" })).toEqual([]);
  });
  it("finds a year-on-year comparison's flagged months among the months it totals only", () => {
    // 2025 against 2024 with only 2024-01..04 loaded: January to April compared; a flagged 2025-08 is not
    const partial = { comparableMonths: ["2025-01", "2025-02", "2025-03", "2025-04"], current: { to: "2025-12" }, previous: { to: "2024-12" } };
    expect(flaggedInYearOnYear(["2025-08"], partial)).toEqual([]);
    expect(flaggedInYearOnYear(["2025-03"], partial)).toEqual(["2025-03"]);
    // the earlier window's counterpart of a compared month counts too
    expect(flaggedInYearOnYear(["2024-02", "2023-02"], partial)).toEqual(["2024-02"]);
    // the same quarter last year (lag 12, length 3)
    expect(flaggedInYearOnYear(["2024-11"], { comparableMonths: ["2025-10", "2025-11", "2025-12"], current: { to: "2025-12" }, previous: { to: "2024-12" } })).toEqual(["2024-11"]);
    // nothing compared: nothing flagged
    expect(flaggedInYearOnYear(["2025-08"], { comparableMonths: [], current: { to: "2025-12" }, previous: { to: "2024-12" } })).toEqual([]);
  });
  it("words the warning with the most unusual finding", () => {
    expect(flaggedMonthsWarning({ force: "hampshire", months: [] })).toBeNull();
    const text = flaggedMonthsWarning({
      force: "hampshire",
      months: ["2025-08"],
      findings: [
        { check: "count", severity: "unusual", force: "hampshire", month: "2025-08", months: ["2025-08"], measure: "Violence and sexual offences", value: 11639, usual: null, ratio: 2.02, text: "" },
        { check: "count", severity: "unusual", force: "hampshire", month: "2025-08", months: ["2025-08"], measure: "Vehicle crime", value: 75, usual: null, ratio: 0.13, text: "" },
      ],
    });
    // |log 0.13| = 2.04 > |log 2.02| = 0.70: vehicle crime is the more unusual
    expect(text).toBe(
      "The hampshire file for 2025-08 looks unusual (2025-08 Vehicle crime: 13% of the usual median, and 1 more finding): figures that include it may show a problem in the published data rather than a change in crime, and changes over it are not called significant. See the Data page.",
    );
  });
});
