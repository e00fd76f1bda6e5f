import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monthRange } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forceMonthCounts, repeatedCrimeIds } from "../src/db/repositories/data-quality.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { assessArea } from "../src/services/assessment.service.ts";
import { dataQualityAfterImport, dataQualityReport, flaggedMonthsInPeriod } from "../src/services/data-quality.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { installReference } from "../src/services/reference.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { runCli } from "./support/cli.ts";
import { HAMPSHIRE_2024, HAMPSHIRE_2025, needsSharedData, REFERENCE_DIR } from "./support/shared-data.ts";

const NOW = () => new Date("2026-01-01T00:00:00Z");
// The imports here only set up data to check: parse in this thread (the worker-thread path is tested
// with the import itself, and is being changed by issue 15 at the time of writing).
process.env.SAFECITY_IMPORT_WORKER ??= "0";
const noData = needsSharedData("the data quality checks on the published Hampshire 2024-2025 files need ../shared/data");

/*
 * Counted from the published CSVs with a separate script (Python csv module, not this code):
 * Hampshire 2025-08 has 11,639 "Violence and sexual offences" rows and 430 "Anti-social behaviour"
 * rows. The months before it loaded are 2025-01..2025-07 (2024-08..12 are not in the data):
 *   violence 5,772 5,344 5,891 5,459 5,956 5,274 6,357: median 5,772; lowest and highest set aside
 *     (7 months >= 6): usual 5,344-5,956; flagged above max(1.5 x 5,956 = 8,934, 5,956 + 5 sqrt 5,956 = 6,342) = 8,934
 *   ASB 1,256 1,222 1,569 1,817 1,923 1,652 2,241: median 1,652; usual 1,256-1,923; flagged below
 *     min(1,256 / 1.5 = 837.3, 1,256 - 5 sqrt 1,256 = 1,078.8) = 837.3
 */
