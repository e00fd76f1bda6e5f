import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailability, openTestStore, TEST_PG_URL, type TestStore } from "./dialects.ts";
import { type CliResult, runCli } from "./support/cli.ts";
import { leakedIdentifier, RAW_IDENTIFIERS, TEST_PSEUDONYM_KEY, writeTestExtract } from "./support/local-extract.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-local-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every byte the store holds: the SQLite file with its WAL, or a pg_dump of the test schema. */
function storeBytes(store: TestStore): Buffer {
  if (store.dialect === "sqlite") {
    const db = path.join(store.env.SAFECITY_DATA_DIR!, "safecity.db");
    return Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  }
  const schema = /search_path=([a-z0-9_]+)/.exec(decodeURIComponent(store.env.DATABASE_URL!))![1]!;
  return execFileSync("pg_dump", ["--schema", schema, "--no-owner", TEST_PG_URL], { maxBuffer: 1 << 28 });
}

describe.each(DIALECTS)("local incident CLI on %s", (dialect) => {
  let store: TestStore;
  let skip = false;
  let extract: { csv: string; mapping: string };
  const outputs: CliResult[] = [];
  const cli = async (args: string[], key: string | null = TEST_PSEUDONYM_KEY) => {
    const r = await runCli(args, { ...store.env, SAFECITY_PSEUDONYM_KEY: key ?? "", SAFECITY_LOG_LEVEL: "debug" });
    outputs.push(r);
    return r;
  };
  beforeAll(async () => {
    const a = await dialectAvailability(dialect);
    skip = a.skip;
    if (skip) return;
    store = await openTestStore(dialect);
    extract = writeTestExtract(fs.mkdtempSync(path.join(dir, `${dialect}-`)));
  });
  afterAll(async () => {
    await store?.destroy();
  });

  // Each step runs the real command in a child process: slow on a loaded machine, never timed.
  const SLOW = 600_000;

  it("refuses to import without a key and says how to make one", async (t) => {
    if (skip) return t.skip();
    const r = await cli(["incidents", "import", extract.csv, "--mapping", extract.mapping], null);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("SAFECITY_PSEUDONYM_KEY is not set");
    expect(r.stderr).toContain("openssl rand -hex 32");
  }, SLOW);

  it("lists the bad rows of a bad file by line and writes nothing; the rows' identifiers are not quoted", async (t) => {
    if (skip) return t.skip();
    const badCsv = path.join(path.dirname(extract.csv), "bad.csv");
    const lines = fs.readFileSync(extract.csv, "utf8").split("\n");
    lines[2] = lines[2]!.replace("2025-03-01", "2025-13-01");
    lines[5] = lines[5]!.replace("8/1", "BRAVO-VICTIM-17");
    fs.writeFileSync(badCsv, lines.join("\n"));
    const r = await cli(["incidents", "import", badCsv, "--mapping", extract.mapping, "--dataset", "idva"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("bad.csv:3: `2025-13-01` is not a date in the form YYYY-MM-DD (date)");
    // A victim identifier typed into the offence column is not quoted: it is an identifier elsewhere in the file.
    expect(r.stderr).toContain("bad.csv:6: `(an identifier)` is not in the mapping's offence map");
    const list = await cli(["incidents", "list", "--json"]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, SLOW);

  it("imports, grants and measures repeats as worked out by hand", async (t) => {
    if (skip) return t.skip();
    const imp = await cli(["incidents", "import", extract.csv, "--mapping", extract.mapping, "--dataset", "idva", "--json"]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ dataset: "idva", status: "imported", rows: 8, firstDay: "2024-06-01", lastDay: "2025-12-20" });
    const again = await cli(["incidents", "import", extract.csv, "--mapping", extract.mapping, "--dataset", "idva", "--json"]);
    expect(JSON.parse(again.stdout).status).toBe("unchanged");
    const grant = await cli(["incidents", "grant", "idva", "--role", "analyst"]);
    expect(grant.stdout).toContain("idva: granted to role:analyst");

    const dom = await cli(["repeats", "--from", "2025-01", "--to", "2025-12", "--flag", "domestic", "--json"]);
    expect(dom.code, dom.stderr).toBe(0);
    const m = JSON.parse(dom.stdout).measures;
    expect(m.incidents).toBe(5);
    expect(m.prevalence).toBe(3);
    expect(m.concentration).toBeCloseTo(5 / 3, 10);
    expect(m.repeatIncidents).toMatchObject({ count: 3, total: 5 });
    expect(m.repeatVictims).toMatchObject({ count: 2, total: 3 });

    const all = await cli(["repeats", "--from", "2025-01-01", "--to", "2025-12-31", "--json"]);
    const a = JSON.parse(all.stdout).measures;
    expect([a.incidents, a.withoutVictimKey, a.incidence.value, a.prevalence, a.repeatIncidents.count, a.repeatVictims.count]).toEqual([7, 1, 6, 4, 3, 2]);

    // Publishable: counts under 5 withheld (3 victims, 2 repeat victims, 3 repeats); 5 incidents released.
    const pub = await cli(["repeats", "--from", "2025-01", "--to", "2025-12", "--flag", "domestic", "--publishable", "--json"]);
    const p = JSON.parse(pub.stdout);
    expect([p.threshold, p.incidents, p.victims, p.repeatVictims, p.repeatIncidents, p.repeatVictimShare]).toEqual([5, 5, null, null, null, null]);
    expect(p.repeatLocations).toBeUndefined();
    for (const row of p.monthly.cells) for (const v of row) expect(v === null || v === 0 || v >= 5).toBe(true);
    const near = await cli(["near-repeat", "--from", "2025-01", "--to", "2025-12", "--distance-bands", "0,50,5000", "--time-bands", "0,60,400", "--permutations", "19", "--seed", "7", "--json"]);
    expect(near.code, near.stderr).toBe(0);
    const k = JSON.parse(near.stdout).knox;
    // 7 incidents of 2025 with a point, 21 pairs, all within 5000 m and 400 days; one (rows 1 and 2) within 50 m and 60 days.
    expect([k.n, k.observed.flat().reduce((x: number, y: number) => x + y, 0), k.observed[0][0], k.permutations, k.seed]).toEqual([7, 21, 1, 19, 7]);
    const text = await cli(["repeats", "--from", "2025-01", "--to", "2025-12"]);
    expect(text.stdout).toContain("victims with a repeat within 365 days 2 of 4");
  }, SLOW);

  it("never lets a raw identifier into the store, the logs, the messages or any output", async (t) => {
    if (skip) return t.skip();
    expect(outputs.length).toBeGreaterThan(5);
    for (const o of outputs) {
      expect(leakedIdentifier(o.stdout)).toBeNull();
      expect(leakedIdentifier(o.stderr)).toBeNull();
      expect(`${o.stdout}${o.stderr}`).not.toContain(TEST_PSEUDONYM_KEY);
    }
    const bytes = storeBytes(store);
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(leakedIdentifier(bytes)).toBeNull();
    expect(bytes.toString("latin1")).not.toContain(TEST_PSEUDONYM_KEY);
    // The search itself works: the extract holds them.
    expect(leakedIdentifier(fs.readFileSync(extract.csv))).toBe(RAW_IDENTIFIERS[0]);
  });
});
