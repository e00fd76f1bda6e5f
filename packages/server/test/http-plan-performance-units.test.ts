import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importIndicatorFile } from "../src/services/indicator-import.service.ts";
import { listIndicators } from "../src/services/indicator.service.ts";
import { addTarget, cliPlanActor } from "../src/services/plan.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { type PlanFixture, planFixture, signedIn } from "./http-plan-support.ts";

/**
 * The performance page and CSV write each figure with its unit so it cannot be misread: a
 * percentage indicator's values as "23.8%" and its change in points, and the CSV names the unit;
 * the summary's action counts add up to the number of actions.
 */
const REPEAT_CSV = ["indicator,area,period,value", ...[28, 27.5, 27, 26.4, 25.6, 25, 24.3, 23.8].map((v, i) => `repeat-domestic-abuse,E06000045,${2024 + Math.floor(i / 4)}-Q${(i % 4) + 1},${v}`)].join("\n");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`performance figures with their units on ${dialect}`, () => {
    let store: TestStore;
    let f: PlanFixture;
    let repeatTarget: number;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      f = await planFixture(store);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-units-"));
      const file = path.join(dir, "repeat.csv");
      fs.writeFileSync(file, REPEAT_CSV);
      const report = await importIndicatorFile(store, file, { actor: { label: "cli:test", ip: null }, now: f.clock });
      fs.rmSync(dir, { recursive: true, force: true });
      expect(report.errors).toEqual([]);
      const repeat = (await listIndicators(store)).find((i) => i.key === "repeat-domestic-abuse")!;
      expect(repeat.unit).toBe("percent");
      const t = await addTarget(store, cliPlanActor("test"), f.planId, { indicatorId: repeat.id, baselinePeriod: "2024-Q4", baselineValue: 26.4, kind: "value", targetValue: 25, deadline: "2026-Q4" }, f.clock);
      repeatTarget = t.id;
    }, 60_000);
    afterAll(() => store?.destroy());

    it("page: a percentage's goal and latest carry %, its change is in points beside the relative change", async () => {
      const { html } = await (await signedIn(f, "viewer")).get(`/plans/${f.planId}/performance`);
      const row = new RegExp(`<tr class="govuk-table__row" data-target-id="${repeatTarget}" data-rag="([a-z_]+)">([\\s\\S]*?)</tr>`).exec(html)!;
      // latest 23.8 (2025-Q4) against 26.4 a year before: -2.6 points, -2.6 / 26.4 = -9.8%
      expect(row[2]).toContain(">25%<");
      expect(row[2]).toContain("23.8% (2025-Q4)");
      expect(row[2]).toContain("−2.6 points (−9.8%) on 2024-Q4");
      // counts stay bare: FTE 34 against 40
      expect(html).toContain("34 (2025-Q4)");
      expect(html).toContain("−6 (−15%) on 2024-Q4");
    });

    it("plan page: the target's goal, baseline and latest carry the unit too", async () => {
      const { html } = await (await signedIn(f, "viewer")).get(`/plans/${f.planId}`);
      const row = new RegExp(`<tr class="govuk-table__row" data-target-id="${repeatTarget}">([\\s\\S]*?)</tr>`).exec(html)!;
      expect(row[1]).toContain("reach 25% (baseline 2024-Q4: 26.4%) by");
      expect(row[1]).toContain(">25%<");
      expect(row[1]).toContain("23.8% (2025-Q4)");
    });

    it("page: the summary counts every action (two not started in the fixture)", async () => {
      const { html } = await (await signedIn(f, "viewer")).get(`/plans/${f.planId}/performance`);
      expect(html).toContain("2 key actions: 2 not started, 0 on track, 0 at risk, 0 off track, 0 completed, 0 cancelled.");
    });

    it("CSV: each target names its indicator's unit", async () => {
      const lines = (await (await signedIn(f, "viewer")).get(`/plans/${f.planId}/performance.csv`)).html.split("\r\n");
      const header = lines[0]!.split(",");
      expect(header.slice(0, 5)).toEqual(["target", "priority", "indicator", "unit", "area"]);
      expect(lines.find((l) => l.startsWith(`${repeatTarget},`))!.startsWith(`${repeatTarget},,repeat-domestic-abuse,percent,E06000045,2024-Q4,26.4,25,`)).toBe(true);
      expect(lines.find((l) => l.startsWith(`${f.targets.met},`))!).toContain(",fte-youth-justice,count,E06000045,");
    });
  });
}
