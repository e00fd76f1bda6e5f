import type { CsvCell } from "../http/csv.ts";
import { chartSvg } from "../http/chart-svg.ts";
import { mapSvg } from "./assessment-report-map.ts";
import type { AssessmentBlock, AssessmentReport } from "./assessment-report.ts";
import { escapeHtml } from "./decision-report-html.ts";

/**
 * The Strategic Assessment report as one standalone HTML file (no external assets, no script):
 * a title page, contents (sections, figures, tables), numbered sections, numbered figures (charts
 * as server-rendered SVG, the same Vega-Lite specs as the analysis pages; maps as static SVG) and
 * tables, and print styles for A4 with page numbers in the page margin (CSS paged media, which
 * Chromium prints). `pages` (section id -> page) fills the contents' page column when known.
 */

/** A CSS string literal; `<`, `>` and `&` as CSS escapes, so nothing in it can close the style element. */
const cssString = (s: string) => `"${s.replace(/[\\"<>&]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `).replace(/\n/g, " ")}"`;

function style(footer: string): string {
  return `
@page{size:A4;margin:18mm 16mm 20mm 16mm;@bottom-left{content:${cssString(footer)};font:9pt Arial,Helvetica,sans-serif;color:#505a5f}@bottom-right{content:"Page " counter(page) " of " counter(pages);font:9pt Arial,Helvetica,sans-serif;color:#505a5f}}
@page:first{@bottom-left{content:none}@bottom-right{content:none}}
body{font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.4;color:#0b0c0c;margin:0 auto;max-width:960px;padding:30px 15px}
h1{font-size:36px;margin:0 0 10px}
.subtitle{color:#505a5f;margin:0 0 30px;font-size:19px}
.demo{border-left:10px solid #1d70b8;padding:10px 15px;background:#f3f2f1;margin-bottom:30px}
h2{font-size:27px;margin:40px 0 15px;border-bottom:1px solid #b1b4b6;padding-bottom:5px}
h3{font-size:19px;margin:25px 0 10px}
nav.contents ol{list-style:none;padding:0;margin:0 0 20px}
nav.contents li{display:flex;gap:8px;padding:3px 0;border-bottom:1px dotted #b1b4b6}
nav.contents li a{flex:1;color:#1d70b8;text-decoration:none}
nav.contents .pg{min-width:3em;text-align:right}
table{border-collapse:collapse;width:100%;margin:10px 0 5px;font-size:14px}
table.small{font-size:11px}
caption{text-align:left;font-weight:bold;padding-bottom:6px;caption-side:top}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #b1b4b6;padding:4px 8px 4px 0}
td.num,th.num{text-align:right}
th{font-weight:bold}
.table-note{font-size:12px;color:#505a5f;margin:2px 0 20px}
figure{margin:15px 0 25px}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-weight:bold;margin-bottom:6px}
.figure-desc{font-size:12px;color:#505a5f;margin:4px 0 0}
ul.legend{list-style:none;padding:0;margin:6px 0 0;font-size:12px;display:flex;flex-wrap:wrap;gap:4px 16px}
.swatch{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px;border:1px solid #505a5f}
.swatch.outline{background:none!important;border:2px solid #505a5f}
.attribution{font-size:12px;color:#505a5f;margin-top:40px}
@media print{body{font-size:10.5pt;max-width:none;padding:0}h1{font-size:24pt}.subtitle{font-size:12pt}h2{font-size:16pt;margin-top:0;break-after:avoid}h3{font-size:12pt;break-after:avoid}
section.report-section{break-before:page}nav.contents{break-before:page}figure,tr,table.whole{break-inside:avoid}figure.map svg{max-height:150mm;width:auto}caption{break-after:avoid}a{color:#0b0c0c}.title-page{padding-top:70mm}table{font-size:9.5pt}table.small{font-size:8pt}}
`;
}

function cell(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return v.toLocaleString("en-GB", { maximumFractionDigits: 3 });
  return escapeHtml(String(v));
}

