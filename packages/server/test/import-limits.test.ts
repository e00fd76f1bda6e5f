import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import yazl from "yazl";
import { type CsvProblem, CsvRecordReader } from "../src/ingest/csv/csv-record-reader.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { FIXTURE_SOUTHAMPTON_2025, realStreetLines } from "./support/shared-data.ts";
import { dataSnapshot } from "./support/store-snapshot.ts";

/**
 * Issue 16, item 2: the CSV reader is linear in line length and caps a record, zip entries are
 * capped by expanded size and compression ratio, and an import has a time limit. Linearity is
 * measured as bytes copied by Buffer.concat (the quadratic step was one concat per chunk), never
 * by wall-clock time.
 */
const MB = 1024 * 1024;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-import-limits-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Feeds `parts` in 64 KB chunks; returns records, problems and how many bytes Buffer.concat produced. */
function feed(parts: (string | { repeat: string; bytes: number })[], opts: { maxRecordBytes?: number } = {}) {
  const records: { line: number; lengths: number[] }[] = [];
  const problems: CsvProblem[] = [];
  const reader = new CsvRecordReader(
    (fields, line) => records.push({ line, lengths: fields.map((f) => f.length) }),
    (p) => problems.push(p),
    opts,
  );
  const realConcat = Buffer.concat;
  let concatBytes = 0;
  const spy = vi.spyOn(Buffer, "concat").mockImplementation((list, total) => {
    const out = realConcat(list, total);
    concatBytes += out.length;
    return out;
  });
  let fed = 0;
  let chunksAfterStop = 0;
  try {
    const CHUNK = 64 * 1024;
    for (const part of parts) {
      if (typeof part === "string") {
        reader.push(Buffer.from(part));
        fed += part.length;
        continue;
      }
      const block = Buffer.alloc(CHUNK, part.repeat);
      for (let left = part.bytes; left > 0; left -= CHUNK) {
        if (reader.done) chunksAfterStop++;
        const n = Math.min(CHUNK, left);
        reader.push(n === CHUNK ? block : block.subarray(0, n));
        fed += n;
      }
    }
    reader.end();
  } finally {
    spy.mockRestore();
  }
  return { records, problems, concatBytes, fed, done: reader.done, chunksAfterStop };
}

describe("CsvRecordReader on very long lines", () => {
  afterEach(() => vi.restoreAllMocks());

  it("reads a 20 MB field (cap raised) copying each byte about once, not once per chunk", () => {
    const r = feed(["a,b,c\n1,", { repeat: "x", bytes: 20 * MB }, ",3\n4,5,6\n"], { maxRecordBytes: 64 * MB });
    expect(r.problems).toEqual([]);
    expect(r.records).toEqual([
      { line: 1, lengths: [1, 1, 1] },
      { line: 2, lengths: [1, 20 * MB, 1] },
      { line: 3, lengths: [1, 1, 1] },
    ]);
    // One concat per chunk (the old reader) copies ~n^2 / (2 x 64 KB) = 3.2 GB here.
    expect(r.concatBytes).toBeLessThan(2 * r.fed);
  });

  it("stops at a line over the default 1 MB with its line number, holding no more than the cap", () => {
    const r = feed(["a,b,c\n1,2,3\n1,", { repeat: "x", bytes: 20 * MB }, ",3\n"]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 3, fatal: true });
    expect(r.problems[0]!.message).toMatch(/^line longer than 1 MB/);
    expect(r.done).toBe(true);
    expect(r.records.map((x) => x.line)).toEqual([1, 2]);
    expect(r.concatBytes).toBeLessThan(2 * MB);
    expect(r.chunksAfterStop).toBeGreaterThan(250);
  });

  it("caps a quoted record that runs over many lines the same way", () => {
    const r = feed(['a,b\n"', { repeat: "y\n", bytes: 3 * MB }, '",2\n']);
    expect(r.problems[0]).toMatchObject({ line: 2, fatal: true });
    expect(r.problems[0]!.message).toMatch(/^line longer than 1 MB/);
  });
});

function writeZip(name: string, entries: Record<string, Buffer>): Promise<string> {
  const file = path.join(tmp, name);
  const zip = new yazl.ZipFile();
  for (const [entry, content] of Object.entries(entries)) zip.addBuffer(content, entry);
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on("close", () => resolve(file)).on("error", reject);
  });
}

