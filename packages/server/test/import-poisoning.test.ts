import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAreaNames } from "../src/db/repositories/area.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { areaChoices } from "../src/services/area-choices.service.ts";
import { resolveArea } from "../src/services/area.service.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { installReference } from "../src/services/reference.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { FIXTURE_REFERENCE_DIR, realStreetLines } from "./support/shared-data.ts";

/**
 * Issue 16, item 5: an upload must not create areas once reference data is installed. A row with
 * an LSOA code the reference does not know (here E01999999 named `X 001A`) is imported but reported
 * at its line and kept out of every area; areas derived from police.uk LSOA names exist only while
 * no reference data is installed, and are marked derived.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-poison-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const clock = new Date("2026-02-01T10:00:00Z");
const cli = { label: "cli:test", ip: null };

const lines = await realStreetLines(20);
/** The real rows, with rows 5 and 9 (file lines 6 and 10) moved to an LSOA no reference knows. */
function poisonedFile(name: string): string {
  const out = lines.map((l, i) => {
    if (i !== 5 && i !== 9) return l;
    const f = l.split(",");
    f[7] = "E01999999";
    f[8] = "X 001A";
    return f.join(",");
  });
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `${out.join("\n")}\n`);
  return file;
}
/** Rows of Southampton LSOAs that were not moved to E01999999. */
const southamptonRows = lines.slice(1).filter((l, i) => i !== 4 && i !== 8 && l.split(",")[8]!.startsWith("Southampton ")).length;

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`uploads cannot create areas on ${dialect}`, () => {
    let withReference: TestStore;
    let without: TestStore;
    beforeAll(async () => {
      withReference = await openTestStore(dialect);
      without = await openTestStore(dialect);
      await installReference(withReference, FIXTURE_REFERENCE_DIR, { now: () => clock });
    });
    afterAll(async () => {
      await withReference?.destroy();
      await without?.destroy();
    });

    it("with reference data: imports the rows, reports each unknown LSOA at file:line, creates no area", async () => {
      const file = poisonedFile(`${dialect}-2025-01-hampshire-street.csv`);
      const report = await importPoliceData(withReference, [file], { user: "test", now: () => clock });
      const f = report.files[0]!;
      expect(f.status).toBe("imported");
      expect(f.rows).toBe(20);
      expect(f.unknownLsoaRows).toBe(2);
      expect(f.warnings.map((w) => [w.file, w.line])).toEqual([
        [file, 6],
        [file, 10],
      ]);
      expect(f.warnings[0]!.message).toMatch(/^LSOA code E01999999 is not in the installed reference data/);
      expect(f.message).toMatch(/2 row\(s\) with an LSOA code not in the reference data, kept out of every area \(unknown LSOA\), first at line 6/);

      const lsoa = await withReference.db.selectFrom("lsoa_geo").select("lsoa_code").where("lsoa_code", "=", "E01999999").execute();
      expect(lsoa).toEqual([]);
      for (const q of ["X", "lad:X", "E01999999", "X 001A", "E01999999,E01017145"]) {
        await expect(resolveArea(withReference, q), q).rejects.toMatchObject({ code: "area.not_found" });
      }
      expect((await listAreaNames(withReference, "lad")).some((a) => a.name === "X")).toBe(false);
      expect((await areaChoices(withReference)).some((a) => a.name === "X")).toBe(false);
      // The reference's own area still counts its rows, and only them.
      const counts = await countByArea(withReference, { area: "Southampton", from: "2025-01", to: "2025-01" });
      expect(counts.total).toBe(southamptonRows);
    });

    it("with reference data: the poisoned area is not offered by the web app either", async () => {
      const app = createApp({ store: withReference, now: () => clock, throttle: new LoginThrottle() });
      const r = await createUser(withReference, { email: "viewer@council.gov.uk", name: "Viewer", role: "viewer" }, cli, clock);
      const b = new TestBrowser(app);
      expect((await b.signIn("viewer@council.gov.uk", r.generatedPassword!)).res.status).toBe(303);
      const overview = await b.get("/overview?area=X");
      expect(overview.res.status).toBe(400);
      expect(overview.html).toContain("no area called");
      expect(overview.html).not.toContain('value="lad:X"');
    });

    it("without reference data: the derived local authority exists, marked derived; installing reference data hides it", async () => {
      const file = poisonedFile(`${dialect}-noref-2025-01-hampshire-street.csv`);
      const report = await importPoliceData(without, [file], { user: "test", now: () => clock });
      expect(report.files[0]).toMatchObject({ status: "imported", rows: 20, unknownLsoaRows: 0, warnings: [] });
      const x = await resolveArea(without, "lad:X");
      expect(x.ref).toEqual({ code: null, name: "X", level: "lad" });
      expect(await listAreaNames(without, "lad")).toContainEqual({ name: "X", level: "lad", derived: true });
      expect(await areaChoices(without)).toContainEqual({ value: "lad:X", name: "X", level: "lad", derived: true });
      expect((await countByArea(without, { area: "lad:X", from: "2025-01", to: "2025-01" })).total).toBe(2);

      await installReference(without, FIXTURE_REFERENCE_DIR, { now: () => clock });
      await expect(resolveArea(without, "lad:X")).rejects.toMatchObject({ code: "area.not_found" });
      await expect(resolveArea(without, "E01999999")).rejects.toMatchObject({ code: "area.not_found" });
      expect((await listAreaNames(without, "lad")).some((a) => a.name === "X")).toBe(false);
      const ref = await resolveArea(without, "lad:Southampton");
      expect(ref.ref.code).toMatch(/^E06/);
    });
  });
}
