import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "@safecity/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../src/db/database.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { fetchPoliceData, listPoliceArchive } from "../src/services/police-fetch.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { type ArchiveServer, buildArchive, entryDataRange, startArchiveServer, zipEntries } from "./support/police-archive-server.ts";
import { ALL_FORCES_2025_01, FIXTURE_SOUTHAMPTON_2024, FIXTURE_SOUTHAMPTON_2025, HAMPSHIRE_2025, needsSharedData } from "./support/shared-data.ts";
import { dataSnapshot } from "./support/store-snapshot.ts";

/**
 * `safecity fetch police` against a stand-in for data.police.uk on 127.0.0.1, serving an archive
 * built here from real police.uk files in the archive layout: the small fixtures (always), and the
 * Hampshire 2025 year with 12 other forces' January from ../shared/data.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-fetch-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (name: string) => fs.mkdtempSync(path.join(tmp, `${name}-${dirs++}-`));

interface Variant {
  name: string;
  skip: boolean;
  entries: () => Promise<Map<string, Buffer>>;
  from: string;
  to: string;
  /** Largest share of the archive a Range fetch may take. */
  maxShare: number;
}

const OTHER_FORCES = ["durham", "essex", "surrey", "kent", "sussex", "dorset", "wiltshire", "devon-and-cornwall", "thames-valley", "avon-and-somerset", "norfolk", "suffolk"];

const VARIANTS: Variant[] = [
  {
    name: "fixture archive (Southampton 2024-04 first 300 rows, 2025-01..03, and an outcomes file)",
    skip: false,
    entries: async () => {
      const e = new Map([...(await zipEntries(FIXTURE_SOUTHAMPTON_2024)), ...(await zipEntries(FIXTURE_SOUTHAMPTON_2025))]);
      // Real archives also carry outcomes files: they must be left alone.
      e.set("2025-01/2025-01-hampshire-outcomes.csv", e.get("2025-01/2025-01-hampshire-street.csv")!);
      return e;
    },
    from: "2025-02",
    to: "2025-02",
    maxShare: 0.4,
  },
  {
    name: "shared-data archive (Hampshire 2025-01..12 and 12 other forces' 2025-01)",
    skip: needsSharedData("an archive built from the real Hampshire 2025 and all-forces January zips needs ../shared/data"),
    entries: async () =>
      new Map([
        ...(await zipEntries(HAMPSHIRE_2025)),
        ...(await zipEntries(ALL_FORCES_2025_01, (n) => OTHER_FORCES.some((f) => n.endsWith(`-${f}-street.csv`)))),
      ]),
    from: "2025-04",
    to: "2025-06",
    maxShare: 0.2,
  },
];

async function monthCounts(store: Store): Promise<Record<string, number>> {
  const rows = await sql<{ month: string; n: number }>`select month, sum(n) as n from rollup group by month order by month`.execute(store.db);
  return Object.fromEntries(rows.rows.map((r) => [String(r.month), Number(r.n)]));
}

async function registerRows(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom("import_file").select(["file_name", "status", "rows"]).orderBy("file_name").execute();
  return rows.map((r) => `${path.basename(r.file_name)} ${r.status} ${r.rows}`);
}

/**
 * Resolves once the cache holds `bytes` bytes of the entry's partial download (the client has written
 * everything sent before the drop), so the drop never races the client's reads.
 */
function partReaches(cache: string, entry: string, bytes: number): () => Promise<void> {
  return async () => {
    for (let i = 0; i < 6000; i++) {
      const part = cacheFiles(cache).find((f) => f.includes(`${path.basename(entry)}.part-`));
      if (part && fs.statSync(path.join(cache, part)).size >= bytes) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`the partial download of ${entry} never reached ${bytes} bytes`);
  };
}

function cacheFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\d{4}-\d{2}[\\/]/.test(f)).sort();
}

const AVAILABILITY = Object.fromEntries(await Promise.all(DIALECTS.map(async (d) => [d, await dialectAvailability(d)] as const)));

