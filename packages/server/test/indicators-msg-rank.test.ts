import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPoliceData } from "../src/services/import.service.ts";
import { defineIndicator, indicatorSeries, requireIndicator } from "../src/services/indicator.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { FIXTURE_REFERENCE_DIR } from "./support/shared-data.ts";
import { type StreetRecord, times, writeStreetFiles } from "./support/street-csv.ts";

const ctx = { actor: { label: "cli:test", ip: null }, now: new Date("2025-08-01T09:00:00Z") };
// Real LSOAs of the reference fixture (lookup_lsoa21_ward24_ltla24.csv).
const SOTON = { lsoaCode: "E01017224", lsoaName: "Southampton 024C" };
const PORTSMOUTH = { lsoaCode: "E01017022", lsoaName: "Portsmouth 020A" };

/**
 * Southampton (about 250,000 residents) and Portsmouth (about 210,000), the fixture's most similar
 * group. 2025-Q1: Southampton 30 burglaries, Portsmouth 10, so Southampton's rate is the higher:
 * rank 2 of 2. 2025-Q2: 5 against 40, so rank 1 (1 = lowest rate).
 */
function generate(): StreetRecord[] {
  /** month -> [Southampton, Portsmouth] burglaries. */
  const counts: Record<string, [number, number]> = {
    "2025-01": [10, 4],
    "2025-02": [10, 3],
    "2025-03": [10, 3],
    "2025-04": [3, 14],
    "2025-05": [1, 13],
    "2025-06": [1, 13],
  };
  return Object.entries(counts).flatMap(([month, [s, p]]) => [
    ...times(s, { month, ...SOTON, crimeType: "Burglary" }),
    ...times(p, { month, ...PORTSMOUTH, crimeType: "Burglary" }),
  ]);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-msg-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const records = generate();
const files = writeStreetFiles(dir, "hampshire", records);

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`most-similar-group rank on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => new Date("2026-01-01T00:00:00Z") });
      await importPoliceData(store, files, { user: "test" });
      await defineIndicator(
        store,
        { key: "burglary-msg", name: "Burglary rank in the MSG", unit: "rank", polarity: "lower_is_better", periodType: "quarter", derived: { areaCode: "Southampton", crime: "Burglary", measure: "msg_rank" } },
        ctx,
      );
    }, 180_000);
    afterAll(() => store?.destroy());

    it("ranks the area in its group by rate per period: 2 of 2 in 2025-Q1, 1 of 2 in 2025-Q2", async () => {
      const count = (lsoa: string, months: string[]) => records.filter((r) => r.lsoaCode === lsoa && months.includes(r.month)).length;
      expect([count(SOTON.lsoaCode, ["2025-01", "2025-02", "2025-03"]), count(PORTSMOUTH.lsoaCode, ["2025-01", "2025-02", "2025-03"])]).toEqual([30, 10]);
      expect([count(SOTON.lsoaCode, ["2025-04", "2025-05", "2025-06"]), count(PORTSMOUTH.lsoaCode, ["2025-04", "2025-05", "2025-06"])]).toEqual([5, 40]);
      const indicator = await requireIndicator(store, "burglary-msg");
      expect(indicator.derived).toEqual({ areaCode: "E06000045", crime: "Burglary", measure: "msg_rank" });
      const s = await indicatorSeries(store, indicator);
      expect(s.area).toEqual({ code: "E06000045", name: "Southampton" });
      expect(s.values).toEqual([
        { period: "2025-Q1", value: 2 },
        { period: "2025-Q2", value: 1 },
      ]);
    });
  });
}
