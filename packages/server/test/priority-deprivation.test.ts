import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { IOD_DOMAINS, type IodDomain, deprivationWithoutCrime } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPoliceData } from "../src/services/import.service.ts";
import { assessPriorityAreas } from "../src/services/priority-areas.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "./support/shared-data.ts";

/**
 * Priority areas ranked on the IMD without its crime domain (issue 13 item 6, decision 0023), end to
 * end on both stores. The committed IMD 2025 fixture is a subset (277 LSOAs of Southampton and
 * Portsmouth), so its national ranks cannot be rebuilt: installed as it is, the ex-crime columns
 * stay null and the service falls back to the published IMD, saying so. To exercise the default
 * path the test also installs a copy in which each domain's published ranks are re-ranked 1..277
 * (the subset made a "whole ranking" of its own); the expected ex-crime deciles are computed here
 * from that file with core's deprivationWithoutCrime (itself checked against the national file).
 */
const IMD_FILE = "imd/imd2025_england_lsoa21.csv";
const HEADER_OF: Record<IodDomain, string> = {
  income: "Income_rank",
  employment: "Employment_rank",
  education: "Education_rank",
  health: "Health_rank",
  crime: "Crime_rank",
  barriers: "Housing_and_Services_rank",
  environment: "Environment_rank",
};

