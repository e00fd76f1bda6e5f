import { describe, expect, it } from "vitest";
import { findNonFinite } from "../stats/check.ts";
import type { LocalFlag, LocalIncident } from "./local-incident.types.ts";
import { repeatMeasures } from "./repeat-measures.ts";
import { poissonCount, wilsonShare } from "./wilson.ts";

const inc = (date: string, victimKey: string | null, locationKey: string | null, opts: { minutes?: number; flags?: LocalFlag[] } = {}): LocalIncident => ({
  date,
  minutes: opts.minutes ?? null,
  victimKey,
  locationKey,
  x: null,
  y: null,
  lsoa: null,
  offenceGroup: "Violence and sexual offences",
  flags: opts.flags ?? ["domestic"],
});

// Period 2025-01-01 .. 2025-03-31, window 365: look-back from 2024-01-02.
const rows: LocalIncident[] = [
  inc("2024-06-01", "V1", "L1"), // look-back only
  inc("2025-01-10", "V1", "L1", { minutes: 600 }), // same day as the next, later time: 2nd
  inc("2025-01-10", "V1", "L1"), // unknown time sorts first: previous 2024-06-01, 223 days -> repeat
  inc("2025-02-01", "V2", "L2"), // first for V2
  inc("2025-02-10", "V2", null, { flags: [] }), // not domestic
  inc("2025-03-03", "V2", "L2"), // 30 days after 02-01 -> repeat
  inc("2024-01-02", "V3", null), // exactly at the look-back start
  inc("2025-01-01", "V3", "L3"), // 365 days later -> repeat (the window's edge counts)
  inc("2024-01-01", "V4", null), // before the look-back
  inc("2025-01-01", "V4", null), // 366 days later -> not a repeat
  inc("2025-02-15", null, "L1"), // no victim key
  inc("2025-04-01", "V1", "L1"), // after the period: ignored
];

describe("repeatMeasures: a hand-worked example", () => {
  const r = repeatMeasures(rows, { from: "2025-01-01", to: "2025-03-31", flag: "domestic" });

  it("counts incidents, incidence, prevalence and concentration", () => {
    expect(r.lookBackFrom).toBe("2024-01-02");
    expect(r.incidents).toBe(7);
    expect(r.withoutVictimKey).toBe(1);
    expect(r.incidence.value).toBe(6);
    expect(r.prevalence).toBe(4);
    expect(r.concentration).toBe(1.5);
  });

  it("counts repeats within 365 days of the victim's previous incident, look-back included", () => {
    expect(r.repeatIncidents).toMatchObject({ count: 4, total: 6 });
    expect(r.repeatVictims).toMatchObject({ count: 3, total: 4, share: 0.75 });
    expect(r.timeToRepeat.map((b) => [b.label, b.count])).toEqual([
      ["same day", 1],
      ["1-7 days", 0],
      ["8-30 days", 1],
      ["31-90 days", 0],
      ["91-182 days", 0],
      ["183-365 days", 2],
    ]);
    expect(r.medianDaysToRepeat).toBe((30 + 223) / 2);
    expect(r.notes.join("\n")).toMatch(/1 incident\(s\) without a victim key/);
    expect(r.notes.join("\n")).toMatch(/1 repeat\(s\) on the same day/);
  });

  it("lists repeat locations with their share of located incidents, and a monthly series", () => {
    expect(r.repeatLocations.map((l) => [l.locationKey, l.incidents, l.repeats, l.share.total])).toEqual([
      ["L1", 3, 2, 6],
      ["L2", 2, 1, 6],
    ]);
    expect(r.monthly.map((m) => [m.month, m.incidents, m.repeats, m.repeatShare.total])).toEqual([
      ["2025-01", 4, 3, 4],
      ["2025-02", 2, 0, 1],
      ["2025-03", 1, 1, 1],
    ]);
    expect(findNonFinite(r)).toEqual([]);
  });

  it("without the flag, the other incident is a previous one too", () => {
    const all = repeatMeasures(rows, { from: "2025-01-01", to: "2025-03-31" });
    // V2: 02-01, 02-10 (9 days: repeat), 03-03 (21 days: repeat).
    expect(all.repeatIncidents).toMatchObject({ count: 5, total: 7 });
    expect(all.timeToRepeat.find((b) => b.label === "8-30 days")!.count).toBe(2);
  });

  it("a shorter window and an offence group filter", () => {
    const short = repeatMeasures(rows, { from: "2025-01-01", to: "2025-03-31", flag: "domestic", repeatWindowDays: 30 });
    expect(short.lookBackFrom).toBe("2024-12-02");
    expect(short.repeatIncidents.count).toBe(2); // same day and 30 days
    expect(short.timeToRepeat.map((b) => b.label)).toEqual(["same day", "1-7 days", "8-30 days"]);
    const none = repeatMeasures(rows, { from: "2025-01-01", to: "2025-03-31", offenceGroup: "Burglary" });
    expect(none.incidents).toBe(0);
    expect(none.concentration).toBeNull();
    expect(none.repeatVictims.share).toBeNull();
    expect(findNonFinite(none)).toEqual([]);
  });

  it("refuses bad dates with where and what", () => {
    expect(() => repeatMeasures(rows, { from: "2025-02-30", to: "2025-03-31" })).toThrow(/from must be a date/);
    expect(() => repeatMeasures(rows, { from: "2025-03-01", to: "2025-01-31" })).toThrow(/before from/);
    expect(() => repeatMeasures([inc("2025-13-01", "V1", null)], { from: "2025-01-01", to: "2025-03-31" })).toThrow(/incident 0 has date "2025-13-01"/);
  });
});

describe("intervals agree with R", () => {
  it("Wilson = prop.test(correct = FALSE)", () => {
    const a = wilsonShare(3, 10);
    expect(a.low).toBeCloseTo(0.1077913, 6);
    expect(a.high).toBeCloseTo(0.6032219, 6);
    const b = wilsonShare(4, 6);
    expect(b.low).toBeCloseTo(0.2999933151, 8);
    expect(b.high).toBeCloseTo(0.9032285889, 8);
    const c = wilsonShare(0, 5);
    expect(c.low).toBe(0);
    expect(c.high).toBeCloseTo(0.4344824648, 8);
  });
  it("exact Poisson = poisson.test(x)$conf.int", () => {
    const p = poissonCount(7);
    expect(p.low).toBeCloseTo(2.814363052, 6);
    expect(p.high).toBeCloseTo(14.422675362, 6);
    expect(poissonCount(0).high).toBeCloseTo(3.688879454, 6);
  });
});
