import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { fieldOfMessage, inWebWords } from "../src/http/web-words.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { DIALECTS, dialectAvailability } from "./dialects.ts";
import { type AnalysisApp, openAnalysisApp } from "./support/analysis-app.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "./support/shared-data.ts";

/** Issue 12 item 6: the web's error messages name the form's fields and pages, never the CLI's flags or commands. */
describe("inWebWords", () => {
  it("turns flags and commands into the form's fields and the pages", () => {
    expect(inWebWords("--from 2099-01 is after 2025-03, the latest month of police data loaded: choose a first month up to 2025-03")).toBe(
      "From 2099-01 is after 2025-03, the latest month of police data loaded: choose a first month up to 2025-03",
    );
    expect(inWebWords("choose a local authority or CSP (e.g. --area csp:Southampton), and install reference data")).toBe(
      "choose a local authority or CSP (for example csp:Southampton in Area), and install reference data",
    );
    expect(inWebWords("import police.uk data covering the area (`safecity import <zip>`), or give --from and --to")).toBe(
      "import police.uk data covering the area (an upload on the Data page), or choose From and To months",
    );
    expect(inWebWords("install reference data (`safecity reference install`), or give the peer group with --peers")).toBe(
      "install reference data (installing reference data (an administrator, from the Data page's instructions)), or save the official peer group on this page",
    );
    expect(inWebWords("a month like --tolerance stays")).toBe("a month like --tolerance stays");
  });
  it("finds the field a message is about", () => {
    expect(fieldOfMessage("--to 2025-13 must be YYYY-MM")).toBe("to");
    expect(fieldOfMessage("--from 2099-01 is after 2025-03")).toBe("from");
    expect(fieldOfMessage("unknown crime type or group `x`; use --type …")).toBe("type");
    expect(fieldOfMessage("no area called Narnia")).toBe("area");
  });
});

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`analysis pages speak the web's words on ${dialect}`, () => {
    let h: AnalysisApp;
    beforeAll(async () => {
      h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [FIXTURE_SOUTHAMPTON_2025] });
    }, 300_000);
    afterAll(() => h?.close());

    it("no CLI flag or command in any error a page shows, and the error sits on its field", async () => {
      const b = await h.signedIn("viewer@council.gov.uk");
      const cases: [string, string][] = [
        ["/trends?area=Southampton&from=2099-01", "from"],
        ["/overview?area=Southampton&from=2099-01&to=2099-02", "from"],
        ["/peers?area=ward:Bevois&from=2025-01&to=2025-03", "area"],
        ["/trends?area=Southampton&from=2025-01&to=2025-03&type=Nonsense", "type"],
        ["/map?area=Narnia", "area"],
      ];
      for (const [url, field] of cases) {
        const { res, html } = await b.get(url);
        expect(res.status, url).toBe(400);
        const summary = /<div class="govuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/.exec(html)?.[0] ?? "";
        expect(summary, url).not.toBe("");
        expect(summary, url).not.toMatch(/--[a-z]|safecity /);
        expect(summary, url).toContain(`href="#${field}"`);
      }
    }, 300_000);

    it("the navigation keeps the chosen area and period on the analysis pages, and only there", async () => {
      const b = await h.signedIn("viewer@council.gov.uk");
      const { html } = await b.get("/trends?area=csp%3ASouthampton&from=2025-01&to=2025-03");
      const nav = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec(html)![0];
      for (const p of ["/overview", "/trends", "/peers", "/map"]) expect(nav).toContain(`href="${p}?area=csp%3ASouthampton&amp;from=2025-01&amp;to=2025-03"`);
      expect(nav).toContain('href="/plans"');
      expect(nav).toContain('href="/data"');
      const plain = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec((await b.get("/trends")).html)![0];
      expect(plain).toContain('href="/map"');
      // a period that is not a month is not carried
      const odd = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec((await b.get("/map?area=Southampton&from=x")).html)![0];
      expect(odd).toContain('href="/overview?area=Southampton"');
    }, 120_000);

    it("the Status page links to the upload on the Data page when this server takes uploads (analysts), and says it takes none otherwise", async () => {
      const uploads = createApp({ store: h.store, now: () => new Date("2026-02-01T10:00:00Z"), throttle: new LoginThrottle(), imports: {} as never });
      const analyst = await h.signedIn("analyst@council.gov.uk");
      const withUploads = await uploads.request("http://localhost/", { headers: { cookie: [...analyst.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
      const link = /<p class="govuk-body" data-testid="status-upload-link">([\s\S]*?)<\/p>/.exec(await withUploads.text())?.[1] ?? "";
      expect(link).toContain('href="/data#files"');
      expect(link).toContain("Upload street-level crime files on the Data page");
      const without = await analyst.get("/");
      expect(without.html).not.toContain("status-upload-link");
      expect(without.html).toContain("this server takes no uploads");
    }, 120_000);
  });
}
