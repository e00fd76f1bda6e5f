import { describe, expect, it } from "vitest";
import { type CsvProblem, CsvRecordReader } from "../src/ingest/csv/csv-record-reader.ts";

function parse(input: string | Buffer, chunkSize = Number.POSITIVE_INFINITY) {
  const records: { line: number; fields: string[] }[] = [];
  const problems: CsvProblem[] = [];
  const reader = new CsvRecordReader(
    (fields, line) => records.push({ line, fields: [...fields] }),
    (p) => problems.push(p),
  );
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input, "utf8");
  const step = Math.min(chunkSize, buf.length || 1);
  for (let i = 0; i < buf.length; i += step) reader.push(buf.subarray(i, i + step));
  reader.end();
  return { records, problems };
}

describe("CsvRecordReader", () => {
  it("splits plain records and numbers their lines", () => {
    const { records } = parse("a,b,c\n1,2,3\n4,,6\n");
    expect(records).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "2", "3"] },
      { line: 3, fields: ["4", "", "6"] },
    ]);
  });

  it("handles CRLF, a missing final newline and a BOM", () => {
    const { records } = parse("\uFEFFa,b\r\n1,2\r\n3,4");
    expect(records.map((r) => r.fields)).toEqual([["a", "b"], ["1", "2"], ["3", "4"]]);
  });

  it("unquotes fields, doubled quotes and quoted commas and newlines", () => {
    const { records, problems } = parse('x,"On or near ""The Street"", Town",y\n"multi\nline",2,3\nlast,1,2\n');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ["x", 'On or near "The Street", Town', "y"] },
      { line: 2, fields: ["multi\nline", "2", "3"] },
      { line: 4, fields: ["last", "1", "2"] },
    ]);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'h1,h2,h3\n"a,1","b""2",c\r\nd,"e\nf",g\n\u00e9t\u00e9,caf\u00e9,"\u00fc"\n';
    const whole = parse(text);
    for (const size of [1, 2, 3, 5, 7, 13]) expect(parse(text, size)).toEqual(whole);
  });

  it("reports broken quoting with its line and keeps going", () => {
    const { records, problems } = parse('a,b\n1,x"y\n"2"z,3\n4,5\n');
    expect(records.map((r) => r.line)).toEqual([1, 4]);
    expect(problems.map((p) => [p.line, p.fatal])).toEqual([
      [2, false],
      [3, false],
    ]);
    expect(problems[0]!.message).toMatch(/broken quoting/);
  });

  it("reports an unterminated quote at the end of input", () => {
    const { problems } = parse('a,b\n1,"never closed\n2,3\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 2, fatal: false });
    expect(problems[0]!.message).toMatch(/unterminated/);
  });

  it("stops at invalid UTF-8 and names the line", () => {
    const latin1 = Buffer.concat([Buffer.from("a,b\n1,2\n"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x33, 0x0a]), Buffer.from("4,5\n")]);
    const { records, problems } = parse(latin1);
    expect(problems).toEqual([{ line: 3, message: expect.stringMatching(/not valid UTF-8/), fatal: true }]);
    expect(records.length).toBeLessThanOrEqual(2);
  });
});
