import fs from "node:fs";
import path from "node:path";
import { AssessmentSchema, canonicalJson, findNonFinite, monthRange } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emergingJson } from "../src/cli/emerging.command.ts";
import { hotspotsJson } from "../src/cli/hotspots.command.ts";
import { assessArea } from "../src/services/assessment.service.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { assessEmerging } from "../src/services/emerging.service.ts";
import { assessHotspots } from "../src/services/hotspots.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { assessPeers } from "../src/services/peers.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import {
  FIXTURE_MONTHS_2025,
  FIXTURE_REFERENCE_DIR,
  FIXTURE_SOUTHAMPTON_2024,
  FIXTURE_SOUTHAMPTON_2025,
  fixtureStreetLines,
  readZipEntry,
} from "./support/shared-data.ts";

/**
 * The whole chain on the committed fixtures (fixtures/README.md): reference install, import,
 * counts and the assessment of Southampton. Every expected figure is worked out here from the
 * fixture files themselves (CSV rows counted, lookup rows joined), not copied from an output.
 */
const ASB = "Anti-social behaviour";
// police.uk street columns: 0 Crime ID, 1 Month, 4 Longitude, 7 LSOA code, 8 LSOA name, 9 Crime type
const rows2025 = (await Promise.all(FIXTURE_MONTHS_2025.map(fixtureStreetLines))).flatMap((lines) => lines.slice(1).map((l) => l.split(",")));
const rows2024 = (await readZipEntry(FIXTURE_SOUTHAMPTON_2024, "2024-04/2024-04-hampshire-street.csv"))
  .toString("utf8")
  .split(/\r?\n/)
  .filter((l) => l !== "")
  .slice(1)
  .map((l) => l.split(","));

function referenceRows(rel: string): string[][] {
  const [, ...rows] = fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, rel), "utf8").split(/\r?\n/).filter((l) => l !== "");
  return rows.map((l) => l.split(",").map((c) => c.replace(/^"|"$/g, "")));
}
/** lsoa21_name, lsoa21_code, ward24_name, ward24_code, ltla24_name, ltla24_code */
const lsoaLookup = referenceRows("geography/lookup_lsoa21_ward24_ltla24.csv");
/** Code, Name, Geography, Area (sq km), Estimated Population mid-2022, ... */
const southamptonMid2022 = Number(referenceRows("population/mye22final_MYE5_density.csv").find((r) => r[0] === "E06000045")![4]);
/** ONS C2 (YE Dec 2024) "Total recorded crime (excluding fraud)" (7th column) by CSP code (3rd column). */
const onsC2 = new Map(
  fs
    .readFileSync(path.join(FIXTURE_REFERENCE_DIR, "ons-crime-tables/policeforceareatablesyedecember2024_TableC2.csv"), "utf8")
    .split(/\r?\n/)
    .map((l) => l.split(","))
    .filter((f) => /^E22\d{6}$/.test(f[2] ?? ""))
    .map((f) => [f[2]!, Number(f[6])]),
);

function withoutTimings(doc: { timings: unknown }): string {
  const { timings: _t, ...rest } = doc;
  return canonicalJson(rest);
}

