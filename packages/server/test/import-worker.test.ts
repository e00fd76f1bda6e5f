import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import type { Store } from "../src/db/database.ts";
import { type ImportReport, importPoliceData } from "../src/services/import.service.ts";
import { DIALECTS, dialectAvailability, openTestStore } from "./dialects.ts";
import { FIXTURE_MONTHS_2025, FIXTURE_SOUTHAMPTON_2025, fixtureStreetLines, HAMPSHIRE_2025, needsSharedData, realStreetLines } from "./support/shared-data.ts";

/**
 * Parsing in a worker thread (decision 0021) must change nothing but the speed: the same files give
 * the same rows, roll-up, register and reports (every problem at the same line) as parsing in the
 * importing thread. SAFECITY_IMPORT_WORKER=1 forces the worker, =0 keeps parsing in this thread.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-import-worker-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function importWith(worker: boolean, store: Store, paths: string[], opts: { skipInvalid?: boolean } = {}): Promise<ImportReport> {
  const before = process.env.SAFECITY_IMPORT_WORKER;
  process.env.SAFECITY_IMPORT_WORKER = worker ? "1" : "0";
  try {
    return await importPoliceData(store, paths, { user: "test", ...opts });
  } finally {
    if (before === undefined) delete process.env.SAFECITY_IMPORT_WORKER;
    else process.env.SAFECITY_IMPORT_WORKER = before;
  }
}

/** Everything the import wrote, in a comparable form (ids and times left out). */
async function contents(store: Store) {
  const rows = async (q: string) => (await sql.raw<Record<string, unknown>>(q).execute(store.db)).rows.map((r) => JSON.stringify(Object.values(r)));
  return {
    incidents: await rows(
      "select crime_id, month, reported_by, falls_within, longitude, latitude, location, lsoa_code, crime_type_id, outcome, context from incident_row order by id",
    ),
    rollup: await rows("select lsoa_code, month, crime_type_id, n from rollup order by lsoa_code, month, crime_type_id"),
    lsoas: await rows("select lsoa_code, lsoa_name, lad_name from lsoa_geo order by lsoa_code"),
    register: await rows("select file_name, force_slug, month, sha256, rows, rejected_rows, no_location_rows, status from import_file order by id"),
  };
}

/** A report without its timing. */
const comparable = (r: ImportReport) => ({ ...r, elapsedMs: 0 });

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const lines = await realStreetLines(30);
const header = lines[0]!;
const body = lines.slice(1);

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`import parsing in a worker thread on ${dialect}`, () => {
    it("imports the Southampton fixture exactly as parsing in this thread does, rows as the CSV lines say", async () => {
      const [inWorker, inThread] = [await openTestStore(dialect), await openTestStore(dialect)];
      try {
        const a = await importWith(true, inWorker, [FIXTURE_SOUTHAMPTON_2025]);
        const b = await importWith(false, inThread, [FIXTURE_SOUTHAMPTON_2025]);
        const expected = await Promise.all(FIXTURE_MONTHS_2025.map(async (m) => (await fixtureStreetLines(m)).length - 1));
        expect(a.files.map((f) => [f.month, f.status, f.rows, f.message])).toEqual(FIXTURE_MONTHS_2025.map((m, i) => [m, "imported", expected[i], null]));
        expect(comparable(a)).toEqual(comparable(b));
        const [ca, cb] = [await contents(inWorker), await contents(inThread)];
        expect(ca.incidents.length).toBe(expected.reduce((s, n) => s + n, 0));
        expect(ca).toEqual(cb);
        // Idempotent through the worker too: the same files again change nothing.
        const again = await importWith(true, inWorker, [FIXTURE_SOUTHAMPTON_2025]);
        expect(again.files.map((f) => f.status)).toEqual(FIXTURE_MONTHS_2025.map(() => "already imported"));
        expect(await contents(inWorker)).toEqual(ca);
      } finally {
        await inWorker.destroy();
        await inThread.destroy();
      }
    }, 300_000);

    it("reports every bad row at the same file:line, imports the rest with --skip-invalid, and rejects a bad-UTF-8 file whole", async () => {
      // Line 3: a bad month; line 5: a quoted location spanning two lines (valid, so the next record is line 7);
      // line 7: 13 fields; the rest valid (body[2] twice: as is and with the quoted location). CRLF line ends throughout.
      const quoted = body[2]!.split(",");
      quoted[6] = '"On or near ""Quoted""\nStreet"';
      const badMonth = body[1]!.split(",");
      badMonth[1] = "2025-13";
      const csv = [header, body[0], badMonth.join(","), body[2], quoted.join(","), `${body[3]},extra`, ...body.slice(4)].join("\r\n");
      const mixed = writeFile(`${dialect}/mixed/2025-01/2025-01-hampshire-street.csv`, csv);
      const utf8 = Buffer.concat([Buffer.from(`${[header, body[0], body[1]].join("\n")}\n`), Buffer.from([0xff, 0xfe]), Buffer.from(`${body[2]}\n`)]);
      const broken = writeFile(`${dialect}/broken/2025-02/2025-02-hampshire-street.csv`, utf8);
      const [inWorker, inThread] = [await openTestStore(dialect), await openTestStore(dialect)];
      try {
        const a = await importWith(true, inWorker, [mixed, broken], { skipInvalid: true });
        const b = await importWith(false, inThread, [mixed, broken], { skipInvalid: true });
        expect(comparable(a)).toEqual(comparable(b));
        const [mixedReport, brokenReport] = a.files;
        expect(mixedReport!.errors.map((e) => e.line)).toEqual([3, 7]);
        expect(mixedReport!.rows).toBe(body.length + 1 - 2);
        expect(mixedReport!.rejectedRows).toBe(2);
        expect(brokenReport!.status).toBe("rejected");
        expect(brokenReport!.errors.map((e) => [e.line, /UTF-8/.test(e.message)])).toEqual([[4, true]]);
        const [ca, cb] = [await contents(inWorker), await contents(inThread)];
        expect(ca).toEqual(cb);
        expect(ca.incidents.length).toBe(body.length + 1 - 2);
        expect(ca.incidents.some((r) => r.includes('On or near \\"Quoted\\"\\nStreet'))).toBe(true);
      } finally {
        await inWorker.destroy();
        await inThread.destroy();
      }
    }, 300_000);

    it.skipIf(needsSharedData("the whole Hampshire 2025 archive (more than the worker's 4 MB in flight) needs ../shared/data"))(
      "imports Hampshire 2025 (164,975 rows, many batches per file) with the same contents either way",
      async () => {
        const [inWorker, inThread] = [await openTestStore(dialect), await openTestStore(dialect)];
        try {
          const a = await importWith(true, inWorker, [HAMPSHIRE_2025]);
          const b = await importWith(false, inThread, [HAMPSHIRE_2025]);
          expect(a.totals.rows).toBe(164_975);
          expect(comparable(a)).toEqual(comparable(b));
          expect(await contents(inWorker)).toEqual(await contents(inThread));
        } finally {
          await inWorker.destroy();
          await inThread.destroy();
        }
      },
      300_000,
    );
  });
}
