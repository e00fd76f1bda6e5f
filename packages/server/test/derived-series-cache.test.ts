import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monthRange, quarter } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../src/db/transaction.ts";
import { derivedSeries } from "../src/services/derived-indicator.service.ts";
import { cachedDerivedSeries } from "../src/services/derived-series-cache.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { defineIndicator, indicatorSeries, requireIndicator } from "../src/services/indicator.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { type StreetRecord, times, writeStreetFiles } from "./support/street-csv.ts";

const ctx = { actor: { label: "cli:test", ip: null }, now: new Date("2025-08-01T09:00:00Z") };
const A = { lsoaCode: "E01099001", lsoaName: "Southampton 001A" };

/** Burglaries in one Southampton LSOA, 2 + (k % 3) in the k-th month of 2024-01..2024-12. */
function records(): StreetRecord[] {
  return monthRange("2024-01", "2024-12").flatMap((month, k) => times(2 + (k % 3), { month, ...A, crimeType: "Burglary" }));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-derived-cache-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const files = writeStreetFiles(dir, "testshire", records());
const december = files.find((f) => f.includes("2024-12-"))!;

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`derived series kept per data version on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await importPoliceData(
        store,
        files.filter((f) => f !== december),
        { user: "test" },
      );
      await defineIndicator(store, { key: "burglary-q", name: "Burglary", unit: "count", polarity: "lower_is_better", periodType: "quarter", derived: { areaCode: "Southampton", crime: "Burglary", measure: "count" } }, ctx);
    });
    afterAll(() => store?.destroy());

    it("computes once per data version: the second read is the same series, equal to one computed afresh", async () => {
      const indicator = await requireIndicator(store, "burglary-q");
      const first = await indicatorSeries(store, indicator);
      const second = await indicatorSeries(store, indicator);
      expect(second.values).toBe(first.values);
      // By hand: Q1 = 2+3+4, Q2 = 2+3+4, Q3 = 2+3+4; Q4 lacks December, so it is left out.
      expect(first.values).toEqual([
        { period: "2024-Q1", value: 9 },
        { period: "2024-Q2", value: 9 },
        { period: "2024-Q3", value: 9 },
      ]);
      const fresh = await derivedSeries(store, indicator);
      expect(first.values).toEqual(fresh.values);
      expect(first.leftOut).toEqual(fresh.leftOut);
      expect(first.notes).toEqual(fresh.notes);
    });

    it("is computed again when the data changes: the import of December completes 2024-Q4", async () => {
      const indicator = await requireIndicator(store, "burglary-q");
      const before = await indicatorSeries(store, indicator);
      await importPoliceData(store, [december], { user: "test" });
      const after = await indicatorSeries(store, indicator);
      expect(after.values).not.toBe(before.values);
      expect(after.values.at(-1)).toEqual({ period: "2024-Q4", value: records().filter((r) => quarter(r.month) === "2024-Q4").length });
      expect(after.values.at(-1)!.value).toBe(2 + 3 + 4);
      expect(after.leftOut).toEqual([]);
    });

    it("inside a transaction computes without keeping (the data there may be uncommitted)", async () => {
      const indicator = await requireIndicator(store, "burglary-q");
      const outside = await cachedDerivedSeries(store, indicator, undefined, new Map());
      const inside = await inTransaction(store, (tx) => cachedDerivedSeries(tx, indicator, undefined, new Map()));
      expect(inside.values).not.toBe(outside.values);
      expect(inside.values).toEqual(outside.values);
      expect((await cachedDerivedSeries(store, indicator, undefined, new Map())).values).toBe(outside.values);
    });

    it("keeps series of different definitions apart (same crime, another period type)", async () => {
      const monthly = await defineIndicator(
        store,
        { key: "burglary-m", name: "Burglary by month", unit: "count", polarity: "lower_is_better", periodType: "month", derived: { areaCode: "Southampton", crime: "Burglary", measure: "count" } },
        ctx,
      );
      const s = await indicatorSeries(store, monthly);
      expect(s.values.map((v) => v.value)).toEqual([2, 3, 4, 2, 3, 4, 2, 3, 4, 2, 3, 4]);
    });
  });
}
