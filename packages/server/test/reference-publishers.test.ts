import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../src/db/database.ts";
import { parseCsv } from "../src/ingest/reference/csv.ts";
import { REFERENCE_MANIFEST } from "../src/ingest/reference/manifest.ts";
import { officialSources } from "../src/ingest/reference/official-sources.ts";
import { recognise } from "../src/ingest/reference/recognise.ts";
import { emptyReferenceData } from "../src/ingest/reference/reference-data.ts";
import { openMirrorDir, readMirrorFile, sha256Of } from "../src/ingest/reference/source.ts";
import { readWorkbookSheets } from "../src/ingest/reference/xlsx.ts";
import { installReference, type ReferenceInstallReport } from "../src/services/reference.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { crimeWorkbook, workbook, writePublisherFolder } from "./support/publisher-files.ts";
import { FIXTURE_REFERENCE_DIR, needsSharedData, REFERENCE_DIR } from "./support/shared-data.ts";

/*
 * `reference install --from <folder>` with the publishers' own files (built from the committed
 * fixture mirror: ONS workbooks, Nomis bulk zips, a BNG shapefile zip, lookups under the portal's
 * names) fills every table exactly as the mirror install of the same data does.
 */

const NOW = () => new Date("2026-02-03T04:05:06Z");
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), `safecity-${p}-`));

