import {
  ActionProgressSchema,
  AuditListSchema,
  governanceTransition,
  IndicatorListSchema,
  IndicatorWithValuesSchema,
  PerformanceReportSchema,
  PlanDetailSchema,
  PlanGrantsSchema,
  PlanListSchema,
  PlanSchema,
} from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { api, BASE, type PlanFixture, planFixture, signedIn } from "./http-plan-support.ts";

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** The plan JSON API: every endpoint by role, refusals with their codes and reasons, CSRF for browser sessions, the OpenAPI document. */
for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`plan API on ${dialect}`, () => {
    let store: TestStore;
    let f: PlanFixture;
    let gets: string[];
    let posts: string[];

    beforeAll(async () => {
      store = await openTestStore(dialect);
      f = await planFixture(store);
      const id = f.planId;
      gets = ["/api/v1/plans", `/api/v1/plans/${id}`, `/api/v1/plans/${id}/performance`, `/api/v1/plans/${id}/audit`, `/api/v1/plans/${id}/grants`, "/api/v1/indicators", "/api/v1/indicators/fte-youth-justice?area=E06000045"];
      posts = [`/api/v1/plans/${id}/transition`, `/api/v1/plans/${id}/actions/${f.actions.own}/progress`];
    }, 60_000);
    afterAll(() => store?.destroy());

    it("anonymous: every endpoint answers 401 auth.required", async () => {
      for (const p of [...gets, ...posts]) {
        const res = await f.app.request(`${BASE}${p}`, posts.includes(p) ? json({}) : {});
        expect(res.status, p).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code, p).toBe("auth.required");
      }
    });

    it("viewer: reads every endpoint (each body matches its schema); both posts are 403 auth.forbidden", async () => {
      for (const p of gets) expect((await api(f, "viewer", p)).res.status, p).toBe(200);
      expect(PlanListSchema.parse((await api(f, "viewer", "/api/v1/plans")).body).plans.map((p) => p.title)).toEqual(["Safer Southampton 2025-2028"]);
      PlanGrantsSchema.parse((await api(f, "viewer", `/api/v1/plans/${f.planId}/grants`)).body);
      PerformanceReportSchema.parse((await api(f, "viewer", `/api/v1/plans/${f.planId}/performance`)).body);
      expect(IndicatorListSchema.parse((await api(f, "viewer", "/api/v1/indicators")).body).indicators.map((i) => i.key)).toContain("deliberate-fires");
      const series = IndicatorWithValuesSchema.parse((await api(f, "viewer", "/api/v1/indicators/fte-youth-justice?area=E06000045")).body);
      expect(series.values.map((v) => v.value)).toEqual([40, 38, 42, 40, 37, 36, 35, 34]);
      const noArea = await api(f, "viewer", "/api/v1/indicators/fte-youth-justice");
      expect(noArea.res.status).toBe(400);
      expect(noArea.body.error!.message).toContain("fte-youth-justice is imported by area");
      expect((await api(f, "viewer", "/api/v1/indicators/nope")).res.status).toBe(404);
      for (const p of posts) {
        const { res, body } = await api(f, "viewer", p, json({ to: "consultation", date: "2026-01-05", status: "on_track", note: "x" }));
        expect(res.status, p).toBe(403);
        expect(body.error!.code, p).toBe("auth.forbidden");
      }
    });

    it("detail: every target with its value, direction, RAG and forecast (hand-checked), actions with progress", async () => {
      const d = PlanDetailSchema.parse((await api(f, "viewer", `/api/v1/plans/${f.planId}`)).body);
      const met = d.targets.find((t) => t.id === f.targets.met)!.performance!;
      expect([met.goal, met.latest, met.direction, met.rag]).toEqual([36, { period: "2025-Q4", value: 34 }, "improving", "green"]);
      expect(met.forecast!.period).toBe("2026-Q4");
      expect(met.forecast!.value).toBeCloseTo(37.75 - (7.5 * 39) / 42, 9);
      const missed = d.targets.find((t) => t.id === f.targets.missed)!.performance!;
      expect([missed.goal, missed.latest!.value, missed.change!.absolute, missed.direction, missed.rag]).toEqual([10, 16, 6, "worsening", "red"]);
      expect(d.actions.map((a) => [a.title, a.ownerOrganisationName, a.progress.length])).toEqual([
        ["Late-night levy enforcement patrols", "Licensing Service", 0],
        ["Arson reduction visits", "Fire and Rescue Service", 0],
      ]);
      expect((await api(f, "viewer", "/api/v1/plans/99999")).res.status).toBe(404);
      expect((await api(f, "viewer", "/api/v1/plans/abc")).res.status).toBe(400);
    });

    it("editors: progress on their own organisation's action (201, audited); on another's 403 plan.forbidden with the reason; no governance steps", async () => {
      const own = await api(f, "editorOwn", `/api/v1/plans/${f.planId}/actions/${f.actions.own}/progress`, json({ date: "2026-01-31", status: "at_risk", note: "Two patrols cancelled" }));
      expect(own.res.status).toBe(201);
      expect(ActionProgressSchema.parse(own.body)).toMatchObject({ actionId: f.actions.own, author: "licensing@council.gov.uk", status: "at_risk" });
      const audit = AuditListSchema.parse((await api(f, "viewer", `/api/v1/plans/${f.planId}/audit?target=action:${f.actions.own}`)).body).entries;
      expect(audit.map((e) => [e.action, e.actor])).toEqual([
        ["plan.progress.create", "licensing@council.gov.uk"],
        ["plan.action.create", "cli:test"],
      ]);

      const before = (await listAudit(store, { limit: 1000 })).filter((r) => !r.action.startsWith("access.")).length;
      const other = await api(f, "editorOther", `/api/v1/plans/${f.planId}/actions/${f.actions.own}/progress`, json({ date: "2026-01-31", status: "off_track", note: "x" }));
      expect(other.res.status).toBe(403);
      expect(other.body.error).toMatchObject({ code: "plan.forbidden" });
      expect(other.body.error!.message).toContain(`action ${f.actions.own} is owned by Licensing Service, and editors update only their own organisation's actions`);
      const step = await api(f, "editorOwn", `/api/v1/plans/${f.planId}/transition`, json({ to: "consultation", date: "2026-01-05", consultees: ["Scrutiny"] }));
      expect(step.res.status).toBe(403);
      // the two refusals are audited (access.forbidden), and nothing else is written
      expect((await listAudit(store, { action: "access.forbidden", limit: 2 })).map((r) => r.actor)).toEqual(["licensing@council.gov.uk", "fire@fire.gov.uk"]);
      expect((await listAudit(store, { limit: 1000 })).filter((r) => !r.action.startsWith("access.")).length).toBe(before);
      // an action of the plan only
      expect((await api(f, "editorOwn", `/api/v1/plans/${f.planId}/actions/99999/progress`, json({ date: "2026-01-31", status: "on_track", note: "x" }))).res.status).toBe(404);
      const bad = await api(f, "editorOwn", `/api/v1/plans/${f.planId}/actions/${f.actions.own}/progress`, json({ date: "2026-02-30", status: "fine", note: "" }));
      expect(bad.res.status).toBe(400);
      expect(bad.body.error!.message).toContain("body field `date`: must be a calendar date (YYYY-MM-DD)");
      expect(bad.body.error!.message).toContain("body field `status`");
    });

    it("analyst and admin: a refused step is 409 with core's reason; a stale rowVersion 409 plan.conflict; then the step is recorded", async () => {
      const url = `/api/v1/plans/${f.planId}/transition`;
      const plan = PlanSchema.parse((await api(f, "analyst", `/api/v1/plans/${f.planId}`)).body.plan);
      const refused = await api(f, "analyst", url, json({ to: "recommended", date: "2026-02-10", resolution: "x" }));
      expect(refused.res.status).toBe(409);
      expect(refused.body.error!.code).toBe("plan.invalid_transition");
      // the reason is core's, word for word
      const snapshot = { state: "draft" as const, priorityCount: 2, consultees: [], responseCount: 0, keyDecision: false, forwardPlanNoticeDate: null, impactAssessment: null, delegation: null, cabinetDate: null, councilDate: null, publishedDate: null };
      const expected = governanceTransition(snapshot, { to: "recommended", date: "2026-02-10", resolution: "x" });
      expect(expected.ok).toBe(false);
      expect(refused.body.error!.message).toBe((expected as { reason: string }).reason);
      const noConsultee = await api(f, "analyst", url, json({ to: "consultation", date: "2026-01-05" }));
      expect(noConsultee.res.status).toBe(409);
      expect(noConsultee.body.error!.message).toContain("No consultee is named");
      const notJson = await api(f, "analyst", url, { method: "POST", headers: { "content-type": "text/plain" }, body: "to=consultation" });
      expect(notJson.res.status).toBe(400);
      expect(notJson.body.error!.message).toContain("Send the body as JSON");

      const ok = await api(f, "analyst", url, json({ to: "consultation", date: "2026-01-05", consultees: ["Overview and Scrutiny"], rowVersion: plan.rowVersion }));
      expect(ok.res.status).toBe(200);
      expect(PlanSchema.parse(ok.body).state).toBe("consultation");
      const stale = await api(f, "admin", url, json({ to: "draft", date: "2026-01-06", note: "Council referred it back", rowVersion: plan.rowVersion }));
      expect(stale.res.status).toBe(409);
      expect(stale.body.error!.code).toBe("plan.conflict");
      expect(stale.body.error!.message).toContain("was changed by analyst@council.gov.uk");
      const back = await api(f, "admin", url, json({ to: "draft", date: "2026-01-06", note: "Council referred it back", rowVersion: plan.rowVersion + 1 }));
      expect(back.res.status).toBe(200);
      const steps = AuditListSchema.parse((await api(f, "admin", `/api/v1/plans/${f.planId}/audit?limit=2`)).body).entries;
      expect(steps.map((e) => [e.action, e.actor, (e.after as { state: string }).state])).toEqual([
        ["plan.transition", "admin@council.gov.uk", "draft"],
        ["plan.transition", "analyst@council.gov.uk", "consultation"],
      ]);
    });

    it("a browser session must send the CSRF token (X-CSRF-Token) on API posts", async () => {
      const b = await signedIn(f, "editorOwn");
      const headers = { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/json" };
      const body = JSON.stringify({ date: "2026-02-01", status: "on_track", note: "Back on track" });
      const url = `${BASE}/api/v1/plans/${f.planId}/actions/${f.actions.own}/progress`;
      const without = await f.app.request(url, { method: "POST", headers, body });
      expect(without.status).toBe(403);
      expect(((await without.json()) as { error: { code: string } }).error.code).toBe("auth.csrf");
      const withToken = await f.app.request(url, { method: "POST", headers: { ...headers, "x-csrf-token": b.csrf }, body });
      expect(withToken.status).toBe(201);
    });

    it("the OpenAPI document lists the plan endpoints with their roles, the JSON bodies and the shared schemas", async () => {
      const doc = (await api(f, "viewer", "/api/v1/openapi.json")).body as { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown> } };
      const expected: [string, string, string][] = [
        ["/api/v1/plans", "get", "viewer"],
        ["/api/v1/plans/{id}", "get", "viewer"],
        ["/api/v1/plans/{id}/performance", "get", "viewer"],
        ["/api/v1/plans/{id}/transition", "post", "analyst"],
        ["/api/v1/plans/{id}/actions/{actionId}/progress", "post", "editor"],
        ["/api/v1/plans/{id}/audit", "get", "viewer"],
        ["/api/v1/plans/{id}/grants", "get", "viewer"],
        ["/api/v1/indicators", "get", "viewer"],
        ["/api/v1/indicators/{key}", "get", "viewer"],
      ];
      for (const [p, method, role] of expected) {
        expect(doc.paths[p]?.[method], `${method} ${p}`).toBeDefined();
        expect(doc.paths[p]![method]!["x-safecity-role"], p).toBe(role);
      }
      const body = doc.paths["/api/v1/plans/{id}/transition"]!.post!.requestBody as { content: Record<string, { schema: unknown }> };
      expect(body.content["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/TransitionBody" });
      expect(Object.keys((doc.paths["/api/v1/plans/{id}/transition"]!.post!.responses as object) ?? {})).toEqual(["200", "400", "401", "403", "404", "409"]);
      for (const s of ["PlanDetail", "TargetPerformance", "PerformanceReport", "PlanGrants", "AuditList", "TransitionBody", "ProgressBody"]) expect(doc.components.schemas[s], s).toBeDefined();
    });
  });
}
