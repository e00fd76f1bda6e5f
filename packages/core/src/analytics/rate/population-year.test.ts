import { describe, expect, it } from "vitest";
import { censusRebaseNote, choosePopulationYear, populationYearNote, straddlesCensus2021 } from "./population-year.ts";

describe("choosePopulationYear: the installed estimate nearest the middle of the period", () => {
  it("wanted = populationYearFor; used = nearest installed, ties to the earlier", () => {
    expect(choosePopulationYear("2025-01", "2025-12", [2019, 2020, 2022])).toEqual({ wanted: 2025, used: 2022 });
    expect(choosePopulationYear("2024-04", "2025-03", ["2023", "2025"])).toEqual({ wanted: 2024, used: 2023 });
    expect(choosePopulationYear("2021-01", "2021-12", [2020, 2022])).toEqual({ wanted: 2021, used: 2020 });
    expect(choosePopulationYear("2022-01", "2022-12", [2022])).toEqual({ wanted: 2022, used: 2022 });
    expect(choosePopulationYear("2022-01", "2022-12", [])).toEqual({ wanted: 2022, used: null });
  });
});

describe("populationYearNote", () => {
  it("names the year used and why", () => {
    expect(populationYearNote({ from: "2025-01", to: "2025-12", installed: [2019, 2020, 2022] })).toBe(
      "Rates per 1,000 use the ONS mid-2022 population estimate: the nearest installed to mid-2025, the middle of 2025-01 to 2025-12 (installed: mid-2019, mid-2020, mid-2022); population change since then is not allowed for.",
    );
    expect(populationYearNote({ from: "2022-01", to: "2022-12", installed: [2020, 2022] })).toBe(
      "Rates per 1,000 use the ONS mid-2022 population estimate: the estimate for mid-2022, the middle of 2022-01 to 2022-12.",
    );
    expect(populationYearNote({ from: "2025-01", to: "2025-12", installed: [2021], kind: "Census 2021 usual residents", what: "LSOA rates per 1,000" })).toBe(
      "LSOA rates per 1,000 use Census 2021 usual residents: the only one installed; mid-2025, the middle of 2025-01 to 2025-12, is 4 years away; population change since then is not allowed for.",
    );
    expect(populationYearNote({ from: "2019-03", to: "2019-03", installed: [2020] })).toBe(
      "Rates per 1,000 use the ONS mid-2020 population estimate: the only one installed; mid-2019, the middle of 2019-03, is 1 year away.",
    );
    expect(populationYearNote({ from: "2025-01", to: "2025-12", installed: [] })).toMatch(/not given: no population/);
  });
});

describe("the 2021 Census step", () => {
  it("flags populations from both sides of the rebase only", () => {
    expect(straddlesCensus2021([2020, 2021])).toBe(true);
    expect(straddlesCensus2021(["2019", "2022", null])).toBe(true);
    expect(straddlesCensus2021([2021, 2022])).toBe(false);
    expect(straddlesCensus2021([2019, 2020])).toBe(false);
    expect(straddlesCensus2021([null])).toBe(false);
    expect(censusRebaseNote([2021, 2022])).toBeNull();
    expect(censusRebaseNote([2022, 2019, 2020, 2019])).toBe(
      "These rates use population estimates from both sides of the 2021 Census (mid-2019, mid-2020, rolled forward from the 2011 Census; mid-2022, based on the 2021 Census): part of a change in rate across 2021 can be the new population base, not crime; compare counts there.",
    );
  });
});
