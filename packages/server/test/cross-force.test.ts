import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAnalysisScope, loadTypeRows, monthlyForGroup, rewindowScope } from "../src/services/analysis-scope.ts";
import { assessmentReportOf } from "../src/services/assessment-report.service.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { assessPeers } from "../src/services/peers.service.ts";
import { loadGroupPoints } from "../src/services/hotspots.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { loadLsoaCounts } from "../src/services/priority-areas.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import yauzl from "yauzl";
import { ALL_FORCES_2025_01, FIXTURE_REFERENCE_DIR, HAMPSHIRE_2025, needsSharedData } from "./support/shared-data.ts";
import { type AnalysisApp, openAnalysisApp } from "./support/analysis-app.ts";
import { type StreetRecord, times, writeStreetFiles } from "./support/street-csv.ts";

/**
 * Rows from other forces' files (issue 13 item 8, decision 0022), on a fixture built here: two
 * Southampton LSOAs with Hampshire rows every month, Sussex rows every month and British Transport
 * Police rows in February only. Every expected count below is summed by hand from these lists.
 */
const A = { lsoaCode: "E01017224", lsoaName: "Southampton 024C" };
const B = { lsoaCode: "E01017153", lsoaName: "Southampton 022A" };
/** A Portsmouth LSOA: the peer area, with its own Hampshire rows and British Transport Police rows in February. */
const P = { lsoaCode: "E01017022", lsoaName: "Portsmouth 020A" };
const rec = (month: string, lsoa: typeof A, n: number): StreetRecord[] => times(n, { month, ...lsoa, crimeType: "Burglary" });
const HAMPSHIRE = [...rec("2025-01", A, 10), ...rec("2025-01", B, 2), ...rec("2025-02", A, 12), ...rec("2025-02", B, 2), ...rec("2025-03", A, 11), ...rec("2025-03", B, 2), ...rec("2025-01", P, 5), ...rec("2025-02", P, 5), ...rec("2025-03", P, 5)];
const SUSSEX = [...rec("2025-01", A, 1), ...rec("2025-02", A, 1), ...rec("2025-03", A, 1)];
const BTP = [...rec("2025-02", A, 3), ...rec("2025-02", B, 30), ...rec("2025-02", P, 7)];
const NOW = () => new Date("2026-01-01T00:00:00Z");
const Q1 = { from: "2025-01", to: "2025-03" };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-cross-force-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`cross-force counts on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: NOW });
      const dir = path.join(tmp, dialect);
      fs.mkdirSync(dir, { recursive: true });
      const files = [...writeStreetFiles(dir, "hampshire", HAMPSHIRE), ...writeStreetFiles(dir, "sussex", SUSSEX), ...writeStreetFiles(dir, "btp", BTP)];
      const report = await importPoliceData(store, files, { user: "test", now: NOW });
      expect(report.files.map((f) => f.status)).toEqual(new Array(7).fill("imported"));
    }, 120_000);
    afterAll(() => store?.destroy());

    it("counts: complete (default) leaves British Transport Police out of every month and says so; all and none as asked", async () => {
      const complete = await countByArea(store, { area: "Southampton", ...Q1 });
      expect(complete.principalForce).toBe("hampshire");
      expect(complete.byMonth).toEqual({ "2025-01": 13, "2025-02": 15, "2025-03": 14 });
      expect(complete.total).toBe(42);
      expect(complete.otherForces).toEqual({
        rule: "complete",
        home: ["hampshire"],
        counted: [{ force: "sussex", rows: 3 }],
        leftOut: [{ force: "btp", rows: 33, monthsCovered: 1, months: 3 }],
      });
      expect(complete.notes).toContain("33 rows from British Transport Police left out: its files cover 1 of the 3 months of the period (2025-01..2025-03)");
      expect(complete.notes).toContain("3 rows from Sussex counted: its files cover every month of the period (2025-01..2025-03)");

      const all = await countByArea(store, { area: "Southampton", ...Q1, otherForces: "all" });
      expect(all.byMonth).toEqual({ "2025-01": 13, "2025-02": 48, "2025-03": 14 });
      expect(all.total).toBe(75);
      expect(all.notes).toContain("33 rows from British Transport Police counted in the months its files were imported (other forces: all)");

      const none = await countByArea(store, { area: "Southampton", ...Q1, otherForces: "none" });
      expect(none.byMonth).toEqual({ "2025-01": 12, "2025-02": 14, "2025-03": 13 });
      expect(none.total).toBe(39);
      expect(none.notes).toContain("3 rows from Sussex left out: only the area's own force counts (other forces: none)");

      // over February alone British Transport Police's files cover every month: counted
      const feb = await countByArea(store, { area: "Southampton", from: "2025-02", to: "2025-02" });
      expect(feb.byMonth).toEqual({ "2025-02": 48 });
      await expect(countByArea(store, { area: "Southampton", ...Q1, otherForces: "some" })).rejects.toThrow(/--other-forces must be complete, all or none/);
    });

    it("the home force comes from the reference's police force area, even where another force has more rows", async () => {
      // LSOA B: Hampshire 6 rows, British Transport Police 30
      const b = await countByArea(store, { area: "E01017153", ...Q1 });
      expect(b.principalForce).toBe("hampshire");
      expect(b.byMonth).toEqual({ "2025-01": 2, "2025-02": 2, "2025-03": 2 });
      expect(b.otherForces.leftOut).toEqual([{ force: "btp", rows: 30, monthsCovered: 1, months: 3 }]);
    });

    it("the assessment document records the rule and what it left out; the report's method list says it in words", async () => {
      const { doc, report } = await assessmentReportOf(store, { area: "Southampton", ...Q1 }, { now: new Date("2026-01-01T00:00:00Z") });
      expect(doc.parameters.otherForces).toEqual({
        rule: "complete",
        home: ["hampshire"],
        counted: [{ force: "sussex", rows: 3 }],
        leftOut: [{ force: "btp", rows: 33, monthsCovered: 1, months: 3 }],
      });
      expect(doc.notes).toContain("33 rows from British Transport Police left out: its files cover 1 of the 3 months of the period (2025-01..2025-03)");
      expect(doc.vintage.imports.map((i) => i.force).sort()).toEqual(["hampshire", "hampshire", "hampshire", "sussex", "sussex", "sussex"]);
      const items = report.sections.flatMap((x) => x.blocks).flatMap((b) => (b.kind === "list" ? b.items : []));
      expect(items).toContain(
        "Forces: the area's own force (Hampshire) is always counted; rows from other forces' files (British Transport Police, neighbours' rows snapped across the boundary) count only when that force's files cover every month of the period, so no month jumps when one of its files is imported. 33 rows from British Transport Police left out (its files cover 1 of 3 months); 3 rows from Sussex counted.",
      );
    }, 120_000);

    it("peers: each peer area gets its own home force and the same rule", async () => {
      const counts = async (otherForces: string) => {
        const r = await assessPeers(store, { area: "lad:Southampton", ...Q1, type: "Burglary", peers: ["E06000044"], otherForces });
        const rows = r.groups[0]!.policeUk.result?.rows ?? [];
        return { rows: Object.fromEntries(rows.map((x) => [x.code, x.count])), notes: r.notes };
      };
      const complete = await counts("complete");
      expect(complete.rows).toEqual({ E06000045: 42, E06000044: 15 });
      expect(complete.notes).toContain("peers' rows from other forces left out by the same rule (complete): Portsmouth 7 from British Transport Police");
      expect((await counts("all")).rows).toEqual({ E06000045: 75, E06000044: 22 });
      expect((await counts("none")).rows).toEqual({ E06000045: 39, E06000044: 15 });
    });

    it("every reader of the analysis scope applies it: monthly series, LSOA counts, incident points; a wider window is judged over the union", async () => {
      for (const [otherForces, monthly, lsoas] of [
        ["complete", [13, 15, 14], { [A.lsoaCode]: 36, [B.lsoaCode]: 6 }],
        ["all", [13, 48, 14], { [A.lsoaCode]: 39, [B.lsoaCode]: 36 }],
        ["none", [12, 14, 13], { [A.lsoaCode]: 33, [B.lsoaCode]: 6 }],
      ] as const) {
        const scope = await loadAnalysisScope(store, { area: "Southampton", ...Q1, otherForces });
        expect(scope.otherForces.rule).toBe(otherForces);
        const rows = await loadTypeRows(store, scope);
        expect(monthlyForGroup(rows, scope, scope.group.types).map((m) => m.count)).toEqual(monthly);
        const { lsoaCounts } = await loadLsoaCounts(store, scope);
        expect(Object.fromEntries(lsoaCounts.filter((l) => l.count > 0).map((l) => [l.code, l.count]))).toEqual(lsoas);
        expect((await loadGroupPoints(store, scope)).length).toBe(monthly.reduce((a, b) => a + b, 0));
      }
      const feb = await loadAnalysisScope(store, { area: "Southampton", from: "2025-02", to: "2025-02" });
      expect(feb.otherForces.excludeForces).toEqual([]);
      expect(feb.notes).toContain("33 rows from British Transport Police counted: its files cover every month of the period (2025-02..2025-02)");
      // a comparison reaching back to January: British Transport Police out of both months, and the note replaced
      const wide = await rewindowScope(store, feb, "2025-01");
      expect(wide.otherForces.excludeForces).toEqual(["btp"]);
      expect(monthlyForGroup(await loadTypeRows(store, wide), wide, wide.group.types).map((m) => m.count)).toEqual([13, 15]);
      expect(wide.notes).toContain("33 rows from British Transport Police left out: its files cover 1 of the 2 months of the period (2025-01..2025-02)");
      expect(wide.notes.filter((n) => n.includes("British Transport Police"))).toHaveLength(1);
    });
  });
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`cross-force rule through the API on ${dialect}`, () => {
    let a: AnalysisApp;
    beforeAll(async () => {
      const dir = path.join(tmp, `${dialect}-api`);
      fs.mkdirSync(dir, { recursive: true });
      const files = [...writeStreetFiles(dir, "hampshire", HAMPSHIRE), ...writeStreetFiles(dir, "sussex", SUSSEX), ...writeStreetFiles(dir, "btp", BTP)];
      a = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: files });
    }, 120_000);
    afterAll(() => a?.close());

    it("otherForces on /api/v1/counts, /trends, /overview and /hotspots: the default leaves British Transport Police out and says so; all and none as asked", async () => {
      const q = "area=Southampton&from=2025-01&to=2025-03";
      const counts = await a.api(`/api/v1/counts?${q}`);
      expect(counts.res.status).toBe(200);
      expect(counts.body.byMonth).toEqual({ "2025-01": 13, "2025-02": 15, "2025-03": 14 });
      expect((counts.body.otherForces as { rule: string }).rule).toBe("complete");
      expect((await a.api(`/api/v1/counts?${q}&otherForces=all`)).body.byMonth).toEqual({ "2025-01": 13, "2025-02": 48, "2025-03": 14 });
      expect((await a.api(`/api/v1/counts?${q}&otherForces=none`)).body.byMonth).toEqual({ "2025-01": 12, "2025-02": 14, "2025-03": 13 });
      expect((await a.api(`/api/v1/counts?${q}&otherForces=some`)).res.status).toBe(400);
      const left = "33 rows from British Transport Police left out: its files cover 1 of the 3 months of the period (2025-01..2025-03)";
      for (const endpoint of ["trends", "overview", "hotspots"]) {
        const def = await a.api(`/api/v1/${endpoint}?${q}`);
        expect(def.res.status).toBe(200);
        expect(def.body.notes).toContain(left);
        const all = await a.api(`/api/v1/${endpoint}?${q}&otherForces=all`);
        expect(all.body.notes).not.toContain(left);
        expect(all.body.notes).toContain("33 rows from British Transport Police counted in the months its files were imported (other forces: all)");
      }
    });
  });
}

/** Rows of each force's street file in an archive whose LSOA name is Southampton's, counted from the CSV text. */
function southamptonRowsByForce(zipPath: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on("entry", (entry: yauzl.Entry) => {
        const m = /\d{4}-\d{2}-(.+)-street\.csv$/.exec(entry.fileName);
        if (!m) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            const n = Buffer.concat(chunks).toString("utf8").split("\n").filter((l) => /,Southampton \d{3}[A-Z],/.test(l)).length;
            if (n) out.set(m[1]!, n);
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`cross-force counts on the real Hampshire 2025 and all-forces January files, ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    it.skipIf(needsSharedData("the Hampshire 2025 and all-forces 2025-01 archives are in ../shared/data"))(
      "Southampton's monthly series is the same before and after the all-forces January under the default; under `all` January gains exactly the other forces' Southampton rows",
      async () => {
        await importPoliceData(store, [HAMPSHIRE_2025], { user: "test" });
        const before = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12" });
        expect(before.otherForces.leftOut).toEqual([]);
        const scopeBefore = await loadAnalysisScope(store, { area: "Southampton" });
        const seriesBefore = monthlyForGroup(await loadTypeRows(store, scopeBefore), scopeBefore, scopeBefore.group.types);

        await importPoliceData(store, [ALL_FORCES_2025_01], { user: "test" });
        const others = [...(await southamptonRowsByForce(ALL_FORCES_2025_01))].filter(([force]) => force !== "hampshire");
        const extra = others.reduce((s, [, n]) => s + n, 0);
        expect(extra).toBeGreaterThan(0);

        const after = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12" });
        expect(after.byMonth).toEqual(before.byMonth);
        expect(after.total).toBe(before.total);
        expect(after.otherForces.leftOut.map((l) => [l.force, l.rows, l.monthsCovered, l.months]).sort()).toEqual(others.map(([f, n]) => [f, n, 1, 12]).sort());
        const scopeAfter = await loadAnalysisScope(store, { area: "Southampton" });
        expect(monthlyForGroup(await loadTypeRows(store, scopeAfter), scopeAfter, scopeAfter.group.types)).toEqual(seriesBefore);

        const all = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12", otherForces: "all" });
        expect(all.total - before.total).toBe(extra);
        expect(all.byMonth["2025-01"]! - before.byMonth["2025-01"]!).toBe(extra);
        for (const m of Object.keys(before.byMonth).filter((k) => k !== "2025-01")) expect(all.byMonth[m]).toBe(before.byMonth[m]);
        // January alone: every other force's files cover the period, so the default counts them too
        const jan = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-01" });
        expect(jan.total).toBe(all.byMonth["2025-01"]);
      },
      600_000,
    );
  });
}
