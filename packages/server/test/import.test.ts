import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import yazl from "yazl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countByArea } from "../src/services/counts.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import {
  ALL_FORCES_2025_01,
  FIXTURE_MONTHS_2025,
  FIXTURE_SOUTHAMPTON_2025,
  HAMPSHIRE_2025,
  fixtureStreetLines,
  needsSharedData,
  realStreetLines,
} from "./support/shared-data.ts";
import { dataSnapshot, registerStatuses } from "./support/store-snapshot.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-import-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function writeZip(name: string, entries: Record<string, string | Buffer>): Promise<string> {
  const file = path.join(tmp, name);
  const zip = new yazl.ZipFile();
  for (const [entry, content] of Object.entries(entries)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), entry);
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on("close", () => resolve(file)).on("error", reject);
  });
}

const lines = await realStreetLines(40);
const header = lines[0]!;
const body = lines.slice(1);

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`import of the Southampton fixture on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    it("imports the Southampton fixture once: rows and counts as the CSV lines say; a second import is a no-op", async () => {
      const months = await Promise.all(FIXTURE_MONTHS_2025.map(async (m) => (await fixtureStreetLines(m)).slice(1).map((l) => l.split(","))));
      const report = await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test" });
      expect(report.files.map((f) => [f.month, f.status, f.rows])).toEqual(FIXTURE_MONTHS_2025.map((m, i) => [m, "imported", months[i]!.length]));
      const counts = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-03" });
      const rows = months.flat();
      expect(counts.total).toBe(rows.filter((r) => r[8]!.startsWith("Southampton ")).length);
      expect(counts.missingMonths).toEqual([]);
      for (const [i, m] of FIXTURE_MONTHS_2025.entries()) expect(counts.byMonth[m]).toBe(months[i]!.length);
      expect(counts.byType.Burglary).toBe(rows.filter((r) => r[9] === "Burglary").length);
      const before = await dataSnapshot(store);
      const again = await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test" });
      expect(new Set(again.files.map((f) => f.status))).toEqual(new Set(["already imported"]));
      expect(await dataSnapshot(store)).toEqual(before);
    });
  });

  describe.skipIf(availability.skip)(`import on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    it.skipIf(needsSharedData("importing the whole Hampshire 2025 archive and the all-forces January needs ../shared/data"))("imports Hampshire 2025 and the all-forces January once each: Southampton 2025 = 33,626 with every force's rows, 33,610 without the 16 other forces' January rows", async () => {
      const first = await importPoliceData(store, [HAMPSHIRE_2025], { user: "test" });
      expect(first.totals.rows).toBe(164_975);
      expect(first.files.map((f) => f.status)).toEqual(new Array(12).fill("imported"));
      const second = await importPoliceData(store, [ALL_FORCES_2025_01], { user: "test" });
      const hampshireJan = second.files.find((f) => f.file.endsWith("2025-01-hampshire-street.csv"))!;
      expect(hampshireJan.status).toBe("already imported");
      expect(second.totals.rows).toBe(318_117 - hampshireJan.rows);

      // British Transport Police 14, Bedfordshire 1, Hertfordshire 1 (grep of the January files): left out by default (decision 0022)
      expect((await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12" })).total).toBe(33_610);
      const southampton = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12", otherForces: "all" });
      expect(southampton.total).toBe(33_626);
      expect(southampton.area).toEqual({ code: null, name: "Southampton", level: "lad" });
      expect(Object.keys(southampton.byMonth)).toHaveLength(12);
      expect(southampton.missingMonths).toEqual([]);
      const byForce = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12", otherForces: "all" });
      expect(Object.values(byForce.byType).reduce((a, b) => a + b, 0)).toBe(33_626);

      // Importing both archives again changes nothing.
      const before = await dataSnapshot(store);
      const again = await importPoliceData(store, [HAMPSHIRE_2025, ALL_FORCES_2025_01], { user: "test" });
      expect(new Set(again.files.map((f) => f.status))).toEqual(new Set(["already imported"]));
      expect(await dataSnapshot(store)).toEqual(before);
    }, 300_000);

    it("replaces a force-month whose content changed, in one step, with exact counts", async () => {
      const dir = path.join(tmp, `${dialect}-replace`);
      const v1 = writeFile(`${dialect}-replace/2030-01/2030-01-testforce-street.csv`, [header, ...body.slice(0, 30)].join("\n").replaceAll("2025-01", "2030-01"));
      const r1 = await importPoliceData(store, [dir], { user: "test" });
      expect(r1.files[0]).toMatchObject({ status: "imported", rows: 30, force: "testforce", month: "2030-01" });
      fs.writeFileSync(v1, [header, ...body.slice(0, 20)].join("\n").replaceAll("2025-01", "2030-01"));
      const r2 = await importPoliceData(store, [v1], { user: "test" });
      expect(r2.files[0]).toMatchObject({ status: "replaced", rows: 20 });
      const counts = await countByArea(store, { area: "Southampton", from: "2030-01", to: "2030-01" });
      expect(counts.total).toBe(body.slice(0, 20).filter((l) => l.split(",")[8]!.startsWith("Southampton ")).length);
      const statuses = await registerStatuses(store);
      expect(statuses.filter((s) => s === "superseded")).toHaveLength(1);
    });

    describe("bad input is rejected whole, with file and line, leaving the data unchanged", () => {
      const cases: [string, () => Promise<string>, RegExp][] = [
        [
          "a truncated zip",
          async () => {
            const zip = await writeZip("full.zip", { "2025-01/2025-01-x-street.csv": [header, ...body].join("\n") });
            const bytes = fs.readFileSync(zip);
            return writeFile("truncated.zip", bytes.subarray(0, Math.floor(bytes.length * 0.6)));
          },
          /truncated\.zip: cannot read the zip archive/,
        ],
        [
          "a CSV with a missing column",
          async () =>
            writeFile(
              "2025-01/2025-01-missingcol-street.csv",
              [header.replace(",Context", ""), ...body.slice(0, 5).map((l) => l.slice(0, l.lastIndexOf(",")))].join("\n"),
            ),
          /2025-01-missingcol-street\.csv:1: wrong header: missing column `Context`/,
        ],
        [
          "a row with Month 2025/01",
          async () => writeFile("2025-01/2025-01-badmonth-street.csv", [header, body[0], body[1]!.replace(",2025-01,", ",2025/01,"), body[2]].join("\n")),
          /2025-01-badmonth-street\.csv:3: `Month` must be YYYY-MM; got `2025\/01`/,
        ],
        [
          "a non-UTF-8 file",
          async () =>
            writeFile(
              "2025-01/2025-01-latin1-street.csv",
              Buffer.concat([Buffer.from(`${[header, body[0], body[1]].join("\n")}\n`), Buffer.from(`${body[2]!.replace("On or near", "On or near Caf\u00e9")}\n`, "latin1")]),
            ),
          /2025-01-latin1-street\.csv:4: not valid UTF-8/,
        ],
        [
          "a zip entry named ../evil.csv",
          async () => {
            // Zip writers refuse such names, so write a harmless one of the same length and patch it.
            const zip = await writeZip("evil.zip", { "2025-01/2025-01-good-street.csv": [header, ...body].join("\n"), "aa/evil.csv": [header, ...body].join("\n") });
            const bytes = fs.readFileSync(zip);
            const patched = Buffer.from(bytes.toString("latin1").replaceAll("aa/evil.csv", "../evil.csv"), "latin1");
            fs.writeFileSync(zip, patched);
            return zip;
          },
          /evil\.zip: entry `\.\.\/evil\.csv` climbs out of the archive/,
        ],
      ];
      for (const [name, make, expected] of cases) {
        it(name, async () => {
          const file = await make();
          const before = await dataSnapshot(store);
          const result = await runCli(["import", file], store.env);
          expect(result.code).not.toBe(0);
          expect(result.stderr).toMatch(expected);
          expect(await dataSnapshot(store)).toEqual(before);
        });
      }

      it("lists every problem as file:line: message and records the rejection", async () => {
        const rows = [header, ...body.slice(0, 10)];
        rows[3] = rows[3]!.replace("Violence and sexual offences", "Violence");
        rows[3] = rows[3]!.replace("Shoplifting", "Shopliftin");
        rows[5] = rows[5]!.replace(/,-?\d+\.\d+,(\d+\.\d+),/, ",-1.1,99.5,");
        rows[7] = `${rows[7]},extra`;
        const file = writeFile("2025-01/2025-01-many-street.csv", rows.join("\n"));
        const before = await dataSnapshot(store);
        const report = await importPoliceData(store, [file], { user: "test" });
        expect(report.files[0]!.status).toBe("rejected");
        expect(report.files[0]!.errors.map((e) => e.line)).toEqual([4, 6, 8]);
        expect(report.files[0]!.errors[1]!.message).toMatch(/coordinates out of range/);
        expect(report.files[0]!.errors[2]!.message).toMatch(/expected 12 fields, found 13/);
        expect(await dataSnapshot(store)).toEqual(before);
        expect((await registerStatuses(store)).at(-1)).toBe("rejected");

        const skipped = await importPoliceData(store, [file], { user: "test", skipInvalid: true });
        expect(skipped.files[0]).toMatchObject({ status: "imported", rows: 7, rejectedRows: 3 });
        expect((await dataSnapshot(store)).incidents).toBe(before.incidents + 7);
      });

      it("accepts rows without a location and counts them", async () => {
        const noLocation = body[4]!.split(",");
        noLocation[4] = "";
        noLocation[5] = "";
        noLocation[6] = "No location";
        noLocation[7] = "";
        noLocation[8] = "";
        const file = writeFile("2025-01/2025-01-noloc-street.csv", [header, body[0], noLocation.join(",")].join("\n"));
        const report = await importPoliceData(store, [file], { user: "test" });
        expect(report.files[0]).toMatchObject({ status: "imported", rows: 2, noLocationRows: 1 });
      });

      it("reports outcomes and stop-and-search files as not yet supported, not failed", async () => {
        const zip = await writeZip("mixed.zip", {
          "2031-01/2031-01-mixed-street.csv": [header, ...body.slice(0, 3)].join("\n").replaceAll("2025-01", "2031-01"),
          "2031-01/2031-01-mixed-outcomes.csv": "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n",
          "2031-01/2031-01-mixed-stop-and-search.csv": "Type,Date\n",
        });
        const result = await runCli(["import", zip, "--json"], store.env);
        expect(result.code).toBe(0);
        const report = JSON.parse(result.stdout);
        expect(report.files.map((f: { status: string }) => f.status)).toEqual(["imported", "not yet supported", "not yet supported"]);
        expect(report.totals.rows).toBe(3);
        expect(report.peakRssMb).toBeGreaterThan(0);
      });
    });
  });
}