/** The fixture's IMD 2025 file with every domain's ranks re-ranked 1..N within its rows (ties kept). */
function wholeRankingCopy(): { dir: string; expected: Map<string, { decile: number; rank: number; published: number }> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-imd-"));
  fs.cpSync(FIXTURE_REFERENCE_DIR, dir, { recursive: true });
  const lines = fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, IMD_FILE), "utf8").split(/\r?\n/).filter((l) => l !== "");
  const header = lines[0]!.split(",").map((h) => h.replace(/"/g, ""));
  const rows = lines.slice(1).map((l) => l.split(","));
  for (const d of IOD_DOMAINS) {
    const col = header.indexOf(HEADER_OF[d]);
    const order = rows.map((r, i) => [Number(r[col]), i] as const).sort((a, b) => a[0] - b[0]);
    order.forEach(([v, i], k) => {
      // competition ranks, as published: equal ranks stay equal, the next skip
      const prev = k > 0 ? order[k - 1]! : null;
      rows[i]![col] = prev && prev[0] === v ? rows[prev[1]]![col]! : String(k + 1);
    });
  }
  fs.writeFileSync(path.join(dir, IMD_FILE), [lines[0]!, ...rows.map((r) => r.join(","))].join("\n") + "\n");
  const code = (r: string[]) => r[0]!.replace(/"/g, "");
  const ex = deprivationWithoutCrime(rows.map((r) => ({ code: code(r), ranks: Object.fromEntries(IOD_DOMAINS.map((d) => [d, Number(r[header.indexOf(HEADER_OF[d])])])) })));
  const published = new Map(rows.map((r) => [code(r), Number(r[header.indexOf("IMD_decile")])]));
  return { dir, expected: new Map(ex.map((x) => [x.code, { decile: x.decile, rank: x.rank, published: published.get(x.code)! }])) };
}

const QUERY = { area: "Southampton", from: "2025-01", to: "2025-03" };

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`priority areas on deprivation without the crime domain (${dialect})`, () => {
    let store: TestStore;
    let copy: ReturnType<typeof wholeRankingCopy>;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => new Date("2026-01-01T00:00:00Z") });
      await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test", now: () => new Date("2026-01-01T00:00:00Z") });
      copy = wholeRankingCopy();
    }, 180_000);
    afterAll(async () => {
      await store?.destroy();
      if (copy) fs.rmSync(copy.dir, { recursive: true, force: true });
    });

    it("the committed subset: domain ranks stored, no ex-crime values; the default falls back to the published IMD and says so", async () => {
      const row = await store.db.selectFrom("imd").selectAll().where("lsoa_code", "=", "E01017013").where("edition", "=", "2025").executeTakeFirstOrThrow();
      // the fixture's first row: IMD decile 4; domain ranks 14309, 16826, 9542, 12431, 12021, 17895, 5204
      expect(row).toMatchObject({ decile: 4, income_rank: 14309, employment_rank: 16826, education_rank: 9542, health_rank: 12431, crime_rank: 12021, barriers_rank: 17895, environment_rank: 5204 });
      expect([row.score_ex_crime, row.rank_ex_crime, row.decile_ex_crime]).toEqual([null, null, null]);
      const r = await assessPriorityAreas(store, QUERY);
      expect(r.status).toBe("ok");
      expect(r.params.deprivation).toBe("imd");
      expect(r.result!.params.deprivationMeasure).toBe("IMD 2025 (published, includes its crime domain)");
      expect(r.notes.join("\n")).toMatch(/IMD without its crime domain is not in this store for \d+ of \d+ LSOAs .*so crime is counted twice/);
      expect(r.result!.areas[0]!.reason).toMatch(/; IMD decile \d+/);
    });

    it("the whole ranking installed: ex-crime rank and decile stored; the default ranks on them, `imd` on the published decile", async () => {
      await installReference(store, copy.dir, { now: () => new Date("2026-01-02T00:00:00Z") });
      const stored = await store.db.selectFrom("imd").select(["lsoa_code", "decile", "rank_ex_crime", "decile_ex_crime", "score_ex_crime"]).where("edition", "=", "2025").execute();
      expect(stored).toHaveLength(copy.expected.size);
      for (const s of stored) {
        const e = copy.expected.get(s.lsoa_code)!;
        expect([Number(s.rank_ex_crime), Number(s.decile_ex_crime)], s.lsoa_code).toEqual([e.rank, e.decile]);
        expect(Number(s.score_ex_crime)).toBeGreaterThan(0);
      }
      // The re-ranked deciles differ from the published ones for some LSOAs, so the two options are distinguishable.
      expect([...copy.expected.values()].some((e) => e.decile !== e.published)).toBe(true);

      const ex = await assessPriorityAreas(store, QUERY);
      expect(ex.params).toMatchObject({ deprivation: "imd-without-crime", deprivationMeasure: "IMD 2025 without its crime domain (six domains, weights renormalised)" });
      expect(ex.result!.params.deprivation).toBe("imd-without-crime");
      expect(ex.notes.join("\n")).toMatch(/Deprivation: IMD 2025 without its crime domain \(six domains, weights renormalised\), national ranks and deciles, so crime is not counted twice/);
      for (const a of ex.result!.ranked) expect([a.imdDecile, a.imdRank], a.code).toEqual([copy.expected.get(a.code)!.decile, copy.expected.get(a.code)!.rank]);
      expect(ex.result!.areas[0]!.reason).toMatch(/; IMD-without-crime decile \d+/);

      const pub = await assessPriorityAreas(store, { ...QUERY, deprivation: "imd" });
      expect(pub.params.deprivation).toBe("imd");
      for (const a of pub.result!.ranked) expect(a.imdDecile, a.code).toBe(copy.expected.get(a.code)!.published);
      expect(pub.notes.join("\n")).toMatch(/Deprivation: IMD 2025 \(published, includes its crime domain\), as asked/);
    });

    it("one LSOA of the area without an ex-crime decile: the whole area falls back (no mixing of measures)", async () => {
      const ex = await assessPriorityAreas(store, QUERY);
      const one = ex.result!.ranked[0]!.code;
      await store.db.updateTable("imd").set({ decile_ex_crime: null, rank_ex_crime: null }).where("lsoa_code", "=", one).where("edition", "=", "2025").execute();
      const r = await assessPriorityAreas(store, QUERY);
      expect(r.params.deprivation).toBe("imd");
      expect(r.notes.join("\n")).toMatch(new RegExp(`not in this store for 1 of ${ex.result!.ranked.length} LSOAs`));
      await installReference(store, copy.dir, { now: () => new Date("2026-01-03T00:00:00Z") });
    });

    it("CLI: --deprivation imd|imd-without-crime, the measure printed and in the JSON; anything else refused", async () => {
      const json = await runCli(["priority-areas", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03", "--deprivation", "imd", "--json"], store.env);
      expect(json.code, json.stderr).toBe(0);
      const doc = JSON.parse(json.stdout);
      expect(doc.params.deprivation).toBe("imd");
      expect(doc.params.analysis.deprivationMeasure).toBe("IMD 2025 (published, includes its crime domain)");
      const text = await runCli(["priority-areas", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03"], store.env);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("deprivation: IMD 2025 without its crime domain (six domains, weights renormalised)");
      const bad = await runCli(["priority-areas", "--area", "Southampton", "--deprivation", "imd2019"], store.env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain("--deprivation must be imd-without-crime or imd; got `imd2019`");
    }, 120_000);
  });
}
