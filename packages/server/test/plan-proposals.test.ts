import { type Assessment, DEFAULT_CRIME_GROUPS, monthRange, type Role } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { listImports } from "../src/db/repositories/import-register.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { assessArea } from "../src/services/assessment.service.ts";
import { countByArea } from "../src/services/counts.service.ts";
import { loadDemo } from "../src/services/demo.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import type { PlanActor } from "../src/services/plan-access.ts";
import { adoptProposal, type PlanProposals, planYears, proposalsForPlan } from "../src/services/plan-proposals.service.ts";
import { cliPlanActor, createPlan, getPlan, listPlans, planDetail } from "../src/services/plan.service.ts";
import { createApiToken, createUser, listOrganisations } from "../src/services/user.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { runCli } from "./support/cli.ts";

/** Each assessment of the demo city takes seconds; on a busy machine many more (no test depends on speed). */
const ASSESSMENT_TIMEOUT = 300_000;
const clock = new Date("2026-02-01T10:00:00Z");
const cli = { label: "cli:test", ip: null };
const PEOPLE: Record<string, { role: Role; org: string | null }> = {
  "analyst@council.gov.uk": { role: "analyst", org: null },
  "viewer@council.gov.uk": { role: "viewer", org: null },
  "editor@fire.gov.uk": { role: "editor", org: "Test Fire Service" },
};