const lines = await realStreetLines(30);
const header = lines[0]!;

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`import size and time limits on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    it("rejects a file with a 20 MB field at file:line, stops reading it, and changes nothing", async () => {
      const before = await dataSnapshot(store);
      const long = lines[2]!.split(",");
      long[6] = "x".repeat(20 * MB);
      const file = path.join(tmp, `${dialect}-2025-01-longline-street.csv`);
      fs.writeFileSync(file, [header, lines[1], long.join(","), ...lines.slice(3)].join("\n"));
      const report = await importPoliceData(store, [file], { user: "test" });
      expect(report.files[0]).toMatchObject({ status: "rejected", rows: 1 });
      expect(report.files[0]!.errors[0]).toMatchObject({ file, line: 3 });
      expect(report.files[0]!.errors[0]!.message).toMatch(/^line longer than 64 KB/);
      const after = await dataSnapshot(store);
      expect(after).toEqual(before);
    });

    // Issue 11 item 5: the police file's own limits (a field of 1,000 characters, a line of 64 KiB,
    // no more columns than the header), each refused at file:line naming the field.
    const streetFile = (name: string, rows: string[]) => {
      const file = path.join(tmp, `${dialect}-${name}`);
      fs.writeFileSync(file, `${[header, ...rows].join("\n")}\n`);
      return file;
    };
    const withField = (line: string, index: number, value: string) => {
      const f = line.split(",");
      f[index] = value;
      return f.join(",");
    };

    it("refuses a field over 1,000 characters at file:line naming the column; exactly 1,000 is accepted", async () => {
      const before = await dataSnapshot(store);
      const file = streetFile("2025-04-longfield-street.csv", [lines[1]!, withField(lines[2]!, 6, "x".repeat(1001)), lines[3]!].map((l) => l.replace(",2025-01,", ",2025-04,")));
      const report = await importPoliceData(store, [file], { user: "test" });
      expect(report.files[0]).toMatchObject({ status: "rejected", rows: 2, rejectedRows: 1 });
      expect(report.files[0]!.errors).toEqual([
        { file, line: 3, message: "`Location` is 1,001 characters long, over the 1,000 a police.uk field can be: the file is damaged or not a police.uk street file" },
      ]);
      expect(await dataSnapshot(store)).toEqual(before);
      const ok = streetFile("2025-05-field1000-street.csv", [withField(lines[1]!, 11, "c".repeat(1000)).replace(",2025-01,", ",2025-05,")]);
      const accepted = await importPoliceData(store, [ok], { user: "test" });
      expect(accepted.files[0]).toMatchObject({ status: "imported", rows: 1 });
      const stored = await store.db.selectFrom("incident_row").select("context").where("import_id", "=", accepted.files[0]!.importId!).execute();
      expect(stored.map((r) => r.context.length)).toEqual([1000]);
    });

    it("refuses a line over 64 KiB (well under the reader's 1 MB) at file:line and reads no further", async () => {
      const before = await dataSnapshot(store);
      const long = withField(lines[2]!, 11, "z".repeat(65 * 1024)).replace(",2025-01,", ",2025-06,");
      const file = streetFile("2025-06-line65k-street.csv", [lines[1]!.replace(",2025-01,", ",2025-06,"), long, lines[3]!.replace(",2025-01,", ",2025-06,")]);
      const report = await importPoliceData(store, [file], { user: "test" });
      expect(report.files[0]).toMatchObject({ status: "rejected" });
      expect(report.files[0]!.errors).toHaveLength(1);
      expect(report.files[0]!.errors[0]).toMatchObject({ file, line: 3 });
      expect(report.files[0]!.errors[0]!.message).toMatch(/^line longer than 64 KB/);
      expect(await dataSnapshot(store)).toEqual(before);
    });

    it("refuses a row with more columns than the header at file:line", async () => {
      const before = await dataSnapshot(store);
      const file = streetFile("2025-07-extracol-street.csv", [`${lines[1]!},extra`, lines[2]!].map((l) => l.replace(",2025-01,", ",2025-07,")));
      const report = await importPoliceData(store, [file], { user: "test" });
      expect(report.files[0]).toMatchObject({ status: "rejected", rejectedRows: 1 });
      expect(report.files[0]!.errors[0]).toMatchObject({ file, line: 2 });
      expect(report.files[0]!.errors[0]!.message).toMatch(/^expected 12 fields, found 13: more columns than the header/);
      expect(await dataSnapshot(store)).toEqual(before);
    });

    it("refuses a zip bomb entry (20 MB of one character, ~1000:1) before reading it", async () => {
      const bomb = Buffer.concat([Buffer.from(`${header}\n`), Buffer.alloc(20 * MB, "a")]);
      const zip = await writeZip(`${dialect}-bomb.zip`, { "2025-01/2025-01-bomb-street.csv": bomb });
      expect(fs.statSync(zip).size).toBeLessThan(MB);
      await expect(importPoliceData(store, [zip], { user: "test" })).rejects.toMatchObject({
        code: "import.unsafe_entry",
        message: expect.stringMatching(/2025-01-bomb-street\.csv` expands \d+ times .* zip bomb; nothing was imported$/),
      });
    });

    it("refuses a zip entry whose declared size is over the limit (limit lowered for the test)", async () => {
      await expect(importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test", limits: { maxEntryBytes: 64 * 1024 } })).rejects.toMatchObject({
        code: "import.unsafe_entry",
        message: expect.stringMatching(/expands to [\d.]+ MB, over the 0\.1 MB limit for one file; nothing was imported/),
      });
    });

    it("stops an import past its time limit: the file being read is rolled back, the rest are not started", async () => {
      const before = await dataSnapshot(store);
      const files = ["2025-02", "2025-03"].map((m) => {
        const f = path.join(tmp, `${dialect}-${m}-slowforce-street.csv`);
        fs.writeFileSync(f, [header, ...lines.slice(1).map((l) => l.replace(/^([^,]*),2025-01,/, `$1,${m},`))].join("\n"));
        return f;
      });
      let t = Date.parse("2026-02-01T10:00:00Z");
      const report = await importPoliceData(store, files, {
        user: "test",
        now: () => new Date(t),
        timeLimitMs: 60 * 60 * 1000,
        // The clock jumps 3 hours as soon as the first file has been read into.
        onProgress: () => {
          t += 3 * 60 * 60 * 1000;
        },
      });
      expect(report.files.map((f) => f.status)).toEqual(["failed", "failed"]);
      expect(report.files[0]!.message).toMatch(/reached its time limit of 60 min; nothing of this file was imported$/);
      expect(report.files[1]!.message).toMatch(/^not imported: the import reached its time limit of 60 min before this file/);
      expect(await dataSnapshot(store)).toEqual(before);
    });
  });
}
