import { describe, expect, it } from "vitest";
import { crossForceDecision, forceLabel, forceSlugOfAreaName, homeForces, parseOtherForces } from "./forces.ts";
import { monthRange } from "./month.ts";

const YEAR = monthRange("2025-01", "2025-12");

describe("home forces", () => {
  it("police force area names as police.uk slugs", () => {
    expect(forceSlugOfAreaName("Hampshire")).toBe("hampshire");
    expect(forceSlugOfAreaName("Devon & Cornwall")).toBe("devon-and-cornwall");
    expect(forceSlugOfAreaName("Avon and Somerset")).toBe("avon-and-somerset");
    expect(forceSlugOfAreaName("Dyfed-Powys")).toBe("dyfed-powys");
    expect(forceSlugOfAreaName("Metropolitan Police")).toBe("metropolitan");
    expect(forceSlugOfAreaName("London, City of")).toBe("city-of-london");
    expect(forceSlugOfAreaName("Hampshire and Isle of Wight")).toBe("hampshire");
    expect(forceLabel("btp")).toBe("British Transport Police");
    expect(forceLabel("avon-and-somerset")).toBe("Avon and Somerset");
    expect(forceLabel("")).toBe("files with no force in their name");
  });

  it("from the reference: the area's force even when another has more rows there", () => {
    const forces = [
      { force: "btp", n: 900 },
      { force: "hampshire", n: 500 },
      { force: "sussex", n: 3 },
    ];
    expect(homeForces(["Hampshire"], forces)).toEqual({ home: ["hampshire"], source: "reference", note: null });
    // a custom area across two force areas: both, most rows first
    expect(homeForces(["Sussex", "Hampshire"], forces).home).toEqual(["hampshire", "sussex"]);
  });

  it("without reference data, or when no name matches: the force with most rows, said when a name was known", () => {
    const forces = [
      { force: "hampshire", n: 500 },
      { force: "btp", n: 9 },
    ];
    expect(homeForces([], forces)).toEqual({ home: ["hampshire"], source: "most rows", note: null });
    const r = homeForces(["Wessex"], forces);
    expect(r.home).toEqual(["hampshire"]);
    expect(r.note).toBe("no force with rows in the area matches its police force area (Wessex): Hampshire, the force with most rows there, is taken as its own force");
    expect(homeForces(["Hampshire"], [])).toEqual({ home: [], source: "none", note: null });
  });
});

describe("crossForceDecision", () => {
  const forces = [
    { force: "hampshire", rows: 33_610, monthsImported: YEAR },
    { force: "btp", rows: 14, monthsImported: ["2025-01"] },
    { force: "bedfordshire", rows: 1, monthsImported: ["2025-01"] },
    { force: "sussex", rows: 40, monthsImported: monthRange("2024-01", "2025-12") },
  ];

  it("complete (default): a force counts only when its files cover every month; the rest are left out and named", () => {
    const d = crossForceDecision("complete", ["hampshire"], forces, YEAR);
    expect(d.counted).toEqual([{ force: "sussex", rows: 40 }]);
    expect(d.leftOut).toEqual([
      { force: "btp", rows: 14, monthsCovered: 1, months: 12 },
      { force: "bedfordshire", rows: 1, monthsCovered: 1, months: 12 },
    ]);
    expect(d.excludeForces).toEqual(["bedfordshire", "btp"]);
    expect(d.notes).toEqual([
      "14 rows from British Transport Police left out: its files cover 1 of the 12 months of the period (2025-01..2025-12)",
      "1 row from Bedfordshire left out: its files cover 1 of the 12 months of the period (2025-01..2025-12)",
      "another force's rows count only when its files cover every month of the period, so no month jumps when one of its files is imported (other forces: all counts them anyway)",
      "40 rows from Sussex counted: its files cover every month of the period (2025-01..2025-12)",
    ]);
  });

  it("complete over one month: a force with that month's file counts", () => {
    const d = crossForceDecision("complete", ["hampshire"], forces, ["2025-01"]);
    expect(d.excludeForces).toEqual([]);
    expect(d.counted.map((c) => c.force)).toEqual(["btp", "bedfordshire", "sussex"]);
  });

  it("complete over a union of compared periods: a force covering only the later year is left out", () => {
    const d = crossForceDecision("complete", ["hampshire"], [{ force: "btp", rows: 100, monthsImported: YEAR }], monthRange("2024-01", "2025-12"));
    expect(d.leftOut).toEqual([{ force: "btp", rows: 100, monthsCovered: 12, months: 24 }]);
  });

  it("all counts everything; none only the home forces", () => {
    const all = crossForceDecision("all", ["hampshire"], forces, YEAR);
    expect(all.excludeForces).toEqual([]);
    expect(all.counted.map((c) => c.force)).toEqual(["btp", "bedfordshire", "sussex"]);
    expect(all.notes[0]).toBe("14 rows from British Transport Police counted in the months its files were imported (other forces: all)");
    const none = crossForceDecision("none", ["hampshire"], forces, YEAR);
    expect(none.excludeForces).toEqual(["bedfordshire", "btp", "sussex"]);
    expect(none.notes).toContain("40 rows from Sussex left out: only the area's own force counts (other forces: none)");
    expect(none.counted).toEqual([]);
  });

  it("home forces always count, even with months missing; forces with no rows are not mentioned; no months judged leaves others out", () => {
    const d = crossForceDecision("complete", ["hampshire", "btp"], [...forces, { force: "kent", rows: 0, monthsImported: [] }], YEAR);
    expect(d.excludeForces).toEqual(["bedfordshire"]);
    expect(d.notes.join(" ")).not.toMatch(/Kent|British Transport/);
    expect(crossForceDecision("complete", ["hampshire"], forces, []).excludeForces).toEqual(["bedfordshire", "btp", "sussex"]);
  });

  it("parses the option", () => {
    expect(parseOtherForces(undefined)).toBe("complete");
    expect(parseOtherForces(" ALL ")).toBe("all");
    expect(parseOtherForces("none")).toBe("none");
    expect(() => parseOtherForces("some")).toThrow(/--other-forces must be complete, all or none; got `some`/);
  });
});
