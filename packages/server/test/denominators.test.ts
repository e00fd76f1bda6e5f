import { empiricalBayesRates, findNonFinite } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessPeers } from "../src/services/peers.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { assessPriorityAreas } from "../src/services/priority-areas.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { assessTrends } from "../src/services/trends.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "./support/shared-data.ts";

/**
 * Decision 0024 on the committed fixtures: priority areas with observed or empirical Bayes rates
 * (both on every row, the choice said), and the population-year notes of every rate-bearing result.
 */
const query = { area: "Southampton", from: "2025-01", to: "2025-03" };

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`fair denominators on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await installReference(store, FIXTURE_REFERENCE_DIR, { now: () => new Date("2026-01-01T00:00:00Z") });
      await importPoliceData(store, [FIXTURE_SOUTHAMPTON_2025], { user: "test", now: () => new Date("2026-01-01T00:00:00Z") });
    }, 180_000);
    afterAll(() => store?.destroy());

    it("priority areas: observed rates ranked by default, the smoothed rate of every LSOA = empiricalBayesRates over the ranked LSOAs", async () => {
      const raw = await assessPriorityAreas(store, { ...query, top: 10 });
      const r = raw.result!;
      expect(r.params.rates).toBe("raw");
      const eb = empiricalBayesRates(r.ranked.map((a) => ({ code: a.code, count: a.count, population: a.population })));
      const byCode = new Map(eb.areas.map((a) => [a.code, a.smoothedRate]));
      for (const a of r.ranked) {
        expect(a.rate).toBeCloseTo((a.count / a.population) * 1000, 10);
        expect(a.smoothedRate).toBeCloseTo(byCode.get(a.code)!, 10); // sums in another order
      }
      expect(r.params.empiricalBayes.pooledRate).toBeCloseTo((r.ranked.reduce((s, a) => s + a.count, 0) / r.ranked.reduce((s, a) => s + a.population, 0)) * 1000, 10);
      expect(raw.notes.some((n) => /^Ranked on observed crime rates per 1,000 residents; ranked on smoothed \(empirical Bayes\) rates, (the same 10 LSOAs would be listed|\d+ of the 10 listed would differ)\.$/.test(n))).toBe(true);
      expect(raw.notes).toContain(
        "LSOA rates per 1,000 use Census 2021 usual residents: the only one installed; mid-2025, the middle of 2025-01 to 2025-03, is 4 years away; population change since then is not allowed for.",
      );
      expect(findNonFinite(raw.result)).toEqual([]);

      const smoothed = (await assessPriorityAreas(store, { ...query, top: 10, rates: "empirical-bayes" })).result!;
      expect(smoothed.params.rates).toBe("empirical-bayes");
      // the smoothed ranking: rateRank 1 is the highest smoothed rate
      const top = [...smoothed.ranked].sort((a, b) => b.smoothedRate - a.smoothedRate)[0]!;
      expect(top.rateRank).toBe(1);
      expect(smoothed.areas[0]!.reason).toMatch(/^Smoothed crime rate [\d,.]+ per 1,000 residents \(.*; observed [\d,.]+\)/);
    });

    it("the CLI: --rates empirical-bayes in the JSON and the table, a bad value refused with the choices", async () => {
      const ok = await runCli(["priority-areas", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03", "--rates", "empirical-bayes", "--json"], store.env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout).params.analysis.rates).toBe("empirical-bayes");
      const text = await runCli(["priority-areas", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03"], store.env);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/rate\/1,000 +smoothed\/1,000/);
      const bad = await runCli(["priority-areas", "--area", "Southampton", "--rates", "smooth"], store.env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/--rates must be raw or empirical-bayes; got `smooth`/);
    }, 240_000);

    it("trends and peers say which population year their rates use and why", async () => {
      const t = await assessTrends(store, { ...query, period: "month" });
      // the fixture installs Southampton's mid-2019, mid-2020 (ONS LAD files) and mid-2022 (MYE5)
      expect(t.notes).toContain(
        "Rates per 1,000 use the ONS mid-2022 population estimate: the nearest installed to mid-2025, the middle of 2025-01 to 2025-03 (installed: mid-2019, mid-2020, mid-2022); population change since then is not allowed for.",
      );
      const all = t.groups.find((g) => g.group === "All crime")!;
      expect(all.series.periods.map((p) => p.populationYear)).toEqual(["2022", "2022", "2022"]);
      const p = await assessPeers(store, { ...query, peers: ["E06000044", "E06000046"] });
      expect(p.notes.some((n) => n.startsWith("police.uk rates per 1,000 use ONS mid-2022 population estimates"))).toBe(true);
    });
  });
}
