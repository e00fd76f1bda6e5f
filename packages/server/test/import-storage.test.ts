import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPoliceData } from "../src/services/import.service.ts";
import { CsvRecordReader } from "../src/ingest/csv/csv-record-reader.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { realStreetLines } from "./support/shared-data.ts";

/**
 * Incidents are stored compactly (ids for repeated texts, YYYYMM months, crime ids as bytes on
 * SQLite): the incident_row view must give back every police.uk column exactly as published.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-import-storage-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const lines = await realStreetLines(40);
const header = lines[0]!;
const body = lines.slice(1);
const HEX64 = "ab".repeat(32);
/** Rows that exercise each encoding's other branch. */
const odd = [
  // uppercase hex: kept as text, not bytes
  `${HEX64.toUpperCase()},2025-01,Hampshire Constabulary,Hampshire Constabulary,-1.404,50.909,On or near Bevois Valley Road,E01017140,Southampton 001A,Burglary,Under investigation,`,
  // odd number of hex digits
  `abc,2025-01,Hampshire Constabulary,Hampshire Constabulary,-1.404,50.909,"On or near ""Quoted"", Street",E01017140,Southampton 001A,Burglary,A brand new outcome category,Some context`,
  // no crime id, no outcome, no location
  ",2025-01,Hampshire Constabulary,Hampshire Constabulary,,,No Location,,,Anti-social behaviour,,",
  // a force name seen for the first time in this file
  `${HEX64},2025-01,British Transport Police,Hampshire Constabulary,-1.404,50.909,On or near Parking Area,E01017140,Southampton 001A,Robbery,Unable to prosecute suspect,`,
];

function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const reader = new CsvRecordReader(
    (f) => records.push([...f]),
    (p) => {
      throw new Error(p.message);
    },
  );
  reader.push(Buffer.from(text));
  reader.end();
  return records.slice(1);
}

/** A published row as the view should return it. */
function expected(f: string[]) {
  return {
    crime_id: f[0] === "" ? null : f[0],
    month: f[1],
    reported_by: f[2],
    falls_within: f[3],
    longitude: f[4] === "" ? null : Number(f[4]),
    latitude: f[5] === "" ? null : Number(f[5]),
    location: f[6],
    lsoa_code: f[7],
    outcome: f[10],
    context: f[11],
  };
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`incident storage on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    async function viewRows(importId: number) {
      const rows = await store.db
        .selectFrom("incident_row")
        .select(["crime_id", "month", "reported_by", "falls_within", "longitude", "latitude", "location", "lsoa_code", "outcome", "context"])
        .where("import_id", "=", importId)
        .orderBy("id")
        .execute();
      return rows.map((r) => ({ ...r, longitude: r.longitude === null ? null : Number(r.longitude), latitude: r.latitude === null ? null : Number(r.latitude) }));
    }

    it("gives back every column of real and unusual rows exactly, in file order", async () => {
      const text = `${[header, ...body, ...odd].join("\n")}\n`;
      const file = path.join(tmp, dialect, "2025-01", "2025-01-hampshire-street.csv");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      const report = await importPoliceData(store, [file], { user: "test" });
      expect(report.files[0]!.status).toBe("imported");
      expect(await viewRows(report.files[0]!.importId!)).toEqual(parseCsv(text).map(expected));
    });

    it("forgets values first seen in a rejected file: a later file with them stores them right", async () => {
      const bad = path.join(tmp, dialect, "2025-02", "2025-02-newforce-street.csv");
      fs.mkdirSync(path.dirname(bad), { recursive: true });
      const newForce = (l: string) => l.replaceAll("2025-01", "2025-02").replaceAll("Hampshire Constabulary", "Wessex Police");
      const good = [header, ...body.slice(0, 5).map(newForce), newForce(odd[1]!).replace("A brand new outcome category", "Another new outcome")];
      fs.writeFileSync(bad, `${[...good, "not,a,valid,row"].join("\n")}\n`);
      const rejected = await importPoliceData(store, [bad], { user: "test" });
      expect(rejected.files[0]!.status).toBe("rejected");

      fs.writeFileSync(bad, `${good.join("\n")}\n`);
      const report = await importPoliceData(store, [bad], { user: "test" });
      expect(report.files[0]!.status).toBe("imported");
      const rows = await viewRows(report.files[0]!.importId!);
      expect(rows).toEqual(parseCsv(`${good.join("\n")}\n`).map(expected));
      expect(rows.map((r) => r.reported_by)).toEqual(new Array(6).fill("Wessex Police"));
      expect(rows.at(-1)!.outcome).toBe("Another new outcome");
    });
  });
}
