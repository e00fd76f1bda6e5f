import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { type PlanFixture, planFixture, signedIn, XSS } from "./http-plan-support.ts";

/** The plan pages at work: creating, editing (escaping, conflicts), the governance cycle from the pages, performance, timelines, grants. */
for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`plan pages on ${dialect}`, () => {
    let store: TestStore;
    let f: PlanFixture;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      f = await planFixture(store);
    }, 60_000);
    afterAll(() => store?.destroy());

    it("an analyst creates a plan from the list page; a bad month comes back on the form with the values kept", async () => {
      const b = await signedIn(f, "analyst");
      const bad = await b.post("/plans", { _form: "new-plan", title: "Plan B", areaCode: "E06000045", periodFrom: "2025/04", periodTo: "2028-03" });
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("<title>Error: Partnership plans – Safe City</title>");
      expect(bad.html).toContain('href="#new-plan-periodFrom">First month must be YYYY-MM; got `2025/04`</a>');
      expect(bad.html).toMatch(/id="new-plan-periodFrom" name="periodFrom" type="text" value="2025\/04"/);
      const ok = await b.post("/plans", { _form: "new-plan", title: "Plan B", areaCode: "E06000045", periodFrom: "2025-04", periodTo: "2028-03" });
      expect(ok.res.status).toBe(303);
      const where = ok.res.headers.get("location")!;
      expect(where).toMatch(/^\/plans\/\d+\?done=created$/);
      const { html } = await b.get(where);
      expect(html).toContain("Plan created.");
      expect(html).toContain('data-state="draft"');
      const list = await b.get("/plans");
      expect(list.html).toMatch(/href="\/plans\/\d+">Plan B<\/a>[\s\S]*?E06000045[\s\S]*?2025-04 to 2028-03[\s\S]*?>1<[\s\S]*?Draft/);
    });

    it("escapes a priority titled with a script tag on every page that shows it", async () => {
      const b = await signedIn(f, "analyst");
      const { res } = await b.post(`/plans/${f.planId}/priorities`, { _form: "priority-new", title: XSS, rationale: `${XSS} rationale` });
      expect(res.status).toBe(303);
      for (const p of [`/plans/${f.planId}`, `/plans/${f.planId}/performance`, `/plans/${f.planId}/timeline`]) {
        const { html } = await b.get(p);
        expect(html, p).not.toContain(XSS);
        if (p.endsWith(`${f.planId}`)) expect(html).toContain("Priority 3: &lt;script&gt;alert(1)&lt;/script&gt;");
      }
    });

    it("a stale row_version is refused with who saved first and when; the form keeps the second editor's text", async () => {
      const analyst = await signedIn(f, "analyst");
      const admin = await signedIn(f, "admin");
      const page = await admin.get(`/plans/${f.planId}`);
      const version = /action="\/plans\/\d+\/priorities\/(\d+)"[^>]*>[\s\S]*?name="row_version" value="(\d+)"/.exec(page.html)!;
      expect(Number(version[1])).toBe(f.priorities[0]);
      const first = await analyst.post(`/plans/${f.planId}/priorities/${f.priorities[0]}`, { _form: `priority-${f.priorities[0]}`, row_version: version[2]!, title: "Reduce violence", rationale: "first" });
      expect(first.res.status).toBe(303);
      const second = await admin.post(`/plans/${f.planId}/priorities/${f.priorities[0]}`, { _form: `priority-${f.priorities[0]}`, row_version: version[2]!, title: "Cut violence", rationale: "second" });
      expect(second.res.status).toBe(409);
      expect(second.html).toContain(`Priority ${f.priorities[0]} was changed by analyst@council.gov.uk at 2026-02-01T10:00:00.000Z since you opened it (you read version ${version[2]}, it is now version ${Number(version[2]) + 1}); reload it and apply your change again.`);
      expect(second.html).toMatch(new RegExp(`id="priority-${f.priorities[0]}-title" name="title" type="text" value="Cut violence"`));
      const { html } = await admin.get(`/plans/${f.planId}`);
      expect(html).toContain("Priority 1: Reduce violence");
    });

    it("milestones: the owning organisation's editor ticks them done, another organisation's is refused; a bad milestone line is refused on the analyst's form", async () => {
      const own = await signedIn(f, "editorOwn");
      const page = (await own.get(`/plans/${f.planId}`)).html;
      const rv = new RegExp(`action="/plans/\\d+/actions/${f.actions.own}/milestones"[^>]*>[\\s\\S]*?name="row_version" value="(\\d+)"`).exec(page)![1]!;
      const other = await signedIn(f, "editorOther");
      const refused = await other.post(`/plans/${f.planId}/actions/${f.actions.own}/milestones`, { _form: `milestones-${f.actions.own}`, row_version: rv, done: "0" });
      expect(refused.res.status).toBe(403);
      expect(refused.html).toContain("editors update only their own organisation&#39;s actions");
      const ok = await own.post(`/plans/${f.planId}/actions/${f.actions.own}/milestones`, { _form: `milestones-${f.actions.own}`, row_version: rv, done: "0" });
      expect(ok.res.status).toBe(303);
      const after = (await own.get(`/plans/${f.planId}`)).html;
      expect(after).toContain("<li>Done: 2025-09-30 Levy consultation closes</li><li>Due 2026-01-01 Levy in force</li>");
      const audit = await listAudit(store, { target: `action:${f.actions.own}`, limit: 1 });
      expect(audit[0]).toMatchObject({ action: "plan.action.update", actor: "licensing@council.gov.uk" });

      const analyst = await signedIn(f, "analyst");
      const form = (await analyst.get(`/plans/${f.planId}`)).html;
      const arv = new RegExp(`action="/plans/\\d+/actions/${f.actions.own}"[^>]*>[\\s\\S]*?name="row_version" value="(\\d+)"`).exec(form)![1]!;
      expect(form).toContain("[x] 2025-09-30 Levy consultation closes\n2026-01-01 Levy in force</textarea>");
      const bad = await analyst.post(`/plans/${f.planId}/actions/${f.actions.own}`, {
        _form: `action-${f.actions.own}`,
        row_version: arv,
        priorityId: String(f.priorities[0]),
        title: "Late-night levy enforcement patrols",
        ownerOrganisationId: String(f.orgs.own),
        leadRole: "Licensing Manager",
        startDate: "2025-04-01",
        dueDate: "2026-03-31",
        status: "on_track",
        milestones: "2025-09-30 Levy consultation closes\nsoon: review",
      });
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain(`href="#action-${f.actions.own}-milestones">Milestone line 2 must be the due date then the title, e.g. 2025-09-30 Levy consultation closes; got &quot;soon: review&quot;</a>`);
    });

    it("read-across links and partners: added, a javascript: link refused, removed; a priority with actions cannot be removed; a stale removal is refused", async () => {
      const b = await signedIn(f, "analyst");
      const bad = await b.post(`/plans/${f.planId}/links`, { _form: "link-new", kind: "plan", name: "Council Plan", url: "javascript:alert(1)" });
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain('href="#link-new-url">Link must start http:// or https://; got `javascript:alert(1)`</a>');
      expect((await b.post(`/plans/${f.planId}/links`, { _form: "link-new", kind: "partnership", name: "Health and Wellbeing Board", url: "https://example.org/hwb", note: "Alcohol harm" })).res.status).toBe(303);
      expect((await b.post(`/plans/${f.planId}/partners`, { _form: "partner-new", organisationId: String(f.orgs.other), role: "responsible authority" })).res.status).toBe(303);
      let page = (await b.get(`/plans/${f.planId}`)).html;
      expect(page).toContain('<a class="govuk-link" href="https://example.org/hwb" rel="noreferrer noopener">Health and Wellbeing Board</a> (partnership): Alcohol harm');
      expect(page).toMatch(/data-testid="partners"[\s\S]*?Fire and Rescue Service<\/td><td class="govuk-table__cell">fire<\/td><td class="govuk-table__cell app-wrap-anywhere">responsible authority/);

      const link = /action="(\/plans\/\d+\/links\/\d+\/remove)"[^>]*>[\s\S]*?name="row_version" value="(\d+)"/.exec(page)!;
      expect((await b.post(link[1]!, { _form: "link-remove", row_version: link[2]! })).res.status).toBe(303);
      expect((await b.post(`/plans/${f.planId}/partners/${f.orgs.other}/remove`, { _form: "partner-remove" })).res.status).toBe(303);
      page = (await b.get(`/plans/${f.planId}`)).html;
      expect(page).toContain("No read-across links recorded.");
      expect(page).toContain("No partner organisations recorded.");

      const withActions = await b.post(`/plans/${f.planId}/priorities/${f.priorities[0]}/remove`, { _form: `priority-${f.priorities[0]}-remove`, row_version: "1" });
      expect([400, 409]).toContain(withActions.res.status);
      expect(withActions.html).toContain("There is a problem");
      expect(withActions.html).toContain(`<details class="govuk-details" open="" data-testid="edit-priority-${f.priorities[0]}">`);
      const staleTarget = await b.post(`/plans/${f.planId}/targets/${f.targets.missed}/remove`, { _form: `target-${f.targets.missed}-remove`, row_version: "7" });
      expect(staleTarget.res.status).toBe(409);
      expect(staleTarget.html).toContain(`Target ${f.targets.missed} was changed`);
    });

    it("the governance cycle from the pages: each refusal shows core's reason; consultation, Cabinet (delegation), a delegated amendment, Council, publication", async () => {
      const b = await signedIn(f, "analyst");
      const rv = async () => /name="row_version" value="(\d+)"/.exec((await b.get(`/plans/${f.planId}`)).html.split('data-testid="transitions"')[1]!)![1]!;
      const move = async (fields: Record<string, string>) => b.post(`/plans/${f.planId}/transition`, { _form: `transition-${fields.to}`, row_version: await rv(), ...fields });

      const refused = await move({ to: "consultation", date: "2026-01-05", consultees: "" });
      expect(refused.res.status).toBe(409);
      expect(refused.html).toContain("There is a problem");
      expect(refused.html).toContain('href="#transition-consultation-date">No consultee is named; name at least one');
      expect(refused.html).toMatch(/<details class="govuk-details" open="" data-testid="move-consultation">/);

      expect((await move({ to: "consultation", date: "2026-01-05", consultees: "Overview and Scrutiny\nChildren's Trust" })).res.status).toBe(303);
      const cabinetTooSoon = await move({ to: "recommended", date: "2026-02-10", resolution: "Recommend to Council", delegationPost: "Director of Communities", delegateEmail: "analyst@council.gov.uk", afterConsulting: "Cabinet Member" });
      expect(cabinetTooSoon.res.status).toBe(409);
      expect(cabinetTooSoon.html).toContain("No consultation response is recorded");
      expect(cabinetTooSoon.html).toContain("No Integrated Impact Assessment is recorded");

      const response = await b.post(`/plans/${f.planId}/responses`, { _form: "response", consultee: "Overview and Scrutiny", date: "2026-01-20", summary: "Supports the priorities" });
      expect(response.res.status).toBe(303);
      const detailsRv = /action="\/plans\/\d+\/details"[^>]*>[\s\S]*?name="row_version" value="(\d+)"/.exec((await b.get(`/plans/${f.planId}`)).html)![1]!;
      const details = await b.post(`/plans/${f.planId}/details`, {
        _form: "details",
        row_version: detailsRv,
        title: "Safer Southampton 2025-2028",
        statutoryBasis: "Crime and Disorder Act 1998",
        iiaCompleted: "yes",
        iiaDate: "2026-01-25",
        iiaSummary: "No adverse impact",
        consultees: "Overview and Scrutiny\nChildren's Trust",
      });
      expect(details.res.status).toBe(303);
      expect((await move({ to: "recommended", date: "2026-02-10", resolution: "Recommend to Council", delegationPost: "Director of Communities", delegateEmail: "analyst@council.gov.uk", afterConsulting: "Cabinet Member" })).res.status).toBe(303);

      // recommended: the delegate (this analyst) amends; the change is listed as a delegated amendment
      const page = await b.get(`/plans/${f.planId}`);
      expect(page.html).toContain('data-testid="delegation-note"');
      const p2 = new RegExp(`action="/plans/\\d+/priorities/${f.priorities[1]}"[^>]*>[\\s\\S]*?name="row_version" value="(\\d+)"`).exec(page.html)![1]!;
      const amend = await b.post(`/plans/${f.planId}/priorities/${f.priorities[1]}`, { _form: `priority-${f.priorities[1]}`, row_version: p2, title: "Reduce deliberate fires", rationale: "Deliberate fires rising" });
      expect(amend.res.status).toBe(303);
      const afterAmend = await b.get(`/plans/${f.planId}`);
      expect(afterAmend.html).toMatch(/data-testid="amendments"[\s\S]*?analyst@council\.gov\.uk[\s\S]*?Director of Communities[\s\S]*?Changed priority &quot;Reduce deliberate fires&quot;/);
      // the admin is not the delegate: no edit forms for them now
      expect((await (await signedIn(f, "admin")).get(`/plans/${f.planId}`)).html).not.toContain("form-priority-new");

      const early = await move({ to: "approved", date: "2026-02-01", resolution: "Approved" });
      expect(early.res.status).toBe(409);
      expect(early.html).toContain("before Cabinet on 2026-02-10");
      expect((await move({ to: "approved", date: "2026-02-25", resolution: "Approved as part of the Policy Framework" })).res.status).toBe(303);
      expect((await move({ to: "published", date: "2026-03-01" })).res.status).toBe(303);

      const done = await b.get(`/plans/${f.planId}`);
      expect(done.html).toContain('data-state="published"');
      expect(done.html).toMatch(/data-step="recommended" data-done="yes">[\s\S]*?Cabinet 2026-02-10\. Recommend to Council\. Final amendments delegated to Director of Communities after consulting Cabinet Member/);
      expect(done.html).toContain('data-testid="locked-note"');
      expect(done.html).toContain('data-testid="new-version"');
      const steps = (await listAudit(store, { planId: f.planId, action: "plan.transition" })).map((e) => (e.after as { state: string }).state);
      expect(steps).toEqual(["published", "approved", "recommended", "consultation"]);
    });

    it("timelines: the plan's every change newest first; an action's edits and progress; an action of another plan is 404", async () => {
      const b = await signedIn(f, "viewer");
      const { html } = await b.get(`/plans/${f.planId}/timeline`);
      const actions = [...html.matchAll(/<td class="govuk-table__cell">([a-z_]+\.[a-z_.]+)<\/td>/g)].map((m) => m[1]);
      expect(actions.slice(-3)).toEqual(["plan.priority.create", "plan.priority.create", "plan.create"]);
      expect(actions.length).toBe((await listAudit(store, { planId: f.planId, limit: 1000 })).length);
      expect(html).toContain("cli:test");

      const editor = await signedIn(f, "editorOwn");
      await editor.post(`/plans/${f.planId}/actions/${f.actions.own}/progress`, { _form: `progress-${f.actions.own}`, date: "2026-03-15", status: "completed", note: "Levy in force" });
      const action = await b.get(`/plans/${f.planId}/actions/${f.actions.own}/timeline`);
      expect(action.res.status).toBe(200);
      expect(action.html).toMatch(/licensing@council\.gov\.uk<\/td><td class="govuk-table__cell">plan\.progress\.create<\/td><td class="govuk-table__cell app-wrap-anywhere">action:\d+<\/td>[\s\S]*?status: not_started → completed/);
      expect(action.html).toContain("plan.action.create");
      // a created record reads as its fields, not as JSON
      expect(action.html).toMatch(/plan\.action\.create<\/td>[\s\S]*?title: [^<]+; /);
      expect(action.html).not.toMatch(/\{&quot;|&quot;:/);
      const missing = await b.get(`/plans/${f.planId}/actions/99999/timeline`);
      expect(missing.res.status).toBe(404);
      expect(missing.html).toContain(`Plan ${f.planId} has no key action with id 99999.`);
    });
  });
}
