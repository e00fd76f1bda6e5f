import { describe, expect, it } from "vitest";
import { neutraliseCell, toCsv } from "../src/http/csv.ts";

describe("CSV downloads", () => {
  it("prefixes cells that a spreadsheet would run as a formula with a quote", () => {
    expect(neutraliseCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]) expect(neutraliseCell(s)).toBe(`'${s}`);
    for (const s of ["Southampton", "1", "a=b", " =1", ""]) expect(neutraliseCell(s)).toBe(s);
  });

  it("writes RFC 4180 rows: CRLF, quotes when needed, numbers as numbers (negatives stay numbers), empty for null", () => {
    expect(toCsv(["a", "b"], [["x,y", 'say "hi"'], [-935, null], ["=HYPERLINK(\"http://x\")", 1.5]])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n-935,\r\n"\'=HYPERLINK(""http://x"")",1.5\r\n',
    );
  });
});
