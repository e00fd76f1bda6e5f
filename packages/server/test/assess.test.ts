import { AppError, AssessmentSchema, canonicalJson, findNonFinite, monthRange } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incidentPoints } from "../src/db/repositories/incident-points.repository.ts";
import { countsByMonthAndType } from "../src/db/repositories/rollup.repository.ts";
import { loadAnalysisScope } from "../src/services/analysis-scope.ts";
import { assessArea } from "../src/services/assessment.service.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { assessEmerging } from "../src/services/emerging.service.ts";
import { assessHotspots } from "../src/services/hotspots.service.ts";
import { assessPeers } from "../src/services/peers.service.ts";
import { emergingJson } from "../src/cli/emerging.command.ts";
import { hotspotsJson } from "../src/cli/hotspots.command.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { assessTrends } from "../src/services/trends.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { HAMPSHIRE_2024, HAMPSHIRE_2025, REFERENCE_DIR, needsSharedData } from "./support/shared-data.ts";

/** The document as text without its timings: what must be identical on both databases. */
function withoutTimings(doc: { timings: unknown }): string {
  const { timings: _t, ...rest } = doc;
  return canonicalJson(rest);
}

const documents = new Map<string, string>();
const SECTIONS = ["trends", "seasonality", "peers", "hotspots", "emerging", "concentration", "priorityAreas", "keyMessages"] as const;
// The figures below are hand-checked on a whole year (and a national reference install): the
// assessment of the committed fixtures is tested in assess-fixtures.test.ts.
const noData = needsSharedData("the full-year Southampton assessment needs Hampshire 2024-2025 and the national reference mirror in ../shared/data");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip || noData)(`assessment on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, REFERENCE_DIR, { now: () => new Date("2026-01-01T00:00:00Z") });
      await importPoliceData(store, [HAMPSHIRE_2024, HAMPSHIRE_2025], { user: "test", now: () => new Date("2026-01-01T00:00:00Z") });
    }, 300_000);
    afterAll(() => store?.destroy());

    it("assess Southampton 2025: every section, valid against the schema, no NaN, canonical", async () => {
      const doc = await assessArea(store, { area: "Southampton", from: "2025-01", to: "2025-12" });
      expect(AssessmentSchema.safeParse(doc).success).toBe(true);
      expect(findNonFinite(doc)).toEqual([]);
      expect(doc.schemaVersion).toBe(1);
      expect(doc.area).toEqual({ code: "E06000045", name: "Southampton", level: "lad" });
      expect(doc.vintage.monthsCovered).toEqual(monthRange("2025-01", "2025-12"));
      expect(doc.vintage.missingMonths).toEqual([]);
      expect(doc.vintage.imports.map((i) => i.month)).toEqual(monthRange("2025-01", "2025-12"));
      expect(doc.vintage.imports.every((i) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
      expect(doc.vintage.reference.length).toBeGreaterThan(20);
      for (const s of SECTIONS) expect(doc[s], s).toBeDefined();
      expect(doc.trends.status).toBe("ok");
      expect(doc.seasonality.status).toBe("insufficient");
      expect(doc.seasonality.message).toMatch(/at least 24 months.*12 months are present/);
      expect(doc.peers.status).toBe("ok");
      expect(doc.peers.members).toHaveLength(15);
      expect(doc.hotspots.status).toBe("ok");
      expect(doc.emerging.status).toBe("ok");
      expect(doc.emerging.steps).toHaveLength(12);
      expect(doc.concentration.status).toBe("ok");
      expect(doc.priorityAreas.status).toBe("ok");
      expect(doc.priorityAreas.areas).toHaveLength(10);
      expect(doc.keyMessages.messages.length).toBeGreaterThan(5);
      expect(doc.keyMessages.messages.map((m) => m.text).join("\n")).toMatch(/All crime fell 11\.5% from 8,101 in July to September 2025 to 7,166 in October to December 2025/);
      // ONS side: Southampton CSP C2 total 31,505 over its C4 population
      const all = (doc.peers.groups ?? []).find((g) => g.group === "All crime")!;
      const target = (all.ons.result as { target: { code: string; count: number } }).target;
      expect(target).toMatchObject({ code: "E06000045", count: 31_505 });
      // canonical: the text round-trips unchanged
      const text = withoutTimings(doc);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
      documents.set(dialect, text);
      if (process.env.ASSESS_DUMP) (await import("node:fs")).writeFileSync(`/tmp/assess-${dialect}.json`, text);
    });

    it("the CLI prints the same document (minus timings), readable tables, and clear errors", async () => {
      const r = await runCli(["assess", "--area", "Southampton", "--from", "2025-01", "--to", "2025-12", "--json"], store.env);
      expect(r.code, r.stderr).toBe(0);
      expect(withoutTimings(JSON.parse(r.stdout))).toBe(documents.get(dialect));
      const t = await runCli(["trends", "--area", "Southampton", "--from", "2025-01", "--to", "2025-12", "--type", "burglary"], store.env);
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout).toMatch(/^group\s+total\s+latest\s+change on previous$/m);
      expect(t.stdout).toMatch(/^2025-Q4\s+356\s+3\/3\s+1\.41$/m);
      const bad = await runCli(["hotspots", "--area", "Southampton", "--grid", "hex:9"], store.env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--grid must be h3:<resolution> or square:<metres>; got `hex:9`/);
      // three CLI processes, one a full-year assessment: sized for a busy 2-core machine
    }, 180_000);

    it("trends are hand-checkable: monthly All crime = counts without ASB; rates use the mid-2022 estimate", async () => {
      const counts = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12" });
      const t = await assessTrends(store, { area: "Southampton", from: "2025-01", to: "2025-12", type: "All crime", period: "calendarYear" });
      const g = t.groups[0]!;
      expect(g.total).toBe(counts.total - counts.byType["Anti-social behaviour"]!);
      const asb = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12", type: "Anti-social behaviour" });
      for (const m of g.monthly) expect(m.count).toBe(counts.byMonth[m.month]! - asb.byMonth[m.month]!);
      const year = g.series.periods[0]!;
      expect(year.count).toBe(g.total);
      expect(year.population).toBe(252_689);
      expect(year.rate).toBeCloseTo((g.total! / 252_689) * 1000, 12);
    });

    it("incident points of an area equal its roll-up count, read by import range", async () => {
      const scope = await loadAnalysisScope(store, { area: "Southampton", from: "2025-03", to: "2025-04" });
      const points = await incidentPoints(store, scope.scope, { from: scope.from, to: scope.to });
      const rollup = await countsByMonthAndType(store, scope.scope, { from: scope.from, to: scope.to });
      expect(points.length).toBe(rollup.reduce((s, r) => s + r.n, 0));
      expect(points.length).toBeGreaterThan(4000);
      expect(new Set(points.map((p) => p.month))).toEqual(new Set(["2025-03", "2025-04"]));
    });

    it("the Hampshire 2024-05..12 gap is reported as missing, never zero", async () => {
      const doc = await assessArea(store, { area: "Southampton", from: "2024-01", to: "2025-12" });
      expect(findNonFinite(doc)).toEqual([]);
      const gap = monthRange("2024-05", "2024-12");
      expect(doc.vintage.missingMonths).toEqual(gap);
      expect(doc.notes.join(" ")).toMatch(/8 month\(s\) of the period have no hampshire file.*2024-05\.\.2024-12/);
      const monthly = doc.trends.groups![0]!.monthly;
      for (const m of monthly) expect(m.count === null).toBe(gap.includes(m.month));
      expect(doc.seasonality.status).toBe("insufficient");
      expect(doc.seasonality.message).toMatch(/16 months are present/);
      // the gap breaks the series emerging hot spots need consecutive: refused, with the period after it as the hint
      expect(doc.emerging.status).toBe("unavailable");
      expect(doc.emerging.message).toMatch(/has a gap: 2024-05, .*2024-12 have no hampshire data.*--from 2025-01 --to 2025-12/);
      // year on year: 2025 against 2024 over the 4 months loaded in both years (January to April)
      const yoy = doc.keyMessages.messages.find((m) => m.id.startsWith("change.all-crime.the-12-months-to-december-2024"))!;
      expect(yoy.text).toContain("in the 12 months to December 2025 (4 months with data in both years)");
      const months = (m: string[]) => monthly.filter((x) => m.includes(x.month)).reduce((sum, x) => sum + x.count!, 0);
      expect(yoy.figures).toMatchObject({ from: months(monthRange("2024-01", "2024-04")), to: months(monthRange("2025-01", "2025-04")) });
    });

    it("hotspots and emerging JSON list every cell with the promised fields", async () => {
      const h = hotspotsJson(await assessHotspots(store, { area: "Southampton", from: "2025-01", to: "2025-06", grid: "h3:9" }));
      expect(h.cells.length).toBeGreaterThan(500);
      for (const c of h.cells) expect(Object.keys(c).sort()).toEqual(["class", "count", "id", "p", "pAdjusted", "z"]);
      expect(h.cells.every((c) => /^89[0-9a-f]{13}$/.test(c.id))).toBe(true);
      expect(h.cells.reduce((sum, c) => sum + c.count, 0)).toBe(h.points!.counted);
      expect(h.params.analysis).toMatchObject({ grid: "h3", resolution: 9, adjust: "fdr" });
      const sq = hotspotsJson(await assessHotspots(store, { area: "Southampton", from: "2025-01", to: "2025-06", grid: "square:250", type: "burglary" }));
      expect(sq.cells.every((c) => /^\d+_\d+$/.test(c.id) && c.id.split("_").every((v) => Number(v) % 250 === 0))).toBe(true);
      const kde = hotspotsJson(await assessHotspots(store, { area: "Southampton", from: "2025-01", to: "2025-06", grid: "square:250", method: "kde" }));
      expect(Object.keys(kde.cells[0]!).sort()).toEqual(["count", "density", "id"]);

      const e = emergingJson(await assessEmerging(store, { area: "Southampton", from: "2025-01", to: "2025-12", step: "quarter", grid: "square:500" }));
      expect(e.steps).toEqual(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
      for (const c of e.cells) {
        expect(c.counts).toHaveLength(4);
        expect(c.z).toHaveLength(4);
        expect(typeof c.mannKendall.s).toBe("number");
        expect(c.mannKendall.p).toBeGreaterThanOrEqual(0);
        expect(typeof c.category).toBe("string");
      }
      expect(e.cells.reduce((sum, c) => sum + c.counts.reduce((a, b) => a + b, 0), 0)).toBe(e.points.counted);
      expect(findNonFinite(e)).toEqual([]);
    });

    it("peers given by the user: police.uk for peers with data, the others listed, ONS beside", async () => {
      // Portsmouth and Gosport (Hampshire, loaded), Plymouth (Devon and Cornwall, not loaded)
      const r = await assessPeers(store, { area: "Southampton", from: "2025-01", to: "2025-12", type: "All crime", peers: ["E06000044", "E07000088", "E06000026"] });
      expect(r.groupSource).toBe("given");
      expect(r.members.map((m) => [m.code, m.policeData])).toEqual([
        ["E06000045", "complete"],
        ["E06000044", "complete"],
        ["E07000088", "complete"],
        ["E06000026", "none"],
      ]);
      const g = r.groups[0]!;
      expect(g.policeUk.status).toBe("ok");
      expect(g.policeUk.result!.rows.map((x) => x.code).sort()).toEqual(["E06000044", "E06000045", "E07000088"]);
      expect(g.policeUk.excluded).toEqual([{ code: "E06000026", name: "Plymouth", reason: "no police.uk data loaded" }]);
      expect(r.notes.join(" ")).toMatch(/no police.uk data loaded for 1 peer\(s\): Plymouth/);
      const southampton = g.policeUk.result!.rows.find((x) => x.code === "E06000045")!;
      const counts = await countByArea(store, { area: "Southampton", from: "2025-01", to: "2025-12" });
      expect(southampton.count).toBe(counts.total - counts.byType["Anti-social behaviour"]!);
      expect(g.ons.status).toBe("ok");
      expect(g.ons.result!.rows.find((x) => x.code === "E06000045")!.count).toBe(31_505);
      expect(r.sourcesNote).toMatch(/excluding fraud/);
      await expect(assessPeers(store, { area: "Southampton", peers: ["E22000120"] })).rejects.toMatchObject({ code: "input.invalid" });
    });

    it("degenerate input: an area with no incidents, one month, a single cell, bad options", async () => {
      // Cardiff: known from reference data, no police data imported
      const empty = await assessArea(store, { area: "Cardiff", from: "2025-01", to: "2025-12" });
      expect(findNonFinite(empty)).toEqual([]);
      expect(AssessmentSchema.safeParse(empty).success).toBe(true);
      expect(empty.vintage.missingMonths).toHaveLength(12);
      expect(empty.trends.status).toBe("unavailable");
      expect(empty.trends.groups![0]!.monthly.every((m) => m.count === null)).toBe(true);
      expect(empty.hotspots.status).toBe("unavailable");
      expect(empty.hotspots.message).toMatch(/no all crime incidents in Cardiff/);
      expect(empty.emerging.status).toBe("unavailable");

      const one = await assessArea(store, { area: "Southampton", from: "2025-03", to: "2025-03" });
      expect(findNonFinite(one)).toEqual([]);
      expect(one.trends.status).toBe("ok");
      expect(one.emerging.status).toBe("unavailable");
      expect(one.emerging.message).toMatch(/at least 2 time steps/);
      await expect(assessEmerging(store, { area: "Southampton", from: "2025-03", to: "2025-03" })).rejects.toThrow(AppError);

      // one LSOA on a 50 km grid: a single cell, Gi* undefined, said so
      const single = await assessHotspots(store, { area: "E01017139", from: "2025-01", to: "2025-12", grid: "square:50000" });
      expect(single.gistar!.cells).toHaveLength(1);
      expect(single.gistar!.cells[0]).toMatchObject({ z: null, p: null, class: "none" });
      expect(single.notes.join(" ")).toMatch(/only one cell/);
      expect(findNonFinite(single)).toEqual([]);

      await expect(assessArea(store, { area: "Southampton", grid: "hex:9" })).rejects.toMatchObject({ code: "input.invalid" });
      await expect(assessArea(store, { area: "Southampton", from: "2025-13" })).rejects.toMatchObject({ code: "input.invalid" });
    });
  });
}

describe("assessment on both databases", () => {
  it("SQLite and PostgreSQL documents are byte-identical without timings", async (ctx) => {
    if (!documents.has("sqlite") || !documents.has("postgres")) ctx.skip();
    const a = documents.get("sqlite")!;
    const b = documents.get("postgres")!;
    if (a !== b) {
      const la = a.split("\n");
      const lb = b.split("\n");
      const i = la.findIndex((l, k) => l !== lb[k]);
      expect(`line ${i}: ${lb[i]}`).toBe(`line ${i}: ${la[i]}`);
    }
    expect(b).toBe(a);
  });
});
