import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { knoxTest, type LocalFlag, type LocalIncident, repeatMeasures } from "@safecity/core";
import { afterAll, describe, expect, it } from "vitest";
import {
  LOCAL_CATEGORIES,
  LOCAL_EXTRACT_HEADER,
  LOCAL_GENERATE_DEFAULTS,
  type LocalIncidentOptions,
  type LocalIncidentReport,
  writeLocalIncidentExtract,
} from "../src/generate/local-incidents.ts";

const run = promisify(execFile);
const SAFECITY_BIN = new URL("../bin/safecity.js", import.meta.url).pathname;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-local-gen-"));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = () => path.join(tmpRoot, `out-${dirCount++}`);

const FLAG_COLUMNS: [string, LocalFlag][] = [
  ["domestic", "domestic"],
  ["alcohol", "alcohol"],
  ["night_time_economy", "night-time-economy"],
  ["hate", "hate"],
  ["vulnerable", "vulnerable"],
];

/** A tiny reader of the documented layout (no quoting is ever needed in it). */
function readExtract(csvPath: string): LocalIncident[] {
  const [head, ...lines] = fs.readFileSync(csvPath, "utf8").trimEnd().split("\n");
  const cols = head!.split(",");
  const at = (name: string) => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split(",");
    const [d, m, y] = f[at("occurred_date")]!.split("/");
    const time = f[at("occurred_time")]!;
    return {
      date: `${y}-${m}-${d}`,
      minutes: time ? Number(time.slice(0, 2)) * 60 + Number(time.slice(3)) : null,
      victimKey: f[at("victim_ref")] || null,
      locationKey: f[at("address_ref")] || null,
      x: Number(f[at("easting")]),
      y: Number(f[at("northing")]),
      lsoa: null,
      offenceGroup: LOCAL_CATEGORIES[f[at("offence_category")]!]!,
      flags: FLAG_COLUMNS.filter(([c]) => f[at(c)] === "Y").map(([, flag]) => flag),
    };
  });
}

const opts = (o: Partial<LocalIncidentOptions>): LocalIncidentOptions => ({ ...LOCAL_GENERATE_DEFAULTS, rows: 1000, ...o });
const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

