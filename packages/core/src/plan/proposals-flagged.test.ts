import { describe, expect, it } from "vitest";
import type { Assessment } from "../assessment/assessment.schema.ts";
import { proposePriorities } from "./proposals.ts";

const off = { status: "unavailable" as const, message: "not in this test", notes: [] };

/** Violence rose significantly from July-September 2025 (with 2025-08) to October-December 2025. */
function doc(flaggedMonths: string[] | null): Parameters<typeof proposePriorities>[0] {
  const comparison = {
    kind: "previous",
    periodsAgo: 1,
    from: { period: "2025-Q3", start: "2025-07", end: "2025-09", count: 1000 },
    to: { period: "2025-Q4", start: "2025-10", end: "2025-12", count: 1300 },
    comparable: true,
    reason: null,
    change: 300,
    changePct: 30,
    test: { pValue: 0.0001, significant: true },
  };
  return {
    area: { code: "E06000045", name: "Southampton", level: "lad" },
    period: { from: "2025-01", to: "2025-12", months: 12 },
    trends: { status: "ok", message: null, notes: [], population: null, groups: [{ group: "Violence", types: ["Violence and sexual offences"], total: 2300, monthly: [], series: {}, change: { comparisons: [comparison] }, message: null }] },
    peers: { ...off, level: null, groupSource: null, similarity: null, members: null, groups: null, sourcesNote: "" },
    priorityAreas: { ...off, params: null, areas: null, excluded: [], overlap: null },
    emerging: { ...off, step: "month", steps: null, stepsExcluded: [], params: null, summary: null, cells: null, cellCount: null },
    keyMessages: { status: "ok", message: null, notes: [], messages: [] },
    ...(flaggedMonths ? { vintage: { dataQuality: { flaggedMonths, findings: [] } } as Pick<Assessment["vintage"], "dataQuality"> } : {}),
  };
}

describe("proposals over a month flagged by the data quality checks", () => {
  it("proposes a significant rise when no month of it is flagged", () => {
    const r = proposePriorities(doc(["2025-02"]));
    expect(r.candidates.map((c) => c.title)).toEqual(["Violence"]);
    expect(r.candidates[0]!.rationale).toContain("a statistically significant rise");
  });
  it("does not, and says why, when a flagged month lies in either period", () => {
    const r = proposePriorities(doc(["2025-08"]));
    expect(r.candidates).toEqual([]);
    expect(r.notes).toContain(
      "Trends: Violence rose from 2025-Q3 to 2025-Q4, but the change includes a month flagged as unusual in the police data (2025-08): not proposed as a significant rise.",
    );
  });
  it("documents without a data quality vintage (earlier version-1 documents) read as before", () => {
    expect(proposePriorities(doc(null)).candidates.map((c) => c.title)).toEqual(["Violence"]);
  });
});
