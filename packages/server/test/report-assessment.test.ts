import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Assessment, type PeerCompareResult, proposePriorities } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFERENCE_MANIFEST } from "../src/ingest/reference/manifest.ts";
import { type AssessmentBlock, type AssessmentReport, referenceSource } from "../src/publish/assessment-report.ts";
import { renderAssessmentReportHtml } from "../src/publish/assessment-report-html.ts";
import { chromiumPath } from "../src/publish/assessment-report-pdf.ts";
import { assessmentReportOf } from "../src/services/assessment-report.service.ts";
import { loadDemo } from "../src/services/demo.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";

const HEADINGS = [
  "Executive summary",
  "Data sources and methods",
  "Trends",
  "Seasonality",
  "Comparison with similar areas",
  "Hot spots",
  "Emerging hot spots",
  "Concentration",
  "Priority areas",
  "Recommended priorities",
  "Notes and data files",
];

const QUERY = { area: "Demo City", from: "2024-01", to: "2025-12" };
const NOW = new Date("2026-02-03T09:00:00Z");
const actor = { label: "cli:tester", ip: null };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-report-assessment-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function section(report: AssessmentReport, heading: string) {
  const s = report.sections.find((x) => x.heading === heading);
  if (!s) throw new Error(`no section "${heading}"`);
  return s;
}
/** The numbered table whose caption starts with `caption`, in a section. */
function table(report: AssessmentReport, heading: string, caption: string) {
  const b = section(report, heading).blocks.find((x): x is Extract<AssessmentBlock, { kind: "table" }> => x.kind === "table" && x.table.caption.startsWith(caption));
  if (!b) throw new Error(`no table "${caption}" in "${heading}"`);
  return b;
}
function texts(report: AssessmentReport, heading: string): string {
  return section(report, heading)
    .blocks.flatMap((b) => (b.kind === "list" ? b.items : b.kind === "paragraph" || b.kind === "subheading" ? [b.text] : []))
    .join("\n");
}
const col = (t: { table: { header: string[]; rows: unknown[][] } }, name: string) => {
  const i = t.table.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name} in ${t.table.header.join(", ")}`);
  return t.table.rows.map((r) => r[i]);
};

/** Whether the browser tests can run (the e2e convention): skip with the reason, or fail under SAFECITY_REQUIRE_BROWSER=1. */
function pdfToolsAvailability(): { skip: boolean; reason: string } {
  const missing: string[] = [];
  if (!fs.existsSync(chromiumPath())) missing.push(`Chromium not found at ${chromiumPath()} (apt install chromium, or set SAFECITY_CHROMIUM)`);
  if (!fs.existsSync("/usr/bin/pdftotext")) missing.push("pdftotext not found (apt install poppler-utils)");
  if (!missing.length) return { skip: false, reason: "" };
  const reason = missing.join("; ");
  if (process.env.SAFECITY_REQUIRE_BROWSER === "1") throw new Error(`${reason}; SAFECITY_REQUIRE_BROWSER=1 makes browser tests mandatory`);
  return { skip: true, reason };
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`the Strategic Assessment report of the demo city on ${dialect}`, () => {
    let store: TestStore;
    let doc: Assessment;
    let report: AssessmentReport;
    let html: string;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await loadDemo(store, { actor, now: () => new Date("2026-01-15T10:00:00Z") });
      ({ doc, report } = await assessmentReportOf(store, QUERY, { now: NOW }));
      html = await renderAssessmentReportHtml(report);
    }, 240_000);
    afterAll(() => store?.destroy());

    it("has the sections in order, numbered, with a title naming the area, period and date, and the demo notice", () => {
      expect(report.sections.map((s) => s.heading)).toEqual(HEADINGS);
      expect(report.sections.map((s) => s.number)).toEqual(HEADINGS.map((_, i) => i + 1));
      expect(report.title).toBe("Strategic Assessment: Demo City");
      expect(report.subtitle).toBe("All crime recorded by the police, January 2024 to December 2025 (24 months). Made on 3 February 2026.");
      expect(report.demo).toBe(true);
      expect(html).toContain("<strong>Demo data.</strong>");
    });

    it("opens with every key message of the assessment, word for word, and the data and period used", () => {
      expect(doc.keyMessages.messages.length).toBeGreaterThan(10);
      const summary = texts(report, "Executive summary");
      for (const m of doc.keyMessages.messages) expect(summary).toContain(m.text);
      const rows = doc.vintage.imports.reduce((s, i) => s + i.rows, 0);
      expect(rows).toBe(90_000);
      expect(summary).toContain("from January 2024 to December 2025: 24 months of street-level data from data.police.uk (24 monthly files, 90,000 rows across the force area");
      expect(summary).toContain("Every month of the period has data.");
    });

    it("lists the data sources with vintage and licence, and the methods with the document's parameters", () => {
      const t = table(report, "Data sources and methods", "Data sources");
      expect(t.table.rows[0]).toEqual(["Street-level crime and anti-social behaviour", "data.police.uk", "January 2024 to December 2025 (24 months with data)", 90_000, "Open Government Licence v3.0"]);
      expect(t.table.rows.slice(1).map((r) => [r[2], r[3]])).toEqual(doc.vintage.reference.map((r) => [r.fileName, r.rows]));
      const methods = texts(report, "Data sources and methods");
      expect(methods).toContain("exact conditional binomial test (R poisson.test) at a significance level of 0.05");
      const cellSize = (doc.hotspots.params!.analysis as { cellSize: number }).cellSize;
      expect(methods).toContain(`Getis-Ord Gi* on a grid of ${cellSize} m squares`);
      expect(methods).toContain(`IMD ${doc.parameters.imdEdition}`);
    });

    it("shows the trend counts and changes of every crime group as the document has them", () => {
      const groups = doc.trends.groups!;
      const monthly = table(report, "Trends", "Monthly recorded incidents");
      expect(monthly.table.header).toEqual(["Month", ...groups.map((g) => g.group)]);
      expect(monthly.table.rows).toEqual(groups[0]!.monthly.map((m, i) => [m.month, ...groups.map((g) => g.monthly[i]!.count)]));
      const change = table(report, "Trends", "Change in the latest complete quarter");
      const expected = groups.flatMap((g) =>
        (g.change!.comparisons as { to: { count: number; period: string }; from: { count: number; period: string } | null; change: number }[]).map((c) => [g.group, c.to.period, c.to.count, c.from!.period, c.from!.count, c.change]),
      );
      expect(change.table.rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5]])).toEqual(expected);
      const all = groups.find((g) => g.group === "All crime")!;
      expect(texts(report, "Trends")).toContain(`All crime ${all.total!.toLocaleString("en-GB")}`);
      expect(all.total).toBe(15_380);
    });

    it("shows the seasonal index of each calendar month from the document, with its chart", () => {
      const t = table(report, "Seasonality", "Seasonal profile");
      const index = (doc.seasonality.profile as { index: { name: string; index: number }[] }).index;
      expect(col(t, "Calendar month")).toEqual(index.map((r) => r.name));
      expect(col(t, "Seasonal index")).toEqual(index.map((r) => Math.round(r.index * 1000) / 1000));
      expect(section(report, "Seasonality").blocks.some((b) => b.kind === "chart")).toBe(true);
    });

    it("gives the area's rank, its position in words (never 'top quartile') and verdict in its peer group for every crime group", () => {
      const t = table(report, "Comparison with similar areas", "Demo City's position");
      const expected = doc.peers.groups!.map((g) => {
        const target = (g.policeUk.result as unknown as PeerCompareResult).target;
        return [g.group, target.rank, target.of, target.standing, target.verdict];
      });
      expect(t.table.rows.map((r) => [r[0], r[3], r[4], r[5], r[6]])).toEqual(expected);
      for (const r of t.table.rows) expect(String(r[5])).toMatch(/^the (joint )?(\d+(st|nd|rd|th) )?(highest|lowest) rate of \d+/);
      expect(JSON.stringify(report)).not.toMatch(/top quartile/i);
      const members = table(report, "Comparison with similar areas", "Peer group of Demo City");
      expect(col(members, "Code")).toEqual(doc.peers.members!.map((m) => m.code));
    });

    it("maps and tabulates the Gi* hot spots, with the class counts of the document", () => {
      const summary = table(report, "Hot spots", "Grid cells by Gi* class");
      const s = doc.hotspots.summary!;
      expect(summary.table.rows).toEqual([
        ["Hot spot, 99% confidence", s["hot-99"]],
        ["Hot spot, 95% confidence", s["hot-95"]],
        ["Hot spot, 90% confidence", s["hot-90"]],
        ["Cold spot, 90% confidence", s["cold-90"]],
        ["Cold spot, 95% confidence", s["cold-95"]],
        ["Cold spot, 99% confidence", s["cold-99"]],
        ["Not significant", s.none],
        ["All cells", doc.hotspots.cellCount],
      ]);
      const strongest = [...doc.hotspots.cells!].sort((a, b) => b.z! - a.z! || a.id.localeCompare(b.id)).slice(0, 20);
      const cells = table(report, "Hot spots", "The 20 strongest hot spot cells");
      expect(cells.table.rows.map((r) => [r[0], r[2]])).toEqual(strongest.map((c) => [c.id, c.count]));
      const map = section(report, "Hot spots").blocks.find((b) => b.kind === "map");
      expect(map?.kind === "map" && map.map.cells.length).toBe(doc.hotspots.cells!.length);
      expect(map?.kind === "map" && map.map.boundaries.filter((b) => b.level === "ward").length).toBeGreaterThan(5);
      // every marked cell is drawn as one path in the figure's SVG
      const svg = html.slice(html.indexOf(`id="figure-${map!.kind === "map" ? map!.number : 0}"`));
      const drawn = svg.slice(0, svg.indexOf("</svg>")).match(/<path d="[^"]+" fill="#(d4351c|f47738|ffdd00|5694ca|1d70b8|003078)" stroke="none"\/>/g) ?? [];
      expect(drawn.length).toBe(doc.hotspots.cells!.length);
    });

    it("tabulates the emerging hot spot patterns as the document counts them", () => {
      const t = table(report, "Emerging hot spots", "Grid cells by emerging hot spot pattern");
      const nonZero = Object.entries(doc.emerging.summary!).filter(([, n]) => n > 0);
      expect(t.table.rows.slice(0, -1).map((r) => r[1])).toEqual(nonZero.map(([, n]) => n));
      expect(t.table.rows.at(-1)).toEqual(["All cells", doc.emerging.cellCount]);
      const key = doc.emerging.cells!.filter((c) => ["new-hotspot", "consecutive-hotspot", "intensifying-hotspot"].includes(c.category));
      expect(key.length).toBeGreaterThan(0);
      const cells = table(report, "Emerging hot spots", "New, consecutive and intensifying hot spots").table;
      // at most 25 listed; when more, the caption says how many there are
      expect(cells.rows).toHaveLength(Math.min(25, key.length));
      if (key.length > 25) expect(cells.caption).toContain(`the 25 of ${key.length} with the most incidents`);
      else expect(cells.caption).toBe("New, consecutive and intensifying hot spots");
    });

    it("lists the priority areas of the document, in rank order, and fills them on the map", () => {
      const areas = doc.priorityAreas.areas as { rank: number; name: string; code: string; count: number; rate: number; smoothedRate: number; imdDecile: number }[];
      expect(areas.length).toBe(10);
      const t = table(report, "Priority areas", "Priority areas");
      expect(t.table.header[5]).toBe("Smoothed rate per 1,000 (empirical Bayes)");
      expect(t.table.rows.map((r) => r.slice(0, 7))).toEqual(
        areas.map((a) => [a.rank, a.name, a.code, a.count, Math.round(a.rate * 10) / 10, Math.round(a.smoothedRate * 10) / 10, a.imdDecile]),
      );
      expect(texts(report, "Notes and data files")).toContain("LSOA rates per 1,000 use Census 2021 usual residents");
      expect(texts(report, "Data sources and methods")).toMatch(/The crime rates ranked are the observed rates; the empirical Bayes rates \(Marshall 1991, global moment estimator: each LSOA's rate pulled towards the pooled [\d.]+ per 1,000/);
      const map = section(report, "Priority areas").blocks.find((b) => b.kind === "map");
      expect(map?.kind === "map" && map.map.highlight).toEqual(areas.map((a) => a.code));
    });

    it("recommends the priorities core proposes from the same document, with their evidence", () => {
      const proposals = proposePriorities(doc);
      expect(proposals.candidates.length).toBeGreaterThan(0);
      const text = texts(report, "Recommended priorities");
      proposals.candidates.forEach((c, i) => {
        expect(text).toContain(`${i + 1}. ${c.title}`);
        expect(text).toContain(c.rationale);
        for (const e of c.evidence) expect(text).toContain(e.text);
      });
      expect(texts(report, "Executive summary")).toContain(proposals.candidates[0]!.title);
    });

    it("numbers figures and tables in order, and the contents lists every section, figure and table with a link", () => {
      expect(report.figures.map((f) => f.number)).toEqual(report.figures.map((_, i) => i + 1));
      expect(report.tables.map((t) => t.number)).toEqual(report.tables.map((_, i) => i + 1));
      expect(report.figures.length).toBe(7);
      const inOrder = report.sections.flatMap((s) => s.blocks).filter((b) => b.kind === "table").map((b) => (b.kind === "table" ? b.number : 0));
      expect(inOrder).toEqual(report.tables.map((t) => t.number));
      for (const s of report.sections) expect(html).toContain(`<a href="#${s.id}">${s.number}. ${s.heading}</a>`);
      for (const f of report.figures) {
        expect(html).toContain(`<a href="#figure-${f.number}">Figure ${f.number}: `);
        expect(html).toMatch(new RegExp(`<figure (class="map" )?id="figure-${f.number}">`));
      }
      for (const t of report.tables) expect(html).toContain(`<caption>Table ${t.number}: `);
      expect(html).not.toMatch(/<script|<link |src="http/);
      expect(html).toContain('@bottom-right{content:"Page " counter(page) " of " counter(pages)');
    });

    it("says why a section is missing: a 12-month period has no seasonal profile", async () => {
      const { report: short } = await assessmentReportOf(store, { ...QUERY, from: "2025-01" }, { now: NOW });
      expect(texts(short, "Seasonality")).toBe("Seasonality: not enough data for this assessment (A seasonal profile needs at least 24 months of data; 12 months are present.).");
      expect(short.subtitle).toContain("January 2025 to December 2025 (12 months)");
    }, 120_000);

    if (dialect === "sqlite") {
      const tools = pdfToolsAvailability();
      describe.skipIf(tools.skip)(`the CLI's PDF, printed by Chromium${tools.skip ? ` (skipped: ${tools.reason})` : ""}`, () => {
        const pdf = path.join(tmp, "assessment.pdf");
        let text: string;
        let pages: number;
        beforeAll(async () => {
          const r = await runCli(["report", "assessment", "--area", QUERY.area, "--from", QUERY.from, "--to", QUERY.to, "--format", "pdf", "--out", pdf], store.env);
          expect(r.stderr).toBe("");
          expect(r.code).toBe(0);
          expect(r.stdout).toMatch(/^wrote the Strategic Assessment report of Demo City \(11 sections, 7 figures, \d+ tables, pdf, [\d,]+ bytes\)/);
          text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
          pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))![1]);
        }, 400_000);

        it("is A4 with a page number on every page but the title page", () => {
          expect(pages).toBeGreaterThan(10);
          for (let p = 2; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`);
          expect(text).not.toContain(`Page 1 of ${pages}`);
          expect(execFileSync("pdfinfo", [pdf], { encoding: "utf8" })).toMatch(/Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)/);
        });

        it("has the contents before the first section, naming every section, figure and table", () => {
          const contents = text.indexOf("Contents");
          const first = text.indexOf("1. Executive summary This Strategic Assessment");
          expect(contents).toBeGreaterThan(0);
          expect(first).toBeGreaterThan(contents);
          const toc = text.slice(contents, first);
          for (const s of report.sections) expect(toc).toContain(`${s.number}. ${s.heading}`);
          for (const f of report.figures) expect(toc).toContain(`Figure ${f.number}:`);
          for (const t of report.tables) expect(toc).toContain(`Table ${t.number}:`);
        });

        it("gives each section, figure and table in the contents the page it is printed on", () => {
          const pageText = (p: number) => execFileSync("pdftotext", ["-enc", "UTF-8", "-f", String(p), "-l", String(p), pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
          const toc = text.slice(text.indexOf("Contents"), text.indexOf("1. Executive summary This Strategic Assessment"));
          const pageOf = (label: string) => {
            const m = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^]*? (\\d+) (?=\\d+\\. |Figure |Table |Figures|Tables|Strategic Assessment|$)`).exec(toc);
            expect(m, `a page for "${label}" in the contents`).not.toBeNull();
            return Number(m![1]);
          };
          let previous = 0;
          for (const s of report.sections) {
            const p = pageOf(`${s.number}. ${s.heading}`);
            expect(p).toBeGreaterThanOrEqual(previous);
            expect(pageText(p), `section ${s.number} on page ${p}`).toContain(`${s.number}. ${s.heading}`);
            previous = p;
          }
          for (const f of report.figures) expect(pageText(pageOf(`Figure ${f.number}:`)), `figure ${f.number}`).toContain(`Figure ${f.number}:`);
          for (const t of report.tables) expect(pageText(pageOf(`Table ${t.number}:`)), `table ${t.number}`).toContain(`Table ${t.number}:`);
        });

        it("has every section in order, each with its own figures from the document", () => {
          const at = report.sections.map((s) => text.lastIndexOf(`${s.number}. ${s.heading} `));
          expect(at.every((i) => i > 0)).toBe(true);
          expect([...at].sort((a, b) => a - b)).toEqual(at);
          const within = (heading: string, fact: string) => {
            const i = HEADINGS.indexOf(heading);
            const start = at[i]!;
            const end = i + 1 < at.length ? at[i + 1]! : text.length;
            const found = text.indexOf(fact, start);
            expect(found > start && found < end, `"${fact}" in section "${heading}"`).toBe(true);
          };
          within("Executive summary", doc.keyMessages.messages[0]!.text);
          within("Executive summary", doc.keyMessages.messages.at(-1)!.text);
          within("Data sources and methods", "Open Government Licence v3.0");
          within("Trends", `All crime ${doc.trends.groups![0]!.total!.toLocaleString("en-GB")}`);
          within("Seasonality", "Figure 2: Seasonal index of all crime by calendar month");
          within("Comparison with similar areas", "Funnel plot");
          within("Hot spots", `${doc.hotspots.cells!.length} of ${doc.hotspots.cellCount!.toLocaleString("en-GB")} grid cells are marked`);
          within("Emerging hot spots", "Grid cells by emerging hot spot pattern");
          within("Concentration", "Generalised Gini");
          const first = (doc.priorityAreas.areas as { name: string; code: string }[])[0]!;
          within("Priority areas", `${first.name} ${first.code}`);
          within("Recommended priorities", proposePriorities(doc).candidates[0]!.rationale.slice(0, 60));
          within("Notes and data files", "2024-01-demo-city-synthetic-street.csv");
        });
      });

      it("writes standalone HTML, and refuses PDF naming the chromium package when Chromium is missing", async () => {
        const out = path.join(tmp, "assessment.html");
        const r = await runCli(["report", "assessment", "--area", QUERY.area, "--from", QUERY.from, "--to", QUERY.to, "--format", "html", "--out", out], store.env);
        expect(r.code).toBe(0);
        expect(fs.readFileSync(out, "utf8")).toContain("<h2>1. Executive summary</h2>");
        const missing = await runCli(["report", "assessment", "--area", QUERY.area, "--format", "pdf", "--out", path.join(tmp, "x.pdf")], { ...store.env, SAFECITY_CHROMIUM: path.join(tmp, "no-chromium") });
        expect(missing.code).not.toBe(0);
        expect(missing.stderr).toContain(`PDF output needs Chromium, which is not at ${path.join(tmp, "no-chromium")} (SAFECITY_CHROMIUM)`);
        expect(missing.stderr).toContain("install the Debian package `chromium`");
        expect(fs.existsSync(path.join(tmp, "x.pdf"))).toBe(false);
        const bad = await runCli(["report", "assessment", "--area", QUERY.area, "--format", "docx", "--out", path.join(tmp, "x.docx")], store.env);
        expect(bad.stderr).toContain("--format must be one of html, pdf; got `docx`");
      }, 400_000);
    }
  });
}

