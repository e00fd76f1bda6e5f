import { describe, expect, it } from "vitest";
import { type Assessment, AssessmentSchema } from "../assessment/assessment.schema.ts";
import { proposePriorities } from "./proposals.ts";

const ok = { status: "ok" as const, message: null, notes: [] };

/** A comparison as trendChange writes it (only the fields the proposals read are filled). */
function comparison(kind: string, from: [string, number], to: [string, number], pValue: number, significant: boolean) {
  const change = to[1] - from[1];
  return {
    kind,
    periodsAgo: 1,
    from: { period: from[0], count: from[1] },
    to: { period: to[0], count: to[1] },
    comparable: true,
    reason: null,
    change,
    changePct: (change / from[1]) * 100,
    test: { pValue, significant },
  };
}

function peerSide(quartile: number, rank: number, of: number, rate: number) {
  return { status: "ok" as const, message: null, excluded: [], result: { target: { quartile, rank, of, rate } } };
}

function trendGroup(group: string, comparisons: unknown[]) {
  return { group, types: [group], total: 100, monthly: [], series: {}, change: { comparisons }, message: null };
}

/** A small but schema-valid assessment: Violence top quartile and rising, Burglary top quartile, Theft rising but not significantly. */
function document(): Assessment {
  const doc = {
    schemaVersion: 1,
    kind: "safecity.strategic-assessment",
    area: { code: "E22000001", name: "Testshire CSP", level: "csp" },
    period: { from: "2024-01", to: "2025-12", months: 24 },
    parameters: {
      group: "All crime",
      trendPeriod: "calendarYear",
      grid: "square 250 m",
      step: "month",
      peers: { source: "computed", k: 15, codes: [] },
      top: 10,
      populationSource: "ONS mid-2023",
      imdEdition: "IoD2019",
    },
    vintage: { monthsCovered: ["2024-01"], missingMonths: [], principalForce: "test", forces: [], imports: [], reference: [] },
    trends: {
      ...ok,
      groups: [
        trendGroup("Violence", [comparison("previous", ["2024", 1200], ["2025", 1284], 0.0123, true)]),
        trendGroup("Theft", [comparison("previous", ["2024", 500], ["2025", 510], 0.75, false)]),
        trendGroup("Criminal damage", [comparison("previous", ["2024", 400], ["2025", 300], 0.0001, true)]),
      ],
      population: null,
    },
    seasonality: { ...ok, group: "All crime", monthly: null, profile: null },
    peers: {
      ...ok,
      level: "csp",
      groupSource: "computed",
      similarity: null,
      members: [],
      groups: [
        { group: "Violence", policeUk: { ...peerSide(3, 10, 15, 30), months: [] }, ons: { ...peerSide(4, 14, 15, 32.46), yearEnding: "December 2024", offences: [], publishedRates: [] } },
        { group: "Burglary", policeUk: { ...peerSide(4, 12, 15, 5.1), months: [] }, ons: { status: "insufficient", message: "no ONS figures", excluded: [], result: null, yearEnding: "December 2024", offences: [], publishedRates: [] } },
        { group: "Theft", policeUk: { ...peerSide(2, 5, 15, 20), months: [] }, ons: { ...peerSide(2, 6, 15, 21), yearEnding: "December 2024", offences: [], publishedRates: [] } },
      ],
      sourcesNote: "",
    },
    hotspots: { ...ok, params: null, summary: null, points: null, cells: null, cellCount: null, lsoas: null },
    emerging: {
      ...ok,
      step: "month",
      steps: ["2024-01", "2025-12"],
      stepsExcluded: [],
      params: null,
      summary: null,
      cells: [
        { id: "c1", counts: [1], z: [1], mannKendall: { s: 1, z: 1, p: 0.1, tau: 0.1 }, category: "new-hotspot" },
        { id: "c2", counts: [1], z: [1], mannKendall: { s: 1, z: 1, p: 0.1, tau: 0.1 }, category: "intensifying-hotspot" },
        { id: "c3", counts: [1], z: [1], mannKendall: { s: 1, z: 1, p: 0.1, tau: 0.1 }, category: "intensifying-hotspot" },
        { id: "c4", counts: [1], z: [1], mannKendall: { s: 1, z: 1, p: 0.1, tau: 0.1 }, category: "persistent-hotspot" },
        { id: "c5", counts: [1], z: [1], mannKendall: { s: 1, z: 1, p: 0.1, tau: 0.1 }, category: "new-coldspot" },
      ],
      cellCount: 5,
    },
    concentration: { ...ok, lsoas: null, cells: null },
    priorityAreas: {
      ...ok,
      params: null,
      areas: [
        { code: "E01000001", name: "Central 001A", deprived: true },
        { code: "E01000002", name: "Central 001B", deprived: false },
      ],
      excluded: [],
      overlap: null,
    },
    keyMessages: {
      ...ok,
      messages: [
        { id: "change.violence.2024-2025", text: "Violence rose 7.0% from 1,200 in 2024 to 1,284 in 2025", figures: { from: 1200, to: 1284, change: 84, changePct: 7, pValue: 0.012 } },
        // A fall in the same group is true but no evidence for the priority: never attached.
        { id: "change.violence.2025-q3-2025-q4", text: "Violence fell 4.0% from 330 in 2025 Q3 to 317 in 2025 Q4", figures: { from: 330, to: 317, change: -13, changePct: -4, pValue: 0.63 } },
        { id: "peer.violence-ons-year-ending-december-2024", text: "Violence (ONS): 14th of 15", figures: {} },
        { id: "peer.violence-and-sexual-offences-police-uk", text: "Another group whose slug starts like violence", figures: {} },
        { id: "change.violence-and-sexual-offences.2024-2025", text: "Another group again", figures: {} },
        { id: "priority.areas", text: "2 priority areas (Central 001A and Central 001B)", figures: {} },
      ],
    },
    attribution: "",
    notes: [],
    timings: {},
  };
  return AssessmentSchema.parse(doc);
}