for (const variant of VARIANTS) {
  describe.skipIf(variant.skip)(variant.name, () => {
    let entries: Map<string, Buffer>;
    let archive: Buffer;
    let wanted: string[];
    let ranged: ArchiveServer;
    let whole: ArchiveServer;

    beforeAll(async () => {
      entries = await variant.entries();
      archive = await buildArchive(entries);
      wanted = [...entries.keys()].filter((n) => /-hampshire-street\.csv$/.test(n) && n.slice(0, 7) >= variant.from && n.slice(0, 7) <= variant.to).sort();
      const names = ["latest.zip", `${variant.to}.zip`];
      ranged = await startArchiveServer(archive, { range: true, names });
      whole = await startArchiveServer(archive, { range: false, names });
    }, 120_000);
    afterAll(async () => {
      await ranged?.close();
      await whole?.close();
    });

    const fetchArgs = (server: ArchiveServer, cache: string) => [
      "fetch",
      "police",
      "--force",
      "hampshire",
      "--from",
      variant.from,
      "--to",
      variant.to,
      "--archive-url",
      server.base,
      "--cache",
      cache,
    ];

    it("--list names the forces and months from the archive's directory alone (no file data read)", async () => {
      ranged.reset();
      const listing = await listPoliceArchive({ archiveUrl: ranged.base, cacheDir: freshDir("list") });
      const hampshire = listing.forces.find((f) => f.force === "hampshire")!;
      const expected = [...new Set([...entries.keys()].filter((n) => n.endsWith("-hampshire-street.csv")).map((n) => n.slice(0, 7)))].sort();
      expect(hampshire.months).toEqual(expected);
      expect(listing.forces.length).toBe(new Set([...entries.keys()].filter((n) => n.endsWith("-street.csv")).map((n) => /\d{4}-\d{2}-(.+)-street/.exec(n)![1])).size);
      expect(listing.url).toBe(`${ranged.base}latest.zip`);
      // The tail (64 KiB) and at most the directory: never the files.
      const directoryBytes = archive.length - (await entryDataRange(archive, [...entries.keys()].sort().at(-1)!)).end;
      expect(ranged.bytesSent).toBeLessThanOrEqual(Math.max(65_557, directoryBytes) + 1024 * 1024);
      expect(ranged.requests.every((r) => r.status === 206)).toBe(true);
    });

    it("refuses an unknown force naming the near miss, and a missing archive naming its URL and the manual route", async () => {
      const cache = freshDir("bad");
      const typo = fetchPoliceData(null, { forces: ["hampshir"], archiveUrl: ranged.base, cacheDir: cache, user: "test", downloadOnly: true });
      await expect(typo).rejects.toThrow(/no street files for force `hampshir`/);
      await typo.catch((e: AppError) => expect(e.hint).toMatch(/did you mean `hampshire`/));
      const missing = fetchPoliceData(null, { forces: ["hampshire"], to: "2019-01", archiveUrl: ranged.base, cacheDir: cache, user: "test", downloadOnly: true });
      await missing.catch((e: AppError) => {
        expect(e.code).toBe("fetch.not_found");
        expect(e.message).toContain(`${ranged.base}2019-01.zip`);
        expect(e.hint).toMatch(/safecity import/);
      });
      await expect(missing).rejects.toThrow(AppError);
    });

    it("without --from/--to: the latest archive's last 24 months for the force; months it lacks are listed, never invented", async () => {
      const report = await fetchPoliceData(null, { forces: ["Hampshire"], archiveUrl: ranged.base, cacheDir: freshDir("default"), user: "test", downloadOnly: true });
      const months = [...new Set([...entries.keys()].filter((n) => n.endsWith("-hampshire-street.csv")).map((n) => n.slice(0, 7)))].sort();
      const to = months.at(-1)!;
      const [y, m] = to.split("-").map(Number) as [number, number];
      // 24 months back from `to`, by hand: the same month two years earlier, plus one.
      const from = m === 12 ? `${y - 1}-01` : `${y - 2}-${String(m + 1).padStart(2, "0")}`;
      expect(report.archives).toEqual([{ url: `${ranged.base}latest.zip`, mode: "ranged" }]);
      expect([report.from, report.to]).toEqual([from, to]);
      const within = months.filter((x) => x >= from);
      expect(report.files.map((f) => f.entry.slice(0, 7))).toEqual(within);
      expect(report.missing.hampshire).toHaveLength(24 - within.length);
      expect(report.missing.hampshire!.some((x) => within.includes(x))).toBe(false);
      expect(report.import).toBeNull();
    });

    it("months older than an archive's 36 come from the archive of the month before them", async () => {
      const newest = [...entries.keys()].map((n) => n.slice(0, 7)).sort().at(-1)!;
      // The archive named `newest` covers the 36 months to it; the month before those is the same month three years earlier.
      const olderMonth = `${Number(newest.slice(0, 4)) - 3}${newest.slice(4)}`;
      // Routing only (downloaded, never imported): a real street file under that older month's name.
      const name = `${olderMonth}/${olderMonth}-hampshire-street.csv`;
      const oldArchive = await buildArchive(new Map([[name, entries.get(wanted[0]!)!]]));
      const server = await startArchiveServer(archive, { range: true, names: [`${newest}.zip`], others: { [`${olderMonth}.zip`]: oldArchive } });
      try {
        const report = await fetchPoliceData(null, { forces: ["hampshire"], from: olderMonth, to: newest, archiveUrl: server.base, cacheDir: freshDir("older"), user: "test", downloadOnly: true });
        expect(report.archives.map((a) => a.url)).toEqual([`${server.base}${newest}.zip`, `${server.base}${olderMonth}.zip`]);
        expect(report.files.map((f) => f.entry)).toContain(name);
        expect(report.files.find((f) => f.entry === name)!.status).toBe("downloaded");
      } finally {
        await server.close();
      }
    });

    for (const dialect of DIALECTS) {
      describe(`on ${dialect}`, () => {
        const availability = AVAILABILITY[dialect]!;
        let direct: { snapshot: Awaited<ReturnType<typeof dataSnapshot>>; months: Record<string, number>; rows: number };
        const stores: TestStore[] = [];
        const store = async () => {
          const s = await openTestStore(dialect);
          stores.push(s);
          return s;
        };

        beforeAll(async () => {
          if (availability.skip) return;
          // The same files imported directly, from a folder in the archive layout.
          const folder = freshDir("direct");
          for (const name of wanted) {
            fs.mkdirSync(path.join(folder, path.dirname(name)), { recursive: true });
            fs.writeFileSync(path.join(folder, name), entries.get(name)!);
          }
          const s = await store();
          const report = await importPoliceData(s, [folder], { user: "test" });
          expect(report.files.map((f) => f.status)).toEqual(wanted.map(() => "imported"));
          direct = { snapshot: await dataSnapshot(s), months: await monthCounts(s), rows: report.totals.rows };
          // Independent of the importer: one row per non-empty line after the header.
          const lines = wanted.reduce((sum, n) => sum + entries.get(n)!.toString("utf8").split("\n").filter((l) => l.trim() !== "").length - 1, 0);
          expect(direct.rows).toBe(lines);
        }, 300_000);
        afterAll(async () => {
          for (const s of stores) await s.destroy();
        });

        it.skipIf(availability.skip)("with Range: downloads only the wanted entries (bytes served well under the archive), imports them as a direct import does; a re-run downloads nothing", async () => {
          const s = await store();
          const cache = freshDir("ranged");
          ranged.reset();
          const run = await runCli(fetchArgs(ranged, cache), s.env);
          expect(run.stderr + run.stdout).not.toMatch(/Error/);
          expect(run.code).toBe(0);
          const compressed = (await Promise.all(wanted.map((n) => entryDataRange(archive, n)))).reduce((sum, r) => sum + r.end - r.start, 0);
          expect(ranged.bytesSent).toBeGreaterThanOrEqual(compressed);
          expect(ranged.bytesSent).toBeLessThan(variant.maxShare * archive.length);
          console.info(`fetch with Range: ${ranged.bytesSent} bytes served in ${ranged.requests.length} requests for ${compressed} compressed bytes of ${wanted.length} file(s); archive ${archive.length} bytes`);
          expect(ranged.requests.every((r) => r.status === 206)).toBe(true);
          // One line per file without a terminal.
          for (const n of wanted) expect(run.stderr).toMatch(new RegExp(`downloaded .*${n.replace(/[.]/g, "\\.")}`));
          expect(await dataSnapshot(s)).toEqual(direct.snapshot);
          expect(await monthCounts(s)).toEqual(direct.months);
          expect(cacheFiles(cache).filter((f) => f.endsWith(".csv"))).toEqual(wanted.map((n) => path.join(n.slice(0, 7), path.basename(n))));
          for (const n of wanted) expect(fs.readFileSync(path.join(cache, n.slice(0, 7), path.basename(n))).equals(entries.get(n)!)).toBe(true);

          ranged.reset();
          const again = await runCli(fetchArgs(ranged, cache), s.env);
          expect(again.code).toBe(0);
          expect(ranged.bytesSent).toBe(0);
          expect(ranged.requests.map((r) => r.method)).toEqual(["HEAD"]);
          expect(again.stdout).toContain(`0 downloaded, 0 resumed, ${wanted.length} already in`);
          expect(again.stdout).toContain(`(${wanted.length} already imported)`);
          expect(await dataSnapshot(s)).toEqual(direct.snapshot);
        }, 300_000);

        it.skipIf(availability.skip)("without Range: streams the whole archive once, keeps only the wanted entries, same counts", async () => {
          const s = await store();
          const cache = freshDir("whole");
          whole.reset();
          const run = await runCli(fetchArgs(whole, cache), s.env);
          expect(run.code, run.stderr).toBe(0);
          expect(whole.requests.filter((r) => r.method === "GET")).toHaveLength(1);
          expect(whole.bytesSent).toBe(archive.length);
          expect(run.stderr).toContain("no Range support: streaming the whole archive once");
          expect(cacheFiles(cache).filter((f) => f.endsWith(".csv"))).toHaveLength(wanted.length);
          expect(fs.readdirSync(path.join(cache, "spool"))).toEqual([]);
          expect(await dataSnapshot(s)).toEqual(direct.snapshot);
          expect(await monthCounts(s)).toEqual(direct.months);
        }, 300_000);

        it.skipIf(availability.skip)("interrupted mid-transfer: a dropped connection is resumed by Range within the run, and a run that gave up resumes from its partial file", async () => {
          const target = wanted.at(-1)!;
          const data = await entryDataRange(archive, target);
          const middle = data.start + Math.floor((data.end - data.start) / 2);

          // Within one run: the server drops the connection once, half way through the entry.
          const s1 = await store();
          const dropCache = freshDir("drop");
          ranged.reset();
          ranged.dropOnceAt(middle, partReaches(dropCache, target, middle - data.start));
          const run = await runCli(fetchArgs(ranged, dropCache), s1.env);
          expect(run.code, run.stderr).toBe(0);
          const dataRequests = ranged.requests.filter((r) => r.range?.endsWith(`-${data.end - 1}`)).map((r) => Number(/bytes=(\d+)-/.exec(r.range!)![1]));
          // The first request from the entry's start; the retry from exactly where the bytes stopped.
          expect(dataRequests).toEqual([data.start, middle]);
          expect(await dataSnapshot(s1)).toEqual(direct.snapshot);

          // Across runs: with no retries the run fails naming the URL and the manual route, imports nothing, keeps the part...
          const s2 = await store();
          const cache = freshDir("resume");
          ranged.reset();
          ranged.dropOnceAt(middle, partReaches(cache, target, middle - data.start));
          const failed = fetchPoliceData(s2, { forces: ["hampshire"], from: variant.from, to: variant.to, archiveUrl: ranged.base, cacheDir: cache, user: "test", retries: 0 });
          await failed.catch((e: AppError) => {
            expect(e.code).toBe("fetch.failed");
            expect(e.message).toContain(`${ranged.base}${variant.to}.zip`);
            expect(e.hint).toMatch(/run the same command again \(it resumes\).*safecity import/);
          });
          await expect(failed).rejects.toThrow(AppError);
          expect((await dataSnapshot(s2)).incidents).toBe(0);
          const part = cacheFiles(cache).find((f) => f.includes(".part-"))!;
          expect(part).toContain(path.basename(target));
          const partBytes = fs.statSync(path.join(cache, part)).size;
          expect(partBytes).toBe(middle - data.start);

          // ...and the next run asks only for the rest of that entry.
          ranged.reset();
          const resumed = await runCli(fetchArgs(ranged, cache), s2.env);
          expect(resumed.code, resumed.stderr).toBe(0);
          expect(resumed.stderr).toMatch(new RegExp(`resumed .*${path.basename(target).replace(/[.]/g, "\\.")}`));
          expect(ranged.requests.filter((r) => r.range?.endsWith(`-${data.end - 1}`)).map((r) => r.range)).toEqual([`bytes=${data.start + partBytes}-${data.end - 1}`]);
          expect(cacheFiles(cache).some((f) => f.includes(".part-"))).toBe(false);
          expect(await dataSnapshot(s2)).toEqual(direct.snapshot);
          expect(await monthCounts(s2)).toEqual(direct.months);
        }, 300_000);

        it.skipIf(availability.skip)("a corrupted entry fails its CRC-32 check: refused with the URL, nothing imported, nothing cached", async () => {
          const target = wanted[0]!;
          const bad = await buildArchive(entries, new Set([target]));
          // Flip one digit of the stored CSV (still a valid CSV, so only the CRC can tell).
          const range = await entryDataRange(bad, target);
          let at = range.start + Math.floor((range.end - range.start) / 2);
          while (!/[0-9]/.test(String.fromCharCode(bad[at]!))) at++;
          bad[at] = bad[at] === 0x39 ? 0x38 : bad[at]! + 1;
          const server = await startArchiveServer(bad, { range: true, names: ["latest.zip", `${variant.to}.zip`] });
          try {
            const s = await store();
            const cache = freshDir("corrupt");
            const before = await dataSnapshot(s);
            const run = await runCli(fetchArgs(server, cache), s.env);
            expect(run.code).not.toBe(0);
            expect(run.stderr).toContain(`${server.base}${variant.to}.zip: entry \`${target}\` fails its CRC-32 check`);
            expect(run.stderr).toMatch(/safecity import/);
            expect(await dataSnapshot(s)).toEqual(before);
            expect(await registerRows(s)).toEqual([]);
            expect(cacheFiles(cache).filter((f) => f.includes(path.basename(target)))).toEqual([]);
          } finally {
            await server.close();
          }
        }, 300_000);
      });
    }
  });
}
