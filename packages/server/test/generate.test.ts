import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CRIME_TYPES } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedFromString } from "../src/generate/prng.ts";
import { POLICE_STREET_HEADER } from "../src/generate/row-encoder.ts";
import { buildWorld } from "../src/generate/world.ts";
import { type GenerateReport, writeGeneratedArchive } from "../src/generate/write-archive.ts";

const run = promisify(execFile);
const SAFECITY_BIN = new URL("../bin/safecity.js", import.meta.url).pathname;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-generate-"));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

let dirCount = 0;
const freshDir = () => path.join(tmpRoot, `out-${dirCount++}`);

/** Relative paths of every file under `dir`, sorted. */
function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => fs.statSync(path.join(dir, p)).isFile())
    .sort();
}

/** sha256 over every file's relative path and bytes, in sorted order. */
function treeHash(dir: string): string {
  const h = crypto.createHash("sha256");
  for (const rel of listFiles(dir)) {
    h.update(`${rel}\0`);
    h.update(fs.readFileSync(path.join(dir, rel)));
  }
  return h.digest("hex");
}

/** A strict RFC 4180 line splitter: throws on a stray quote, so broken quoting cannot pass. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unclosed quote in ${line}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ",") throw new Error(`text after a closing quote in ${line}`);
      i++;
    } else {
      const c = line.indexOf(",", i);
      const value = c < 0 ? line.slice(i) : line.slice(i, c);
      if (value.includes('"')) throw new Error(`stray quote in ${line}`);
      fields.push(value);
      if (c < 0) return fields;
      i = c + 1;
    }
  }
}

describe("safecity generate: police.uk-format synthetic data", () => {
  const params = { rows: 20_000, seed: "42", months: 6, start: "2024-11", forces: 5 };
  let dir: string;
  let report: GenerateReport;
  const rows: { file: string; fields: string[]; raw: string }[] = [];

  beforeAll(async () => {
    dir = freshDir();
    report = await writeGeneratedArchive(dir, params);
    for (const rel of listFiles(dir)) {
      const text = fs.readFileSync(path.join(dir, rel), "utf8");
      expect(text.endsWith("\n"), rel).toBe(true);
      const lines = text.slice(0, -1).split("\n");
      expect(lines[0], rel).toBe(POLICE_STREET_HEADER);
      for (const raw of lines.slice(1)) rows.push({ file: rel, fields: splitCsvLine(raw), raw });
    }
  });

  it("writes exactly the requested number of rows, and says so", () => {
    expect(rows.length).toBe(20_000);
    expect(report.rows).toBe(20_000);
    expect(report.params).toEqual(params);
    expect(report.bytes).toBe(listFiles(dir).reduce((n, rel) => n + fs.statSync(path.join(dir, rel)).size, 0));
  });

  it("uses the police.uk layout: one folder per month, YYYY-MM-<force>-street.csv inside", () => {
    const months = ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04"];
    expect(fs.readdirSync(dir).sort()).toEqual(months);
    expect(report.months).toEqual(months);
    const files = listFiles(dir);
    expect(files).toHaveLength(6 * 5);
    for (const rel of files) expect(rel).toMatch(/^(\d{4}-\d{2})\/\1-[a-z0-9-]+-street\.csv$/);
    const forces = new Set(files.map((f) => f.slice(16, -"-street.csv".length)));
    expect(forces.size).toBe(5);
  });

  it("has 12 fields on every line, the folder's month, a known crime type and a force name", () => {
    const types = new Set<string>(CRIME_TYPES);
    const bad = rows.filter(
      ({ file, fields: f }) =>
        f.length !== 12 ||
        f[1] !== file.slice(0, 7) ||
        !types.has(f[9]!) ||
        f[2] !== f[3] ||
        !/ (Constabulary|Police)$/.test(f[2]!) ||
        f[11] !== "",
    );
    expect(bad.map((r) => `${r.file}: ${r.raw}`)).toEqual([]);
    expect(new Set(rows.map((r) => r.fields[9])).size).toBe(14);
  });

  it("gives ASB rows an empty Crime ID and outcome, every other row a unique 64-hex id and an outcome", () => {
    const asb = rows.filter((r) => r.fields[9] === "Anti-social behaviour");
    expect(asb.length / rows.length).toBeGreaterThan(0.15);
    expect(asb.length / rows.length).toBeLessThan(0.24);
    expect(asb.every((r) => r.fields[0] === "" && r.fields[10] === "")).toBe(true);
    const others = rows.filter((r) => r.fields[9] !== "Anti-social behaviour");
    expect(others.every((r) => /^[0-9a-f]{64}$/.test(r.fields[0]!) && r.fields[10] !== "")).toBe(true);
    expect(new Set(others.map((r) => r.fields[0])).size).toBe(others.length);
    const violence = rows.filter((r) => r.fields[9] === "Violence and sexual offences").length / rows.length;
    expect(violence).toBeGreaterThan(0.26);
    expect(violence).toBeLessThan(0.36);
  });

  it("leaves 2–7% of rows without a location, and locates the rest in England with an LSOA", () => {
    const noLocation = rows.filter((r) => r.fields[4] === "");
    expect(noLocation.length / rows.length).toBeGreaterThanOrEqual(0.02);
    expect(noLocation.length / rows.length).toBeLessThanOrEqual(0.07);
    expect(noLocation.filter((r) => r.fields.slice(4, 9).join("|") !== "||No Location||").map((r) => r.raw)).toEqual([]);
    const badLocated = rows.filter((r) => {
      const f = r.fields;
      if (f[4] === "") return false;
      const [lon, lat] = [Number(f[4]), Number(f[5])];
      return !(
        lon >= -5.6 &&
        lon <= 1.7 &&
        lat >= 50.1 &&
        lat <= 55.7 &&
        /^-?\d+\.\d{6}$/.test(f[4]!) &&
        /^\d+\.\d{6}$/.test(f[5]!) &&
        /^On or near ./.test(f[6]!) &&
        /^E01\d{6}$/.test(f[7]!) &&
        /^[A-Z][A-Za-z ,]+ \d{3}[A-Z]$/.test(f[8]!)
      );
    });
    expect(badLocated.map((r) => r.raw)).toEqual([]);
  });

  it("quotes the fields that contain commas, in roughly 8% of rows", () => {
    const quoted = rows.filter((r) => r.raw.includes('"'));
    expect(quoted.length / rows.length).toBeGreaterThan(0.03);
    expect(quoted.length / rows.length).toBeLessThan(0.15);
    expect(quoted.every((r) => r.fields.some((f) => f.includes(",")))).toBe(true);
  });

  it("clusters in space: a tenth of the map points used carries far more than a tenth of the rows", () => {
    const byPoint = new Map<string, number>();
    for (const r of rows) if (r.fields[4]) byPoint.set(`${r.fields[4]},${r.fields[5]}`, (byPoint.get(`${r.fields[4]},${r.fields[5]}`) ?? 0) + 1);
    const counts = [...byPoint.values()].sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.25);
  });

  it("is deterministic: the same seed writes the same bytes, another seed different ones", async () => {
    const again = freshDir();
    await writeGeneratedArchive(again, params);
    expect(treeHash(again)).toBe(treeHash(dir));
    const other = freshDir();
    await writeGeneratedArchive(other, { ...params, seed: "43" });
    expect(treeHash(other)).not.toBe(treeHash(dir));
  });

  it("spreads an odd row count exactly over 36 months x 43 forces by default, with a seasonal shape", async () => {
    const out = freshDir();
    const r = await writeGeneratedArchive(out, { rows: 100_003 });
    expect(r.params).toEqual({ rows: 100_003, seed: "1", months: 36, start: "2023-01", forces: 43 });
    expect(r.months).toHaveLength(36);
    const perMonth = new Map<string, number>();
    let total = 0;
    for (const rel of listFiles(out)) {
      const n = fs.readFileSync(path.join(out, rel), "utf8").split("\n").length - 2;
      total += n;
      perMonth.set(rel.slice(0, 7), (perMonth.get(rel.slice(0, 7)) ?? 0) + n);
    }
    expect(total).toBe(100_003);
    // February is the quietest month of each year, July busier than January.
    for (const y of ["2023", "2024", "2025"]) {
      const months = [...perMonth].filter(([m]) => m.startsWith(y));
      expect(months.reduce((a, b) => (b[1] < a[1] ? b : a))[0]).toBe(`${y}-02`);
      expect(perMonth.get(`${y}-07`)!).toBeGreaterThan(perMonth.get(`${y}-01`)! * 1.05);
    }
  });

  it("writes a file bigger than one 1 MB write chunk whole: every line intact across chunk boundaries", async () => {
    const out = freshDir();
    await writeGeneratedArchive(out, { rows: 12_000, months: 1, forces: 1, seed: "big" });
    const [rel] = listFiles(out);
    const text = fs.readFileSync(path.join(out, rel!), "utf8");
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(12_001);
    expect(lines.filter((l, i) => i > 0 && splitCsvLine(l).length !== 12)).toEqual([]);
  });

  it("grows emerging hot spots: their share of located rows rises ~4 points from the first month to the last", async () => {
    const out = freshDir();
    const seed = "emerging";
    await writeGeneratedArchive(out, { rows: 40_000, months: 2, forces: 2, seed, start: "2025-01" });
    const world = buildWorld({ seed: seedFromString(seed), forces: 2 });
    const emerging = new Set<string>();
    for (const f of world.forces) {
      for (const i of f.emergingPointIndex) {
        const p = f.pointStart + i;
        const text = Buffer.from(world.pointBytes.subarray(world.pointOffsets[p], world.pointOffsets[p + 1])).toString("utf8");
        emerging.add(text.split(",").slice(0, 2).join(","));
      }
    }
    const share = (month: string) => {
      let located = 0;
      let hits = 0;
      for (const rel of listFiles(out).filter((r) => r.startsWith(month))) {
        for (const line of fs.readFileSync(path.join(out, rel), "utf8").split("\n").slice(1, -1)) {
          const f = splitCsvLine(line);
          if (!f[4]) continue;
          located++;
          if (emerging.has(`${f[4]},${f[5]}`)) hits++;
        }
      }
      return hits / located;
    };
    const first = share("2025-01");
    const last = share("2025-02");
    expect(first).toBeGreaterThan(0);
    expect(last - first).toBeGreaterThan(0.025);
    expect(last - first).toBeLessThan(0.055);
  });

  it("refuses a non-empty output folder and bad parameters, listing every problem", async () => {
    await expect(writeGeneratedArchive(dir, params)).rejects.toMatchObject({ code: "input.invalid" });
    await expect(writeGeneratedArchive(freshDir(), { rows: -1, months: 0, start: "2024/01", forces: 0 })).rejects.toThrow(
      /--rows[\s\S]*--months[\s\S]*--start[\s\S]*--forces/,
    );
  });

  it("runs as `safecity generate` and reports JSON", async () => {
    const out = freshDir();
    const { stdout } = await run("node", [SAFECITY_BIN, "generate", "--rows", "2,500", "--months", "2", "--forces", "3", "--seed", "cli", "--out", out, "--json"]);
    const json = JSON.parse(stdout) as GenerateReport;
    expect(json.rows).toBe(2500);
    expect(json.files).toBe(6);
    expect(listFiles(out)).toHaveLength(6);
    const failed = await run("node", [SAFECITY_BIN, "generate", "--rows", "lots", "--out", freshDir()]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain("--rows must be a whole number; got `lots`");
  });
});
