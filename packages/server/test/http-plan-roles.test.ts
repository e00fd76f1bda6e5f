import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { BASE, type PlanFixture, pageRoutes, planFixture, postRoutes, signedIn } from "./http-plan-support.ts";

/** Audit rows of changes: refusals are audited too (`access.*`), and those are not changes. */
async function changeRows(store: TestStore): Promise<number> {
  return (await listAudit(store, { limit: 5000 })).filter((r) => !r.action.startsWith("access.")).length;
}

async function refusalRows(store: TestStore): Promise<number> {
  return (await listAudit(store, { limit: 5000 })).filter((r) => r.action.startsWith("access.")).length;
}

/** Roles over HTTP for every plan page and form post: anonymous, viewer, editors of the owning and of another organisation, analyst, admin; CSRF on every post. */
for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`plan pages: roles and CSRF on ${dialect}`, () => {
    let store: TestStore;
    let f: PlanFixture;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      f = await planFixture(store);
    }, 60_000);
    afterAll(() => store?.destroy());

    it("anonymous: every page redirects to sign-in with the page as next; every post goes to sign-in and changes nothing", async () => {
      const before = await changeRows(store);
      for (const p of pageRoutes(f)) {
        const res = await f.app.request(`${BASE}${p}`);
        expect(res.status, p).toBe(303);
        expect(res.headers.get("location"), p).toBe(`/login?next=${encodeURIComponent(p)}`);
      }
      for (const p of postRoutes(f)) {
        const res = await f.app.request(`${BASE}${p}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "title=x" });
        expect(res.status, p).toBe(303);
        expect(res.headers.get("location"), p).toBe("/login");
      }
      expect(await changeRows(store)).toBe(before);
    });

    it("viewer: reads every page (no forms) and is refused every post with 403 and the role it needs", async () => {
      const b = await signedIn(f, "viewer");
      for (const p of pageRoutes(f)) {
        const { res } = await b.get(p);
        expect(res.status, p).toBe(200);
      }
      const { html } = await b.get(`/plans/${f.planId}`);
      expect(html).not.toContain('data-testid="transitions"');
      expect(html).not.toContain("form-priority-new");
      expect(html).not.toContain("form-progress-");
      expect((await b.get("/plans")).html).not.toContain('action="/plans"');
      const before = await changeRows(store);
      const refusedBefore = await refusalRows(store);
      for (const p of postRoutes(f)) {
        const { res, html: refused } = await b.post(p, { title: "x" });
        expect(res.status, p).toBe(403);
        expect(refused, p).toMatch(/needs the (analyst|editor) role or above; you are signed in as viewer/);
      }
      expect(await changeRows(store)).toBe(before);
      expect(await refusalRows(store)).toBe(refusedBefore + postRoutes(f).length);
    });

    it("editor of the owning organisation: a progress form on their own action only; records progress; refused the analysts' posts", async () => {
      const b = await signedIn(f, "editorOwn");
      for (const p of pageRoutes(f)) expect((await b.get(p)).res.status, p).toBe(200);
      const { html } = await b.get(`/plans/${f.planId}`);
      expect(html).toContain(`form-progress-${f.actions.own}`);
      expect(html).not.toContain(`form-progress-${f.actions.other}`);
      expect(html).not.toContain('data-testid="transitions"');
      expect(html).not.toContain("form-priority-new");

      const ok = await b.post(`/plans/${f.planId}/actions/${f.actions.own}/progress`, { _form: `progress-${f.actions.own}`, date: "2026-01-31", status: "on_track", note: "Patrols every weekend" });
      expect(ok.res.status).toBe(303);
      expect(ok.res.headers.get("location")).toBe(`/plans/${f.planId}?done=progress`);
      const after = await b.get(ok.res.headers.get("location")!);
      expect(after.html).toContain("Progress recorded.");
      expect(after.html).toMatch(new RegExp(`data-action-id="${f.actions.own}"[\\s\\S]*?data-status="on_track"[\\s\\S]*?2026-01-31, licensing@council\\.gov\\.uk:</span> Patrols every weekend`));

      for (const p of postRoutes(f).filter((x) => !x.endsWith("/progress") && !x.endsWith("/milestones"))) {
        const { res, html: refused } = await b.post(p, { title: "x" });
        expect(res.status, p).toBe(403);
        expect(refused, p).toContain("needs the analyst role or above; you are signed in as editor");
      }
    });

    it("editor of another organisation: refused (403) on the Licensing Service's action with the reason; nothing written", async () => {
      const b = await signedIn(f, "editorOther");
      const { html } = await b.get(`/plans/${f.planId}`);
      expect(html).toContain(`form-progress-${f.actions.other}`);
      expect(html).not.toContain(`form-progress-${f.actions.own}`);
      const before = await changeRows(store);
      const { res, html: refused } = await b.post(`/plans/${f.planId}/actions/${f.actions.own}/progress`, { _form: `progress-${f.actions.own}`, date: "2026-01-31", status: "off_track", note: "not mine" });
      expect(res.status).toBe(403);
      expect(refused).toContain(`action ${f.actions.own} is owned by Licensing Service, and editors update only their own organisation&#39;s actions`);
      expect(await changeRows(store)).toBe(before);
      // their own organisation's action is fine
      const ok = await b.post(`/plans/${f.planId}/actions/${f.actions.other}/progress`, { _form: `progress-${f.actions.other}`, date: "2026-01-31", status: "at_risk", note: "Fewer visits than planned" });
      expect(ok.res.status).toBe(303);
    });

    for (const who of ["analyst", "admin"] as const) {
      it(`${who}: every page with the editing forms; every post passes the role check (an empty form comes back with what is missing, never 403)`, async () => {
        const b = await signedIn(f, who);
        for (const p of pageRoutes(f)) expect((await b.get(p)).res.status, p).toBe(200);
        const { html } = await b.get(`/plans/${f.planId}`);
        expect(html).toContain('data-testid="transitions"');
        expect(html).toContain("form-priority-new");
        expect(html).toContain(`form-progress-${f.actions.own}`);
        expect(html).toContain(`form-progress-${f.actions.other}`);
        expect((await b.get("/plans")).html).toContain('action="/plans"');
        expect((await b.get(`/plans/${f.planId}/grants`)).html).toContain("form-budget-new");
        for (const p of postRoutes(f)) {
          const { res, html: body } = await b.post(p, {});
          // 404: removing a link or partner the plan does not have
          expect([400, 404, 409], p).toContain(res.status);
          expect(body, p).not.toContain("needs the");
          expect(body, p).toMatch(/There is a problem/);
        }
      });
    }

    it("CSRF: every post without the form token is refused (403) and writes nothing, for an analyst too", async () => {
      const b = await signedIn(f, "analyst");
      const before = await changeRows(store);
      for (const p of postRoutes(f)) {
        const { res, html } = await b.post(p, { _csrf: null, title: "x", date: "2026-01-01", note: "x", status: "on_track" });
        expect(res.status, p).toBe(403);
        expect(html, p).toContain("This form has expired or was not sent from Safe City");
      }
      expect(await changeRows(store)).toBe(before);
    });
  });
}
