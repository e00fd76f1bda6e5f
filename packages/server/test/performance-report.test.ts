import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monthRange } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertTarget } from "../src/db/repositories/plan-content.repository.ts";
import { insertIndicator } from "../src/db/repositories/plan-indicator.repository.ts";
import { importIndicatorFile } from "../src/services/indicator-import.service.ts";
import { ensureStandardIndicators, requireIndicator } from "../src/services/indicator.service.ts";
import { performanceForPlan, performanceReport, performanceTable } from "../src/services/performance.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { addAction, smallPlan } from "./support/indicator-plan-fixture.ts";

const ctx = { actor: { label: "cli:test", ip: null }, now: new Date("2025-08-01T09:00:00Z") };
const AREA = "E06000045";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-performance-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Hand-made series, one per RAG colour (tolerance 5%, lower is better):
 * - asb-reports, goal 100: latest 2025-06 = 98 (on target)                         -> green
 * - fte-youth-justice, goal 20: latest 2025-Q2 = 22 (10% over), 2024-Q2 = 30 (improving) -> amber
 * - deliberate-fires, goal 50 - 10% = 45: latest 55 (22% over), last year 50 (worsening) -> red
 * - hospital-assault-admissions: no values                                          -> no_data
 */
function valuesFile(): string {
  const asb = monthRange("2024-06", "2025-06").map((m, i) => `asb-reports,${AREA},${m},${i === 0 ? 110 : i === 12 ? 98 : 100 + (i % 3)}`);
  const fte = [`fte-youth-justice,${AREA},2024-Q2,30`, `fte-youth-justice,${AREA},2024-Q3,28`, `fte-youth-justice,${AREA},2025-Q2,22`];
  const fires = [`deliberate-fires,${AREA},2024-Q2,50`, `deliberate-fires,${AREA},2025-Q2,55`];
  const p = path.join(dir, "values.csv");
  fs.writeFileSync(p, ["indicator,area,period,value", ...asb, ...fte, ...fires].join("\n"));
  return p;
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`performance report on ${dialect}`, () => {
    let store: TestStore;
    let planId: number;
    const targets: Record<string, number> = {};
    beforeAll(async () => {
      store = await openTestStore(dialect);
      const report = await importIndicatorFile(store, valuesFile(), ctx);
      expect(report.errors).toEqual([]);
      const plan = await smallPlan(store, { areaCode: AREA, organisations: ["Youth Offending Service", "Fire and Rescue"] });
      planId = plan.planId;
      const [p1, p2] = plan.priorities as [number, number];
      const yos = plan.organisations.get("Youth Offending Service")!;
      const fire = plan.organisations.get("Fire and Rescue")!;
      await addAction(store, planId, p1, yos, "on_track");
      await addAction(store, planId, p1, fire, "at_risk");
      await addAction(store, planId, p2, yos, "off_track");
      await addAction(store, planId, p2, fire, "completed");
      await addAction(store, planId, p2, yos, "cancelled");
      // hospital-assault-admissions has no values, so the import did not create it.
      expect(await ensureStandardIndicators(store, ctx)).toEqual(["repeat-domestic-abuse", "nte-violence", "hospital-assault-admissions"]);
      const target = async (key: string, priorityId: number | null, t: { baselinePeriod: string; baselineValue: number; kind: "value" | "change_percent"; targetValue: number; deadline: string }) => {
        const indicator = await requireIndicator(store, key);
        targets[key] = await insertTarget(store, planId, { priorityId, indicatorId: indicator.id, tolerancePercent: null, ...t });
      };
      await target("asb-reports", p1, { baselinePeriod: "2024-06", baselineValue: 110, kind: "value", targetValue: 100, deadline: "2026-03" });
      await target("fte-youth-justice", p1, { baselinePeriod: "2024-Q2", baselineValue: 30, kind: "value", targetValue: 20, deadline: "2026-Q1" });
      await target("deliberate-fires", p2, { baselinePeriod: "2024-Q2", baselineValue: 50, kind: "change_percent", targetValue: -10, deadline: "2026-Q1" });
      await target("hospital-assault-admissions", null, { baselinePeriod: "2023/24", baselineValue: 40, kind: "value", targetValue: 35, deadline: "2025/26" });
    });
    afterAll(() => store?.destroy());

    it("measures every target of the plan on the plan's area: one of each RAG colour", async () => {
      const perf = await performanceForPlan(store, planId);
      const asb = perf.get(targets["asb-reports"]!)!;
      expect(asb).toMatchObject({ indicatorKey: "asb-reports", goal: 100, latest: { period: "2025-06", value: 98 }, direction: "improving", rag: "green" });
      expect(asb.change).toEqual({ from: { period: "2024-06", value: 110 }, absolute: -12, percent: (-12 * 100) / 110 });
      expect(asb.significance).not.toBeNull();
      expect(asb.forecast?.period).toBe("2026-03");
      const fte = perf.get(targets["fte-youth-justice"]!)!;
      expect(fte).toMatchObject({ goal: 20, latest: { period: "2025-Q2", value: 22 }, direction: "improving", rag: "amber" });
      const fires = perf.get(targets["deliberate-fires"]!)!;
      expect(fires.goal).toBeCloseTo(45, 12);
      expect(fires).toMatchObject({ latest: { period: "2025-Q2", value: 55 }, direction: "worsening", rag: "red", forecast: null });
      const hospital = perf.get(targets["hospital-assault-admissions"]!)!;
      expect(hospital).toMatchObject({ latest: null, rag: "no_data", direction: "no_comparison" });
    });

    it("rolls actions up by status and RAG, and targets by RAG, per priority, per owner and overall", async () => {
      const r = await performanceReport(store, planId);
      expect(r.targets.map((t) => [t.indicator.key, t.priorityTitle, t.area.code])).toEqual([
        ["asb-reports", "Reduce violent crime", AREA],
        ["fte-youth-justice", "Reduce violent crime", AREA],
        ["deliberate-fires", "Reduce anti-social behaviour", AREA],
        ["hospital-assault-admissions", null, AREA],
      ]);
      const [p1, p2] = r.byPriority;
      expect(p1!.rollup).toMatchObject({ actions: 2, targets: 2, targetsByRag: { green: 1, amber: 1, red: 0, no_data: 0 }, actionsByRag: { green: 1, amber: 1, red: 0, no_data: 0 } });
      expect(p2!.rollup.actionsByStatus).toEqual({ not_started: 0, on_track: 0, at_risk: 0, off_track: 1, completed: 1, cancelled: 1 });
      expect(p2!.rollup.actionsByRag).toEqual({ green: 1, amber: 0, red: 1, no_data: 0 });
      expect(p2!.rollup.targetsByRag).toEqual({ green: 0, amber: 0, red: 1, no_data: 0 });
      expect(r.byOwner.map((o) => [o.name, o.rollup.actions, o.rollup.actionsByRag.red])).toEqual([
        ["Fire and Rescue", 2, 0],
        ["Youth Offending Service", 3, 1],
      ]);
      expect(r.overall.targetsByRag).toEqual({ green: 1, amber: 1, red: 1, no_data: 1 });
      expect(r.overall.actions).toBe(5);

      const table = performanceTable(r);
      expect(table.rows).toHaveLength(4);
      const col = (name: string) => table.header.indexOf(name);
      expect(table.rows.map((row) => row[col("rag")])).toEqual(["green", "amber", "red", "no_data"]);
      expect(table.rows[2]![col("latest value")]).toBe(55);
      expect(table.rows[2]![col("same period last year")]).toBe(50);
      // float arithmetic noise never reaches the table or its CSV; small p values keep their digits
      const t0 = r.targets[0]!;
      const noisy = performanceTable({
        ...r,
        targets: [{ ...t0, performance: { ...t0.performance, change: { from: { period: "2024-01", value: 1 }, absolute: 0.1 + 0.2, percent: -2.599999999999998 }, significance: { pValue: 1.23456789e-10, significant: true, method: "test" } } }],
      });
      expect(noisy.rows[0]![col("change")]).toBe(0.3);
      expect(noisy.rows[0]![col("change percent")]).toBe(-2.6);
      expect(noisy.rows[0]![col("p value")]).toBe(1.23456789e-10);
    });

    it("says why a target has no value when its series knows why (an area with no police data loaded)", async () => {
      // Defined while Southampton's data was loaded (defineIndicator checks the area); the data has gone since.
      const indicator = {
        id: await insertIndicator(store, {
          key: "burglary-southampton",
          name: "Burglary",
          unit: "count",
          polarity: "lower_is_better",
          periodType: "quarter",
          ragRule: "default",
          tolerancePercent: 5,
          source: "derived",
          derived: { areaCode: "Southampton", crime: "Burglary", measure: "count" },
          demo: false,
        }),
      };
      const plan = await smallPlan(store, { areaCode: AREA, organisations: ["Community Safety Team"] });
      const id = await insertTarget(store, plan.planId, { priorityId: null, indicatorId: indicator.id, tolerancePercent: null, baselinePeriod: "2024-Q1", baselineValue: 10, kind: "value", targetValue: 8, deadline: "2026-Q1" });
      const p = (await performanceForPlan(store, plan.planId)).get(id)!;
      expect(p.rag).toBe("no_data");
      expect(p.ragReason).toMatch(/^No value to measure: .+/);
      expect(p.ragReason).not.toMatch(/has been recorded/);
    });

    it("refuses an unknown plan", async () => {
      await expect(performanceReport(store, 9999)).rejects.toMatchObject({ code: "plan.not_found" });
    });
  });
}
