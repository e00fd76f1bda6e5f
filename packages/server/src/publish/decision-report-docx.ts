import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { DecisionReport, ReportBlock } from "./decision-report.ts";

/** The decision report as a Word document (the committee clerk's format), made with the `docx` library. */

const rule = { style: BorderStyle.SINGLE, size: 4, color: "B1B4B6" };
const none = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };

function cell(text: string, header: boolean): TableCell {
  return new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text, bold: header })] })],
    borders: { top: none, left: none, right: none, bottom: rule },
    margins: { top: 60, bottom: 60, right: 120 },
  });
}

function blocks(b: ReportBlock): (Paragraph | Table)[] {
  switch (b.kind) {
    case "paragraph":
      return [
        b.number === undefined
          ? new Paragraph({ children: [new TextRun(b.text)], spacing: { after: 160 } })
          : new Paragraph({ children: [new TextRun({ text: `${b.number}.\t`, bold: true }), new TextRun(b.text)], indent: { left: 567, hanging: 567 }, spacing: { after: 160 } }),
      ];
    case "subheading":
      return [new Paragraph({ text: b.text, heading: HeadingLevel.HEADING_3, spacing: { before: 200, after: 100 } })];
    case "list":
      return b.items.map((item, i) =>
        b.ordered
          ? new Paragraph({ children: [new TextRun(`${i + 1}.\t${item}`)], indent: { left: 1134, hanging: 567 }, spacing: { after: 100 } })
          : new Paragraph({ children: [new TextRun(item)], bullet: { level: 0 }, spacing: { after: 100 } }),
      );
    case "table":
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: b.header.map((h) => cell(h, true)) }),
            ...b.rows.map((r) => new TableRow({ children: r.map((c) => cell(c, false)) })),
          ],
        }),
        new Paragraph({ text: "" }),
      ];
  }
}

export async function renderDecisionReportDocx(report: DecisionReport): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: report.title, heading: HeadingLevel.TITLE, alignment: AlignmentType.LEFT }),
    new Paragraph({ children: [new TextRun({ text: report.subtitle, color: "505A5F" })], spacing: { after: 300 } }),
  ];
  if (report.demo) {
    children.push(new Paragraph({ children: [new TextRun({ text: "Demo data. ", bold: true }), new TextRun("This report is made from the synthetic demo partnership; its figures are not real.")], spacing: { after: 300 } }));
  }
  for (const s of report.sections) {
    children.push(new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_2, spacing: { before: 360, after: 160 } }));
    for (const b of s.blocks) children.push(...blocks(b));
  }
  const doc = new Document({
    title: report.title,
    creator: "Safe City",
    description: report.subtitle,
    styles: { default: { document: { run: { font: "Arial", size: 24 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
