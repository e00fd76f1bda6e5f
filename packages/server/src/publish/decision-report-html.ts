import type { DecisionReport, ReportBlock } from "./decision-report.ts";

/** The decision report as one standalone HTML file (no external assets), GOV.UK-like, with print styles. Every text is escaped. */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
body{font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.4;color:#0b0c0c;margin:0 auto;max-width:960px;padding:30px 15px}
h1{font-size:36px;margin:0 0 10px}
.subtitle{color:#505a5f;margin:0 0 30px}
.demo{border-left:10px solid #1d70b8;padding:10px 15px;background:#f3f2f1;margin-bottom:30px}
h2{font-size:27px;margin:40px 0 15px;border-bottom:1px solid #b1b4b6;padding-bottom:5px}
h3{font-size:21px;margin:25px 0 10px}
p.numbered{display:flex;gap:15px}
p.numbered .n{min-width:30px;font-weight:bold}
table{border-collapse:collapse;width:100%;margin:15px 0 25px;font-size:16px}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #b1b4b6;padding:8px 10px 8px 0}
th{font-weight:bold}
@media print{body{font-size:12pt;max-width:none;padding:0}h1{font-size:20pt}h2{font-size:15pt;break-after:avoid}h3{break-after:avoid}table,tr{break-inside:avoid}a{color:#0b0c0c}}
`;

function block(b: ReportBlock): string {
  switch (b.kind) {
    case "paragraph":
      return b.number === undefined ? `<p>${escapeHtml(b.text)}</p>` : `<p class="numbered"><span class="n">${b.number}.</span><span>${escapeHtml(b.text)}</span></p>`;
    case "subheading":
      return `<h3>${escapeHtml(b.text)}</h3>`;
    case "list": {
      const tag = b.ordered ? "ol" : "ul";
      return `<${tag}>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</${tag}>`;
    }
    case "table":
      return `<table><thead><tr>${b.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`;
  }
}

export function renderDecisionReportHtml(report: DecisionReport): string {
  const body = report.sections.map((s) => `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.heading)}</h2>\n${s.blocks.map(block).join("\n")}\n</section>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(report.title)}</h1>
<p class="subtitle">${escapeHtml(report.subtitle)}</p>
${report.demo ? '<div class="demo"><strong>Demo data.</strong> This report is made from the synthetic demo partnership; its figures are not real.</div>\n' : ""}${body}
</main>
</body>
</html>
`;
}