async function block(b: AssessmentBlock, demo: boolean): Promise<string> {
  switch (b.kind) {
    case "paragraph":
      return `<p>${escapeHtml(b.text)}</p>`;
    case "subheading":
      return `<h3>${escapeHtml(b.text)}</h3>`;
    case "list":
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
    case "table": {
      const t = b.table;
      const num = (i: number) => (t.numeric?.[i] ? ' class="num"' : "");
      const cls = [b.small ? "small" : "", t.rows.length <= 25 ? "whole" : ""].filter(Boolean).join(" ");
      return `<table id="table-${b.number}"${cls ? ` class="${cls}"` : ""}><caption>Table ${b.number}: ${escapeHtml(t.caption)}</caption><thead><tr>${t.header
        .map((h, i) => `<th scope="col"${num(i)}>${escapeHtml(h)}</th>`)
        .join("")}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((c, i) => `<td${num(i)}>${cell(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>${
        b.note ? `<p class="table-note">${escapeHtml(b.note)}</p>` : '<p class="table-note"></p>'
      }`;
    }
    case "chart":
      return `<figure id="figure-${b.number}"><figcaption>Figure ${b.number}: ${escapeHtml(b.caption)}</figcaption><div role="img" aria-label="${escapeHtml(b.description)}">${await chartSvg(b.spec)}</div><p class="figure-desc">${escapeHtml(b.description)}</p></figure>`;
    case "map":
      return `<figure class="map" id="figure-${b.number}"><figcaption>Figure ${b.number}: ${escapeHtml(b.caption)}</figcaption>${mapSvg(b.map, { title: b.description, escape: escapeHtml })}<ul class="legend">${b.map.legend
        .map((l) => `<li><span class="swatch${l.outline ? " outline" : ""}" style="background:${l.colour}"></span>${escapeHtml(l.label)}</li>`)
        .join("")}</ul><p class="figure-desc">${escapeHtml(b.description)} ${demo ? "Boundaries: the demo's synthetic outlines (not real areas)." : "Boundaries: ONS Open Geography where installed (contains OS data © Crown copyright and database right)."}</p></figure>`;
  }
}

export async function renderAssessmentReportHtml(report: AssessmentReport, opts: { pages?: ReadonlyMap<string, number> } = {}): Promise<string> {
  const pg = (id: string) => `<span class="pg">${opts.pages?.get(id) ?? ""}</span>`;
  const sections: string[] = [];
  for (const s of report.sections) {
    const blocks: string[] = [];
    for (const b of s.blocks) blocks.push(await block(b, report.demo));
    sections.push(`<section class="report-section" id="${escapeHtml(s.id)}">\n<h2>${s.number}. ${escapeHtml(s.heading)}</h2>\n${blocks.join("\n")}\n</section>`);
  }
  const contents = `<nav class="contents" aria-labelledby="contents-heading">
<h2 id="contents-heading">Contents</h2>
<ol>${report.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${s.number}. ${escapeHtml(s.heading)}</a>${pg(s.id)}</li>`).join("")}</ol>
<h3>Figures</h3>
<ol>${report.figures.map((f) => `<li><a href="#figure-${f.number}">Figure ${f.number}: ${escapeHtml(f.caption)}</a>${pg(`figure-${f.number}`)}</li>`).join("")}</ol>
<h3>Tables</h3>
<ol>${report.tables.map((t) => `<li><a href="#table-${t.number}">Table ${t.number}: ${escapeHtml(t.caption)}</a>${pg(`table-${t.number}`)}</li>`).join("")}</ol>
</nav>`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${style(`${report.title}${report.demo ? " (demo data)" : ""}`)}</style>
</head>
<body>
<main>
<div class="title-page">
<h1>${escapeHtml(report.title)}</h1>
<p class="subtitle">${escapeHtml(report.subtitle)}</p>
${report.demo ? '<div class="demo"><strong>Demo data.</strong> This report is made from the synthetic demo partnership; its figures are not real.</div>\n' : ""}<p class="attribution">${escapeHtml(report.attribution)}</p>
</div>
${contents}
${sections.join("\n")}
</main>
</body>
</html>
`;
}