const VIOLENCE_08 = 11_639;
const ASB_08 = 430;

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip || noData)(`data quality on the published Hampshire files, ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, REFERENCE_DIR, { now: NOW });
      await importPoliceData(store, [HAMPSHIRE_2024, HAMPSHIRE_2025], { user: "test", now: NOW });
    }, 600_000);
    afterAll(() => store?.destroy());

    it("flags Hampshire 2025-08 and no other month", async () => {
      const r = await dataQualityAfterImport(store, ["hampshire"]);
      expect(r.flaggedMonths).toEqual({ hampshire: ["2025-08"] });
      const unusual = r.findings.filter((f) => f.severity === "unusual");
      expect(new Set(unusual.map((f) => f.month))).toEqual(new Set(["2025-08"]));
      const violence = unusual.find((f) => f.measure === "Violence and sexual offences")!;
      expect(violence.value).toBe(VIOLENCE_08);
      expect(violence.usual).toMatchObject({ months: 7, median: 5_772, lowest: 5_344, highest: 5_956 });
      expect(violence.usual!.high).toBeCloseTo(8_934, 6);
      expect(violence.ratio).toBeCloseTo(VIOLENCE_08 / 5_772, 10);
      expect(violence.text).toBe(
        "Hampshire Constabulary 2025-08: Violence and sexual offences 11,639 against a usual 5,344–5,956 (median 5,772) in the previous 7 months loaded: 2.0 times the median",
      );
      const asb = unusual.find((f) => f.measure === "Anti-social behaviour")!;
      expect(asb.value).toBe(ASB_08);
      expect(asb.usual!.low).toBeCloseTo(1_256 / 1.5, 6);
      expect(asb.text).toMatch(/Anti-social behaviour 430 against a usual 1,256–1,923 \(median 1,652\).*: 26% of the median$/);
      // the total (14,544) is within its usual range: the file has the usual number of rows, wrongly typed
      expect(unusual.some((f) => f.measure === "All crime")).toBe(false);
      // not checked: too little history before 2024-04 (2024-01 has none)
      expect(r.unchecked.map((u) => u.month)).toEqual(["2024-01", "2024-02", "2024-03"]);
      // the real gap is a note, not a flag
      const gap = r.findings.filter((f) => f.check === "missing-months");
      expect(gap.map((g) => g.months)).toEqual([monthRange("2024-05", "2024-12")]);
      // the published files repeat no Crime ID across months (checked with the same separate script)
      expect(r.findings.filter((f) => f.check === "repeated-ids")).toEqual([]);
    });

    it("reads the shares from the roll-up: no rows without a location or an LSOA, a few outside the force area", async () => {
      const fms = await forceMonthCounts(store, ["hampshire"]);
      expect(fms.map((f) => f.month)).toEqual([...monthRange("2024-01", "2024-04"), ...monthRange("2025-01", "2025-12")]);
      const aug = fms.find((f) => f.month === "2025-08")!;
      expect(aug.rows).toBe(14_544);
      expect(aug.byType["Violence and sexual offences"]).toBe(VIOLENCE_08);
      expect(fms.every((f) => f.noLocation === 0 && f.noLsoa === 0)).toBe(true);
      const outside2025 = fms.filter((f) => f.month >= "2025-01").reduce((s, f) => s + (f.outsideForce ?? 0), 0);
      // the data's README: ~100 Hampshire rows a year snap to LSOAs outside the force area
      expect(outside2025).toBeGreaterThan(20);
      expect(outside2025).toBeLessThan(400);
    });

    it("gives analyses the warning for a period with 2025-08, and none without it", async () => {
      const over = await flaggedMonthsInPeriod(store, "hampshire", "2025-07", "2025-09");
      expect(over.months).toEqual(["2025-08"]);
      expect(over.warning).toMatch(/^The hampshire file for 2025-08 looks unusual \(2025-08 .+, and \d+ more findings\): figures that include it/);
      const before = await flaggedMonthsInPeriod(store, "hampshire", "2025-01", "2025-07");
      expect(before).toEqual({ months: [], forceMonths: ["2025-08"], findings: [], warning: null });
    });

    it("HTTP: the Data page lists the flagged month with its findings; the trends page over it carries the warning", async () => {
      const clock = new Date("2026-02-01T10:00:00Z");
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      const viewer = await createUser(store, { email: `viewer-${dialect}@council.gov.uk`, name: "viewer", role: "viewer" }, { label: "cli:test", ip: null }, clock);
      const b = new TestBrowser(app);
      expect((await b.signIn(`viewer-${dialect}@council.gov.uk`, viewer.generatedPassword!)).res.status).toBe(303);
      const { res, html } = await b.get("/data");
      expect(res.status).toBe(200);
      const section = html.slice(html.indexOf('data-testid="data-quality"'), html.indexOf("Reference data</h2>"));
      expect(section).toContain('data-force-month="hampshire 2025-08"');
      expect(section.match(/data-testid="data-quality-flag"/g)).toHaveLength(1);
      expect(section).toContain(
        "Hampshire Constabulary 2025-08: Violence and sexual offences 11,639 against a usual 5,344–5,956 (median 5,772) in the previous 7 months loaded: 2.0 times the median",
      );
      expect(section).toContain("Hampshire Constabulary: no file for 2024-05 to 2024-12 (8 months between 2024-04 and 2025-01)");
      const trends = await b.get("/trends?area=Southampton&from=2025-07&to=2025-09");
      expect(trends.res.status).toBe(200);
      const at = trends.html.indexOf('data-testid="period-warning"');
      expect(at).toBeGreaterThan(0);
      expect(trends.html.slice(at, at + 1000)).toContain("The hampshire file for 2025-08 looks unusual");
      const clean = await b.get("/trends?area=Southampton&from=2025-01&to=2025-06");
      expect(clean.html).not.toContain("looks unusual");
    }, 120_000);

    it("the Southampton assessment: 2025-08 in the vintage, and no key message calls a change over it significant", async () => {
      const doc = await assessArea(store, { area: "Southampton", from: "2025-01", to: "2025-12" });
      expect(doc.vintage.dataQuality?.flaggedMonths).toEqual(["2025-08"]);
      expect(doc.vintage.dataQuality?.findings.some((f) => f.month === "2025-08" && f.measure === "Violence and sexual offences")).toBe(true);
      const changes = doc.keyMessages.messages.filter((m) => m.id.startsWith("change."));
      // Q4 on Q3 2025 (the quarter with 2025-08) and the year on year over 2025: all include the flagged month
      const over = changes.filter((m) => m.figures.flaggedMonths === "2025-08");
      expect(over.length).toBeGreaterThan(0);
      for (const m of over) {
        expect(m.text).toContain("the change includes a month flagged as unusual in the police data (August 2025), so it is not tested for significance");
        expect(m.text).not.toMatch(/statistically significant/);
      }
      // year on year totals only January to April (2024-05..12 are not loaded): 2025-08 is not among the
      // months compared, so it neither withholds the test nor is named
      const yoy = changes.filter((m) => m.id.includes("12-months-to-december-2024"));
      expect(yoy.length).toBeGreaterThan(0);
      for (const m of yoy) {
        expect(m.figures.flaggedMonths).toBeUndefined();
        expect(m.text).not.toContain("flagged as unusual");
      }
    }, 300_000);
  });
}

const HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
const row = (id: string, month: string) =>
  `${id},${month},Testshire Police,Testshire Police,-1.404,50.909,On or near Test Road,E01017140,Southampton 001A,Burglary,Under investigation,`;

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`repeated Crime IDs, ${dialect}`, () => {
    let store: TestStore;
    let dir: string;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-dq-"));
      const a = "ab".repeat(32);
      const b = "cd".repeat(32);
      const files: Record<string, string[]> = {
        "2025-01": [row(a, "2025-01"), row(b, "2025-01"), row("ABC1", "2025-01")],
        "2025-02": [row(a, "2025-02"), row("ef".repeat(32), "2025-02")],
        // an uppercase id (stored as text, not bytes) repeated, and the 64-hex one a third time
        "2025-03": [row("ABC1", "2025-03"), row(a, "2025-03")],
      };
      for (const [m, rows] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${m}-testshire-street.csv`), `${HEADER}\n${rows.join("\n")}\n`);
      // through the CLI: its report ends with the data quality checks
      const cli = await runCli(["import", dir], store.env);
      expect(cli.code, cli.stderr).toBe(0);
      importReport = cli.stdout;
    }, 120_000);
    let importReport = "";

    it("safecity import's report says what the checks found", () => {
      expect(importReport).toContain("\nData quality\n  no month flagged as unusual\n");
      expect(importReport).toContain("  - Testshire Police 2025-02: 1 Crime ID also in the file for 2025-01, 2025-03");
      expect(importReport).toMatch(/not checked \(under 3 of the previous 12 months loaded\): testshire 2025-01, testshire 2025-02, testshire 2025-03/);
    });
    afterAll(async () => {
      await store?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("finds each month's Crime IDs that another month's file also has", async () => {
      const r = await repeatedCrimeIds(store);
      const a = "ab".repeat(32);
      expect(r).toEqual([
        { force: "testshire", month: "2025-01", ids: 2, otherMonths: ["2025-02", "2025-03"], examples: expect.arrayContaining([a, "ABC1"]) },
        { force: "testshire", month: "2025-02", ids: 1, otherMonths: ["2025-01", "2025-03"], examples: [a] },
        { force: "testshire", month: "2025-03", ids: 2, otherMonths: ["2025-01", "2025-02"], examples: expect.arrayContaining([a, "ABC1"]) },
      ]);
      const report = await dataQualityReport(store, { crimeIds: true });
      const texts = report.findings.filter((f) => f.check === "repeated-ids").map((f) => f.text);
      expect(texts[1]).toBe(`Testshire Police 2025-02: 1 Crime ID also in the file for 2025-01, 2025-03 (each crime should appear in one month only); e.g. ${a}`);
      // limited to some months: only those files are compared
      expect(await repeatedCrimeIds(store, undefined, ["2025-01", "2025-02"])).toEqual([
        { force: "testshire", month: "2025-01", ids: 1, otherMonths: ["2025-02"], examples: [a] },
        { force: "testshire", month: "2025-02", ids: 1, otherMonths: ["2025-01"], examples: [a] },
      ]);
      // after an import of 2025-02: the files within 3 months of it (all three here); of 2024-01: none
      expect((await dataQualityAfterImport(store, ["testshire"], ["2025-02"])).findings.filter((f) => f.check === "repeated-ids")).toHaveLength(3);
      expect((await dataQualityAfterImport(store, ["testshire"], ["2024-01"])).findings.filter((f) => f.check === "repeated-ids")).toEqual([]);
      // without crimeIds the incidents are not read and nothing is said
      expect((await dataQualityReport(store)).findings.filter((f) => f.check === "repeated-ids")).toEqual([]);
    });
  });
}
