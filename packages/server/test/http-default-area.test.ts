import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPoliceData } from "../src/services/import.service.ts";
import { DIALECTS, dialectAvailability } from "./dialects.ts";
import { type AnalysisApp, BASE, openAnalysisApp } from "./support/analysis-app.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2024, FIXTURE_SOUTHAMPTON_2025, readZipEntry } from "./support/shared-data.ts";

/**
 * Issue 12 item 6: a default area per user (migration 0015), set on the account page or from an
 * analysis page, used by the analysis pages asked for no area; and the trends page, whose body is
 * rendered once per cached result, changing after an import. Over the committed fixtures.
 */
const ASB = "Anti-social behaviour";
// police.uk street columns: 1 Month, 9 Crime type
const april2024 = (await readZipEntry(FIXTURE_SOUTHAMPTON_2024, "2024-04/2024-04-hampshire-street.csv"))
  .toString("utf8")
  .split("\n")
  .slice(1)
  .filter((l) => l.trim() !== "")
  .map((l) => l.split(","));
/** All crime (police.uk counts exclude anti-social behaviour) in the 2024-04 fixture: every row is Southampton's. */
const allCrimeApril2024 = april2024.filter((r) => r[1] === "2024-04" && r[9] !== ASB).length;

type Audit = { action: string; actor: string; target: string | null; before: string | null; after: string | null };

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`default area and the trends page cache on ${dialect}`, () => {
    let h: AnalysisApp;
    const audits = async (action: string): Promise<Audit[]> =>
      (await h.store.db.selectFrom("audit_log").select(["action", "actor", "target", "before", "after"]).where("action", "=", action).orderBy("id").execute()) as Audit[];
    const savedRows = async () => h.store.db.selectFrom("user_default_area").selectAll().execute();

    beforeAll(async () => {
      h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [FIXTURE_SOUTHAMPTON_2025] });
    }, 180_000);
    afterAll(() => h?.close());

    it("refuses an unknown area, a ward and a missing CSRF token on the account page, saving and auditing nothing", async () => {
      const b = await h.signedIn("viewer@council.gov.uk");
      const account = await b.get("/account");
      expect(account.html).toContain("You have no default area");
      expect(account.html).toContain('<option value="csp:Southampton">');

      const unknown = await b.post("/account/default-area", { area: "Southamptn" });
      expect(unknown.res.status).toBe(400);
      expect(unknown.html).toContain('id="default-area-error"');
      expect(unknown.html).toContain("no area called &quot;Southamptn&quot;");
      expect(unknown.html).toMatch(/did you mean [^<]*Southampton/);
      expect(unknown.html).not.toContain("--area");
      expect(unknown.html).toContain('value="Southamptn"');

      const ward = await h.store.db.selectFrom("area").select(["name"]).where("level", "=", "ward").orderBy("code").executeTakeFirstOrThrow();
      const notCsp = await b.post("/account/default-area", { area: `ward:${ward.name}` });
      expect(notCsp.res.status).toBe(400);
      expect(notCsp.html).toContain(`A default area is a Community Safety Partnership or local authority; &quot;ward:${ward.name}&quot; is an electoral ward (${ward.name})`);

      const empty = await b.post("/account/default-area", { area: "  " });
      expect(empty.res.status).toBe(400);
      expect(empty.html).toContain("Enter an area: a Community Safety Partnership or local authority");

      const forged = await b.post("/account/default-area", { area: "csp:Southampton", _csrf: null });
      expect(forged.res.status).toBe(403);

      expect(await savedRows()).toEqual([]);
      expect(await audits("user.default_area")).toEqual([]);
      const picker = await b.get("/trends");
      expect(picker.res.status).toBe(200);
      expect(picker.html).toContain("<h1 class=\"govuk-heading-l\">Trends</h1>");
      expect(picker.html).not.toContain('data-testid="default-area-used"');
    });

    it("saves a default area on the account page (audited) and opens the analysis pages asked for no area on it, for that user only", async () => {
      const b = await h.signedIn("viewer@council.gov.uk");
      await b.get("/account");
      const saved = await b.post("/account/default-area", { area: "csp:southampton" });
      expect(saved.res.status).toBe(303);
      expect(saved.res.headers.get("location")).toBe("/account?done=default-area");
      const account = await b.get("/account?done=default-area");
      expect(account.html.includes("Your default area has been saved")).toBe(true);
      expect(account.html).toMatch(/open on <strong>csp:Southampton<\/strong>/);
      const rows = await savedRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ area: "csp:Southampton", area_level: "csp", area_code: expect.stringMatching(/^E22/) });
      const trail = await audits("user.default_area");
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({ actor: "viewer@council.gov.uk", target: "viewer@council.gov.uk" });
      expect(JSON.parse(trail[0]!.after!)).toEqual({ area: "csp:Southampton", code: rows[0]!.area_code });
      expect(trail[0]!.before).toBeNull();

      for (const [p, title] of [
        ["/overview", "Overview: Southampton"],
        ["/trends", "Trends: Southampton"],
        ["/peers", "Peers: Southampton"],
      ] as const) {
        const { res, html } = await b.get(p);
        expect(res.status, p).toBe(200);
        expect(html, p).toContain(`<h1 class="govuk-heading-l">${title}</h1>`);
        expect(html, p).toMatch(/data-testid="default-area-used">\s*Showing your default area, csp:Southampton\./);
        expect(html, p).toContain('value="csp:Southampton"');
        // the tabs carry the area shown
        expect(html, p).toContain("/trends?area=csp%3ASouthampton");
      }
      // the same figures as asking for the area
      const byDefault = await b.get("/trends");
      const asked = await b.get("/trends?area=csp:Southampton");
      const table = (html: string) => /data-testid="table-monthly"[\s\S]*?<\/table>/.exec(html)![0];
      expect(table(byDefault.html)).toBe(table(asked.html));
      // an area sent empty from the form shows the picker, not the default
      const cleared = await b.get("/trends?area=&from=&to=");
      expect(cleared.html).toContain("<h1 class=\"govuk-heading-l\">Trends</h1>");
      // another user's pages are not affected
      const other = await h.signedIn("analyst@council.gov.uk");
      const theirs = await other.get("/trends");
      expect(theirs.html).toContain("<h1 class=\"govuk-heading-l\">Trends</h1>");
      expect(theirs.html).not.toContain("default-area-used");
    });

    it("makes the area shown the default from an analysis page and returns to it; removing it is audited", async () => {
      const b = await h.signedIn("viewer@council.gov.uk");
      const page = await b.get("/overview?area=lad:Southampton&from=2025-01&to=2025-03");
      const form = /<form method="post" action="\/account\/default-area"[^>]*data-testid="make-default-area">([\s\S]*?)<\/form>/.exec(page.html);
      expect(form).not.toBeNull();
      expect(form![1]).toContain('name="area" value="lad:Southampton"');
      const next = /name="next" value="([^"]+)"/.exec(form![1]!)![1]!.replace(/&amp;/g, "&");
      expect(next).toBe("/overview?area=lad:Southampton&from=2025-01&to=2025-03");
      const saved = await b.post("/account/default-area", { area: "lad:Southampton", next });
      expect(saved.res.status).toBe(303);
      expect(saved.res.headers.get("location")).toBe(next);
      const rows = await savedRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ area: "lad:Southampton", area_level: "lad", area_code: "E06000045" });
      const trail = await audits("user.default_area");
      expect(JSON.parse(trail.at(-1)!.before!)).toMatchObject({ area: "csp:Southampton" });
      expect(JSON.parse(trail.at(-1)!.after!)).toEqual({ area: "lad:Southampton", code: "E06000045" });
      // already the default: no button
      const again = await b.get(next);
      expect(again.html).not.toContain('data-testid="make-default-area"');
      // an off-site `next` goes home, never elsewhere
      const offsite = await b.post("/account/default-area", { area: "lad:Southampton", next: "//evil.example/x" });
      expect(offsite.res.headers.get("location")).toBe("/");

      await b.get("/account");
      const removed = await b.post("/account/default-area/remove", {});
      expect(removed.res.status).toBe(303);
      expect(await savedRows()).toEqual([]);
      const gone = await audits("user.default_area_removed");
      expect(gone).toHaveLength(1);
      expect(JSON.parse(gone[0]!.before!)).toMatchObject({ area: "lad:Southampton" });
      expect((await b.get("/trends")).html).toContain("<h1 class=\"govuk-heading-l\">Trends</h1>");
    });

    it("the trends page, rendered once per cached result, shows an import's month on the next request", async () => {
      const b = await h.signedIn("viewer@council.gov.uk");
      const p = "/trends?area=Southampton&from=2024-04&to=2025-03";
      const first = await b.get(p);
      const second = await b.get(p);
      expect(first.res.status).toBe(200);
      const monthRow = (html: string, month: string) => new RegExp(`<th scope="row" class="govuk-table__header">${month}</th>([\\s\\S]*?)</tr>`).exec(/data-testid="table-monthly"[\s\S]*?<\/table>/.exec(html)![0])?.[1];
      const allCrimeColumn = (html: string) => {
        const head = /data-testid="table-monthly"[\s\S]*?<thead[\s\S]*?<\/thead>/.exec(html)![0];
        return [...head.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]).indexOf("All crime") - 1; // after the month column
      };
      const cell = (html: string, month: string) => [...monthRow(html, month)!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1])[allCrimeColumn(html)];
      expect(cell(first.html, "2024-04")).toBe("");
      expect(first.html).toMatch(/data-testid="trends-missing">[^<]*2024-04/);
      expect(second.html).toBe(first.html);

      await importPoliceData(h.store, [FIXTURE_SOUTHAMPTON_2024], { user: "test", now: () => new Date("2026-02-01T10:00:00Z") });
      const after = await b.get(p);
      expect(after.html).not.toBe(first.html);
      expect(allCrimeApril2024).toBeGreaterThan(0);
      expect(cell(after.html, "2024-04")).toBe(allCrimeApril2024.toLocaleString("en-GB"));
      // the months already there are unchanged
      expect(cell(after.html, "2025-01")).toBe(cell(first.html, "2025-01"));
    });

    it("keeps the default area routes behind sign-in", async () => {
      const res = await h.app.request(`${BASE}/account/default-area`, { method: "POST", body: new URLSearchParams({ area: "csp:Southampton" }) });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toMatch(/^\/login/);
    });
  });
}
