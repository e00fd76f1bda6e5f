import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SERIES_PANELS } from "../src/http/plan-performance.routes.tsx";
import { listIndicators } from "../src/services/indicator.service.ts";
import { addTarget, cliPlanActor } from "../src/services/plan.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { BASE, type PlanFixture, planFixture, signedIn } from "./http-plan-support.ts";

/** The quarterly performance report (tables, RAG, charts, CSV) and the grants page (balances, over-allocation, conflicts). */
for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`plan performance and grants pages on ${dialect}`, () => {
    let store: TestStore;
    let f: PlanFixture;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      f = await planFixture(store);
    }, 60_000);
    afterAll(() => store?.destroy());

    it("performance: each target's latest, change, direction, RAG as word and colour, significance and forecast (checked by hand)", async () => {
      const b = await signedIn(f, "viewer");
      const { res, html } = await b.get(`/plans/${f.planId}/performance`);
      expect(res.status).toBe(200);
      const row = (id: number) => new RegExp(`<tr class="govuk-table__row" data-target-id="${id}" data-rag="([a-z_]+)">([\\s\\S]*?)</tr>`).exec(html)!;
      const met = row(f.targets.met);
      // FTE: baseline 40 (2024-Q4), goal 40 x 0.9 = 36; latest 34 (2025-Q4); 34 - 40 = -6, -15%
      expect(met[1]).toBe("green");
      expect(met[2]).toContain(">36<");
      expect(met[2]).toContain("34 (2025-Q4)");
      expect(met[2]).toContain("−6 (−15%) on 2024-Q4");
      expect(met[2]).toContain("Improving");
      expect(met[2]).toContain('<strong class="govuk-tag govuk-tag--green" data-rag="green">Green</strong>');
      expect(met[2]).toContain("Not significant (p = ");
      // OLS on x = 0..7, y = 40,38,42,40,37,36,35,34: slope -39/42, mean 37.75 at x 3.5; 2026-Q4 is x 11: 37.75 - 7.5 x 39/42 = 30.79
      expect(met[2]).toContain("30.79 in 2026-Q4 (95% interval ");
      const missed = row(f.targets.missed);
      // fires: goal 10, latest 16 (60% above, beyond 5% tolerance), 16 vs 10 a year earlier: worsening -> red
      expect(missed[1]).toBe("red");
      expect(missed[2]).toContain("+6 (+60%) on 2024-Q4");
      expect(missed[2]).toContain("Worsening");
      expect(missed[2]).toContain('<strong class="govuk-tag govuk-tag--red" data-rag="red">Red</strong>');
      expect(missed[2]).toContain("60.0% above the target of 10");

      expect(html).toContain("2 targets: 1 green, 0 amber, 1 red, 0 without data.");
      for (const chart of ["plan-target-gap", "plan-targets", "plan-target-rag", "plan-actions-priority", "plan-actions-owner"]) {
        expect(html).toMatch(new RegExp(`data-testid="chart-${chart}"><section class="app-chart-scroll" aria-label="Chart: [^"]+" tabindex="0"><div role="img" aria-label="[^"]+" data-vega-lite="[^"]+"><svg`));
      }
      expect(html).toContain('src="/assets/app/charts.mjs"');
      expect(html).toContain('data-testid="table-priorities"');
      expect(html).toContain('data-testid="table-owners"');
      expect(html).toContain('data-testid="series-values"');
      // the gap chart's data: fires 60% off its goal (red), FTE on target (0, green)
      const gap = /data-testid="chart-plan-target-gap"[^>]*>[\s\S]*?<div role="img" aria-label="[^"]+" data-vega-lite="([^"]+)"/.exec(html)![1]!.replaceAll("&quot;", '"');
      expect((JSON.parse(gap) as { data: { values: unknown[] } }).data.values).toEqual([
        { target: `${f.targets.met}. First-time entrants to the youth justice system (aged 10-17)`, offPercent: 0, rag: "Green" },
        { target: `${f.targets.missed}. Deliberate fires attended by the fire and rescue service`, offPercent: 60, rag: "Red" },
      ]);
    });

    it("performance CSV: targets (formula in a priority title neutralised), per priority and per owner; an unknown table is 400", async () => {
      const b = await signedIn(f, "viewer");
      const targets = await b.get(`/plans/${f.planId}/performance.csv`);
      expect(targets.res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(targets.res.headers.get("content-disposition")).toBe(`attachment; filename="plan-${f.planId}-performance-targets.csv"`);
      const lines = targets.html.split("\r\n");
      expect(lines[0]!.startsWith("target,priority,indicator,unit,area,baseline period,baseline value,goal,deadline,latest period,latest value")).toBe(true);
      const missed = lines.find((l) => l.startsWith(`${f.targets.missed},`))!;
      expect(missed.startsWith(`${f.targets.missed},'=cmd|' /C calc'!A0,deliberate-fires,count,E06000045,2024-Q4,10,10,2026-Q4,2025-Q4,16,10,6,60,worsening,red,"60.0% above the target of 10 (16 in 2025-Q4), beyond the 5% tolerance and not improving (worse than 10 in 2024-Q4).",no,`)).toBe(true);
      // forecasts at 2026-Q4 (x 11) by least squares: FTE 37.75 - 7.5 x 39/42; fires 12.5 + 7.5 x 34/42
      const forecast = (l: string) => Number(l.split(",").at(-3));
      expect(forecast(missed)).toBeCloseTo(12.5 + (7.5 * 34) / 42, 9);
      expect(forecast(lines.find((l) => l.startsWith(`${f.targets.met},`))!)).toBeCloseTo(37.75 - (7.5 * 39) / 42, 9);
      const priorities = (await b.get(`/plans/${f.planId}/performance.csv?table=priorities`)).html.split("\r\n");
      expect(priorities[0]).toBe(
        "Priority,Actions,Not started,On track,At risk,Off track,Completed,Cancelled,Actions Green,Actions Amber,Actions Red,Actions No data,Targets,Targets Green,Targets Amber,Targets Red,Targets No data",
      );
      // two actions, both not started (no RAG yet); targets: one green, one red
      expect(priorities).toContain("Whole plan,2,2,0,0,0,0,0,0,0,0,2,2,1,0,1,0");
      const owners = (await b.get(`/plans/${f.planId}/performance.csv?table=owners`)).html.split("\r\n");
      expect(owners.slice(1, 3)).toEqual(["Fire and Rescue Service,1,1,0,0,0,0,0,0,0,0,1", "Licensing Service,1,1,0,0,0,0,0,0,0,0,1"]);
      const series = (await b.get(`/plans/${f.planId}/performance.csv?table=series`)).html.split("\r\n");
      expect(series.slice(0, 3)).toEqual(["target,indicator,area,period,value", `${f.targets.met},fte-youth-justice,E06000045,2024-Q1,40`, `${f.targets.met},fte-youth-justice,E06000045,2024-Q2,38`]);
      expect(series.filter(Boolean)).toHaveLength(1 + 16);
      const bad = await b.get(`/plans/${f.planId}/performance.csv?table=nope`);
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("No table `nope`; choose one of targets, series, priorities, owners");
      expect((await b.get("/plans/99999/performance")).res.status).toBe(404);
    });

    it("grants: totals and balance; over-allocation refused with the rule's reason; allocate, pay, record what it delivered; a stale version is refused", async () => {
      const b = await signedIn(f, "analyst");
      const page = await b.get(`/plans/${f.planId}/grants`);
      expect(page.html).toMatch(/Budgets<\/dt><dd[^>]*>£75,000<\/dd>[\s\S]*?Allocated<\/dt><dd[^>]*>£20,000<\/dd>[\s\S]*?Paid<\/dt><dd[^>]*>£5,000<\/dd>[\s\S]*?Balance \(not yet allocated\)<\/dt><dd[^>]*>£55,000<\/dd>/);
      expect(page.html).toMatch(/Licensing Service<span class="govuk-body-s app-block">Street pastors<\/span><\/th><td class="govuk-table__cell app-wrap-anywhere">Late-night levy enforcement patrols<\/td>/);

      const over = await b.post(`/plans/${f.planId}/grants/allocations`, { _form: "allocation-new", budgetId: String(f.budgetId), organisation: "Fire and Rescue Service", actionId: "", purpose: "Arson prevention", amount: "60000" });
      expect(over.res.status).toBe(409);
      expect(over.html).toContain(
        "Allocating £60,000 would take the budget &quot;Community Safety Budget&quot; (2025/26) to £80,000 allocated of £75,000; £20,000 is already allocated, so at most £55,000 more can be.",
      );
      const badAmount = await b.post(`/plans/${f.planId}/grants/allocations`, { _form: "allocation-new", budgetId: String(f.budgetId), organisation: "Fire and Rescue Service", purpose: "Arson prevention", amount: "12.345" });
      expect(badAmount.res.status).toBe(400);
      expect(badAmount.html).toContain('href="#allocation-new-amount">Enter the amount in pounds, e.g. 1250 or 1250.50; got &quot;12.345&quot;</a>');

      expect((await b.post(`/plans/${f.planId}/grants/allocations`, { _form: "allocation-new", budgetId: String(f.budgetId), organisation: "Fire and Rescue Service", actionId: String(f.actions.other), purpose: "Arson prevention", amount: "55,000" })).res.status).toBe(303);
      const overPaid = await b.post(`/plans/${f.planId}/grants/payments`, { _form: "payment-new", allocationId: String(f.allocationId), date: "2025-09-01", amount: "15000.01" });
      expect(overPaid.res.status).toBe(409);
      expect(overPaid.html).toContain("so at most £15,000 more can be.");
      expect((await b.post(`/plans/${f.planId}/grants/payments`, { _form: "payment-new", allocationId: String(f.allocationId), date: "2025-09-01", amount: "15000" })).res.status).toBe(303);

      const rv = /action="\/plans\/\d+\/grants\/allocations\/\d+\/delivered"[^>]*>[\s\S]*?name="row_version" value="(\d+)"/.exec((await b.get(`/plans/${f.planId}/grants`)).html)![1]!;
      const delivered = `/plans/${f.planId}/grants/allocations/${f.allocationId}/delivered`;
      expect((await b.post(delivered, { row_version: rv, delivered: "48 nights of patrols" })).res.status).toBe(303);
      const stale = await b.post(delivered, { row_version: rv, delivered: "something else" });
      expect(stale.res.status).toBe(409);
      expect(stale.html).toContain(`allocation ${f.allocationId} was changed by analyst@council.gov.uk at 2026-02-01T10:00:00.000Z since you opened it`);

      // the budget cannot go below what is allocated (£75,000 now); the allocation form changes the amount too
      const budgetRv = new RegExp(`action="/plans/\\d+/grants/budgets/${f.budgetId}"[^>]*>[\\s\\S]*?name="row_version" value="(\\d+)"`).exec((await b.get(`/plans/${f.planId}/grants`)).html)![1]!;
      const lower = await b.post(`/plans/${f.planId}/grants/budgets/${f.budgetId}`, { _form: `budget-${f.budgetId}`, row_version: budgetRv, amount: "70000" });
      expect(lower.res.status).toBe(409);
      expect(lower.html).toContain("The budget &quot;Community Safety Budget&quot; (2025/26) of £70,000 is less than the £75,000 already allocated from it.");
      const after = await b.get(`/plans/${f.planId}/grants`);
      expect(after.html).toMatch(/Budgets<\/dt><dd[^>]*>£75,000<\/dd>[\s\S]*?Allocated<\/dt><dd[^>]*>£75,000<\/dd>[\s\S]*?Paid<\/dt><dd[^>]*>£20,000<\/dd>[\s\S]*?Balance \(not yet allocated\)<\/dt><dd[^>]*>£0<\/dd>/);
      expect(after.html).toContain("48 nights of patrols");
    });

    it("grants: a budget or allocation of another plan cannot be used through this plan's page", async () => {
      const b = await signedIn(f, "analyst");
      const { res } = await b.post("/plans", { _form: "new-plan", title: "Other plan", areaCode: "E06000045", periodFrom: "2025-04", periodTo: "2028-03" });
      const other = Number(/\/plans\/(\d+)/.exec(res.headers.get("location")!)![1]);
      const r = await b.post(`/plans/${other}/grants/payments`, { _form: "payment-new", allocationId: String(f.allocationId), date: "2025-09-01", amount: "1" });
      expect(r.res.status).toBe(400);
      expect(r.html).toContain(`That allocation (${f.allocationId}) is not part of plan ${other}&#39;s grants.`);
      expect((await f.app.request(`${BASE}/plans/${other}/grants`)).status).toBe(303);
    });

    it("with more than 12 targets the series charts are left out (the page stays small); the note links the series CSV", async () => {
      const actor = cliPlanActor("test");
      const fte = (await listIndicators(store)).find((i) => i.key === "fte-youth-justice")!;
      for (let i = 0; i < MAX_SERIES_PANELS - 1; i++) {
        await addTarget(store, actor, f.planId, { indicatorId: fte.id, baselinePeriod: "2024-Q4", baselineValue: 40, kind: "change_percent", targetValue: -i, deadline: "2026-Q4" }, f.clock);
      }
      const { html } = await (await signedIn(f, "viewer")).get(`/plans/${f.planId}/performance`);
      expect(html.match(/<tr class="govuk-table__row" data-target-id=/g)).toHaveLength(MAX_SERIES_PANELS + 1);
      expect(html).not.toContain('data-testid="chart-plan-targets"');
      expect(html).not.toContain('data-testid="series-values"');
      expect(html).toContain('data-testid="chart-plan-target-gap"');
      expect(html).toMatch(/data-testid="series-note">With more than 12 targets[\s\S]*?href="\/plans\/\d+\/performance\.csv\?table=series"/);
    });
  });
}
