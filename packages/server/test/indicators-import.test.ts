import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatProblem } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapIndicatorHeader, parseIndicatorValue } from "../src/ingest/indicators/indicator-row.ts";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { badIndicatorFileError, importIndicatorFile } from "../src/services/indicator-import.service.ts";
import { indicatorSeries, requireIndicator } from "../src/services/indicator.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";

const actor = { label: "cli:test", ip: null };
const now = new Date("2026-01-15T10:00:00Z");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-indicators-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

describe("indicator file header and values", () => {
  it("finds the columns whatever their case, spacing and order, ignoring extra columns", () => {
    const h = mapIndicatorHeader(["Value", " Area Code ", "note", "PERIOD", "indicator"]);
    expect(h).toEqual({ ok: true, columns: { indicator: 4, area: 1, period: 3, value: 0 } });
  });

  it("names every missing column", () => {
    const h = mapIndicatorHeader(["indicator", "when", "amount"]);
    expect(h.ok).toBe(false);
    expect(!h.ok && h.message).toMatch(/missing columns `area`, `period`, `value`/);
  });

  it("reads plain numbers and thousands separators, refuses words, blanks and infinities", () => {
    expect(parseIndicatorValue(" 12 ")).toEqual({ ok: true, value: 12 });
    expect(parseIndicatorValue("-3.5")).toEqual({ ok: true, value: -3.5 });
    expect(parseIndicatorValue("1,234.5")).toEqual({ ok: true, value: 1234.5 });
    for (const bad of ["", "n/a", "12abc", "Infinity", "1,23", "NaN"]) expect(parseIndicatorValue(bad).ok).toBe(false);
  });
});

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`indicators import on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    const countValues = async () => Number((await store.db.selectFrom("indicator_value").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const countIndicators = async () => Number((await store.db.selectFrom("indicator").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

    it("refuses a bad file, listing every bad row with its line and field, and writes nothing", async () => {
      const p = file(
        "bad.csv",
        [
          "indicator,area,period,value",
          "asb-reports,E06000045,2025-04,120", // 2 good
          "asb-report,E06000045,2025-05,130", // 3 unknown indicator
          "asb-reports,Southampton,2025-05,130", // 4 not an area code
          "fte-youth-justice,E06000045,2025-04,7", // 5 month for a quarterly indicator
          "deliberate-fires,E06000045,2025-Q1,lots", // 6 not a number
          "asb-reports,E06000045,2025-04,121", // 7 repeats line 2
          "hospital-assault-admissions,E06000045,2025/27,40", // 8 not a financial year
          "asb-reports,E06000045", // 9 too few fields
          "asb-reports,E06000045,2025-06,12.5", // 10 a count must be whole
        ].join("\n"),
      );
      const report = await importIndicatorFile(store, p, { actor, now });
      expect(report.imported + report.replaced + report.unchanged).toBe(0);
      const lines = report.errors.map((e) => [e.line, e.field]);
      expect(lines).toEqual([
        [3, "indicator"],
        [4, "area"],
        [5, "period"],
        [6, "value"],
        [7, "period"],
        [8, "period"],
        [9, undefined],
        [10, "value"],
      ]);
      const printed = report.errors.map(formatProblem);
      expect(printed[0]).toMatch(/^bad\.csv:3: unknown indicator `asb-report`: use a key from `safecity indicators list`/);
      expect(printed[1]).toMatch(/`Southampton` is not an area code: give the ONS code/);
      expect(printed[2]).toBe("bad.csv:5: period must be a calendar quarter written YYYY-Qn (e.g. 2025-Q3); got `2025-04` (that is a month; this indicator counts by quarter) (period)");
      expect(printed[4]).toMatch(/already given on line 2/);
      expect(printed[5]).toMatch(/write 2025\/26/);
      expect(printed[7]).toBe("bad.csv:10: asb-reports is a count, so its value must be a whole number of 0 or more; got 12.5 (value)");
      expect(badIndicatorFileError(report).message).toBe("bad.csv: 8 problems on 8 rows; nothing was imported");
      expect(await countValues()).toBe(0);
      expect(await countIndicators()).toBe(0);
      expect(await listAudit(store, { action: "indicator.import" })).toEqual([]);
    });

    it("imports a good file (BOM, CRLF, tolerant header), creating the built-in indicators it uses", async () => {
      const text = "\uFEFFIndicator, Area Code ,PERIOD,Value\r\nasb-reports,E06000045,2025-04,120\r\nasb-reports,E06000045,2025-05,\"1,130\"\r\nfte-youth-justice,e06000045,2025-Q2,7\r\n";
      const report = await importIndicatorFile(store, file("good.csv", text), { actor, now });
      expect(report).toMatchObject({ file: "good.csv", imported: 3, replaced: 0, unchanged: 0, errors: [] });
      const asb = await requireIndicator(store, "asb-reports");
      expect(asb).toMatchObject({ unit: "count", polarity: "lower_is_better", periodType: "month", source: "imported" });
      expect((await indicatorSeries(store, asb, "E06000045")).values).toEqual([
        { period: "2025-04", value: 120 },
        { period: "2025-05", value: 1130 },
      ]);
      const fte = await requireIndicator(store, "fte-youth-justice");
      expect((await indicatorSeries(store, fte, "E06000045")).values).toEqual([{ period: "2025-Q2", value: 7 }]);
      expect(await countIndicators()).toBe(2);
      const audit = await listAudit(store, { action: "indicator.import" });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: "cli:test", target: "file:good.csv", after: { imported: 3, replaced: 0, unchanged: 0 } });
    });

    it("re-importing the same file changes nothing; a newer value replaces the stored one and says so", async () => {
      const same = await importIndicatorFile(store, path.join(dir, "good.csv"), { actor, now });
      expect(same).toMatchObject({ imported: 0, replaced: 0, unchanged: 3, errors: [] });
      expect(await listAudit(store, { action: "indicator.import" })).toHaveLength(1);

      const later = new Date("2026-02-01T09:00:00Z");
      const revised = file("revised.csv", "indicator,area,period,value\nasb-reports,E06000045,2025-05,1125\nasb-reports,E06000045,2025-06,990\nfte-youth-justice,E06000045,2025-Q2,7\n");
      const r = await importIndicatorFile(store, revised, { actor, now: later });
      expect(r).toMatchObject({ imported: 1, replaced: 1, unchanged: 1 });
      expect(r.replacements).toEqual([{ indicator: "asb-reports", area: "E06000045", period: "2025-05", from: 1130, to: 1125 }]);
      const asb = await requireIndicator(store, "asb-reports");
      expect((await indicatorSeries(store, asb, "E06000045")).values.map((v) => v.value)).toEqual([120, 1125, 990]);
      const row = await store.db.selectFrom("indicator_value").selectAll().where("period", "=", "2025-05").executeTakeFirstOrThrow();
      expect(row).toMatchObject({ file: "revised.csv", imported_at: later.toISOString() });
      const untouched = await store.db.selectFrom("indicator_value").selectAll().where("period", "=", "2025-04").executeTakeFirstOrThrow();
      expect(untouched).toMatchObject({ file: "good.csv", imported_at: now.toISOString() });
      const audit = await listAudit(store, { action: "indicator.import" });
      expect(audit[0]).toMatchObject({ before: { replaced: [{ indicator: "asb-reports", area: "E06000045", period: "2025-05", value: 1130 }] } });
      expect(await countValues()).toBe(4);
    });

    it("refuses values for a derived indicator: they come from the police data", async () => {
      // Stored directly: defining it through the service needs the area, which this store does not have.
      await store.db
        .insertInto("indicator")
        .values({ key: "burglary-count", name: "Burglary", unit: "count", polarity: "lower_is_better", period_type: "month", source: "derived", derived_area_code: "E06000045", derived_crime: "Burglary", derived_measure: "count" })
        .execute();
      const r = await importIndicatorFile(store, file("derived.csv", "indicator,area,period,value\nburglary-count,E06000045,2025-04,12\n"), { actor, now });
      expect(r.errors.map(formatProblem)).toEqual(["derived.csv:2: `burglary-count` is derived from the police data and cannot be imported: leave its rows out of the file (indicator)"]);
    });

    it("a bad row in a file of good ones leaves the stored values as they were", async () => {
      const p = file("half.csv", "indicator,area,period,value\nasb-reports,E06000045,2025-04,1\nasb-reports,E06000045,2025-07,x\n");
      const r = await importIndicatorFile(store, p, { actor, now });
      expect(r.errors.map(formatProblem)).toEqual([expect.stringMatching(/^half\.csv:3: .*not a number.* \(value\)$/)]);
      const asb = await requireIndicator(store, "asb-reports");
      expect((await indicatorSeries(store, asb, "E06000045")).values[0]).toEqual({ period: "2025-04", value: 120 });
    });
  });
}