/** Every reference table's rows, sorted; `source` columns (file names) left out, boundary geometry kept apart. */
export async function referenceTables(store: Store) {
  const out: Record<string, string[]> = {};
  const geometry = new Map<string, string>();
  for (const t of ["area", "lsoa_geo", "lsoa_map_11_21", "population", "imd", "ons_crime", "area_indicator", "boundary"] as const) {
    const rows = (await store.db.selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
    out[t] = rows
      .map((r) => {
        const { source: _s, geometry: g, ...rest } = r;
        if (typeof g === "string") geometry.set(String(r.area_code), g);
        return JSON.stringify(rest);
      })
      .sort();
  }
  return { tables: out, geometry };
}

type Geometry = { type: string; coordinates: unknown };
/** The rings of a (multi)polygon, each turned clockwise (a shapefile's orientation), in order. */
function rings(g: Geometry): [number, number][][] {
  const polys = (g.type === "Polygon" ? [g.coordinates] : g.coordinates) as [number, number][][][];
  return polys.flat().map((r) => {
    let a = 0;
    for (let i = 0; i < r.length - 1; i++) a += r[i]![0] * r[i + 1]![1] - r[i + 1]![0] * r[i]![1];
    return a > 0 ? [...r].reverse() : r;
  });
}

function maxDistance(a: Geometry, b: Geometry): number {
  const ra = rings(a);
  const rb = rings(b);
  if (ra.length !== rb.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  ra.forEach((r, i) => {
    if (r.length !== rb[i]!.length) max = Number.POSITIVE_INFINITY;
    else
      for (const [j, p] of r.entries()) max = Math.max(max, Math.abs(p[0] - rb[i]![j]![0]), Math.abs(p[1] - rb[i]![j]![1]));
  });
  return max;
}

async function errorOf(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string; problems?: { file: string; line?: number; field?: string }[] }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

/** Plays the official sources: serves `root` by file name on 127.0.0.1; names in `missing` answer 404, in `html` an HTML page. */
async function playSources(root: string) {
  const requests: string[] = [];
  const missing = new Set<string>();
  const html = new Set<string>();
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice(1));
    requests.push(name);
    const p = path.join(root, name);
    if (html.has(name)) return void res.writeHead(200, { "content-type": "text/html" }).end("<!DOCTYPE html><html><body>This page has moved</body></html>");
    if (missing.has(name) || name.includes("/") || !fs.existsSync(p)) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": fs.statSync(p).size });
    fs.createReadStream(p).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, requests, missing, html, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The fixture mirror less the datasets no official source lists (mid-2019/2020 populations, ward and LSOA 2011 boundaries), as links. */
function fixtureMirrorOfOfficialData(): string {
  const except = new Set(["population/population19_ltla20.csv", "population/population20_ltla21.csv", "boundaries/boundaries_wards22_hampshire_pfa.geojson", "boundaries/boundaries_lsoa11_hampshire_pfa.geojson"]);
  const dir = tmp("mirror-subset");
  for (const sub of fs.readdirSync(FIXTURE_REFERENCE_DIR)) {
    fs.mkdirSync(path.join(dir, sub));
    for (const f of fs.readdirSync(path.join(FIXTURE_REFERENCE_DIR, sub))) if (!except.has(`${sub}/${f}`)) fs.symlinkSync(path.join(FIXTURE_REFERENCE_DIR, sub, f), path.join(dir, sub, f));
  }
  return dir;
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`reference install from the publishers' own files on ${dialect}`, () => {
    let mirrorStore: TestStore;
    let store: TestStore;
    let folder: string;
    let report: ReferenceInstallReport;
    let mirror: Awaited<ReturnType<typeof referenceTables>>;
    let published: Awaited<ReturnType<typeof referenceTables>>;
    beforeAll(async () => {
      folder = tmp("publishers");
      await writePublisherFolder(folder, { shapefile: true });
      mirrorStore = await openTestStore(dialect);
      store = await openTestStore(dialect);
      await installReference(mirrorStore, FIXTURE_REFERENCE_DIR, { now: NOW });
      mirror = await referenceTables(mirrorStore);
      report = await installReference(store, folder, { now: NOW });
      console.log(`reference install from publisher files on ${dialect}: ${report.elapsedMs} ms`);
      published = await referenceTables(store);
    }, 240_000);
    afterAll(async () => {
      await mirrorStore?.destroy();
      await store?.destroy();
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it("recognises each file by its columns, whatever its name: sheets of workbooks, Nomis zip entries at LSOA level, the shapefile", () => {
      const from = Object.fromEntries(report.datasets.filter((d) => d.status === "installed").map((d) => [d.name, d.file]));
      expect(from).toMatchObject({
        "geography.ltla24_csp24_pfa24": "LAD24_CSP24_PFA24_EW_LU.csv",
        "population.lad_mid2022": "mye22final.xlsx [MYE5]",
        "population.lsoa21_census2021": "census2021-ts021.zip!census2021-ts021-lsoa.csv",
        "census.ts045": "census2021-ts045.zip!census2021-ts045-lsoa.csv",
        "imd.2015_lsoa11": "File_1_ID_2015_Index_of_Multiple_Deprivation.xlsx [IMD 2015]",
        "imd.2019_lsoa11": "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv",
        "ons_crime.c3_ye2024_12": "policeforceareatablesyedecember2024.xlsx [Table C3]",
        "ons_crime.c5_ye2023_12": "policeforceareatablesyedecember2024.xlsx [Table C5]",
        "ons_crime.c2_ye2025_06": "policeforceareatablesyejune25final.xlsx [Table C2]",
        "population.lad_mid2019": "downloads/ukpopestimatesmid2019on2020geography.csv",
        "boundaries.lsoa_2021_ew_bsc_v4_shp": "LSOA_2021_EW_BSC_V4.zip!LSOA_2021_EW_BSC_V4.shp",
      });
      // MYE4 holds the same dataset: read MYE5 (it also has the area), report MYE4 as not used.
      expect(report.datasets.find((d) => d.name === "population.lad_mid2022")?.alternativesNotUsed).toEqual(["mye22final.xlsx [MYE4]"]);
      expect(report.ignored.map((i) => i.why)).toContain("census2021-ts021.zip!census2021-ts021-ctry.csv: LSOA 2021 usual residents, Census 2021, but not at LSOA level");
      // The fixture has no LSOA 2011 populations; the mirror's own boundary extracts are not listed as missing when boundaries came under the publishers' names.
      expect(report.datasets.filter((d) => d.status === "missing").map((d) => d.name)).toEqual(["population.lsoa11_mid2020"]);
    });

    it("fills every reference table exactly as the mirror install of the same data does", () => {
      expect(report.tables.population).toBeGreaterThan(0);
      expect(report.tables.ons_crime).toBeGreaterThan(0);
      for (const [t, rows] of Object.entries(mirror.tables)) expect({ t, rows: published.tables[t] }).toEqual({ t, rows });
    });

    it("reprojects the British National Grid shapefile to WGS84 within 1e-6 degrees (about 10 cm) of the published GeoJSON", () => {
      const lsoa21 = (JSON.parse(fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, "boundaries/boundaries_lsoa21_hampshire_pfa.geojson"), "utf8")) as { features: { properties: { lsoa21_code: string } }[] }).features.map((f) => f.properties.lsoa21_code);
      expect(lsoa21.length).toBeGreaterThan(3);
      let worst = 0;
      for (const code of lsoa21) worst = Math.max(worst, maxDistance(JSON.parse(published.geometry.get(code)!), JSON.parse(mirror.geometry.get(code)!)));
      expect(worst).toBeLessThan(1e-6);
      // Every other boundary came from GeoJSON: identical.
      for (const [code, g] of mirror.geometry) if (!lsoa21.includes(code)) expect({ code, g: published.geometry.get(code) }).toEqual({ code, g });
    });

    it("records in the vintage the sha256 of the workbook or zip each dataset was read from", async () => {
      const rows = await store.db.selectFrom("reference_dataset").selectAll().execute();
      const c2 = rows.find((r) => r.name === "ons_crime.c2_ye2024_12")!;
      expect(c2.file_name).toBe("policeforceareatablesyedecember2024.xlsx [Table C2]");
      expect(c2.sha256).toBe(sha256Of(fs.readFileSync(path.join(folder, "policeforceareatablesyedecember2024.xlsx"))));
      const ts021 = rows.find((r) => r.name === "population.lsoa21_census2021")!;
      expect(ts021.sha256).toBe(sha256Of(fs.readFileSync(path.join(folder, "census2021-ts021.zip"))));
    });

    it("refuses a recognised workbook with a bad cell, naming file, sheet, row and column, and leaves the store as it was", async () => {
      const bad = tmp("publishers-bad");
      try {
        fs.cpSync(folder, bad, { recursive: true });
        const book = await crimeWorkbook();
        // Row 5 of the C2 sheet (title, note, header, first data row, …) gets text in a count column.
        const sheets = await readWorkbookSheets(book, "x.xlsx");
        const rows = sheets.map((s) => ({ sheet: s.sheet, rows: parseCsv(s.text).map((r) => r.cells) }));
        const c2 = rows.find((s) => s.sheet === "Table C2")!;
        c2.rows[4]![8] = "lots";
        fs.writeFileSync(path.join(bad, "policeforceareatablesyedecember2024.xlsx"), await workbook(rows));
        const before = await referenceTables(store);
        const err = await errorOf(installReference(store, bad, { now: NOW }));
        expect(err.code).toBe("reference.bad_file");
        expect(err.message).toMatch(/^policeforceareatablesyedecember2024\.xlsx \[Table C2\]:5: /);
        expect(err.problems?.[0]).toMatchObject({ file: "policeforceareatablesyedecember2024.xlsx [Table C2]", line: 5, field: c2.rows[2]![8] });
        expect(await referenceTables(store)).toEqual(before);
      } finally {
        fs.rmSync(bad, { recursive: true, force: true });
      }
    });

  });

  describe.skipIf(availability.skip)(`reference install from the official sources (a server on 127.0.0.1 playing them) on ${dialect}`, () => {
    let mirrorStore: TestStore;
    let store: TestStore;
    let sources: string;
    let subset: string;
    let server: Awaited<ReturnType<typeof playSources>>;
    let cacheDir: string;
    let report: ReferenceInstallReport;
    beforeAll(async () => {
      sources = tmp("official-sources");
      await writePublisherFolder(sources, { shapefile: false });
      server = await playSources(sources);
      cacheDir = tmp("reference-cache");
      subset = fixtureMirrorOfOfficialData();
      mirrorStore = await openTestStore(dialect);
      store = await openTestStore(dialect);
      await installReference(mirrorStore, subset, { now: NOW });
      report = await installReference(store, undefined, { cacheDir, sourcesUrl: server.url, now: NOW });
      console.log(`reference install from the official sources (127.0.0.1) on ${dialect}: ${report.elapsedMs} ms, ${report.downloads.reduce((n, d) => n + d.bytes, 0)} bytes`);
    }, 240_000);
    afterAll(async () => {
      await server?.close();
      await mirrorStore?.destroy();
      await store?.destroy();
      for (const d of [sources, subset, cacheDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
    });

    it("downloads every source under the publisher's file name, keeps it with its sha256, and installs what the mirror install of the same data gives", async () => {
      expect(report.downloads.map((d) => [d.id, d.status])).toEqual(officialSources().map((s) => [s.id, "downloaded"]));
      for (const d of report.downloads) {
        const bytes = fs.readFileSync(path.join(cacheDir, d.file));
        expect({ file: d.file, sha256: d.sha256, bytes: d.bytes }).toEqual({ file: d.file, sha256: sha256Of(bytes), bytes: bytes.length });
        expect(JSON.parse(fs.readFileSync(path.join(cacheDir, `${d.file}.meta`), "utf8"))).toMatchObject({ url: `${server.url}${d.file}`, sha256: d.sha256 });
        expect(d.licence).toBe("OGL-UK-3.0");
      }
      const mirror = await referenceTables(mirrorStore);
      const got = await referenceTables(store);
      for (const [t, rows] of Object.entries(mirror.tables)) expect({ t, rows: got.tables[t] }).toEqual({ t, rows });
      expect(Object.fromEntries(got.geometry)).toEqual(Object.fromEntries(mirror.geometry));
      const vintage = await store.db.selectFrom("reference_dataset").select(["name", "file_name", "sha256"]).where("name", "=", "population.lsoa21_census2021").executeTakeFirstOrThrow();
      expect(vintage).toEqual({ name: "population.lsoa21_census2021", file_name: "census2021-ts021.zip!census2021-ts021-lsoa.csv", sha256: sha256Of(fs.readFileSync(path.join(sources, "census2021-ts021.zip"))) });
    });

    it("installs again from the cache without a request", async () => {
      const before = server.requests.length;
      const again = await installReference(store, undefined, { cacheDir, sourcesUrl: server.url, now: NOW });
      expect(server.requests.length).toBe(before);
      expect(again.downloads.every((d) => d.status === "cached")).toBe(true);
      expect(again.tables).toEqual(report.tables);
    }, 120_000);

    it("reports a failed optional source with its URL, its dataset and what to do instead, and installs the rest", async () => {
      const fresh = tmp("reference-cache");
      server.missing.add("File_1_ID_2015_Index_of_Multiple_Deprivation.xlsx");
      try {
        const r = await installReference(store, undefined, { cacheDir: fresh, sourcesUrl: server.url, now: NOW });
        const failed = r.downloads.filter((d) => d.status === "failed");
        expect(failed.map((d) => d.id)).toEqual(["dclg-iod2015-file1"]);
        expect(failed[0]!.error).toContain(`${server.url}File_1_ID_2015_Index_of_Multiple_Deprivation.xlsx`);
        expect(failed[0]!.error).toContain("imd.2015_lsoa11");
        expect(failed[0]!.error).toContain("HTTP 404");
        expect(failed[0]!.hint).toContain("https://www.gov.uk/government/statistics/english-indices-of-deprivation-2015");
        expect(failed[0]!.hint).toContain("safecity reference install --from <folder>");
        expect(r.datasets.find((d) => d.name === "imd.2015_lsoa11")?.status).toBe("missing");
        const editions = await store.db.selectFrom("imd").select("edition").distinct().orderBy("edition").execute();
        expect(editions.map((e) => e.edition)).toEqual(["2019", "2025"]);
      } finally {
        server.missing.clear();
        fs.rmSync(fresh, { recursive: true, force: true });
      }
    }, 120_000);

    it("stops when a required source fails (404, or an HTML page instead of CSV), naming URL, dataset and what to do, with the store as it was", async () => {
      const before = await referenceTables(store);
      for (const [kind, name] of [["missing", "LAD24_CSP24_PFA24_EW_LU.csv"], ["html", "LSOA21_WD24_LAD24_EW_LU.csv"]] as const) {
        const fresh = tmp("reference-cache");
        server[kind].add(name);
        try {
          const err = await errorOf(installReference(store, undefined, { cacheDir: fresh, sourcesUrl: server.url, now: NOW }));
          expect(err.code).toBe("reference.download_failed");
          expect(err.message).toContain(`${server.url}${name}`);
          expect(err.message).toMatch(kind === "html" ? /geography\.lsoa21_ward24_ltla24.*HTML/ : /geography\.ltla24_csp24_pfa24.*HTTP 404/);
          expect(err.hint).toMatch(/by hand from https:\/\/geoportal\.statistics\.gov\.uk\/.*safecity reference install --from <folder>/);
          expect(fs.existsSync(path.join(fresh, name)) || fs.existsSync(path.join(fresh, `${name}.part`))).toBe(false);
        } finally {
          server[kind].clear();
          fs.rmSync(fresh, { recursive: true, force: true });
        }
      }
      expect(await referenceTables(store)).toEqual(before);
    }, 120_000);

    it.skipIf(dialect !== "sqlite")("runs as `safecity reference install --sources-url <url> --cache <dir> --json`", async () => {
      const r = await runCli(["reference", "install", "--sources-url", server.url, "--cache", cacheDir, "--json"], store.env);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as ReferenceInstallReport;
      expect(json.downloads.map((d) => d.status)).toEqual(officialSources().map(() => "cached"));
      expect(json.tables).toEqual(report.tables);
    }, 120_000);
  });
}

describe("the real ONS workbook, as published (../shared/data/reference)", () => {
  const skip = needsSharedData("reading the real ONS police force area workbook needs ../shared/data/reference");
  it.skipIf(skip)("gives the same ONS crime rows (C2, C3, C4, C5, P1) as its CSV copies in the mirror", async () => {
    const book = fs.readFileSync(path.join(REFERENCE_DIR, "ons-crime-tables/policeforceareatablesyedecember2024.xlsx"));
    const fromBook = emptyReferenceData();
    const names: string[] = [];
    for (const s of await readWorkbookSheets(book, "policeforceareatablesyedecember2024.xlsx")) {
      const r = recognise({ path: s.sheet, text: s.text, sha256: "" }, s.sheet);
      if (!("ok" in r)) continue;
      names.push(r.ok.name);
      r.ok.read({ path: s.sheet, text: s.text, sha256: "" }, fromBook);
    }
    expect(names.sort()).toEqual(["ons_crime.c2_ye2024_12", "ons_crime.c3_ye2024_12", "ons_crime.c4_ye2024_12", "ons_crime.c5_ye2023_12", "ons_crime.p1_ye2024_12"]);
    const fromCsv = emptyReferenceData();
    const mirror = openMirrorDir(REFERENCE_DIR);
    for (const entry of REFERENCE_MANIFEST.filter((e) => names.includes(e.name))) entry.read(readMirrorFile(mirror, entry.files[0]!)!, fromCsv);
    const rows = (d: ReturnType<typeof emptyReferenceData>) => d.onsCrime.map((r) => JSON.stringify(r)).sort();
    expect(fromBook.onsCrime.length).toBeGreaterThan(20_000);
    expect(rows(fromBook)).toEqual(rows(fromCsv));
  }, 120_000);
});
