import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppError } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pseudonymiser } from "../src/ingest/local/pseudonymiser.ts";
import { localNearRepeat, localRepeats } from "../src/services/local-analysis.service.ts";
import { importLocalIncidents } from "../src/services/local-import.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { TEST_PSEUDONYM_KEY, writeTestExtract } from "./support/local-extract.ts";

// Issue 14 item 4: `--area` of `repeats`, `near-repeat` and the incidents pages takes an area's name
// or code (a local authority, a CSP, a ward) as the police analysis commands do, not only LSOA lists.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-local-area-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cli = { kind: "cli", actor: { label: "cli:test", ip: null } } as const;
const SOTON = "E06000045";
const CSP = "E22000083"; // a CSP code for the test: Southampton's partnership
const IN = "E01032757"; // in Southampton
const OUT = "E01023000"; // in Eastleigh

/**
 * The test extract (support/local-extract.ts) with row 4 (BRAVO, domestic, 2025-02-01) and row 7
 * (DELTA, burglary) moved to an LSOA of Eastleigh, and row 8 (the ASB report) without an LSOA
 * (its point kept). In Southampton, 2025: 4 incidents (ALPHA x3, CHARLIE 2025-05-01; CHARLIE's 2024
 * incident is the look-back), 2 victims, 3 repeat incidents, both victims with a repeat. In
 * Eastleigh: BRAVO and DELTA, 2 incidents, no repeat.
 */
function extractWithAreas(): { csv: string; mapping: string } {
  const e = writeTestExtract(fs.mkdtempSync(path.join(dir, "x-")));
  const lines = fs.readFileSync(e.csv, "utf8").split("\n");
  lines[4] = lines[4]!.replace(IN, OUT);
  lines[7] = lines[7]!.replace(IN, OUT);
  lines[8] = lines[8]!.replace(IN, "");
  fs.writeFileSync(e.csv, lines.join("\n"));
  return e;
}

describe.each(DIALECTS)("local incidents by --area name or code on %s", (dialect) => {
  let store: TestStore;
  let skip = false;
  beforeAll(async () => {
    skip = (await dialectAvailability(dialect)).skip;
    if (skip) return;
    store = await openTestStore(dialect);
    await store.db
      .insertInto("area")
      .values([
        { code: SOTON, name: "Southampton", level: "lad", vintage: "2024", parent_code: null },
        { code: "E07000086", name: "Eastleigh", level: "lad", vintage: "2024", parent_code: null },
        { code: CSP, name: "Safer Southampton Partnership", level: "csp", vintage: "2024", parent_code: null },
        { code: IN, name: "Southampton 024A", level: "lsoa", vintage: "2021", parent_code: SOTON },
        { code: OUT, name: "Eastleigh 001A", level: "lsoa", vintage: "2021", parent_code: "E07000086" },
      ])
      .execute();
    await store.db
      .insertInto("lsoa_geo")
      .values([
        { lsoa_code: IN, lsoa_name: "Southampton 024A", vintage: "2021", ward_code: null, lad_code: SOTON, lad_name: "Southampton", csp_code: CSP, pfa_code: null, source: "reference" },
        { lsoa_code: OUT, lsoa_name: "Eastleigh 001A", vintage: "2021", ward_code: null, lad_code: "E07000086", lad_name: "Eastleigh", csp_code: null, pfa_code: null, source: "reference" },
      ])
      .execute();
    const e = extractWithAreas();
    await importLocalIncidents(store, e.csv, { mappingFile: e.mapping, dataset: "idva", actor: cli.actor, now: new Date("2026-01-05T10:00:00Z"), pseudonymiser: new Pseudonymiser(Buffer.from(TEST_PSEUDONYM_KEY, "hex")) });
  }, 120_000);
  afterAll(() => store?.destroy());

  const period = { from: "2025-01", to: "2025-12" };

  it("measures repeats in an area named, coded, qualified by level, or given as LSOAs: the same incidents each way", async (t) => {
    if (skip) return t.skip();
    for (const area of ["Southampton", "southampton", SOTON, "lad:Southampton", "Safer Southampton Partnership", CSP, IN]) {
      const r = await localRepeats(store, cli, { ...period, area });
      const m = r.measures;
      expect([m.incidents, m.prevalence, m.repeatIncidents.count, m.repeatVictims.count], area).toEqual([4, 2, 3, 2]);
      // One incident of 2025 has no LSOA (the ASB report): outside every area, and said so.
      expect(r.scope.leftOutWithoutLsoa, area).toBe(1);
    }
    expect((await localRepeats(store, cli, { ...period, area: "Southampton" })).scope.area).toEqual({ code: SOTON, name: "Southampton" });
    expect((await localRepeats(store, cli, { ...period, area: CSP })).scope.area).toEqual({ code: CSP, name: "Safer Southampton Partnership" });
    const east = (await localRepeats(store, cli, { ...period, area: "Eastleigh" })).measures;
    expect([east.incidents, east.prevalence, east.repeatVictims.count]).toEqual([2, 2, 0]);
    const whole = (await localRepeats(store, cli, period)).measures;
    expect(whole.incidents).toBe(7);
  });

  it("runs the Knox test on an area's incidents by name", async (t) => {
    if (skip) return t.skip();
    const q = { ...period, area: "Southampton", distanceBands: [0, 50, 5000], timeBands: [0, 60, 400], permutations: 19, seed: 7, metric: "euclidean" as const };
    const k = (await localNearRepeat(store, cli, q)).knox;
    // 4 incidents of 2025 in Southampton: rows 1, 2, 3 (ALPHA) and 6 (CHARLIE); 6 pairs, one (rows 1 and 2) within 50 m and 60 days.
    expect([k.n, k.observed.flat().reduce((a, b) => a + b, 0), k.observed[0]![0]]).toEqual([4, 6, 1]);
  });

  it("refuses an unknown name, suggesting the close one", async (t) => {
    if (skip) return t.skip();
    const e = (await localRepeats(store, cli, { ...period, area: "Southampon" }).catch((x: unknown) => x)) as AppError;
    expect(e.code).toBe("area.not_found");
    expect(e.hint).toContain("lad:Southampton");
  });

  it("takes a name on the command line too (safecity repeats --area Southampton)", async (t) => {
    if (skip) return t.skip();
    const r = await runCli(["repeats", "--area", "Southampton", "--from", "2025-01", "--to", "2025-12", "--json"], { ...store.env, SAFECITY_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scope.area).toEqual({ code: SOTON, name: "Southampton" });
    expect(out.measures.incidents).toBe(4);
  }, 600_000);
});
