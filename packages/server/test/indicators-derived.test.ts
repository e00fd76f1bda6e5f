import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { financialYear, monthRange, quarter } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DerivedSeriesCache } from "../src/services/derived-indicator.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { defineIndicator, indicatorSeries, requireIndicator } from "../src/services/indicator.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { type StreetRecord, times, writeStreetFiles } from "./support/street-csv.ts";

const ctx = { actor: { label: "cli:test", ip: null }, now: new Date("2025-08-01T09:00:00Z") };
const A = { lsoaCode: "E01099001", lsoaName: "Southampton 001A" };
const B = { lsoaCode: "E01099002", lsoaName: "Southampton 001B" };
const OTHER = { lsoaCode: "E01099101", lsoaName: "Eastleigh 001A" };
const POPULATION = { [A.lsoaCode]: 1500, [B.lsoaCode]: 2500 };

/** 2024-01 .. 2025-06 of made-up Southampton and Eastleigh rows; counts vary by month so sums are checkable. */
function generate(): StreetRecord[] {
  const out: StreetRecord[] = [];
  for (const [k, month] of monthRange("2024-01", "2025-06").entries()) {
    out.push(...times(3 + (k % 5), { month, ...A, crimeType: "Burglary" }));
    out.push(...times(1 + (k % 2), { month, ...B, crimeType: "Burglary" }));
    out.push(...times(10 + 2 * k, { month, ...B, crimeType: "Violence and sexual offences" }));
    out.push(...times(4 + (k % 3), { month, ...A, crimeType: "Anti-social behaviour" }));
    out.push(...times(7, { month, ...OTHER, crimeType: "Burglary" }));
  }
  return out;
}

/** The test's own count: rows of Southampton LSOAs of these types in these months, from the generated list. */
function expected(records: readonly StreetRecord[], types: readonly string[], months: (m: string) => boolean): number {
  return records.filter((r) => r.lsoaName.startsWith("Southampton ") && types.includes(r.crimeType) && months(r.month)).length;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-derived-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const records = generate();
const files = writeStreetFiles(dir, "testshire", records);
const november = files.find((f) => f.includes("2024-11-"))!;

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`derived indicators on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      // Every month but November 2024: its counts are unknown, not zero.
      const report = await importPoliceData(
        store,
        files.filter((f) => f !== november),
        { user: "test" },
      );
      expect(report.files.every((f) => f.status === "imported")).toBe(true);
      await store.db
        .insertInto("population")
        .values(Object.entries(POPULATION).map(([code, persons]) => ({ area_code: code, year: 2021, persons, source: "test" })))
        .execute();
      await defineIndicator(store, { key: "burglary-q", name: "Burglary", unit: "count", polarity: "lower_is_better", periodType: "quarter", derived: { areaCode: "Southampton", crime: "burglary", measure: "count" } }, ctx);
      await defineIndicator(
        store,
        { key: "violence-rate", name: "Violence per 1,000", unit: "rate_per_1000", polarity: "lower_is_better", periodType: "month", derived: { areaCode: "Southampton", crime: "Violence and sexual offences", measure: "rate_per_1000" } },
        ctx,
      );
      await defineIndicator(store, { key: "all-crime-fy", name: "All crime", unit: "count", polarity: "lower_is_better", periodType: "financial_year", derived: { areaCode: "Southampton", crime: "All crime", measure: "count" } }, ctx);
    });
    afterAll(() => store?.destroy());

    it("counts a crime type by quarter over complete quarters only; the quarter with a missing month is left out, not zero", async () => {
      const s = await indicatorSeries(store, await requireIndicator(store, "burglary-q"));
      const quarters = ["2024-Q1", "2024-Q2", "2024-Q3", "2025-Q1", "2025-Q2"];
      expect(s.values).toEqual(quarters.map((q) => ({ period: q, value: expected(records, ["Burglary"], (m) => quarter(m) === q) })));
      expect(s.values[0]!.value).toBe(3 + 4 + 5 + (1 + 2 + 1)); // by hand: months k = 0, 1, 2
      expect(s.leftOut).toEqual([{ period: "2024-Q4", reason: "no testshire file for 2024-11" }]);
      expect(s.area).toEqual({ code: null, name: "Southampton" });
    });

    it("gives the rate per 1,000 residents by month from the LSOAs' population", async () => {
      const s = await indicatorSeries(store, await requireIndicator(store, "violence-rate"));
      const months = monthRange("2024-01", "2025-06").filter((m) => m !== "2024-11");
      expect(s.values.map((v) => v.period)).toEqual(months);
      for (const v of s.values) expect(v.value).toBeCloseTo((expected(records, ["Violence and sexual offences"], (m) => m === v.period) / 4000) * 1000, 12);
      expect(s.values[0]!.value).toBeCloseTo(2.5, 12); // 10 crimes / 4,000 residents * 1,000
      expect(s.leftOut.map((l) => l.period)).toEqual(["2024-11"]);
    });

    it("says which population year each rate uses when the data's years have none (2021 residents for 2024 and 2025 months)", async () => {
      const s = await indicatorSeries(store, await requireIndicator(store, "violence-rate"));
      expect(s.notes).toContain("rates for 2024-01 to 2025-06 (17 periods) use the 2021 population (4,000 residents), the nearest year loaded: there is none for 2024 or 2025");
    });

    it("leaves out financial years that are partly outside the data or have a missing month", async () => {
      const s = await indicatorSeries(store, await requireIndicator(store, "all-crime-fy"));
      expect(s.values).toEqual([]);
      expect(s.leftOut).toEqual([
        { period: "2023/24", reason: "only partly inside the data loaded (2024-01 to 2025-06)" },
        { period: "2024/25", reason: "no testshire file for 2024-11" },
        { period: "2025/26", reason: "only partly inside the data loaded (2024-01 to 2025-06)" },
      ]);
    });

    it("is always current: importing the missing month completes its quarter and year at the next read", async () => {
      await importPoliceData(store, [november], { user: "test" });
      const q = await indicatorSeries(store, await requireIndicator(store, "burglary-q"));
      expect(q.values.find((v) => v.period === "2024-Q4")).toEqual({ period: "2024-Q4", value: expected(records, ["Burglary"], (m) => quarter(m) === "2024-Q4") });
      expect(q.leftOut).toEqual([]);
      const fy = await indicatorSeries(store, await requireIndicator(store, "all-crime-fy"));
      const allCrime = ["Burglary", "Violence and sexual offences"]; // the generated non-ASB types
      expect(fy.values).toEqual([{ period: "2024/25", value: expected(records, allCrime, (m) => financialYear(m) === "2024/25") }]);
    });

    it("series read together share one load of the area's data and give the same values as read alone", async () => {
      const cache: DerivedSeriesCache = new Map();
      const keys = ["burglary-q", "violence-rate", "all-crime-fy"];
      const shared = [];
      for (const key of keys) shared.push(await indicatorSeries(store, await requireIndicator(store, key), undefined, cache));
      expect([...cache.keys()]).toEqual(["Southampton"]);
      for (const [i, key] of keys.entries()) expect(shared[i]).toEqual(await indicatorSeries(store, await requireIndicator(store, key)));
    });

    it("refuses a derived indicator on an unknown crime or area, listing both problems", async () => {
      const e = await defineIndicator(
        store,
        { key: "bad", name: "Bad", unit: "count", polarity: "lower_is_better", periodType: "month", derived: { areaCode: "Atlantis", crime: "Piracy", measure: "count" } },
        ctx,
      ).catch((err: { problems: { field: string }[] }) => err);
      expect((e as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(["crime", "area"]);
    });
  });
}
