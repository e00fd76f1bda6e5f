import { describe, expect, it } from "vitest";
import { closeMatches, editDistance } from "./close-matches.ts";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("Southampton", "southampton")).toBe(0);
  });
});

describe("closeMatches", () => {
  const names = ["Southampton", "Southend-on-Sea", "Portsmouth", "North Hampshire", "Hampshire"].map((name) => ({ name }));
  it("prefers names containing the query, then near misspellings", () => {
    expect(closeMatches("Hampshire", names).map((n) => n.name)).toEqual(["Hampshire", "North Hampshire"]);
    expect(closeMatches("Southamptn", names).map((n) => n.name)).toEqual(["Southampton"]);
    expect(closeMatches("Southamton", [...names, { name: "South" }, { name: "Ham" }]).map((n) => n.name)).toEqual(["Southampton"]);
  });
  it("lists a name once per level", () => {
    const areas = [
      { name: "Southampton", level: "lad" },
      { name: "Southampton", level: "lad" },
      { name: "Southampton", level: "csp" },
    ];
    expect(closeMatches("Southamton", areas)).toEqual([areas[0], areas[2]]);
  });
  it("returns nothing for a query unlike every name", () => {
    expect(closeMatches("Zzzzzz", names)).toEqual([]);
  });
});
