import { isAppError } from "@safecity/core";
import { describe, expect, it } from "vitest";
import { normaliseHeader, parseCsv, parseNumberCell, readTable } from "../src/ingest/reference/csv.ts";
import { readLadCspPfa, readLsoa21WardLad } from "../src/ingest/reference/geography.reader.ts";
import { readOnsCrimeTable } from "../src/ingest/reference/ons-crime.reader.ts";
import { readCensusTs021 } from "../src/ingest/reference/population.reader.ts";
import { emptyReferenceData } from "../src/ingest/reference/reference-data.ts";

const file = (path: string, text: string) => ({ path, text, sha256: "x" });

describe("reference CSV layer", () => {
  it("parses BOM, quoted commas and newlines, CRLF, and reports the line each record starts on", () => {
    const recs = parseCsv('\ufeffa,b\r\n"x, y","two\nlines"\r\n3,"4"\n');
    expect(recs.map((r) => r.cells)).toEqual([
      ["a", "b"],
      ["x, y", "two\nlines"],
      ["3", "4"],
    ]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("reads thousands separators, trailing spaces and ONS markers", () => {
    expect(parseNumberCell('29,199')).toEqual({ value: 29199, marker: null });
    expect(parseNumberCell("31,345 ")).toEqual({ value: 31345, marker: null });
    expect(parseNumberCell("1.2E-2")).toEqual({ value: 0.012, marker: null });
    for (const m of ["[x]", "[u]", "[c]", "[z]", "[u1]"]) expect(parseNumberCell(m)).toEqual({ value: null, marker: m });
    expect(parseNumberCell("[X]")).toEqual({ value: null, marker: "[x]" });
    expect(parseNumberCell("")).toEqual({ value: null, marker: null });
    expect(parseNumberCell("12a")).toBe("invalid");
  });

  it("normalises header variants to comparable names", () => {
    expect(normaliseHeader("\ufeffLSOA code (2011)")).toBe("lsoa_code_2011");
    expect(normaliseHeader("Total recorded crime\n (excluding fraud) [note 2]")).toBe("total_recorded_crime_excluding_fraud");
    expect(normaliseHeader("LAD24CD")).toBe("lad24cd");
  });

  it("finds the header row below Nomis title lines and skips the footer", () => {
    const text = [
      "TS021 - Ethnic group,,",
      "ONS Crown Copyright Reserved [from Nomis on 25 June 2024],,",
      "Population :,All usual residents,",
      ",,",
      "2021 super output area - lower layer,Total: All usual residents,%",
      ",,",
      'E01011954 : Hartlepool 001A,"2,284",100',
      "E01011969 : Hartlepool 001B,1345,100",
      ",,",
      ',"In order to protect against disclosure of personal information, records",',
    ].join("\n");
    const data = emptyReferenceData();
    expect(readCensusTs021(file("population/ts021.csv", text), data)).toBe(2);
    expect(data.population.get("E01011954|2021")?.persons).toBe(2284);
    expect(data.population.get("E01011969|2021")?.persons).toBe(1345);
  });

  it("accepts LAD24CD/CSP24CD/PFA24CD as well as ltla24_code/csp24_code/pfa24_code", () => {
    const upper = "\ufeffLAD24CD,LAD24NM,CSP24CD,CSP24NM,PFA24CD,PFA24NM\nE06000045,Southampton,E22000120,Southampton,E23000030,Hampshire\n";
    const lower = '"ltla24_code","ltla24_name","csp24_code","csp24_name","pfa24_code","pfa24_name"\n"E06000045","Southampton","E22000120","Southampton","E23000030","Hampshire"\n';
    for (const text of [upper, lower]) {
      const data = emptyReferenceData();
      readLadCspPfa(file("geography/lookup.csv", text), data);
      expect(data.lad.get("E06000045")).toEqual({ name: "Southampton", parent: "E22000120" });
      expect(data.csp.get("E22000120")).toEqual({ name: "Southampton", parent: "E23000030" });
      expect(data.pfa.get("E23000030")?.name).toBe("Hampshire");
    }
  });

  it("accepts LSOA21CD/WD24CD/LAD24CD as well as lsoa21_code/ward24_code/ltla24_code", () => {
    const upper = "LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\r\nE01017144,Southampton 001A,E05015492,Bassett,E06000045,Southampton\r\n";
    const lower = "lsoa21_name,lsoa21_code,ward24_name,ward24_code,ltla24_name,ltla24_code\nSouthampton 001A,E01017144,Bassett,E05015492,Southampton,E06000045\n";
    for (const text of [upper, lower]) {
      const data = emptyReferenceData();
      readLsoa21WardLad(file("geography/lsoa.csv", text), data);
      expect(data.lsoa21.get("E01017144")).toEqual({ name: "Southampton 001A", parent: "E05015492" });
      expect(data.ward.get("E05015492")).toEqual({ name: "Bassett", parent: "E06000045" });
    }
  });

  it("names the file and the column when a required column is missing", () => {
    const text = "ltla24_code,ltla24_name,pfa24_code,pfa24_name\nE06000045,Southampton,E23000030,Hampshire\n";
    let err: unknown;
    try {
      readLadCspPfa(file("geography/lookup_ltla24_csp24_pfa24.csv", text), emptyReferenceData());
    } catch (e) {
      err = e;
    }
    expect(isAppError(err)).toBe(true);
    const e = err as Error & { code: string; problems: { file: string; line?: number; field?: string }[] };
    expect(e.code).toBe("reference.bad_file");
    expect(e.message).toContain("geography/lookup_ltla24_csp24_pfa24.csv");
    expect(e.message).toContain("CSP code");
    expect(e.problems[0]).toMatchObject({ file: "geography/lookup_ltla24_csp24_pfa24.csv", line: 1 });
  });

  it("names file, line and column for a bad value", () => {
    const text = "ltla24_code,ltla24_name,csp24_code,csp24_name,pfa24_code,pfa24_name\nE06000045,Southampton,E22000120,Southampton,E23000030,Hampshire\nE06000046,Isle of Wight,22000116,Isle of Wight,E23000030,Hampshire\n";
    expect(() => readLadCspPfa(file("geo.csv", text), emptyReferenceData())).toThrow(/geo\.csv:3: .*22000116.*csp24_code/);
  });

  it("reads an ONS C2 table with title lines, multi-line headers, `31,345 ` numbers and [x] markers", () => {
    const text = [
      '"Table C2: Number of police recorded crimes by Community Safety Partnership area, England and Wales, year ending June 2025 [note 1]",,,,,,,',
      "Some shorthand is used in this table.  [x] indicates data are unavailable.,,,,,,,",
      '"Police Force\nArea code","Police Force\nArea name","Community Safety\nPartnership code","Community Safety\nPartnership name",Local Authority code,Local Authority name,"Total recorded crime\n (excluding fraud)",Homicide',
      'E23000030,Hampshire,,,,,"155,217 ",16 ',
      'E23000030,Hampshire,E22000120,Southampton,E06000045,Southampton,"31,345 ",2 ',
      "E23000030,Hampshire,,Unassigned Hampshire,,,[x],[x]",
    ].join("\n");
    const data = emptyReferenceData();
    expect(readOnsCrimeTable({ tableName: "??", yearEnding: "??" })(file("ons.csv", text), data)).toBe(3);
    const get = (area: string, offence: string) => data.onsCrime.find((r) => r.areaCode === area && r.offence === offence);
    expect(get("E22000120", "Total recorded crime (excluding fraud)")).toMatchObject({ tableName: "C2", yearEnding: "2025-06", value: 31345, marker: null, areaName: "Southampton" });
    expect(get("E23000030", "Homicide")?.value).toBe(16);
    expect(get("name:unassigned_hampshire", "Homicide")).toMatchObject({ value: null, marker: "[x]" });
  });

  it("rejects a table whose header cannot be found, naming the closest row", () => {
    expect(() => readTable("t.csv", "a,b\n1,2\n", { code: { label: "LSOA code", patterns: [/^lsoa21_code$/] } })).toThrow(/t\.csv: required column `LSOA code` not found/);
  });
});
