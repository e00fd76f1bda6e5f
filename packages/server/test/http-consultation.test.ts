import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { listPublicResponses } from "../src/db/repositories/consultation.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { cliPlanActor, getPlan, updatePlanDetails } from "../src/services/plan.service.ts";
import { recordConsultationResponse, transition } from "../src/services/plan-governance.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { PEOPLE, type Person, type PlanFixture, planFixture, XSS } from "./http-plan-support.ts";

/**
 * The public consultation (http/consultation.routes.tsx) and the analysts' page
 * (http/plan-consultation.routes.tsx) through the real app and store: open only while the plan is
 * in consultation, CSRF, size limits (413), the per-client rate limit (429), the honeypot,
 * escaping, tagging and the summary, and that nothing else opens to anonymous callers.
 */
const actor = cliPlanActor("test");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`public consultation on ${dialect}`, () => {
    let store: TestStore;
    let f: PlanFixture;
    /** The app with the client address taken from a test header, so tests can be different clients. */
    let app: ReturnType<typeof createApp>;
    const publicBrowser = (client: string) => new TestBrowser(app, "http://localhost", { "x-test-client": client });
    const stored = async () => (await listPublicResponses(store, f.planId)).length;
    const signedIn = async (who: Person) => {
      const b = new TestBrowser(app);
      const { res } = await b.signIn(PEOPLE[who].email, f.passwords[PEOPLE[who].email]!);
      expect(res.status).toBe(303);
      return b;
    };
    /** A well-formed response, with the CSRF token of the page the browser opened last. */
    const answer = (extra: Record<string, string | null> = {}) => ({ [`priority-${f.priorities[0]}`]: "More patrols on Friday nights", overall: "", organisation: "", website: "", ...extra });

    beforeAll(async () => {
      store = await openTestStore(dialect);
      f = await planFixture(store);
      app = createApp({ store, now: () => f.clock, clientIp: (c) => c.req.header("x-test-client") ?? null });
    }, 120_000);
    afterAll(() => store?.destroy());

    it("serves nothing for a draft plan; once in consultation anyone can read the draft's public fields, with no account", async () => {
      const anon = publicBrowser("reader");
      const draft = await anon.get(`/consult/${f.planId}`);
      expect(draft.res.status).toBe(404);
      expect(draft.html).not.toContain("Safer Southampton");
      expect((await anon.get("/consult")).html).toContain("No plan is open for consultation");

      await transition(store, actor, f.planId, { to: "consultation", date: "2026-01-15", consultees: ["Overview and Scrutiny Management Committee"] }, f.clock);
      const list = await anon.get("/consult");
      expect(list.res.status).toBe(200);
      expect(list.html).toContain(`href="/consult/${f.planId}">Safer Southampton 2025-2028</a>`);
      const { res, html } = await anon.get(`/consult/${f.planId}`);
      expect(res.status).toBe(200);
      expect(html).toContain("Have your say: Safer Southampton 2025-2028");
      expect(html).toContain("Priority 1: Reduce violent crime");
      expect(html).toContain("Late-night levy enforcement patrols");
      expect(html).toContain("Licensing Manager, Licensing Service");
      expect(html).toContain(`name="priority-${f.priorities[0]}"`);
      expect(html).toContain(`name="priority-${f.priorities[1]}"`);
      expect(html).toContain('name="_csrf"');
      // no officer's account, no navigation or sign-out, no targets, grants or governance record
      for (const hidden of ["@council.gov.uk", "@fire.gov.uk", "Sign out", "Street pastors", "Overview and Scrutiny", "fte-youth-justice", "Levy consultation closes"])
        expect(html, hidden).not.toContain(hidden);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    });

    it("stores a response recorded against the consultation step; the audit row holds no text", async () => {
      const anon = publicBrowser("responder");
      await anon.get(`/consult/${f.planId}`);
      const before = await stored();
      const sent = await anon.post(`/consult/${f.planId}`, answer({ overall: "A good start\r\nbut say more about lighting", organisation: "Bevois Residents' Association" }));
      expect(sent.res.status).toBe(303);
      expect(sent.res.headers.get("location")).toBe(`/consult/${f.planId}?sent=1`);
      const done = await anon.get(`/consult/${f.planId}?sent=1`);
      expect(done.html).toContain("Response sent");
      expect(done.html).not.toContain('data-testid="response-form"');
      const all = await listPublicResponses(store, f.planId);
      expect(all.length).toBe(before + 1);
      const r = all.at(-1)!;
      expect(r).toMatchObject({
        channel: "web",
        organisation: "Bevois Residents' Association",
        overall: "A good start\nbut say more about lighting",
        planVersion: 1,
        consultationStarted: "2026-01-15",
        tags: [],
        source: null,
      });
      expect(r.comments).toEqual([{ priorityId: f.priorities[0], position: 1, title: "Reduce violent crime", comment: "More patrols on Friday nights" }]);
      const [row] = await listAudit(store, { target: `public-response:${r.id}` });
      expect(row).toMatchObject({ actor: "public", action: "consultation.response.create", ip: null, planId: f.planId });
      expect(JSON.stringify(row)).not.toContain("Friday");
      expect(JSON.stringify(row)).not.toContain("Bevois");
    });

    it("refuses a post with no CSRF token, a wrong one, another visitor's, or from another site (403), storing nothing", async () => {
      const anon = publicBrowser("csrf");
      await anon.get(`/consult/${f.planId}`);
      const other = publicBrowser("csrf-other");
      await other.get(`/consult/${f.planId}`);
      expect(other.csrf).not.toBe(anon.csrf);
      const before = await stored();
      const missing = await anon.post(`/consult/${f.planId}`, answer({ _csrf: null }));
      expect(missing.res.status).toBe(403);
      expect(missing.html).toContain("This form has expired or was not sent from Safe City");
      expect((await anon.post(`/consult/${f.planId}`, answer({ _csrf: "x".repeat(64) }))).res.status).toBe(403);
      expect((await anon.post(`/consult/${f.planId}`, answer({ _csrf: other.csrf }))).res.status).toBe(403);
      expect((await anon.post(`/consult/${f.planId}`, answer(), { origin: "https://evil.example" })).res.status).toBe(403);
      const noCookie = new TestBrowser(app, "http://localhost", { "x-test-client": "csrf-3" });
      expect((await noCookie.post(`/consult/${f.planId}`, answer({ _csrf: anon.csrf }))).res.status).toBe(403);
      expect(await stored()).toBe(before);
    });

    it("shows what to fix GOV.UK-style: nothing written (400), a field too long (413) with the text kept", async () => {
      const anon = publicBrowser("validation");
      await anon.get(`/consult/${f.planId}`);
      const before = await stored();
      const empty = await anon.post(`/consult/${f.planId}`, answer({ [`priority-${f.priorities[0]}`]: "   " }));
      expect(empty.res.status).toBe(400);
      expect(empty.html).toContain("<title>Error: Have your say: Safer Southampton 2025-2028 – Safe City</title>");
      expect(empty.html).toContain(`<a href="#priority-${f.priorities[0]}">Enter your views on at least one priority, or your overall view of the plan</a>`);
      const long = `${"a".repeat(5000)}b`;
      const tooLong = await anon.post(`/consult/${f.planId}`, answer({ overall: long, organisation: "Youth Trust" }));
      expect(tooLong.res.status).toBe(413);
      expect(tooLong.html).toContain('<a href="#overall">Your overall view must be 5,000 characters or fewer; it has 5,001 characters. Shorten it.</a>');
      expect(tooLong.html).toContain("govuk-textarea--error");
      expect(tooLong.html).toContain(`${long}</textarea>`);
      expect(tooLong.html).toContain('value="Youth Trust"');
      expect(tooLong.html).toContain("More patrols on Friday nights</textarea>");
      expect(await stored()).toBe(before);
    });

    it("refuses a body over 256 KB with 413 before reading it, whether its length is declared or streamed; nothing stored", async () => {
      const anon = publicBrowser("oversize");
      await anon.get(`/consult/${f.planId}`);
      const before = await stored();
      const big = await anon.post(`/consult/${f.planId}`, answer({ overall: "x".repeat(300 * 1024) }));
      expect(big.res.status).toBe(413);
      expect(big.html).toContain("larger than the 256 KB this form accepts");
      const huge = await anon.post(`/consult/${f.planId}`, answer({ overall: "x".repeat(3 * 1024 * 1024) }));
      expect(huge.res.status).toBe(413);
      // refused before the CSRF check reads the body: no token, still 413 (not 403)
      const unread = await anon.post(`/consult/${f.planId}`, answer({ _csrf: null, overall: "x".repeat(300 * 1024) }));
      expect(unread.res.status).toBe(413);
      // a chunked body with no Content-Length: counted as it arrives, refused past the limit
      let sentBytes = 0;
      const chunk = new TextEncoder().encode(`_csrf=${anon.csrf}&overall=${"y".repeat(64 * 1024)}`);
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sentBytes > 8 * 1024 * 1024) return controller.close();
          sentBytes += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const cookie = [...anon.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await app.request(`http://localhost/consult/${f.planId}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-test-client": "oversize" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(sentBytes).toBeLessThan(1024 * 1024);
      expect(await stored()).toBe(before);
    });

    it("rate-limits per client: the 6th response within 10 minutes is refused with 429 and Retry-After, answers kept; another client still gets through", async () => {
      const a = publicBrowser("rate-a");
      await a.get(`/consult/${f.planId}`);
      const before = await stored();
      for (let i = 1; i <= 5; i++) expect((await a.post(`/consult/${f.planId}`, answer({ overall: `response ${i}` }))).res.status, `response ${i}`).toBe(303);
      const sixth = await a.post(`/consult/${f.planId}`, answer({ overall: "response 6" }));
      expect(sixth.res.status).toBe(429);
      expect(sixth.res.headers.get("retry-after")).toBe("600");
      expect(sixth.html).toContain("You have sent 5 responses in the last 10 minutes from this connection. Wait 10 minutes");
      expect(sixth.html).toContain("response 6</textarea>");
      expect(await stored()).toBe(before + 5);
      const b = publicBrowser("rate-b");
      await b.get(`/consult/${f.planId}`);
      expect((await b.post(`/consult/${f.planId}`, answer({ overall: "from b" }))).res.status).toBe(303);
      expect(await stored()).toBe(before + 6);
    });

    it("a filled honeypot looks like success and stores nothing", async () => {
      const bot = publicBrowser("bot");
      const page = await bot.get(`/consult/${f.planId}`);
      expect(page.html).toMatch(/<div class="govuk-visually-hidden" aria-hidden="true"><label for="website">Leave this field empty<\/label><input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off"/);
      const before = await stored();
      const res = await bot.post(`/consult/${f.planId}`, answer({ website: "http://spam.example", overall: "buy now" }));
      expect(res.res.status).toBe(303);
      expect(res.res.headers.get("location")).toBe(`/consult/${f.planId}?sent=1`);
      expect(await stored()).toBe(before);
    });

    it("stores a script as text and shows it escaped on the analysts' page; analysts tag responses and the summary counts them", async () => {
      const anon = publicBrowser("xss");
      await anon.get(`/consult/${f.planId}`);
      expect((await anon.post(`/consult/${f.planId}`, answer({ [`priority-${f.priorities[1]}`]: XSS, overall: `${XSS} overall`, organisation: XSS }))).res.status).toBe(303);
      const r = (await listPublicResponses(store, f.planId)).at(-1)!;
      expect(r.overall).toBe(`${XSS} overall`);
      expect(r.organisation).toBe(XSS);

      const analyst = await signedIn("analyst");
      const pageRes = await analyst.get(`/plans/${f.planId}/consultation`);
      expect(pageRes.res.status).toBe(200);
      expect(pageRes.html).not.toContain(XSS);
      expect(pageRes.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; overall");
      expect(pageRes.html).toContain(`Response ${r.id}: on behalf of &lt;script&gt;alert(1)&lt;/script&gt;`);
      const total = (await listPublicResponses(store, f.planId)).length;
      expect(pageRes.html).toMatch(new RegExp(`data-testid="count-responses">${total}<`));
      const planPage = await analyst.get(`/plans/${f.planId}`);
      expect(planPage.html).toContain(`href="/plans/${f.planId}/consultation">Responses from the public: read, tag and summarise</a> (${total} responses: ${total} through the web form, 0 from survey imports)`);
      expect(planPage.html).toContain(`the draft is open to the public at <a class="govuk-link" href="/consult/${f.planId}">`);

      const version = new RegExp(`action="/plans/${f.planId}/consultation/responses/${r.id}/tags"[^>]*>[\\s\\S]*?name="row_version" value="(\\d+)"`).exec(pageRes.html)![1]!;
      const tagged = await analyst.post(`/plans/${f.planId}/consultation/responses/${r.id}/tags`, { row_version: version, tags: "Test, Script injection, test" });
      expect(tagged.res.status).toBe(303);
      expect((await listPublicResponses(store, f.planId)).at(-1)!.tags).toEqual(["test", "script injection"]);
      const stale = await analyst.post(`/plans/${f.planId}/consultation/responses/${r.id}/tags`, { row_version: version, tags: "other" });
      expect(stale.res.status).toBe(409);
      expect(stale.html).toContain(`Response ${r.id} was changed by analyst@council.gov.uk`);
      const tooLongTag = await analyst.post(`/plans/${f.planId}/consultation/responses/${r.id}/tags`, { row_version: String(Number(version) + 1), tags: "x".repeat(41) });
      expect(tooLongTag.res.status).toBe(400);
      expect(tooLongTag.html).toContain(`href="#tags-${r.id}"`);

      const after = await analyst.get(`/plans/${f.planId}/consultation`);
      expect(after.html).toMatch(/data-testid="per-tag"[\s\S]*?>script injection<\/a><\/td><td class="govuk-table__cell govuk-table__cell--numeric">1</);
      expect(after.html).toMatch(/data-testid="per-priority"[\s\S]*?1\. Reduce violent crime<\/td><td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</);
      const filtered = await analyst.get(`/plans/${f.planId}/consultation?tag=test`);
      expect(filtered.html.match(/data-testid="public-response"/g)).toHaveLength(1);
      const formula = publicBrowser("formula");
      await formula.get(`/consult/${f.planId}`);
      expect((await formula.post(`/consult/${f.planId}`, answer({ overall: '=HYPERLINK("http://x.example","click")' }))).res.status).toBe(303);
      const formulaId = (await listPublicResponses(store, f.planId)).at(-1)!.id;
      const csv = await analyst.get(`/plans/${f.planId}/consultation.csv`);
      expect(csv.res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const lines = csv.html.split("\r\n");
      expect(lines[0]).toBe(
        `response,received,channel,source,organisation,plan version,consultation started,tags,overall view,priority 1: Reduce violent crime,priority 2: =cmd|' /C calc'!A0,comments on removed priorities`,
      );
      expect(lines.find((l) => l.startsWith(`${r.id},`))).toBe(`${r.id},2026-02-01T10:00:00.000Z,web,,${XSS},1,2026-01-15,test; script injection,${XSS} overall,More patrols on Friday nights,${XSS},`);
      // a cell a spreadsheet would run as a formula is neutralised
      expect(lines.find((l) => l.startsWith(`${formulaId},`))).toContain(`,"'=HYPERLINK(""http://x.example"",""click"")",More patrols on Friday nights,,`);
      expect((await (await signedIn("viewer")).get(`/plans/${f.planId}/consultation.csv`)).res.status).toBe(403);
      const [audit] = await listAudit(store, { target: `public-response:${r.id}`, action: "consultation.response.tag" });
      expect(audit).toMatchObject({ actor: "analyst@council.gov.uk", before: { tags: [] }, after: { tags: ["test", "script injection"] } });
    });

    it("keeps the analysts' page from viewers, editors and anonymous callers", async () => {
      for (const who of ["viewer", "editorOwn"] as const) {
        const b = await signedIn(who);
        expect((await b.get(`/plans/${f.planId}/consultation`)).res.status, who).toBe(403);
      }
      const anon = publicBrowser("nosy");
      const res = await anon.get(`/plans/${f.planId}/consultation`);
      expect(res.res.status).toBe(303);
      expect(res.res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/plans/${f.planId}/consultation`)}`);
    });

    it("opens nothing else to anonymous callers", async () => {
      const anon = publicBrowser("spot-check");
      await anon.get(`/consult/${f.planId}`);
      for (const path of ["/", "/plans", `/plans/${f.planId}`, `/plans/${f.planId}/timeline`, "/consult/", `/consult/${f.planId}/`, `/consult/${f.planId}/x`, "/consultation", "/consult/abc", "/data", "/admin/users"]) {
        const { res } = await anon.get(path);
        expect(res.status, path).toBe(303);
        expect(res.headers.get("location"), path).toMatch(/^\/login/);
      }
      const api = await anon.get(`/api/v1/plans/${f.planId}`);
      expect(api.res.status).toBe(401);
      const post = await anon.post(`/plans/${f.planId}/consultation/responses/1/tags`, { row_version: "1", tags: "x" });
      expect(post.res.status).toBe(303);
      expect(post.res.headers.get("location")).toBe("/login");
      const transitionPost = await anon.post(`/plans/${f.planId}/transition`, { to: "draft", date: "2026-02-01", note: "x" });
      expect(transitionPost.res.status).toBe(303);
      expect((await getPlan(store, f.planId)).state).toBe("consultation");
    });

    it("closes the form when the plan leaves consultation: 410 page, POSTs refused, not listed", async () => {
      const anon = publicBrowser("late");
      await anon.get(`/consult/${f.planId}`);
      await recordConsultationResponse(store, actor, f.planId, { consultee: "Overview and Scrutiny Management Committee", date: "2026-01-20", summary: "Supports the plan" }, f.clock);
      const p = await getPlan(store, f.planId);
      await updatePlanDetails(store, actor, f.planId, p.rowVersion, { impactAssessment: { completed: true, date: "2026-01-25", summary: "No adverse impact", link: null } }, f.clock);
      await transition(
        store,
        actor,
        f.planId,
        {
          to: "recommended",
          date: "2026-01-30",
          resolution: "Recommends the plan to Council",
          delegation: { post: "Director of Communities", delegateEmail: "director@council.gov.uk", afterConsulting: "the Cabinet Member" },
        },
        f.clock,
      );
      const before = await stored();
      const page = await anon.get(`/consult/${f.planId}`);
      expect(page.res.status).toBe(410);
      expect(page.html).toContain("The consultation on Safer Southampton 2025-2028 has closed");
      expect(page.html).not.toContain('data-testid="response-form"');
      const post = await anon.post(`/consult/${f.planId}`, answer({ overall: "too late" }));
      expect(post.res.status).toBe(410);
      expect(await stored()).toBe(before);
      expect((await anon.get("/consult")).html).toContain("No plan is open for consultation");
      const analyst = await signedIn("analyst");
      expect((await analyst.get(`/plans/${f.planId}/consultation`)).html).toContain("the public form is closed");
    });
  });
}
