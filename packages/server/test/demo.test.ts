import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../src/db/database.ts";
import { listImports } from "../src/db/repositories/import-register.repository.ts";
import { DEMO, DEMO_CODE_LIKE, buildDemoCity, demoGenerateParams, isDemoAreaCode } from "../src/demo/demo-city.ts";
import { GENERATE_DEFAULTS, planFiles } from "../src/generate/plan.ts";
import { POLICE_STREET_HEADER } from "../src/generate/row-encoder.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { DEMO_PLAN } from "../src/demo/demo-plan-content.ts";
import { demoState, isDemoLoaded, loadDemo, removeDemo } from "../src/services/demo.service.ts";
import { grantsOfPlan } from "../src/services/grant.service.ts";
import { defineIndicator } from "../src/services/indicator.service.ts";
import { importPoliceData } from "../src/services/import.service.ts";
import { assessPeers } from "../src/services/peers.service.ts";
import { performanceReport } from "../src/services/performance.service.ts";
import { planTimeline } from "../src/services/plan-governance.service.ts";
import { listPlans, planDetail } from "../src/services/plan.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { installReference } from "../src/services/reference.service.ts";
import { FIXTURE_REFERENCE_DIR } from "./support/shared-data.ts";
import { assessPriorityAreas } from "../src/services/priority-areas.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";

const actor = { label: "cli:tester", ip: null };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-demo-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A tiny real-format police.uk file: two Southampton crimes and one without a location. */
const REAL_CSV = path.join(tmp, "2025-01-hampshire-street.csv");
fs.writeFileSync(
  REAL_CSV,
  [
    POLICE_STREET_HEADER,
    `${"ab".repeat(32)},2025-01,Hampshire Constabulary,Hampshire Constabulary,-1.404,50.909,On or near Bevois Valley Road,E01017140,Southampton 001A,Burglary,Under investigation,`,
    ",2025-01,Hampshire Constabulary,Hampshire Constabulary,-1.401,50.911,On or near High Street,E01017141,Southampton 001B,Anti-social behaviour,,",
    ",2025-01,Hampshire Constabulary,Hampshire Constabulary,,,No Location,,,Anti-social behaviour,,",
    "",
  ].join("\n"),
);

/** Row count of every table of the schema (migration bookkeeping left out). */
async function tableCounts(store: Store): Promise<Record<string, number>> {
  const tables = (await store.db.introspection.getTables()).filter((t) => !t.isView && !t.name.startsWith("kysely_")).map((t) => t.name);
  const out: Record<string, number> = {};
  for (const t of tables.sort()) out[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(store.db)).rows[0]!.n);
  return out;
}

