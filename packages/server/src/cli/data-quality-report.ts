import type { DataQualityReport } from "@safecity/core";
import type { ImportReport } from "../services/import.service.ts";
import type { CliContext } from "./context.ts";

/** The forces whose files this import added or replaced: the data quality checks run on them. */
export function importedForces(report: ImportReport): string[] {
  return [...new Set(report.files.filter((f) => (f.status === "imported" || f.status === "replaced") && f.force).map((f) => f.force!))].sort();
}

/** The months of the files this import added or replaced. */
export function importedMonths(report: ImportReport): string[] {
  return [...new Set(report.files.filter((f) => (f.status === "imported" || f.status === "replaced") && f.month).map((f) => f.month!))].sort();
}

/** The data quality part of `safecity import`'s report (decision 0016): flagged months first, then notes. */
export function printDataQuality(c: CliContext, report: DataQualityReport | null): void {
  if (!report) return;
  const unusual = report.findings.filter((f) => f.severity === "unusual");
  const notes = report.findings.filter((f) => f.severity === "note");
  const forces = Object.keys(report.flaggedMonths);
  c.out.write("\nData quality\n");
  if (unusual.length === 0) c.out.write("  no month flagged as unusual\n");
  else {
    const months = forces.map((f) => `${f} ${report.flaggedMonths[f]!.join(", ")}`).join("; ");
    c.out.write(`  flagged as unusual: ${months} (analyses over these months say so, and do not call changes over them significant)\n`);
    for (const f of unusual) c.out.write(`  ! ${f.text}\n`);
  }
  for (const f of notes) c.out.write(`  - ${f.text}\n`);
  if (report.unchecked.length) {
    const shown = report.unchecked.slice(0, 12).map((u) => `${u.force} ${u.month}`);
    const more = report.unchecked.length > shown.length ? ` and ${report.unchecked.length - shown.length} more` : "";
    c.out.write(`  not checked (under ${report.params.minMonths} of the previous ${report.params.window} months loaded): ${shown.join(", ")}${more}\n`);
  }
}