describe("generate incidents: a synthetic local extract with planted structure", () => {
  it("writes exactly N rows in the documented layout, with a mapping, the same bytes for the same seed", () => {
    const a = writeLocalIncidentExtract(freshDir(), opts({ rows: 3000, seed: "same" }));
    const b = writeLocalIncidentExtract(freshDir(), opts({ rows: 3000, seed: "same" }));
    const c = writeLocalIncidentExtract(freshDir(), opts({ rows: 3000, seed: "other" }));
    expect(sha(a.csv)).toBe(sha(b.csv));
    expect(sha(a.csv)).not.toBe(sha(c.csv));
    const lines = fs.readFileSync(a.csv, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe(LOCAL_EXTRACT_HEADER.join(","));
    expect(lines).toHaveLength(3001);
    const rows = readExtract(a.csv);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(3000);
    expect(rows.every((r) => r.date >= a.from && r.date <= a.to)).toBe(true);
    expect(rows.map((r) => r.date)).toEqual([...rows.map((r) => r.date)].sort());
    expect(rows.every((r) => r.offenceGroup !== undefined)).toBe(true);
    const mapping = JSON.parse(fs.readFileSync(a.mapping, "utf8"));
    expect(mapping.date).toEqual({ column: "occurred_date", format: "DD/MM/YYYY" });
    for (const column of [mapping.victim.column, mapping.place.column, mapping.offence.column]) expect(LOCAL_EXTRACT_HEADER).toContain(column);
    const domestic = rows.filter((r) => r.flags.includes("domestic")).length;
    expect(Math.abs(domestic / 3000 - LOCAL_GENERATE_DEFAULTS.domesticShare)).toBeLessThan(0.01);
  });

  it("the planted domestic repeat rate is recovered within its 95% confidence interval", () => {
    const report = writeLocalIncidentExtract(freshDir(), opts({ rows: 30_000, seed: "recover-repeats", repeatRate: 0.35 }));
    const rows = readExtract(report.csv);
    const m = repeatMeasures(rows, { from: report.planted.measureFrom, to: report.planted.measureTo, flag: "domestic" });
    expect(m.lookBackFrom >= report.from).toBe(true); // the look-back is inside the extract
    expect(m.incidence.value).toBeGreaterThan(3000);
    expect(m.repeatIncidents.low!).toBeLessThanOrEqual(0.35);
    expect(m.repeatIncidents.high!).toBeGreaterThanOrEqual(0.35);
    // Gaps are 1..365 days: no same-day repeats, all in the window.
    expect(m.timeToRepeat[0]!.count).toBe(0);
    // Another rate is recovered too, and a rate of 0 gives no repeats at all.
    const low = writeLocalIncidentExtract(freshDir(), opts({ rows: 30_000, seed: "recover-repeats-2", repeatRate: 0.1 }));
    const lowM = repeatMeasures(readExtract(low.csv), { from: low.planted.measureFrom, to: low.planted.measureTo, flag: "domestic" });
    expect(lowM.repeatIncidents.low!).toBeLessThanOrEqual(0.1);
    expect(lowM.repeatIncidents.high!).toBeGreaterThanOrEqual(0.1);
    const none = writeLocalIncidentExtract(freshDir(), opts({ rows: 5000, seed: "no-repeats", repeatRate: 0 }));
    expect(repeatMeasures(readExtract(none.csv), { from: none.planted.measureFrom, to: none.planted.measureTo, flag: "domestic" }).repeatIncidents.count).toBe(0);
  });

  it("the planted near repeats show in the Knox test (ratio > 1, p < 0.05), not in a control extract without them", () => {
    const knox = (report: LocalIncidentReport) => {
      const points = readExtract(report.csv)
        .filter((r) => r.offenceGroup === "Burglary")
        .map((r) => ({ x: r.x!, y: r.y!, t: dayOf(r.date) }));
      return knoxTest(points, { distanceBands: [0, 200, 400, 1000], timeBands: [0, 15, 30, 60], permutations: 99, seed: 42, metric: "euclidean" });
    };
    const planted = knox(writeLocalIncidentExtract(freshDir(), opts({ rows: 20_000, seed: "near-repeats" })));
    // Near repeats are < 200 m and 1..14 days after: the [0,200) x [0,15) cell.
    expect(planted.knoxRatio[0]![0]!).toBeGreaterThan(1.5);
    expect(planted.pValue[0]![0]!).toBeLessThan(0.05);
    const control = knox(writeLocalIncidentExtract(freshDir(), opts({ rows: 20_000, seed: "near-repeats", nearRepeatRate: 0 })));
    expect(control.pValue[0]![0]!).toBeGreaterThanOrEqual(0.05);
    expect(Math.abs(control.knoxRatio[0]![0]! - 1)).toBeLessThan(0.25);
  });

  // Two CLI start-ups (tsx from source when the bundle is stale): generous for a loaded machine.
  it("runs as `safecity generate incidents` and refuses bad options", { timeout: 240_000 }, async () => {
    const out = freshDir();
    const { stdout } = await run("node", [SAFECITY_BIN, "generate", "incidents", "--out", out, "--rows", "1,500", "--seed", "cli", "--json"]);
    const report = JSON.parse(stdout) as LocalIncidentReport;
    expect(report.rows).toBe(1500);
    expect(fs.readdirSync(out).sort()).toEqual(["local-incidents.csv", "mapping.json", "planted.json"]);
    expect(sha(report.csv)).toBe(sha(writeLocalIncidentExtract(freshDir(), opts({ rows: 1500, seed: "cli" })).csv));
    const failed = await run("node", [SAFECITY_BIN, "generate", "incidents", "--out", freshDir(), "--rows", "many", "--repeat-rate", "2"]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain("--rows must be a whole number; got `many`");
    expect((failed as { stderr: string }).stderr).toContain("--repeat-rate must be a number from 0 to below 1; got `2`");
  });
});
