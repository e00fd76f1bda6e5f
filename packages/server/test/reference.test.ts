import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { isAppError } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceTableCounts } from "../src/db/repositories/reference.repository.ts";
import { type ReferenceInstallReport, installReference } from "../src/services/reference.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { FIXTURE_REFERENCE_DIR, REFERENCE_DIR, needsSharedData } from "./support/shared-data.ts";

/** The whole national mirror (../shared/data/reference): its tests are skipped with the reason when it is absent. */
const MIRROR = `${REFERENCE_DIR}/`;
const noMirror = needsSharedData("installing the whole national reference mirror needs ../shared/data/reference");

/** Data lines of a fixture CSV file (one header line, no quoted newlines). */
function fixtureRows(rel: string): string[][] {
  const [, ...rows] = fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, rel), "utf8").split(/\r?\n/).filter((l) => l !== "");
  return rows.map((l) => l.split(",").map((c) => c.replace(/^"|"$/g, "")));
}

function fileURLPath(u: URL): string {
  return decodeURIComponent(u.pathname);
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "safecity-ref-fixture-"));
}

function write(dir: string, rel: string, content: string | Buffer): void {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
}

/** A copy of the mirror made of symlinks (no data copied), so single files can be replaced. */
function linkedMirror(except: string[] = []): string {
  const dir = tempDir();
  for (const sub of fs.readdirSync(MIRROR)) {
    for (const f of fs.readdirSync(path.join(MIRROR, sub))) {
      const rel = `${sub}/${f}`;
      if (except.includes(rel)) continue;
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
      fs.symlinkSync(path.join(MIRROR, sub, f), path.join(dir, sub, f));
    }
  }
  return dir;
}