const documents = new Map<string, string>();

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`assessment of the committed fixtures on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => new Date("2026-01-01T00:00:00Z") });
      await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2024, FIXTURE_SOUTHAMPTON_2025], { user: "test", now: () => new Date("2026-01-01T00:00:00Z") });
    }, 180_000);
    afterAll(() => store?.destroy());

    it("counts Southampton by code, by name, by ward and by type as the CSV rows and the lookup say", async () => {
      for (const area of ["Southampton", "E06000045", "lad:Southampton"]) {
        const r = await runCli(["counts", "--area", area, "--from", "2025-01", "--to", "2025-03", "--json"], store.env);
        expect(r.code, r.stderr).toBe(0);
        const json = JSON.parse(r.stdout);
        expect(json.area).toEqual({ code: "E06000045", name: "Southampton", level: "lad" });
        expect(json.total).toBe(rows2025.length);
      }
      const wardOf = new Map(lsoaLookup.map((r) => [r[1]!, r[3]!]));
      const ward = wardOf.get(rows2025[0]![7]!)!;
      const inWard = await countByArea(store, { area: ward, from: "2025-01", to: "2025-03" });
      expect(inWard.area).toMatchObject({ code: ward, level: "ward" });
      expect(inWard.total).toBe(rows2025.filter((r) => wardOf.get(r[7]!) === ward).length);
      const burglary = await countByArea(store, { area: "E06000045", from: "2025-01", to: "2025-03", type: "burglary" });
      expect(burglary.total).toBe(rows2025.filter((r) => r[9] === "Burglary").length);
      const codes = [...new Set(rows2025.map((r) => r[7]!))].slice(0, 3);
      const custom = await countByArea(store, { area: codes.join(","), from: "2025-01", to: "2025-03" });
      expect(custom.total).toBe(rows2025.filter((r) => codes.includes(r[7]!)).length);
    });

    it("assesses Southampton 2025-01..03: every section, valid, canonical; monthly All crime = rows without ASB; rate on the mid-2022 estimate", async () => {
      const doc = await assessArea(store, { area: "Southampton", from: "2025-01", to: "2025-03" });
      expect(AssessmentSchema.safeParse(doc).success).toBe(true);
      expect(findNonFinite(doc)).toEqual([]);
      expect(doc.area).toEqual({ code: "E06000045", name: "Southampton", level: "lad" });
      expect(doc.vintage.monthsCovered).toEqual(FIXTURE_MONTHS_2025);
      expect(doc.vintage.missingMonths).toEqual([]);
      expect(doc.trends.status).toBe("ok");
      const all = doc.trends.groups!.find((g) => g.group === "All crime")!;
      expect(all.monthly).toEqual(FIXTURE_MONTHS_2025.map((m) => ({ month: m, count: rows2025.filter((r) => r[1] === m && r[9] !== ASB).length })));
      const year = (all.series as { periods: { population: number; rate: number }[] }).periods[0]!;
      expect(year.population).toBe(southamptonMid2022);
      expect(year.rate).toBeCloseTo((all.total! / southamptonMid2022) * 1000, 7); // the document rounds to 8 decimals
      expect(doc.seasonality.status).toBe("insufficient");
      expect(doc.seasonality.message).toMatch(/3 months are present/);
      expect(doc.emerging.steps).toEqual(FIXTURE_MONTHS_2025);
      for (const s of ["hotspots", "emerging", "concentration", "priorityAreas", "keyMessages"] as const) expect(doc[s].status, s).toBe("ok");
      // Only Southampton and Portsmouth have LSOA rows in the fixture mirror, so only they have every indicator.
      expect(doc.peers.status).toBe("ok");
      expect(doc.peers.members!.map((m) => m.code)).toEqual(["E06000045", "E06000044"]);
      const onsAll = (doc.peers.groups ?? []).find((g) => g.group === "All crime")!;
      expect((onsAll.ons.result as { target: { count: number } }).target.count).toBe(onsC2.get("E22000120"));
      const text = withoutTimings(doc);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
      documents.set(dialect, text);

      const cli = await runCli(["assess", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03", "--json"], store.env);
      expect(cli.code, cli.stderr).toBe(0);
      expect(withoutTimings(JSON.parse(cli.stdout))).toBe(text);
    });

    it("reports the months after the 2024-04 slice as missing, never zero", async () => {
      const doc = await assessArea(store, { area: "Southampton", from: "2024-04", to: "2025-03" });
      expect(findNonFinite(doc)).toEqual([]);
      const gap = monthRange("2024-05", "2024-12");
      expect(doc.vintage.missingMonths).toEqual(gap);
      expect(doc.notes.join(" ")).toMatch(/8 month\(s\) of the period have no hampshire file.*2024-05\.\.2024-12/);
      const monthly = doc.trends.groups![0]!.monthly;
      for (const m of monthly) expect(m.count === null, m.month).toBe(gap.includes(m.month));
      expect(monthly[0]).toEqual({ month: "2024-04", count: rows2024.filter((r) => r[9] !== ASB).length });
      // emerging hot spots need consecutive months: a gap refuses the section, naming the gap and a period without it
      expect(doc.emerging.status).toBe("unavailable");
      expect(doc.emerging.message).toMatch(/has a gap: 2024-05, 2024-06, .*2024-12 have no hampshire data.*--from 2025-01 --to 2025-03/);
      const counts = await countByArea(store, { area: "Southampton", from: "2024-01", to: "2025-03" });
      expect(counts.missingMonths).toEqual([...monthRange("2024-01", "2024-03"), ...gap]);
      expect(counts.byMonth["2024-04"]).toBe(rows2024.length);
    });

    it("hot spots and emerging cells hold every located row once", async () => {
      const located = rows2025.filter((r) => r[4] !== "" && r[9] !== ASB).length;
      const h = hotspotsJson(await assessHotspots(store, { area: "Southampton", from: "2025-01", to: "2025-03", grid: "h3:9" }));
      expect(h.points!.counted).toBe(located);
      expect(h.cells.reduce((s, c) => s + c.count, 0)).toBe(located);
      expect(h.cells.every((c) => /^89[0-9a-f]{13}$/.test(c.id))).toBe(true);
      const e = emergingJson(await assessEmerging(store, { area: "Southampton", from: "2025-01", to: "2025-03", grid: "square:500" }));
      expect(e.steps).toEqual(FIXTURE_MONTHS_2025);
      for (const [i, m] of FIXTURE_MONTHS_2025.entries()) {
        expect(e.cells.reduce((s, c) => s + c.counts[i]!, 0), m).toBe(rows2025.filter((r) => r[1] === m && r[4] !== "" && r[9] !== ASB).length);
      }
    });

    it("peers given by the user: no police.uk rows for them is said, the ONS side comes from the C2 table", async () => {
      // Portsmouth (E06000044, Hampshire) and Plymouth (E06000026, Devon and Cornwall): neither has street rows in the fixtures.
      const r = await assessPeers(store, { area: "Southampton", from: "2025-01", to: "2025-03", type: "All crime", peers: ["E06000044", "E06000026"] });
      expect(r.groupSource).toBe("given");
      expect(r.members.map((m) => [m.code, m.policeData])).toEqual([
        ["E06000045", "complete"],
        ["E06000044", "none"],
        ["E06000026", "none"],
      ]);
      const g = r.groups[0]!;
      expect(g.policeUk.excluded.map((x) => x.code)).toEqual(["E06000044", "E06000026"]);
      expect(g.ons.status).toBe("ok");
      // both are single-authority CSPs: Southampton E22000120, Portsmouth E22000118, Plymouth E22000056
      expect(g.ons.result!.rows.map((x) => [x.code, x.count]).sort()).toEqual(
        [
          ["E06000026", onsC2.get("E22000056")],
          ["E06000044", onsC2.get("E22000118")],
          ["E06000045", onsC2.get("E22000120")],
        ].sort(),
      );
    });
  });
}

describe("assessment of the fixtures on both databases", () => {
  it("SQLite and PostgreSQL documents are byte-identical without timings", (ctx) => {
    if (!documents.has("sqlite") || !documents.has("postgres")) ctx.skip();
    expect(documents.get("postgres")).toBe(documents.get("sqlite"));
  });
});