describe("proposePriorities", () => {
  const result = proposePriorities(document());
  const byKey = Object.fromEntries(result.candidates.map((c) => [c.key, c]));

  it("proposes the priority areas, the worst-quartile or rising groups and the emerging hot spots, in that order", () => {
    expect(result.vintage).toBe("2025-12");
    expect(result.candidates.map((c) => c.key)).toEqual(["priority-areas", "group/violence", "group/burglary", "emerging-hotspots"]);
    expect(result.notes).toEqual([]);
  });
  it("targets the priority areas by code and cites the section and its key message", () => {
    const p = byKey["priority-areas"]!;
    expect(p.areaCodes).toEqual(["E01000001", "E01000002"]);
    expect(p.title).toBe("Crime in the priority areas (Central 001A and Central 001B)");
    expect(p.evidence).toEqual([
      { ref: "assessment:2025-12#priorityAreas", text: "2 priority areas by crime rate and deprivation: Central 001A and Central 001B; 1 of 2 in the most deprived 20% of England." },
      { ref: "assessment:2025-12#keyMessage/priority.areas", text: "2 priority areas (Central 001A and Central 001B)" },
    ]);
  });
  it("joins a group's peer quartile and its significant rise, preferring ONS over police.uk", () => {
    const v = byKey["group/violence"]!;
    expect(v.evidence.map((e) => e.ref)).toEqual([
      "assessment:2025-12#peers/violence",
      "assessment:2025-12#trends/violence/previous",
      "assessment:2025-12#keyMessage/change.violence.2024-2025",
      "assessment:2025-12#keyMessage/peer.violence-ons-year-ending-december-2024",
    ]);
    // 1284 - 1200 = 84 = 7.0% of 1200
    expect(v.rationale).toBe(
      "Violence: the 2nd highest rate of 15 in the Most Similar Group (ONS, 32.5 per 1,000 residents), among the highest quarter; Violence rose 7.0% from 1,200 in 2024 to 1,284 in 2025, a statistically significant rise (p = 0.012).",
    );
    expect(byKey["group/burglary"]!.rationale).toBe("Burglary: the 4th highest rate of 15 in the Most Similar Group (police.uk, 5.1 per 1,000 residents), among the highest quarter.");
  });
  it("leaves out a rise that is not significant, a significant fall and a quartile below the top", () => {
    expect(byKey["group/theft"]).toBeUndefined();
    expect(byKey["group/criminal-damage"]).toBeUndefined();
  });
  it("counts new, consecutive and intensifying hot spots only", () => {
    const e = byKey["emerging-hotspots"]!;
    expect(e.rationale).toBe("3 grid cells are emerging hot spots over 2 months (2024-01 to 2025-12): 1 new and 2 intensifying.");
    expect(e.evidence).toEqual([
      { ref: "assessment:2025-12#emerging/new-hotspot", text: "1 grid cell is a new hot spot over 2 months (2024-01 to 2025-12)." },
      { ref: "assessment:2025-12#emerging/intensifying-hotspot", text: "2 grid cells are intensifying hot spots over 2 months (2024-01 to 2025-12)." },
    ]);
  });
  it("says which sections could not propose anything", () => {
    const doc = document();
    const r = proposePriorities({
      ...doc,
      peers: { ...doc.peers, status: "insufficient", message: "too few peers" },
      trends: { ...doc.trends, status: "unavailable", message: "no data", groups: null },
      priorityAreas: { ...doc.priorityAreas, areas: [] },
      emerging: { ...doc.emerging, cells: [] },
    });
    expect(r.candidates).toEqual([]);
    expect(r.notes).toEqual([
      "Priority areas: the assessment lists none; nothing proposed from it.",
      "Peers: section insufficient (too few peers); nothing proposed from it.",
      "Trends: section unavailable (no data); nothing proposed from it.",
      "Nothing in this assessment meets a rule for proposing a priority; add priorities by hand.",
    ]);
  });
});