/** Serves a directory over HTTP on 127.0.0.1 (ephemeral port); 404 for anything absent. */
async function serveDir(root: string): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requests.push(rel);
    const p = path.join(root, path.normalize(rel));
    if (!p.startsWith(root) || !fs.existsSync(p) || !fs.statSync(p).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    fs.createReadStream(p).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function errorOf(p: Promise<unknown>): Promise<Error & { code?: string; problems?: { file: string; field?: string }[] }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

/** Small synthetic mirror in the official publishers' variants: upper-case ONS codes, BOM, Nomis titles, IoD2019 File_1 gzip. */
function syntheticMirror(): string {
  const dir = tempDir();
  write(dir, "geography/lookup_ltla24_csp24_pfa24.csv", "\ufeffLAD24CD,LAD24NM,CSP24CD,CSP24NM,PFA24CD,PFA24NM\r\nE06000045,Southampton,E22000120,Southampton,E23000030,Hampshire\r\nE07000084,Basingstoke and Deane,E22000374,North Hampshire,E23000030,Hampshire\r\nE07000089,Hart,E22000374,North Hampshire,E23000030,Hampshire\r\n");
  write(
    dir,
    "geography/lookup_lsoa21_ward24_ltla24.csv",
    "LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\nE01017144,Southampton 001A,E05015492,Bassett,E06000045,Southampton\nE01017145,Southampton 001B,E05015492,Bassett,E06000045,Southampton\nE01022500,Basingstoke and Deane 001A,E05008501,Ward B,E07000084,Basingstoke and Deane\nE01022600,Hart 001A,E05008601,Ward H,E07000089,Hart\n",
  );
  write(dir, "geography/lookup_lsoa11_lsoa21_ltla22.csv", "LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD\nE01017144,Southampton 001A,E01017144,Southampton 001A,U,E06000045\nE01099999,Southampton 001Z,E01017145,Southampton 001B,M,E06000045\n");
  write(
    dir,
    "population/census2021-ts021-lsoa.csv",
    'TS021 - Ethnic group,,\nONS Crown Copyright Reserved [from Nomis on 25 June 2024],,\n,,\n2021 super output area - lower layer,Total: All usual residents,%\n,,\nE01017144 : Southampton 001A,"1,500",100\nE01017145 : Southampton 001B,1200,100\nE01022500 : Basingstoke and Deane 001A,1000,100\nE01022600 : Hart 001A,900,100\n,,\n,"In order to protect against disclosure, records",\n',
  );
  write(dir, "population/mye22final_MYE4_summary_mid2011_and_mid2022.csv", "Code,Name,Geography,Mid-2022,Mid-2011\nE92000001,ENGLAND,Country,\"57,106,398\",53107169\nE06000045,Southampton,Unitary Authority,\"252,689\",235870\nE07000084,Basingstoke and Deane,Non-metropolitan District,\"189,000\",1\nE07000089,Hart,Non-metropolitan District,\"100,000\",1\n");
  const file1 =
    "\ufeffLSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\r\nE01017144,Southampton 001A,E06000045,Southampton,\"29,199\",9\r\nE01099999,Southampton 001Z,E06000045,Southampton,\"1,234\",1\r\n";
  write(dir, "imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz", zlib.gzipSync(Buffer.from(file1, "utf8")));
  write(
    dir,
    "ons-crime-tables/policeforceareatablesyejune25final.csv",
    '"Table C2: Number of police recorded crimes, year ending June 2025 [note 1]",,,,,,,\nSome shorthand is used in this table.  [x] indicates data are unavailable.,,,,,,,\n"Police Force\nArea code","Police Force\nArea name","Community Safety\nPartnership code","Community Safety\nPartnership name",Local Authority code,Local Authority name,"Total recorded crime\n (excluding fraud)",Homicide\nE23000030,Hampshire,E22000120,Southampton,E06000045,Southampton,"31,345 ",2 \nE23000030,Hampshire,,Unassigned Hampshire,,,[x],[x]\n',
  );
  return dir;
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`reference install from the committed fixture mirror on ${dialect}`, () => {
    let store: TestStore;
    let report: ReferenceInstallReport;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      report = await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => new Date("2026-01-02T03:04:05Z") });
    });
    afterAll(() => store?.destroy());

    it("installs every file present, with the rows the files hold, and reports the absent ones as missing", () => {
      const installed = report.datasets.filter((d) => d.status === "installed");
      expect(installed.find((d) => d.name === "geography.lsoa21_ward24_ltla24")?.rows).toBe(fixtureRows("geography/lookup_lsoa21_ward24_ltla24.csv").length);
      expect(installed.find((d) => d.name === "geography.ltla24_csp24_pfa24")?.rows).toBe(fixtureRows("geography/lookup_ltla24_csp24_pfa24.csv").length);
      expect(report.datasets.find((d) => d.name === "population.lsoa11_mid2020")?.status).toBe("missing");
    });

    it("links each LSOA of the lookup to its ward, authority, CSP and force", async () => {
      const lookup = fixtureRows("geography/lookup_lsoa21_ward24_ltla24.csv"); // lsoa21_name, lsoa21_code, ward24_name, ward24_code, ltla24_name, ltla24_code
      const csp = new Map(fixtureRows("geography/lookup_ltla24_csp24_pfa24.csv").map((r) => [r[0]!, { csp: r[2]!, pfa: r[4]! }]));
      const geo = await store.db.selectFrom("lsoa_geo").selectAll().where("vintage", "=", "2021").orderBy("lsoa_code").execute();
      expect(geo.map((g) => [g.lsoa_code, g.ward_code, g.lad_code, g.csp_code, g.pfa_code])).toEqual(
        lookup.map((r) => [r[1], r[3], r[5], csp.get(r[5]!)!.csp, csp.get(r[5]!)!.pfa]).sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
    });

    it("stores Southampton's mid-2022 population and ONS C2 total as the fixture files print them", async () => {
      const mye5 = fixtureRows("population/mye22final_MYE5_density.csv").find((r) => r[0] === "E06000045")!; // Code, Name, Geography, Area, Estimated Population mid-2022, ...
      const pop = await store.db.selectFrom("population").select("persons").where("area_code", "=", "E06000045").where("year", "=", 2022).executeTakeFirstOrThrow();
      expect(pop.persons).toBe(Number(mye5[4]));
      const c2 = fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, "ons-crime-tables/policeforceareatablesyedecember2024_TableC2.csv"), "utf8").split("\n").find((l) => l.includes(",E22000120,"))!;
      const ons = await store.db.selectFrom("ons_crime").select("value").where("table_name", "=", "C2").where("year_ending", "=", "2024-12").where("area_code", "=", "E22000120").where("offence", "=", "Total recorded crime (excluding fraud)").executeTakeFirstOrThrow();
      expect(ons.value).toBe(Number(c2.split(",")[6]));
    });
  });

  describe.skipIf(availability.skip || noMirror)(`reference install on ${dialect}`, () => {
    let store: TestStore;
    let report: ReferenceInstallReport;
    const cleanup: string[] = [];
    beforeAll(async () => {
      store = await openTestStore(dialect);
      report = await installReference(store, MIRROR, { now: () => new Date("2026-01-02T03:04:05Z") });
      console.log(`reference install from the mirror on ${dialect}: ${report.elapsedMs} ms`);
    }, 120_000);
    afterAll(async () => {
      await store?.destroy();
      for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
    });

    const area = (code: string) => store.db.selectFrom("area").selectAll().where("code", "=", code).executeTakeFirst();

    it("installs the whole mirror quickly and reports every dataset", () => {
      expect(report.elapsedMs).toBeLessThan(60_000);
      expect(report.datasets.every((d) => d.status === "installed")).toBe(true);
      expect(report.tables.lsoa_geo).toBeGreaterThan(35_672);
      expect(report.datasets.find((d) => d.name === "imd.2019_lsoa11")?.alternativesNotUsed).toContain("imd/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz");
    });

    it("links Southampton to its CSP and force, and North Hampshire to its three authorities", async () => {
      expect(await area("E06000045")).toMatchObject({ name: "Southampton", level: "lad", parent_code: "E22000120" });
      expect(await area("E22000120")).toMatchObject({ level: "csp", parent_code: "E23000030" });
      expect(await area("E23000030")).toMatchObject({ name: "Hampshire", level: "pfa", parent_code: null });
      const lads = await store.db.selectFrom("area").select("name").where("parent_code", "=", "E22000374").orderBy("name").execute();
      expect(lads.map((l) => l.name)).toEqual(["Basingstoke and Deane", "Hart", "Rushmoor"]);
    });

    it("gives an LSOA its ward, denormalised up to the force", async () => {
      expect(await area("E01017144")).toMatchObject({ name: "Southampton 001A", level: "lsoa", vintage: "2021", parent_code: "E05015492" });
      expect(await area("E05015492")).toMatchObject({ name: "Bassett", level: "ward", parent_code: "E06000045" });
      const geo = await store.db.selectFrom("lsoa_geo").selectAll().where("lsoa_code", "=", "E01017144").executeTakeFirstOrThrow();
      expect(geo).toEqual({ lsoa_code: "E01017144", lsoa_name: "Southampton 001A", vintage: "2021", ward_code: "E05015492", lad_code: "E06000045", lad_name: "Southampton", csp_code: "E22000120", pfa_code: "E23000030", source: "reference" });
    });

    it("handles a LAD split across CSPs (Cumberland: Allerdale, Carlisle, Copeland)", async () => {
      expect(await area("E06000063")).toMatchObject({ name: "Cumberland", level: "lad", parent_code: "E23000002" });
      const byCsp = await store.db.selectFrom("lsoa_geo").select(["csp_code", (eb) => eb.fn.countAll<number>().as("n")]).where("lad_code", "=", "E06000063").where("vintage", "=", "2021").groupBy("csp_code").orderBy("csp_code").execute();
      expect(byCsp.map((r) => [r.csp_code, Number(r.n)])).toEqual([
        ["E22000031", 59],
        ["E22000033", 71],
        ["E22000034", 47],
      ]);
      const pops = await store.db.selectFrom("population").select(["year", "source"]).where("area_code", "=", "E22000031").execute();
      expect(pops).toEqual([{ year: 2021, source: "sum of LSOAs (Census 2021)" }]);
    });

    it("maps a split 2011 LSOA to several 2021 codes and keeps a 2011-only code resolvable", async () => {
      const rows = await store.db.selectFrom("lsoa_map_11_21").select(["lsoa21_code", "change_code"]).where("lsoa11_code", "=", "E01000092").orderBy("lsoa21_code").execute();
      expect(rows).toEqual(["E01034475", "E01034476", "E01034477", "E01034478"].map((c) => ({ lsoa21_code: c, change_code: "S" })));
      const geo = await store.db.selectFrom("lsoa_geo").selectAll().where("lsoa_code", "=", "E01000092").executeTakeFirstOrThrow();
      expect(geo).toMatchObject({ vintage: "2011", lad_code: "E09000002", lad_name: "Barking and Dagenham", source: "reference" });
      expect(geo.csp_code).not.toBeNull();
    });

    it("stores populations: Southampton mid-2022, CSP sums, LSOA Census 2021", async () => {
      const pop = async (code: string, year: number) => (await store.db.selectFrom("population").select("persons").where("area_code", "=", code).where("year", "=", year).executeTakeFirst())?.persons;
      expect(await pop("E06000045", 2022)).toBe(252_689);
      expect(await pop("E22000120", 2022)).toBe(252_689);
      const parts = await Promise.all(["E07000084", "E07000089", "E07000092"].map((c) => pop(c, 2022)));
      expect(await pop("E22000374", 2022)).toBe(parts.reduce((a, b) => a! + b!, 0));
      expect(await pop("E01017144", 2021)).toBeGreaterThan(1000);
    });

    it("stores IMD 2025 with score and crime decile, and 2019 deciles", async () => {
      const imd = await store.db.selectFrom("imd").selectAll().where("lsoa_code", "=", "E01017144").where("edition", "=", "2025").executeTakeFirstOrThrow();
      expect(imd).toMatchObject({ decile: 6, rank: 18317, score: 15.927, crime_decile: 5 });
      const imd19 = await store.db.selectFrom("imd").selectAll().where("lsoa_code", "=", "E01000001").where("edition", "=", "2019").executeTakeFirstOrThrow();
      expect(imd19).toMatchObject({ decile: 9, rank: 29199, score: null });
    });

    it("stores the ONS CSP tables: C2 Southampton 31,505 (YE Dec 2024) and 31,345 (YE Jun 2025), markers kept", async () => {
      const v = (table: string, ye: string, code: string) =>
        store.db.selectFrom("ons_crime").select(["value", "marker"]).where("table_name", "=", table).where("year_ending", "=", ye).where("area_code", "=", code).where("offence", "=", "Total recorded crime (excluding fraud)").executeTakeFirst();
      expect(await v("C2", "2024-12", "E22000120")).toEqual({ value: 31505, marker: null });
      expect(await v("C2", "2025-06", "E22000120")).toEqual({ value: 31345, marker: null });
      expect(await v("C5", "2023-12", "E22000120")).toEqual({ value: 33739, marker: null });
      expect(await v("C3", "2024-12", "name:unassigned_hampshire")).toEqual({ value: null, marker: "[x]" });
    });

    it("computes area indicators per LAD and CSP", async () => {
      const ind = await store.db.selectFrom("area_indicator").select(["indicator", "value"]).where("area_code", "=", "E06000045").execute();
      const m = Object.fromEntries(ind.map((r) => [r.indicator, r.value]));
      expect(m.population_density).toBeCloseTo(252_689 / 49.8807, 3); // MYE5 prints 5066
      expect(m.imd2025_average_score).toBeCloseTo(25.611, 6);
      expect(m.urban_lsoa_share).toBe(1);
      for (const k of ["no_car_household_share", "nssec_l1_l3_share", "no_qualifications_share", "level4_qualifications_share", "lone_parent_household_share"]) {
        expect(m[k]).toBeGreaterThan(0);
        expect(m[k]).toBeLessThan(1);
      }
      const nh = await store.db.selectFrom("area_indicator").select("value").where("area_code", "=", "E22000374").where("indicator", "=", "urban_lsoa_share").executeTakeFirstOrThrow();
      expect(nh.value).toBeGreaterThan(0.5);
      expect(nh.value).toBeLessThan(1);
    });

    it("records each dataset with its sha256 and rows", async () => {
      const ds = await store.db.selectFrom("reference_dataset").selectAll().where("name", "=", "geography.ltla24_csp24_pfa24").executeTakeFirstOrThrow();
      const sha = crypto.createHash("sha256").update(fs.readFileSync(path.join(MIRROR, "geography/lookup_ltla24_csp24_pfa24.csv"))).digest("hex");
      expect(ds).toMatchObject({ file_name: "geography/lookup_ltla24_csp24_pfa24.csv", sha256: sha, rows: 332, installed_at: "2026-01-02T03:04:05.000Z" });
    });

    it("re-installs idempotently over the HTTP path, replacing police-derived LSOA rows", async () => {
      const before = await referenceTableCounts(store.db);
      // A police import saw these LSOAs before reference data existed.
      await store.db.deleteFrom("lsoa_geo").where("lsoa_code", "=", "E01017145").execute();
      await store.db
        .insertInto("lsoa_geo")
        .values([
          { lsoa_code: "E01017145", lsoa_name: "Southampton 001B", vintage: null, ward_code: null, lad_code: null, lad_name: "Southampton", csp_code: null, pfa_code: null, source: "police" },
          { lsoa_code: "E01999999", lsoa_name: "Nowhere 001A", vintage: null, ward_code: null, lad_code: null, lad_name: "Nowhere", csp_code: null, pfa_code: null, source: "police" },
        ])
        .execute();
      const server = await serveDir(MIRROR);
      try {
        const again = await installReference(store, server.url);
        console.log(`reference install over HTTP on ${dialect}: ${again.elapsedMs} ms`);
        expect(again.policeGeoReplaced).toBe(1);
        expect(server.requests).toContain("/geography/lookup_ltla24_csp24_pfa24.csv");
      } finally {
        await server.close();
      }
      const after = await referenceTableCounts(store.db);
      expect(after).toEqual({ ...before, lsoa_geo: before.lsoa_geo! + 1 });
      const replaced = await store.db.selectFrom("lsoa_geo").selectAll().where("lsoa_code", "in", ["E01017145", "E01999999"]).orderBy("lsoa_code").execute();
      expect(replaced.map((r) => [r.lsoa_code, r.source, r.csp_code])).toEqual([
        ["E01017145", "reference", "E22000120"],
        ["E01999999", "police", null],
      ]);
    }, 120_000);

    it("rejects a broken file naming file and column, leaving the store as it was", async () => {
      const dir = linkedMirror(["geography/lookup_ltla24_csp24_pfa24.csv"]);
      cleanup.push(dir);
      write(dir, "geography/lookup_ltla24_csp24_pfa24.csv", '"ltla24_code","ltla24_name","pfa24_code","pfa24_name"\n"E06000045","Southampton","E23000030","Hampshire"\n');
      const before = await referenceTableCounts(store.db);
      const err = await errorOf(installReference(store, dir));
      expect(isAppError(err)).toBe(true);
      expect(err.code).toBe("reference.bad_file");
      expect(err.message).toContain("geography/lookup_ltla24_csp24_pfa24.csv");
      expect(err.message).toContain("CSP code");
      expect(await referenceTableCounts(store.db)).toEqual(before);
    });

    it("names file, line and column for a bad number, leaving the store as it was", async () => {
      const dir = linkedMirror(["ons-crime-tables/policeforceareatablesyedecember2024_TableP1.csv"]);
      cleanup.push(dir);
      write(dir, "ons-crime-tables/policeforceareatablesyedecember2024_TableP1.csv", "Area Code,Area Name,Total\nE23000030,Hampshire,1\nE23000031,Surrey,12x\n");
      const before = await referenceTableCounts(store.db);
      const err = await errorOf(installReference(store, dir));
      expect(err.message).toMatch(/TableP1\.csv:3: .*`Total`/);
      expect(await referenceTableCounts(store.db)).toEqual(before);
    });

    it("rolls back a failure while writing (the last table is missing), leaving every table as it was", async () => {
      const before = await referenceTableCounts(store.db);
      await store.db.schema.alterTable("reference_dataset").renameTo("reference_dataset_away").execute();
      try {
        const err = await errorOf(installReference(store, MIRROR));
        expect(err.message).toMatch(/reference_dataset/);
      } finally {
        await store.db.schema.alterTable("reference_dataset_away").renameTo("reference_dataset").execute();
      }
      expect(await referenceTableCounts(store.db)).toEqual(before);
    }, 120_000);
  });

  describe.skipIf(availability.skip)(`reference install from publisher variants on ${dialect}`, () => {
    let store: TestStore;
    const dirs: string[] = [];
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(async () => {
      await store?.destroy();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    it("installs a small mirror of upper-case ONS columns, BOMs, Nomis titles, IoD2019 File_1 gzip and `31,345 `, reporting what is missing", async () => {
      const dir = syntheticMirror();
      dirs.push(dir);
      const r = await installReference(store, dir);
      const status = Object.fromEntries(r.datasets.map((d) => [d.name, d.status]));
      expect(status["geography.ltla24_csp24_pfa24"]).toBe("installed");
      expect(status["imd.2019_lsoa11"]).toBe("installed");
      expect(status["imd.2025_lsoa21"]).toBe("missing");
      expect(r.datasets.find((d) => d.name === "imd.2019_lsoa11")?.file).toBe("imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz");
      const imd = await store.db.selectFrom("imd").selectAll().orderBy("lsoa_code").execute();
      expect(imd.map((i) => [i.lsoa_code, i.rank, i.decile])).toEqual([
        ["E01017144", 29199, 9],
        ["E01099999", 1234, 1],
      ]);
      const pops = await store.db.selectFrom("population").select(["area_code", "year", "persons"]).orderBy("area_code").orderBy("year").execute();
      expect(pops).toEqual([
        { area_code: "E01017144", year: 2021, persons: 1500 },
        { area_code: "E01017145", year: 2021, persons: 1200 },
        { area_code: "E01022500", year: 2021, persons: 1000 },
        { area_code: "E01022600", year: 2021, persons: 900 },
        { area_code: "E06000045", year: 2022, persons: 252_689 },
        { area_code: "E07000084", year: 2022, persons: 189_000 },
        { area_code: "E07000089", year: 2022, persons: 100_000 },
        { area_code: "E22000120", year: 2021, persons: 2700 },
        { area_code: "E22000120", year: 2022, persons: 252_689 },
        { area_code: "E22000374", year: 2021, persons: 1900 },
        { area_code: "E22000374", year: 2022, persons: 289_000 },
        { area_code: "E23000030", year: 2022, persons: 541_689 },
      ]);
      const geo11 = await store.db.selectFrom("lsoa_geo").selectAll().where("lsoa_code", "=", "E01099999").executeTakeFirstOrThrow();
      expect(geo11).toMatchObject({ vintage: "2011", ward_code: "E05015492", lad_code: "E06000045", csp_code: "E22000120", pfa_code: "E23000030" });
      const ons = await store.db.selectFrom("ons_crime").select(["area_code", "offence", "value", "marker", "year_ending"]).orderBy("area_code").orderBy("offence").execute();
      expect(ons).toEqual([
        { area_code: "E22000120", offence: "Homicide", value: 2, marker: null, year_ending: "2025-06" },
        { area_code: "E22000120", offence: "Total recorded crime (excluding fraud)", value: 31345, marker: null, year_ending: "2025-06" },
        { area_code: "name:unassigned_hampshire", offence: "Homicide", value: null, marker: "[x]", year_ending: "2025-06" },
        { area_code: "name:unassigned_hampshire", offence: "Total recorded crime (excluding fraud)", value: null, marker: "[x]", year_ending: "2025-06" },
      ]);
    });

    it("installs lookups only, and fails clearly without a required lookup (directory and HTTP 404)", async () => {
      const dir = tempDir();
      dirs.push(dir);
      write(dir, "geography/lookup_ltla24_csp24_pfa24.csv", fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, "geography/lookup_ltla24_csp24_pfa24.csv")));
      const missing = await errorOf(installReference(store, dir));
      expect(missing.code).toBe("reference.not_found");
      expect(missing.message).toContain("geography/lookup_lsoa21_ward24_ltla24.csv");

      const server = await serveDir(dir);
      try {
        const notFound = await errorOf(installReference(store, `${server.url}mirror`));
        expect(notFound.code).toBe("reference.download_failed");
        expect(notFound.message).toContain(`${server.url}mirror/geography/lookup_ltla24_csp24_pfa24.csv`);
        const notFound2 = await errorOf(installReference(store, server.url));
        expect(notFound2.message).toContain(`${server.url}geography/lookup_lsoa21_ward24_ltla24.csv`);
      } finally {
        await server.close();
      }

      write(dir, "geography/lookup_lsoa21_ward24_ltla24.csv", fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, "geography/lookup_lsoa21_ward24_ltla24.csv")));
      const r = await installReference(store, dir);
      expect(r.datasets.filter((d) => d.status === "installed").map((d) => d.name)).toEqual(["geography.ltla24_csp24_pfa24", "geography.lsoa21_ward24_ltla24"]);
      expect(r.tables.lsoa_geo).toBe(fixtureRows("geography/lookup_lsoa21_ward24_ltla24.csv").length);
      expect(r.tables.population).toBe(0);
    });

    it("runs as `safecity reference install --from <dir> --json`", async () => {
      const dir = syntheticMirror();
      dirs.push(dir);
      const bin = fileURLPath(new URL("../bin/safecity.js", import.meta.url));
      const out = execFileSync(process.execPath, [bin, "reference", "install", "--from", dir, "--json"], { env: { ...process.env, ...store.env }, encoding: "utf8" });
      const json = JSON.parse(out) as ReferenceInstallReport;
      expect(json.datasets.find((d) => d.name === "ons_crime.c2_ye2025_06")).toMatchObject({ status: "installed", rows: 2 });
      expect(json.tables.area).toBe(14); // 1 PFA, 2 CSPs, 3 LADs, 3 wards, 4 LSOAs 2021, 1 LSOA 2011
      const table = execFileSync(process.execPath, [bin, "reference", "install", "--from", dir], { env: { ...process.env, ...store.env }, encoding: "utf8" });
      expect(table).toMatch(/geography\.ltla24_csp24_pfa24\s+3\s+geography\/lookup_ltla24_csp24_pfa24\.csv/);
      expect(table).toMatch(/imd\.2025_lsoa21\s+-\s+missing/);
    }, 60_000);

    it("rejects two ONS table files that claim the same table and year", async () => {
      const dir = syntheticMirror();
      dirs.push(dir);
      const c2 = fs.readFileSync(path.join(dir, "ons-crime-tables/policeforceareatablesyejune25final.csv"), "utf8");
      write(dir, "ons-crime-tables/policeforceareatablesyedecember2024_TableC2.csv", c2);
      const err = await errorOf(installReference(store, dir));
      expect(err.code).toBe("reference.bad_file");
      expect(err.message).toMatch(/table C2, year ending 2025-06/);
    });

    it("says what to do when the directory does not exist", async () => {
      const err = await errorOf(installReference(store, path.join(os.tmpdir(), "no-such-safecity-mirror")));
      expect(err.code).toBe("reference.not_found");
    });
  });
}