function personActor(email: string, organisationId: number | null = null): PlanActor {
  return { label: email, ip: null, email, role: PEOPLE[email]!.role, organisationId };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** "October to December 2025"-style counts in a key message: "from 91 in … to 106 in …". */
function messageCounts(text: string): { from: number; to: number } | null {
  const m = /from ([\d,]+) in .+ to ([\d,]+) in /.exec(text);
  return m ? { from: Number(m[1]!.replace(/,/g, "")), to: Number(m[2]!.replace(/,/g, "")) } : null;
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`priorities proposed from the assessment on ${dialect}`, () => {
    let store: TestStore;
    let areaCode: string;
    let demoPlanId: number;
    let planId: number;
    let lastMonth: string;
    let proposals: PlanProposals;
    let doc: Assessment;
    const passwords: Record<string, string> = {};
    const tokens: Record<string, string> = {};
    let editorOrg: number;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      await loadDemo(store, { actor: cli, now: () => clock });
      const demoPlan = (await listPlans(store))[0]!;
      demoPlanId = demoPlan.id;
      areaCode = demoPlan.areaCode;
      // the last month loaded, read from the import register (not from the service under test)
      lastMonth = (await listImports(store)).map((i) => i.month ?? "").sort().at(-1)!;
      for (const [email, p] of Object.entries(PEOPLE)) {
        const r = await createUser(store, { email, name: email.split("@")[0]!, role: p.role, organisation: p.org, organisationKind: p.org ? "fire" : null }, cli, clock);
        passwords[email] = r.generatedPassword!;
        tokens[email] = (await createApiToken(store, email, "test", cli, clock, { scope: "write" })).token;
      }
      editorOrg = (await listOrganisations(store)).find((o) => o.name === "Test Fire Service")!.id;
      planId = (await createPlan(store, cliPlanActor("test"), { title: "Demo City Partnership Plan 2026-2029", areaCode, periodFrom: "2026-04", periodTo: "2029-03" }, clock)).id;
      proposals = await proposalsForPlan(store, planId);
      doc = await assessArea(store, { area: areaCode, from: proposals.period.from, to: proposals.period.to });
    }, 300_000);
    afterAll(() => store?.destroy());

    it("assesses the latest 12 months loaded by default, and says the vintage", () => {
      const months = monthRange(proposals.period.from, lastMonth);
      expect(proposals.period.to).toBe(lastMonth);
      expect(months).toHaveLength(12);
      expect(proposals.period.missingMonths).toEqual([]);
      expect(proposals.vintage).toBe(lastMonth);
      expect(proposals.assessmentRef).toContain(`[assessment:${lastMonth}]`);
      expect(proposals.candidates.length).toBeGreaterThan(0);
      for (const c of proposals.candidates) for (const e of c.evidence) expect(e.ref.startsWith(`assessment:${lastMonth}#`)).toBe(true);
    });

    it("the priority areas proposal cites the assessment's priority areas (codes and count from the document)", () => {
      const areas = (doc.priorityAreas.areas ?? []) as { code: string }[];
      expect(areas.length).toBeGreaterThan(0);
      const cand = proposals.candidates.find((c) => c.key === "priority-areas")!;
      expect(cand.areaCodes).toEqual(areas.map((a) => a.code));
      expect(cand.evidence[0]).toMatchObject({ ref: `assessment:${lastMonth}#priorityAreas` });
      expect(cand.evidence[0]!.text.startsWith(`${areas.length} priority areas`)).toBe(true);
    });

    it("a top-quartile crime group cites its Most Similar Group rank from the document, and its change from the roll-up counted here", async () => {
      const groups = proposals.candidates.filter((c) => c.kind === "crime_group");
      expect(groups.length).toBeGreaterThan(0);
      for (const cand of groups) {
        const peer = doc.peers.groups!.find((g) => g.group === cand.title)!;
        const target = ((peer.ons.result ?? peer.policeUk.result) as { target: { rank: number; of: number; quartile: number } }).target;
        const e = cand.evidence.find((x) => x.ref.includes("#peers/"));
        if (!e) continue; // proposed for a significant rise only
        expect(target.quartile).toBe(4);
        // ranks count from the lowest rate: rank r of n is the (n - r + 1)th highest
        const fromTop = target.of - target.rank + 1;
        const position = fromTop === 1 ? "the highest rate" : `the ${fromTop}(st|nd|rd|th) highest rate`;
        expect(e.text).toMatch(new RegExp(`^${escapeRegExp(cand.title)}: ${position} of ${target.of} in the Most Similar Group`));
      }
      // a change key message is cited only as evidence of a statistically significant rise
      const cited = groups.flatMap((c) => c.evidence.filter((e) => e.ref.includes("#keyMessage/change.")));
      for (const e of cited) expect(e.text).toMatch(/statistically significant rise/);
      const cand = groups.find((c) => c.evidence.some((e) => e.ref.includes("#keyMessage/change.")));
      if (!cand) {
        // nothing rose significantly: then no group may be proposed for a rise either
        for (const c of groups) expect(c.evidence.some((e) => e.ref.includes("#trends/"))).toBe(false);
        return;
      }
      // the quarter-on-quarter change cited: both counts summed from the roll-up by counts.service
      const change = messageCounts(cand.evidence.find((e) => e.ref.includes("#keyMessage/change."))!.text)!;
      const types = DEFAULT_CRIME_GROUPS[cand.title] ?? [cand.title];
      const months = monthRange(proposals.period.from, proposals.period.to);
      const sum = async (from: string, to: string) => {
        const counts = await countByArea(store, { area: areaCode, from, to });
        return types.reduce((s, t) => s + (counts.byType[t] ?? 0), 0);
      };
      expect(change.to).toBe(await sum(months[9]!, months[11]!));
      expect(change.from).toBe(await sum(months[6]!, months[8]!));
    });

    it("adopting a proposal writes the priority as recomputed, its audit row, and the plan's assessmentRef; a second adoption is refused", async () => {
      const cand = proposals.candidates.find((c) => c.kind === "crime_group")!;
      const before = (await listAudit(store, { planId, limit: 1000 })).length;
      const { priority } = await adoptProposal(store, personActor("analyst@council.gov.uk"), planId, cand.key, clock);
      expect(priority).toMatchObject({ planId, title: cand.title, rationale: cand.rationale, evidence: cand.evidence, areaCodes: cand.areaCodes, years: ["2026/27", "2027/28", "2028/29"] });
      expect(planYears({ periodFrom: "2026-04", periodTo: "2029-03" })).toEqual(priority.years);
      const audit = await listAudit(store, { planId, limit: 1000 });
      expect(audit.length - before).toBe(2);
      const created = audit.find((a) => a.action === "plan.priority.create" && a.target === `priority:${priority.id}`)!;
      expect(created.actor).toBe("analyst@council.gov.uk");
      expect((created.after as { evidence: unknown }).evidence).toEqual(cand.evidence);
      expect(audit.find((a) => a.action === "plan.update" && a.target === `plan:${planId}`)).toBeDefined();
      expect((await getPlan(store, planId)).assessmentRef).toBe(proposals.assessmentRef);

      const again = await proposalsForPlan(store, planId);
      expect(again.candidates.find((c) => c.key === cand.key)!.adoptedAs).toMatchObject({ id: priority.id, position: 1 });
      await expect(adoptProposal(store, personActor("analyst@council.gov.uk"), planId, cand.key, clock)).rejects.toMatchObject({ code: "input.invalid", message: expect.stringContaining("already priority 1") });
      await expect(adoptProposal(store, personActor("analyst@council.gov.uk"), planId, "group/no-such-thing", clock)).rejects.toMatchObject({
        code: "input.invalid",
        message: expect.stringContaining("priority-areas"),
      });
      expect((await planDetail(store, planId)).priorities).toHaveLength(1);
    }, ASSESSMENT_TIMEOUT);

    it("viewers and editors are refused, and a locked plan refuses; nothing is written", async () => {
      const key = proposals.candidates.find((c) => c.key === "priority-areas")!.key;
      const before = (await listAudit(store, { limit: 5000 })).length;
      await expect(adoptProposal(store, personActor("viewer@council.gov.uk"), planId, key, clock)).rejects.toMatchObject({ code: "plan.forbidden" });
      await expect(adoptProposal(store, personActor("editor@fire.gov.uk", editorOrg), planId, key, clock)).rejects.toMatchObject({ code: "plan.forbidden" });
      expect((await getPlan(store, demoPlanId)).state).toBe("published");
      await expect(adoptProposal(store, personActor("analyst@council.gov.uk"), demoPlanId, key, clock)).rejects.toMatchObject({
        code: "plan.locked",
        message: expect.stringContaining("locked"),
      });
      expect((await listAudit(store, { limit: 5000 })).length).toBe(before);
    });

    it("the page: an analyst sees the evidence and adds a proposal with CSRF; the plan page links to it while editable; viewers are refused", async () => {
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      const b = new TestBrowser(app);
      expect((await b.signIn("analyst@council.gov.uk", passwords["analyst@council.gov.uk"]!)).res.status).toBe(303);
      const planPage = await b.get(`/plans/${planId}`);
      expect(planPage.html).toContain(`href="/plans/${planId}/propose"`);
      expect((await b.get(`/plans/${demoPlanId}`)).html).not.toContain(`/plans/${demoPlanId}/propose"`);

      const { res, html } = await b.get(`/plans/${planId}/propose`);
      expect(res.status).toBe(200);
      expect(html).toContain(`assessment:${lastMonth}#priorityAreas`);
      expect(html).toContain('data-testid="proposal-priority-areas"');
      expect(html).toContain("Add as a priority");

      const noCsrf = await b.post(`/plans/${planId}/propose`, { _csrf: null, key: "priority-areas" });
      expect(noCsrf.res.status).toBe(403);
      // the posted rationale is ignored: only the key and period are read
      const added = await b.post(`/plans/${planId}/propose`, { _form: "propose-priority-areas", key: "priority-areas", from: proposals.period.from, to: proposals.period.to, rationale: "<b>made up</b>" });
      expect(added.res.status).toBe(303);
      expect(added.res.headers.get("location")).toMatch(new RegExp(`^/plans/${planId}\\?done=priority#priority-\\d+$`));
      const pr = (await planDetail(store, planId)).priorities.find((p) => p.evidence.some((e) => e.ref.endsWith("#priorityAreas")))!;
      expect(pr.rationale).toBe(proposals.candidates.find((c) => c.key === "priority-areas")!.rationale);
      expect((await b.get(`/plans/${planId}/propose`)).html).toContain('data-testid="adopted-priority-areas"');

      const locked = await b.get(`/plans/${demoPlanId}/propose`);
      expect(locked.res.status).toBe(200);
      expect(locked.html).toContain('data-testid="propose-locked"');
      expect(locked.html).not.toContain("Add as a priority");

      const viewer = new TestBrowser(app);
      await viewer.signIn("viewer@council.gov.uk", passwords["viewer@council.gov.uk"]!);
      expect((await viewer.get(`/plans/${planId}/propose`)).res.status).toBe(403);
      await viewer.get("/plans");
      expect((await viewer.post(`/plans/${planId}/propose`, { key: "emerging-hotspots" })).res.status).toBe(403);
    }, ASSESSMENT_TIMEOUT);

    it("without data for the plan's area the page says what is missing and what to do", async () => {
      const elsewhere = await createPlan(store, cliPlanActor("test"), { title: "Elsewhere", areaCode: "E06000045", periodFrom: "2026-04", periodTo: "2029-03" }, clock);
      await expect(proposalsForPlan(store, elsewhere.id)).rejects.toMatchObject({ code: expect.stringMatching(/^(area\.not_found|data\.missing)$/) });
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      const b = new TestBrowser(app);
      await b.signIn("analyst@council.gov.uk", passwords["analyst@council.gov.uk"]!);
      const { res, html } = await b.get(`/plans/${elsewhere.id}/propose`);
      expect(res.status).toBe(200);
      expect(html).toContain('data-testid="propose-not-assessable"');
      expect(html).toContain("E06000045");
      expect(html).toContain("What to do:");
    }, ASSESSMENT_TIMEOUT);

    it("the API: GET /api/v1/plans/{id}/proposals for analysts, 403 for viewers", async () => {
      const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
      const get = (email: string) => app.request(`http://localhost/api/v1/plans/${planId}/proposals`, { headers: { authorization: `Bearer ${tokens[email]}` } });
      const ok = await get("analyst@council.gov.uk");
      expect(ok.status).toBe(200);
      const body = (await ok.json()) as PlanProposals;
      expect(body.period).toEqual(proposals.period);
      expect(body.candidates.map((c) => c.key)).toEqual(proposals.candidates.map((c) => c.key));
      expect(body.candidates.find((c) => c.key === "priority-areas")!.adoptedAs).not.toBeNull();
      expect((await get("viewer@council.gov.uk")).status).toBe(403);
    }, ASSESSMENT_TIMEOUT);

    it("the CLI: plan propose --json, and --adopt", async () => {
      const shown = await runCli(["plan", "propose", String(planId), "--from", proposals.period.from, "--to", proposals.period.to, "--json"], store.env);
      expect(shown.stderr).toBe("");
      expect(shown.code).toBe(0);
      const json = JSON.parse(shown.stdout) as PlanProposals;
      expect(json.candidates.map((c) => c.key)).toEqual(proposals.candidates.map((c) => c.key));
      const next = json.candidates.find((c) => !c.adoptedAs)!;
      const adopted = await runCli(["plan", "propose", String(planId), "--adopt", next.key], store.env);
      expect(adopted.code).toBe(0);
      expect(adopted.stdout).toContain(`Added priority 3 to plan ${planId}: ${next.title}`);
      const refused = await runCli(["plan", "propose", String(demoPlanId), "--adopt", next.key], store.env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("locked");
    }, ASSESSMENT_TIMEOUT);
  });
}