describe("the report's HTML", () => {
  it("names the publisher and licence of every reference dataset safecity installs", () => {
    expect(REFERENCE_MANIFEST.length).toBeGreaterThan(20);
    for (const e of REFERENCE_MANIFEST) {
      const s = referenceSource(e.name);
      expect(s.publisher, e.name).not.toContain("see docs");
      expect(s.licence, e.name).toBe("Open Government Licence v3.0");
    }
    expect(referenceSource("boundaries.lsoa21_hampshire").publisher).toContain("ONS Open Geography");
    expect(referenceSource("imd.2025_lsoa21").publisher).toContain("MHCLG");
  });

  it("escapes every text it prints: captions, cells, paragraphs, map labels", async () => {
    const evil = `<script>alert('x')</script> & Co`;
    const html = await renderAssessmentReportHtml({
      title: `Strategic Assessment: ${evil}`,
      subtitle: evil,
      demo: false,
      made: "1 January 2026",
      attribution: evil,
      figures: [{ number: 1, caption: evil, section: "s" }],
      tables: [{ number: 1, caption: evil, section: "s" }],
      sections: [
        {
          id: "s",
          number: 1,
          heading: evil,
          blocks: [
            { kind: "paragraph", text: evil },
            { kind: "list", items: [evil] },
            { kind: "table", number: 1, table: { id: "t", caption: evil, header: [evil], rows: [[evil]] } },
            { kind: "map", number: 1, caption: evil, description: evil, map: { boundaries: [], highlight: [], grid: { kind: "square", cellSize: 500 }, cells: [{ id: "400000_100000", colour: "#d4351c" }], legend: [{ colour: "#d4351c", label: evil }] } },
          ],
        },
      ],
    });
    expect(html).not.toContain("<script>");
    expect(html.match(/&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt; &amp; Co/g)?.length).toBeGreaterThanOrEqual(10);
    expect(html).not.toContain("Demo data.");
    // the page footer is a CSS string: no character of the title can end the style element
    expect(html).toContain('@bottom-left{content:"Strategic Assessment: \\3c script\\3e alert(\'x\')\\3c /script\\3e  \\26  Co"');
  });
});
