import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoCity } from "../src/demo/demo-city.ts";
import { DEMO_DERIVED } from "../src/demo/demo-indicators.ts";
import { DEMO_GRANTS, DEMO_PLAN, DEMO_PRIORITIES } from "../src/demo/demo-plan-content.ts";
import type { DecisionReport } from "../src/publish/decision-report.ts";
import { renderDecisionReportHtml } from "../src/publish/decision-report-html.ts";
import { decisionReportOfPlan } from "../src/services/decision-report.service.ts";
import { loadDemo } from "../src/services/demo.service.ts";
import { cliPlanActor, createPlan, planDetail } from "../src/services/plan.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { readZipEntry } from "./support/shared-data.ts";

/** The seed report's sections, in its order (../shared/seed/). */
const HEADINGS = [
  "Decision maker(s) and dates",
  "Subject",
  "Report of",
  "Contact",
  "Statement of confidentiality",
  "Brief summary",
  "Recommendations",
  "Reasons for report recommendations",
  "Alternative options considered and rejected",
  "Detail",
  "Resource implications",
  "Legal implications",
  "Policy framework implications",
  "Key decision",
  "Wards/communities affected",
  "Supporting documents",
  "Integrated Impact Assessment",
];

/** Every text of a section (paragraphs, subheadings, list items, table cells), joined by newlines. */
function sectionText(report: DecisionReport, heading: string): string {
  const s = report.sections.find((x) => x.heading === heading);
  if (!s) throw new Error(`no section "${heading}"`);
  return s.blocks
    .flatMap((b) => (b.kind === "list" ? b.items : b.kind === "table" ? [b.header.join(" | "), ...b.rows.map((r) => r.join(" | "))] : [b.text]))
    .join("\n");
}

