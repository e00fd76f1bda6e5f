import { describe, expect, it } from "vitest";
import { MAX_SUGGESTION_QUERY_LENGTH, closeMatches, editDistance } from "./close-matches.ts";

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

describe("bounded suggestions (issue 16: a 15,000-character ?area= held the server 14 s)", () => {
  it("stops a distance at its bound: max + 1 once every cell of a row is past it, and at once for lengths too far apart", () => {
    expect(editDistance("Southampton", "Portsmouth", 2)).toBe(3);
    expect(editDistance("a".repeat(15000), "Southampton", 5)).toBe(6);
    expect(editDistance("Southamptn", "Southampton", 2)).toBe(1);
  });
  it("suggests nothing for a query longer than the cap, and still suggests at the cap", () => {
    const names = [{ name: "Southampton" }, { name: "x".repeat(MAX_SUGGESTION_QUERY_LENGTH) }];
    expect(closeMatches("S".repeat(15000), names)).toEqual([]);
    expect(closeMatches("x".repeat(MAX_SUGGESTION_QUERY_LENGTH + 1), names)).toEqual([]);
    expect(closeMatches(`${"x".repeat(MAX_SUGGESTION_QUERY_LENGTH - 1)}y`, names)).toEqual([names[1]]);
  });
});
