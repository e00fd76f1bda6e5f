import { poissonTest, TrendsSchema } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { trendsView } from "../src/services/analysis-views.service.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { loadDemo } from "../src/services/demo.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { assessSeasonality } from "../src/services/seasonality.service.ts";
import { createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { runCli } from "./support/cli.ts";

/**
 * Issue 12 item 1: year on year, the same quarter last year, rolling 12 months and financial and
 * calendar years on the trends page and its API, over the demo's two years (2024-01..2025-12),
 * each figure checked against counts taken independently from the counts service.
 */
const CLI = { label: "cli:test", ip: null };
const AREA = "csp:Demo City";

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`trend comparisons on ${dialect}`, () => {
    let store: TestStore;
    const count = async (from: string, to: string, type?: string) => (await countByArea(store, { area: AREA, from, to, ...(type ? { type } : {}) })).total;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await loadDemo(store, { actor: CLI, now: () => new Date("2026-01-15T10:00:00Z") });
    }, 600_000);
    afterAll(() => store?.destroy());

    it("each comparison equals counts taken independently, with the exact Poisson test", async () => {
      const v = await trendsView(store, { area: AREA });
      const c = v.comparisons.find((g) => g.group === "Burglary")!;
      const [q25, q24] = [await count("2025-10", "2025-12", "Burglary"), await count("2024-10", "2024-12", "Burglary")];
      expect([c.sameQuarterLastYear.current.count, c.sameQuarterLastYear.previous.count]).toEqual([q25, q24]);
      expect(c.sameQuarterLastYear.test).toEqual(poissonTest(q25, 3, q24, 3));
      const [y25, y24] = [await count("2025-01", "2025-12", "Burglary"), await count("2024-01", "2024-12", "Burglary")];
      expect(c.calendarYears.map((y) => [y.year, y.count, y.complete])).toEqual([
        ["2024", y24, true],
        ["2025", y25, true],
      ]);
      expect(c.calendarYears[0]!.change).toBeNull();
      expect(c.calendarYears[1]!.change!.test).toEqual(poissonTest(y25, 12, y24, 12));
      expect(c.yearOnYear.test).toEqual(c.calendarYears[1]!.change!.test);
      // financial years: 2023/24 has January to March 2024 only; 2024/25 is complete; 2025/26 has 9 months
      const fy2425 = await count("2024-04", "2025-03", "Burglary");
      expect(c.financialYears.map((y) => [y.year, y.monthsWithData, y.complete])).toEqual([
        ["2023/24", 3, false],
        ["2024/25", 12, true],
        ["2025/26", 9, false],
      ]);
      expect(c.financialYears[1]!.count).toBe(fy2425);
      // 2025/26 against 2024/25 over April to December of both
      const [a25, a24] = [await count("2025-04", "2025-12", "Burglary"), await count("2024-04", "2024-12", "Burglary")];
      expect([c.financialYears[2]!.change!.current.count, c.financialYears[2]!.change!.previous.count]).toEqual([a25, a24]);
      expect(c.financialYears[2]!.change!.current.label).toBe("the 12 months to March 2026 (9 months with data in both years)");
      // rolling 12 months: from the first month with 12 behind it; the last equals the year
      expect(c.rolling12[0]).toEqual({ month: "2024-12", total: y24, monthsWithData: 12 });
      expect(c.rolling12.at(-1)).toEqual({ month: "2025-12", total: y25, monthsWithData: 12 });
      expect(c.rolling12.find((r) => r.month === "2025-06")!.total).toBe(await count("2024-07", "2025-06", "Burglary"));
    }, 300_000);

    it("the trends page shows them (long tables folded) with CSVs, and the API carries them", async () => {
      const clock = new Date("2026-01-15T10:00:00Z");
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      const user = await createUser(store, { email: "viewer@council.gov.uk", name: "viewer", role: "viewer" }, CLI, clock);
      const b = new TestBrowser(app);
      expect((await b.signIn("viewer@council.gov.uk", user.generatedPassword!)).res.status).toBe(303);
      const q = `area=${encodeURIComponent(AREA)}`;
      const page = await b.get(`/trends?${q}`);
      expect(page.res.status).toBe(200);
      expect(page.html).toContain("Same quarter last year");
      expect(page.html).toMatch(/data-testid="years-folded"/);
      expect(page.html).toMatch(/data-testid="rolling12-folded"/);
      const years = await b.get(`/trends.csv?${q}&table=years`);
      expect(years.res.status).toBe(200);
      // "All crime" leaves out anti-social behaviour
      const y25 = (await count("2025-01", "2025-12")) - (await count("2025-01", "2025-12", "Anti-social behaviour"));
      expect(years.html.split("\n").find((l) => l.startsWith("Demo City,All crime,2025,"))).toContain(`,12,${y25},`);
      const token = (await createApiToken(store, "viewer@council.gov.uk", "test", CLI, clock)).token;
      const res = await app.request(`http://localhost/api/v1/trends?${q}`, { headers: { authorization: `Bearer ${token}` } });
      const api = TrendsSchema.parse(await res.json());
      const all = api.comparisons.find((g) => g.group === "All crime")!;
      expect(all.rolling12.at(-1)!.total).toBe(y25);
      expect((all.yearOnYear as { current: { count: number } }).current.count).toBe(y25);
    }, 300_000);

    it("seasonality: ratio to the moving average by default, the calendar-month mean on request (issue 13 item 7)", async () => {
      const r = await assessSeasonality(store, { area: AREA, from: "2024-01", to: "2025-12", type: "Burglary" });
      expect(r.profile.params.method).toBe("ratio-to-moving-average");
      expect(r.profile.index.reduce((s, x) => s + x.index!, 0) / 12).toBeCloseTo(100, 9);
      const base = ["seasonality", "--area", AREA, "--from", "2024-01", "--to", "2025-12", "--type", "Burglary"];
      const mean = await runCli([...base, "--method", "mean", "--json"], store.env);
      expect(mean.code, mean.stderr).toBe(0);
      const profile = JSON.parse(mean.stdout).profile as { params: { method: string }; index: { index: number }[] };
      expect(profile.params.method).toBe("mean");
      // January's mean index by hand: mean of the two Januaries over the mean of all 24 months
      const [j24, j25, all] = [await count("2024-01", "2024-01", "Burglary"), await count("2025-01", "2025-01", "Burglary"), await count("2024-01", "2025-12", "Burglary")];
      expect(profile.index[0]!.index).toBeCloseTo(((j24 + j25) / 2 / (all / 24)) * 100, 6);
      const text = await runCli(base, store.env);
      expect(text.stdout).toContain("seasonal index: ratio to the centred 12-month moving average, after days in month");
      const bad = await runCli([...base, "--method", "stl"], store.env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/--method must be one of ratio-to-moving-average, mean/);
    }, 300_000);
  });
}