/** The real import's rows as published, without ids (which differ between stores). */
async function realRows(store: Store) {
  const incidents = await store.db
    .selectFrom("incident_row")
    .select(["crime_id", "month", "reported_by", "falls_within", "longitude", "latitude", "location", "lsoa_code", "crime_type_id", "outcome", "context"])
    .where("import_id", "in", (eb) => eb.selectFrom("import_file").select("id").where("demo", "=", 0))
    .orderBy("lsoa_code")
    .orderBy("crime_type_id")
    .execute();
  const rollup = await store.db.selectFrom("rollup").select(["lsoa_code", "crime_type_id", "month", "n"]).orderBy("lsoa_code").orderBy("crime_type_id").execute();
  const geo = await store.db.selectFrom("lsoa_geo").selectAll().orderBy("lsoa_code").execute();
  const register = await store.db.selectFrom("import_file").select(["file_name", "force_slug", "month", "sha256", "rows", "no_location_rows", "status", "demo"]).execute();
  const forces = await store.db.selectFrom("force").select(["slug", "name"]).orderBy("slug").execute();
  return { incidents, rollup, geo, register, forces };
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`safecity demo on ${dialect}`, () => {
    describe("on an empty store", () => {
      let store: TestStore;
      beforeAll(async () => {
        store = await openTestStore(dialect);
        await loadDemo(store, { actor, now: () => new Date("2026-01-15T10:00:00Z") });
      }, 120_000);
      afterAll(() => store?.destroy());

      it("imports 24 monthly files of the synthetic force, each marked demo, with the planned rows per month", async () => {
        const city = buildDemoCity();
        const planned = new Map<string, number>();
        for (const f of planFiles(city.world, { ...GENERATE_DEFAULTS, ...demoGenerateParams() })) planned.set(f.month, (planned.get(f.month) ?? 0) + f.rows);
        const register = await listImports(store, { limit: 100 });
        expect(register).toHaveLength(24);
        expect(register.every((r) => r.demo && r.status === "imported" && r.force === DEMO.force.slug)).toBe(true);
        const months = register.map((r) => r.month!).sort();
        expect(months[0]).toBe("2024-01");
        expect(months.at(-1)).toBe("2025-12");
        expect(new Set(months).size).toBe(24);
        for (const r of register) expect(r.rows).toBe(planned.get(r.month!));
        expect(register.reduce((s, r) => s + r.rows, 0)).toBe(DEMO.rows);

        // The force area's counts by month are the register's rows less those without a location.
        const pfa = await countByArea(store, { area: city.pfaCode, from: "2024-01", to: "2025-12" });
        expect(pfa.missingMonths).toEqual([]);
        for (const r of register) expect(pfa.byMonth[r.month!]).toBe(r.rows - r.noLocationRows);
      });

      it("places every LSOA in a ward, local authority, CSP and the force area, with demo codes only", async () => {
        const city = buildDemoCity();
        const areas = await store.db.selectFrom("area").select(["code", "level", "parent_code"]).execute();
        expect(areas.every((a) => isDemoAreaCode(a.code))).toBe(true);
        const byLevel = (level: string) => areas.filter((a) => a.level === level).length;
        expect([byLevel("pfa"), byLevel("csp"), byLevel("lad")]).toEqual([1, 7, 7]);
        expect(byLevel("lsoa")).toBe(city.world.lsoas.length);
        const geo = await store.db.selectFrom("lsoa_geo").selectAll().where("lad_code", "=", city.city.ladCode).execute();
        expect(geo).toHaveLength(city.city.lsoas.length);
        expect(geo.every((g) => g.csp_code === city.city.cspCode && g.pfa_code === city.pfaCode && g.ward_code !== null && g.source === "reference")).toBe(true);
        // Populations: the local authority's 2021 figure is the sum of its LSOAs'.
        const lsoaPop = await store.db
          .selectFrom("population")
          .select((eb) => eb.fn.sum<number>("persons").as("n"))
          .where("area_code", "in", city.city.lsoas.map((l) => l.code))
          .where("year", "=", 2021)
          .executeTakeFirstOrThrow();
        const ladPop = await store.db.selectFrom("population").select("persons").where("area_code", "=", city.city.ladCode).where("year", "=", 2021).executeTakeFirstOrThrow();
        expect(Number(ladPop.persons)).toBe(Number(lsoaPop.n));
        // Outlines for the map: every LSOA, ward, local authority, CSP and the force area.
        const outlines = await store.db.selectFrom("boundary").select(["level", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("level").orderBy("level").execute();
        expect(outlines.map((o) => [o.level, Number(o.n)])).toEqual([
          ["csp", 7],
          ["lad", 7],
          ["lsoa", city.world.lsoas.length],
          ["pfa", 1],
          ["ward", byLevel("ward")],
        ]);
        const deciles = await store.db.selectFrom("imd").select("decile").distinct().execute();
        expect(deciles.map((d) => d.decile).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });

      it("supports rates, peers and priority areas for Demo City", async () => {
        const peers = await assessPeers(store, { area: "csp:Demo City", type: "Violence and sexual offences" });
        expect(peers.members).toHaveLength(7);
        expect(peers.members.every((m) => m.policeData === "complete" && m.population! > 0)).toBe(true);
        expect(peers.groups[0]!.policeUk.status).toBe("ok");
        const priority = await assessPriorityAreas(store, { area: "Demo City" });
        expect(priority.status).toBe("ok");
        expect(priority.excluded).toEqual([]);
      });

      it("loads a published plan that passed consultation, Cabinet with a delegated amendment, and Council", async () => {
        const plans = await listPlans(store);
        expect(plans).toHaveLength(1);
        const d = await planDetail(store, plans[0]!.id);
        expect(d.plan).toMatchObject({ demo: true, state: "published", keyDecision: true, areaCode: buildDemoCity().city.cspCode });
        expect(d.priorities.map((p) => p.position)).toEqual([1, 2, 3]);
        // Priority 3 targets the assessment's priority areas for anti-social behaviour in Demo City.
        const city = buildDemoCity();
        const asbAreas = await assessPriorityAreas(store, { area: city.city.ladCode, type: "Anti-social behaviour", from: "2025-01", to: "2025-12", top: 5 });
        expect(d.priorities[2]!.areaCodes).toEqual(asbAreas.result!.areas.map((a) => a.code));
        expect(d.priorities[2]!.areaCodes).toHaveLength(5);
        expect(d.priorities[2]!.areaCodes.every((c) => city.city.lsoas.some((l) => l.code === c))).toBe(true);
        expect(d.actions.length).toBeGreaterThanOrEqual(5);
        expect(new Set(d.actions.map((a) => a.ownerOrganisationName)).size).toBeGreaterThanOrEqual(4);
        expect(d.responses.length).toBeGreaterThanOrEqual(1);
        expect(d.governance).toMatchObject({ cabinetDate: DEMO_PLAN.cabinet.date, councilDate: DEMO_PLAN.council.date, publishedDate: DEMO_PLAN.publishedDate });
        expect(d.plan.delegation).toEqual(DEMO_PLAN.delegation);
        expect(d.amendments).toEqual([expect.objectContaining({ by: DEMO_PLAN.delegation.delegateEmail, post: DEMO_PLAN.delegation.post })]);
        // The audit trail is the services': each step and the amendment are rows of the plan's timeline.
        const timeline = await planTimeline(store, d.plan.id, { limit: 500 });
        expect(timeline.filter((e) => e.action === "plan.transition").map((e) => (e.after as { state: string }).state)).toEqual([
          "published",
          "approved",
          "recommended",
          "consultation",
        ]);
        expect(timeline.some((e) => e.actor === DEMO_PLAN.delegation.delegateEmail && e.action === "plan.priority.update")).toBe(true);
      });

      it("measures targets in every RAG colour through the performance service", async () => {
        const [plan] = await listPlans(store);
        const report = await performanceReport(store, plan!.id);
        const byKey = new Map(report.targets.map((t) => [t.indicator.key, t.performance]));
        expect(new Set(report.targets.map((t) => t.performance.rag))).toEqual(new Set(["green", "amber", "red"]));
        // By hand: night-time economy violence 2024-12 = round(62 x 1.3) = 81, 2025-12 = round(81 x 0.95) = 77;
        // goal 81 x 0.85 = 68.85; 77 is 11.8% above it (beyond 5%) but below 81 a year before: amber.
        expect(byKey.get("nte-violence")).toMatchObject({ rag: "amber", direction: "improving", latest: { period: "2025-12", value: 77 } });
        expect(byKey.get("nte-violence")!.goal).toBeCloseTo(68.85, 9);
        // First-time entrants 24 in 2025-Q4 against 18 a year before, goal 18 x 0.9 = 16.2: red.
        expect(byKey.get("fte-youth-justice")).toMatchObject({ rag: "red", direction: "worsening", latest: { value: 24 } });
        expect(byKey.get("fte-youth-justice")!.goal).toBeCloseTo(16.2, 9);
        // ASB reports 2025-12 = round(round(430 x 0.8) x 0.93) = 320, goal 344 x 0.95 = 326.8: green.
        expect(byKey.get("asb-reports")).toMatchObject({ rag: "green", latest: { period: "2025-12", value: 320 } });
        // Imported series are measured on the plan's area and named as the reference data names it.
        const asb = report.targets.find((t) => t.indicator.key === "asb-reports")!;
        expect(asb.area).toEqual({ code: buildDemoCity().city.cspCode, name: buildDemoCity().city.name });
        // Derived violence: Demo City's police.uk count in 2025-Q4 against the -4% goal on 2024-Q4.
        const city = buildDemoCity();
        const q = async (from: string, to: string) => (await countByArea(store, { area: city.city.ladCode, from, to, type: "Violence and sexual offences" })).total;
        const violence = byKey.get("demo-city-violence")!;
        expect(violence.latest).toEqual({ period: "2025-Q4", value: await q("2025-10", "2025-12") });
        expect(violence.goal).toBeCloseTo((await q("2024-10", "2024-12")) * 0.96, 9);
      });

      it("gives the £75,000 Community Safety Budget to four voluntary groups", async () => {
        const [plan] = await listPlans(store);
        const grants = await grantsOfPlan(store, plan!.id);
        expect(grants.budgets).toHaveLength(1);
        expect(grants.totals).toMatchObject({ budgetPence: 7_500_000, allocatedPence: 7_500_000, unallocatedPence: 0, paidPence: 3_750_000 });
        const allocations = grants.budgets[0]!.allocations;
        expect(allocations).toHaveLength(4);
        expect(new Set(allocations.map((a) => a.organisationName)).size).toBe(4);
        expect(allocations.reduce((s, a) => s + a.amountPence, 0)).toBe(7_500_000);
        const kinds = await store.db.selectFrom("organisation").select("kind").where("id", "in", allocations.map((a) => a.organisationId)).execute();
        expect(kinds.map((k) => k.kind)).toEqual(["voluntary", "voluntary", "voluntary", "voluntary"]);
      });

      it("refuses a reference install while loaded, which would replace the demo city's geography", async () => {
        const before = await tableCounts(store);
        await expect(installReference(store, FIXTURE_REFERENCE_DIR)).rejects.toMatchObject({ code: "demo.refused", message: expect.stringMatching(/while the demo partnership is loaded/) });
        expect(await tableCounts(store)).toEqual(before);
      });

      it("reports itself loaded, labels the store and refuses to load twice", async () => {
        expect(await isDemoLoaded(store)).toBe(true);
        const state = await demoState(store);
        expect(state).toMatchObject({ loaded: true, canLoad: false, real: { imports: 0, referenceDatasets: 0, plans: 0, indicatorValues: 0 } });
        await expect(loadDemo(store, { actor })).rejects.toMatchObject({ code: "demo.refused", message: "the demo is already loaded" });
        // Two at once (two admins pressing the button): the second is told to wait.
        const [first, second] = await Promise.allSettled([loadDemo(store, { actor }), removeDemo(store, { actor })]);
        expect(first).toMatchObject({ status: "rejected", reason: { message: "the demo is already loaded" } });
        expect(second).toMatchObject({ status: "rejected", reason: { code: "demo.refused", message: "the demo is being loaded or removed right now" } });
        expect(await isDemoLoaded(store)).toBe(true);
      });
    });

    it("refuses a store with real data, saying what it holds, and writes nothing", async () => {
      const store = await openTestStore(dialect);
      try {
        const imported = await importPoliceData(store, [REAL_CSV], { user: "tester" });
        expect(imported.files[0]!.status).toBe("imported");
        const before = await tableCounts(store);
        const refusal = loadDemo(store, { actor });
        await expect(refusal).rejects.toMatchObject({ code: "demo.refused" });
        await expect(refusal).rejects.toThrow(/holds real data \(1 imported police file\)/);
        expect(await tableCounts(store)).toEqual(before);
        expect(await isDemoLoaded(store)).toBe(false);
      } finally {
        await store.destroy();
      }
    }, 60_000);

    it("refuses when a real organisation has a demo partner's name, and leaves nothing behind when loading fails part-way", async () => {
      const store = await openTestStore(dialect);
      try {
        await createUser(store, { email: "pastor@example.org", name: "A Pastor", role: "editor", organisation: "Demo Street Pastors", organisationKind: "voluntary" }, actor, new Date());
        await expect(loadDemo(store, { actor })).rejects.toMatchObject({ code: "demo.refused", message: expect.stringContaining('"Demo Street Pastors" already exists') });
        await store.db.updateTable("organisation").set({ name: "Street Pastors of Elsewhere" }).execute();
        // An indicator defined (without values) under the key of one of the demo's derived indicators:
        // not real data, so the demo starts, and fails when it comes to define its own.
        await defineIndicator(store, { key: "demo-city-violence", name: "Violence", unit: "count", polarity: "lower_is_better", periodType: "month" }, { actor, now: new Date() });
        const before = await tableCounts(store);
        await expect(loadDemo(store, { actor })).rejects.toMatchObject({
          code: "input.invalid",
          message: expect.stringContaining("everything it had written was removed"),
          problems: [expect.objectContaining({ message: expect.stringContaining("`demo-city-violence` already exists") })],
        });
        // All but the shared dictionary of repeated texts (force names, outcomes), which keeps what it learnt.
        expect({ ...(await tableCounts(store)), incident_value: 0 }).toEqual({ ...before, incident_value: 0 });
        expect(await demoState(store)).toMatchObject({ loaded: false, canLoad: true });
      } finally {
        await store.destroy();
      }
    }, 120_000);

    it("`safecity demo --remove` takes every demo row away; real data, refused while the demo is loaded, goes in afterwards exactly as on a store that never had it", async () => {
      const store = await openTestStore(dialect);
      const control = await openTestStore(dialect);
      try {
        const loaded = await runCli(["demo", "--json"], store.env);
        expect(loaded.code, loaded.stderr).toBe(0);
        expect(JSON.parse(loaded.stdout)).toMatchObject({ city: { name: "Demo City" }, police: { files: 24, rows: DEMO.rows } });
        // Real data is refused while the demo is loaded (its LSOAs would be unknown to the demo's
        // synthetic geography and stay in no area after the removal), and nothing is written.
        const beforeRefusal = await tableCounts(store);
        await expect(importPoliceData(store, [REAL_CSV], { user: "tester" })).rejects.toMatchObject({
          code: "demo.refused",
          hint: expect.stringContaining("safecity demo --remove"),
        });
        expect(await tableCounts(store)).toEqual(beforeRefusal);

        const removed = await runCli(["demo", "--remove", "--json"], store.env);
        expect(removed.code, removed.stderr).toBe(0);
        // After the removal the same file goes in as on a store that never had the demo.
        expect((await importPoliceData(store, [REAL_CSV], { user: "tester" })).files[0]!.status).toBe("imported");
        expect((await importPoliceData(control, [REAL_CSV], { user: "tester" })).files[0]!.status).toBe("imported");
        const report = JSON.parse(removed.stdout);
        expect(report.removed).toMatchObject({ import_file: 24, incident: DEMO.rows, reference_dataset: 1, plan: 1, grant_allocation: 4, organisation: 9 });

        // Every table holds what the store with only the real file holds, except the audit log
        // (the demo's load and removal are recorded) and the shared dictionary of repeated texts.
        const after = await tableCounts(store);
        const expected = await tableCounts(control);
        const audit = await store.db.selectFrom("audit_log").select(["action", "actor"]).orderBy("id").execute();
        expect(audit.filter((a) => a.action.startsWith("demo."))).toEqual([
          { action: "demo.load", actor: expect.stringMatching(/^cli:/) },
          { action: "demo.remove", actor: expect.stringMatching(/^cli:/) },
        ]);
        expect({ ...after, audit_log: after.audit_log! - 2, incident_value: 0 }).toEqual({ ...expected, incident_value: 0 });
        expect(await realRows(store)).toEqual(await realRows(control));

        // No demo flag or demo code is left anywhere.
        for (const table of ["import_file", "reference_dataset", "plan", "indicator", "organisation", "grant_budget"] as const) {
          const n = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("demo", "=", 1).executeTakeFirstOrThrow();
          expect(Number(n.n), table).toBe(0);
        }
        const codes = await store.db.selectFrom("lsoa_geo").select("lsoa_code").where("lsoa_code", "like", DEMO_CODE_LIKE).execute();
        expect(codes).toEqual([]);
        expect(await demoState(store)).toMatchObject({ loaded: false });

        // Nothing left to remove: a second removal changes nothing.
        const again = await removeDemo(store, { actor });
        expect(again.removed).toEqual({});
      } finally {
        await store.destroy();
        await control.destroy();
      }
    }, 180_000);
  });
}