const actor = { label: "cli:tester", ip: null };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-report-decision-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`the committee decision report of the demo plan on ${dialect}`, () => {
    let store: TestStore;
    let planId: number;
    let report: DecisionReport;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      planId = (await loadDemo(store, { actor, now: () => new Date("2026-01-15T10:00:00Z") })).plan.planId;
      report = await decisionReportOfPlan(store, planId);
    }, 180_000);
    afterAll(() => store?.destroy());

    it("has the seed's sections, in the seed's order", () => {
      expect(report.sections.map((s) => s.heading)).toEqual(HEADINGS);
      expect(report.title).toBe("Report to Cabinet and Full Council: Demo City Safe City Partnership Plan 2025-28");
      expect(report.demo).toBe(true);
    });

    it("names Cabinet's and Council's dates, and the subject with the plan's period", () => {
      expect([DEMO_PLAN.cabinet.date, DEMO_PLAN.council.date]).toEqual(["2025-07-15", "2025-09-10"]);
      expect(sectionText(report, "Decision maker(s) and dates")).toBe("Decision maker | Date of decision\nCabinet | 15 July 2025\nFull Council | 10 September 2025");
      expect(sectionText(report, "Subject")).toBe("Adoption of the Demo City Safe City Partnership Plan 2025-28 (April 2025 to March 2028, version 1).");
    });

    it("says 'to be completed' where the plan holds no fact, and uses the options when given", async () => {
      for (const h of ["Report of", "Contact", "Statement of confidentiality"]) expect(sectionText(report, h)).toMatch(/^To be completed \(give --/);
      expect(sectionText(report, "Resource implications")).toContain("To be completed (give --capital");
      const given = await decisionReportOfPlan(store, planId, {
        reportOf: "Cabinet Member for Communities",
        contact: "Community Safety Manager, 01234 567890",
        confidentiality: "None.",
        capital: "None.",
        policyFramework: "The Plan is included in the Council's Policy Framework.",
      });
      expect(sectionText(given, "Report of")).toBe("Cabinet Member for Communities");
      expect(sectionText(given, "Contact")).toBe("Community Safety Manager, 01234 567890");
      expect(sectionText(given, "Statement of confidentiality")).toBe("None.");
      expect(sectionText(given, "Policy framework implications")).toMatch(/^The Plan is included in the Council's Policy Framework\./);
      expect(given.sections.flatMap((s) => s.blocks).some((b) => b.kind === "paragraph" && b.text.startsWith("To be completed"))).toBe(false);
    });

    it("summarises the plan: three priorities, eight actions by six owners, seven targets, £75,000 of grants", async () => {
      const detail = await planDetail(store, planId);
      expect([detail.priorities.length, detail.actions.length, new Set(detail.actions.map((a) => a.ownerOrganisationId)).size, detail.targets.length]).toEqual([3, 8, 6, 7]);
      const text = sectionText(report, "Brief summary");
      expect(text).toContain("It sets three priorities, eight key actions owned by six partner organisations and seven targets measured by indicators.");
      expect(text).toContain("Crime and Disorder Act 1998");
      expect(text).toContain("grants budgets totalling £75,000.");
    });

    it("recommends the delegation to Cabinet and approval to Council, with the resolutions and the delegated amendment", () => {
      const text = sectionText(report, "Recommendations");
      expect(text).toContain(
        "(i) To delegate authority to the Director of Environment and Economy to agree any final amendments to the Plan following consultation with the Cabinet Member for Communities prior to submission to Council for approval.",
      );
      expect(text).toContain("(ii) Subject to (i) above, to recommend the Demo City Safe City Partnership Plan 2025-28 to Council for approval.");
      expect(text).toContain("(i) To approve the Demo City Safe City Partnership Plan 2025-28.");
      expect(text).toContain(`Cabinet resolved on 15 July 2025: ${DEMO_PLAN.cabinet.resolution}`);
      expect(text).toContain(`28 July 2025 | Director of Environment and Economy | ${DEMO_PLAN.amendment.summary}`);
      expect(text).toContain(`Council resolved on 10 September 2025: ${DEMO_PLAN.council.resolution}`);
    });

    it("gives the reasons with the consultees and the three responses, and the statutory reason there is no alternative", () => {
      const reasons = sectionText(report, "Reasons for report recommendations");
      expect(reasons).toContain(`The draft Plan was consulted on with: ${DEMO_PLAN.consultees.join("; ")}.`);
      expect(reasons).toContain("Three consultation responses were recorded:");
      for (const r of DEMO_PLAN.responses) expect(reasons).toContain(r.summary);
      expect(reasons).toContain("The priorities run for three years (2025/26, 2026/27, 2027/28)");
      expect(sectionText(report, "Alternative options considered and rejected")).toMatch(/statutory duty .* there is no alternative to producing a plan\.$/);
    });

    it("details the key messages and the priorities' titles, in order", () => {
      const text = sectionText(report, "Detail");
      for (const e of DEMO_PRIORITIES.flatMap((p) => p.evidence)) expect(text).toContain(e.text);
      const at = DEMO_PRIORITIES.map((p) => text.indexOf(`${p.title}. `));
      expect(at.every((i) => i > 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(text).toContain("Street pastors and a safe space on Friday and Saturday nights | Demo Street Pastors | Street Pastors Coordinator | 31 March 2026");
    });

    it("lists the targets by the indicators' names, with baseline, goal and deadline", async () => {
      const violence = (await planDetail(store, planId)).targets[0]!;
      const text = sectionText(report, "Detail");
      expect(text).toContain(`1 | ${DEMO_DERIVED[0].name} | ${violence.baselineValue} (2024-Q4) | -4% on the baseline | 2026-Q4`);
      expect(text).toContain("2 | Repeat domestic abuse");
    });

    it("prints the grants budget: £75,000 across four groups, each allocation and the total", () => {
      // 20,000 + 25,000 + 15,000 + 15,000 = 75,000 pounds.
      expect(DEMO_GRANTS.allocations.map((a) => a.amountPence)).toEqual([2_000_000, 2_500_000, 1_500_000, 1_500_000]);
      const text = sectionText(report, "Resource implications");
      expect(text).toContain("The Community Safety Budget (2025/26) is £75,000, of which £75,000 is allocated as grants to four groups:");
      expect(text).toContain("Demo Street Pastors | Street pastors and the weekend safe space | £20,000");
      expect(text).toContain("Demo Women's Aid | Independent domestic violence advisers at the MARAC and in A&E | £25,000");
      expect(text).toContain("Demo Victim Support Hub | Support for repeat victims of anti-social behaviour | £15,000");
      expect(text).toContain("Demo Youth Diversion Project | Youth diversion for first-time entrants | £15,000");
      expect(text).toContain("Total |  | £75,000");
      expect(text).toContain("budget lines named in the Plan: Community Safety Budget 2025/26.");
    });

    it("states the statutory power, the key decision with its clear days, and the Integrated Impact Assessment", () => {
      expect(sectionText(report, "Legal implications")).toContain("Crime and Disorder Act 1998, sections 5-7");
      expect(sectionText(report, "Policy framework implications")).toContain(`Full Council's resolution: ${DEMO_PLAN.council.resolution}`);
      // Notice 2 June, meeting 15 July: 3-30 June (28 days) and 1-14 July (14 days) lie between: 42 clear days.
      expect(sectionText(report, "Key decision")).toBe("Yes\nGiven in the forward plan on 2 June 2025, 42 clear days before the Cabinet meeting of 15 July 2025.");
      expect(sectionText(report, "Integrated Impact Assessment")).toBe(`Completed on 20 June 2025. ${DEMO_PLAN.impactAssessment.summary}`);
      const docs = sectionText(report, "Supporting documents");
      expect(docs).toContain("Demo City Safe City Partnership Plan 2025-28 (Published)");
      expect(docs).toContain(DEMO_PLAN.assessmentRef);
    });

    it("names the wards affected: all (priority 2 is city-wide) and the wards of the priority areas' LSOAs", async () => {
      const city = buildDemoCity();
      const detail = await planDetail(store, planId);
      const lsoaCodes = detail.priorities.flatMap((p) => p.areaCodes).filter((c) => city.wardOf.has(c));
      const wardNames = [...new Set(lsoaCodes.map((c) => city.reference.ward.get(city.wardOf.get(c)!)!.name))].sort((a, b) => a.localeCompare(b));
      expect(wardNames.length).toBeGreaterThan(0);
      expect(detail.priorities[1]!.areaCodes).toEqual([city.city.ladCode]);
      const words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
      const count = wardNames.length <= 10 ? `${words[wardNames.length]} ward${wardNames.length === 1 ? "" : "s"}` : `${wardNames.length} wards`;
      expect(sectionText(report, "Wards/communities affected")).toBe(`All (Demo City)\nPriority areas are in ${count}: ${wardNames.join(", ")}.`);
    });

    it("escapes the plan's words in the HTML (a title with a script tag)", async () => {
      const plan = await createPlan(
        store,
        cliPlanActor("tester"),
        { title: "<script>alert('x')</script> Plan & Co", areaCode: "E22000001", periodFrom: "2026-04", periodTo: "2029-03" },
        new Date("2026-01-20T10:00:00Z"),
      );
      const html = renderDecisionReportHtml(await decisionReportOfPlan(store, plan.id));
      expect(html).not.toContain("<script>");
      expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Plan &amp; Co");
      expect(html).toContain("<h2>Wards/communities affected</h2>");
      expect(html).not.toContain("Demo data.");
    });

    it("refuses an unknown plan with plan.not_found", async () => {
      await expect(decisionReportOfPlan(store, 987654)).rejects.toMatchObject({ code: "plan.not_found" });
    });

    // The CLI writes files from the store it is given; once, on SQLite, is enough (not a skip on PostgreSQL).
    if (dialect === "sqlite") {
      describe("the CLI's files", () => {
        const docx = path.join(tmp, "decision.docx");
        const html = path.join(tmp, "decision.html");
        beforeAll(async () => {
          const a = await runCli(["report", "decision", "--plan", String(planId), "--format", "docx", "--out", docx, "--report-of", "Cabinet Member for Communities"], store.env);
          expect(a.stderr).toBe("");
          expect(a.code).toBe(0);
          expect(a.stdout).toMatch(/^wrote the decision report of plan \d+ \(17 sections, docx, [\d,]+ bytes\)/);
          const b = await runCli(["report", "decision", "--plan", String(planId), "--format", "html", "--out", html], store.env);
          expect(b.code).toBe(0);
        }, 60_000);

        /** Key facts, each after the heading of its section. */
        const FACTS: [string, string][] = [
          ["Decision maker(s) and dates", "15 July 2025"],
          ["Report of", "Cabinet Member for Communities"],
          ["Recommendations", "Director of Environment and Economy"],
          ["Detail", DEMO_PRIORITIES[0]!.title],
          ["Resource implications", "£75,000"],
          ["Legal implications", "Crime and Disorder Act 1998"],
          ["Key decision", "42 clear days"],
          ["Wards/communities affected", "All (Demo City)"],
          ["Integrated Impact Assessment", "Completed on 20 June 2025"],
        ];

        function expectInOrder(text: string): void {
          let from = 0;
          for (const h of HEADINGS) {
            const at = text.indexOf(h, from);
            expect(at, `heading "${h}" after offset ${from}`).toBeGreaterThanOrEqual(from);
            from = at + h.length;
          }
          for (const [h, fact] of FACTS) {
            const heading = text.indexOf(h);
            const next = HEADINGS[HEADINGS.indexOf(h) + 1];
            const end = next ? text.indexOf(next, heading) : text.length;
            const at = text.indexOf(fact, heading);
            expect(at > heading && at < end, `"${fact}" in section "${h}"`).toBe(true);
          }
        }

        it("writes a Word document whose text has every section heading and the key facts in order", async () => {
          const xml = (await readZipEntry(docx, "word/document.xml")).toString("utf8");
          const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
            .map((m) => m[1]!)
            .join(" ")
            .replace(/&amp;/g, "&")
            .replace(/&apos;|&#39;/g, "'");
          expectInOrder(text);
        });

        const soffice = ["soffice", "libreoffice"].find((b) => {
          try {
            execFileSync("which", [b], { stdio: "ignore" });
            return true;
          } catch {
            return false;
          }
        });
        it.skipIf(!soffice)(`converts with LibreOffice headless to text with every section${soffice ? "" : " (skipped: LibreOffice is not installed; apt-get install libreoffice-writer-nogui)"}`, () => {
          const out = path.join(tmp, "txt");
          // A profile of its own, so a LibreOffice the user has open (or another test) does not take the conversion.
          const profile = `file://${path.join(tmp, "lo-profile")}`;
          execFileSync(soffice!, [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", out, docx], { stdio: "ignore", timeout: 120_000 });
          const text = fs.readFileSync(path.join(out, "decision.txt"), "utf8");
          expectInOrder(text);
          expect(text).toContain("Demo Women's Aid");
        }, 150_000);

        it("writes a standalone HTML file with every section heading and the key facts in order", () => {
          const text = fs.readFileSync(html, "utf8");
          expect(text).toMatch(/^<!DOCTYPE html>/);
          expect(text).not.toMatch(/<link |<script|src="http/);
          expectInOrder(text.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
        });

        it("refuses a bad --format and an unknown plan with a clear message", async () => {
          const bad = await runCli(["report", "decision", "--plan", String(planId), "--format", "pdf", "--out", path.join(tmp, "x.pdf")], store.env);
          expect(bad.code).not.toBe(0);
          expect(bad.stderr).toContain("--format must be one of docx, html; got `pdf`");
          const missing = await runCli(["report", "decision", "--plan", "987654", "--format", "html", "--out", path.join(tmp, "y.html")], store.env);
          expect(missing.code).not.toBe(0);
          expect(missing.stderr).toContain("No plan with id 987654");
          expect(fs.existsSync(path.join(tmp, "y.html"))).toBe(false);
        });
      });
    }
  });
}
