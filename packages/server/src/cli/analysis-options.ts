import type { Command } from "commander";

/** The options every analysis command shares: --area, --from, --to, --type, --json. */
export function withAnalysisOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--area <code|name>", "a code (E06000045) or a name, optionally level-qualified (lad:Southampton, csp:North Hampshire)")
    .option("--from <YYYY-MM>", "first month (default: the first month loaded for the area's force)")
    .option("--to <YYYY-MM>", "last month (default: the last month loaded for the area's force)")
    .option("--type <group|type>", 'a crime group ("All crime", "Theft (all)") or a police.uk crime type (Burglary); default All crime')
    .option("--other-forces <rule>", OTHER_FORCES_HELP)
    .option("--json", "print JSON");
}

/** --other-forces (decision 0022). */
export const OTHER_FORCES_HELP =
  "rows from other forces' files in the area: complete (default: counted only when that force's files cover every month of the period) | all (counted in the months imported) | none (the area's own force only)";

export interface AnalysisOptions {
  area: string;
  from?: string;
  to?: string;
  type?: string;
  otherForces?: string;
  json?: boolean;
}

/** Only the query fields, without undefined values (exactOptionalPropertyTypes-friendly). */
export function analysisQuery(o: AnalysisOptions): { area: string; from?: string; to?: string; type?: string; otherForces?: string } {
  return { area: o.area, ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}), ...(o.type ? { type: o.type } : {}), ...(o.otherForces ? { otherForces: o.otherForces } : {}) };
}

export const fmtCount = (n: number | null | undefined): string => (n === null || n === undefined ? "–" : n.toLocaleString("en-GB"));
export const fmtNum = (n: number | null | undefined, dp = 2): string =>
  n === null || n === undefined ? "–" : n.toLocaleString("en-GB", { minimumFractionDigits: dp, maximumFractionDigits: dp });

/** A plain text table: header row, rows, columns padded (numbers right-aligned). */
export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-–+]?[\d,.%]+$|^–$/.test(String(r[i] ?? ""))));
  return `${cells
    .map((r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd())
    .join("\n")}\n`;
}

/** The area and period, then (when months are missing) the scope's warning, as every page shows it at the top. */
export function scopeLine(s: { area: { name: string; level: string; code: string | null }; from: string; to: string; missingMonths: string[]; warning?: string | null }): string {
  const head = `${s.area.name} (${s.area.level}${s.area.code ? ` ${s.area.code}` : ""}), ${s.from} to ${s.to}${s.missingMonths.length ? ` — ${s.missingMonths.length} month(s) missing` : ""}\n`;
  return s.warning ? `${head}warning: ${s.warning}\n` : head;
}

/** The hotspot method options (issue 13): --clip, --inference, --permutations, --seed. */
export function withHotspotMethodOptions(cmd: Command): Command {
  return cmd
    .option("--clip <clip>", "boundary | none: keep only the grid cells that meet the area's boundary (default boundary, when boundaries are installed)")
    .option("--inference <inference>", "Gi* p-values: normal (default) | permutation (conditional, 999 permutations)")
    .option("--permutations <n>", "permutations per cell for --inference permutation (default 999)")
    .option("--seed <n>", "seed of the permutations (default 1)");
}

export interface HotspotMethodFlags {
  clip?: string;
  inference?: string;
  permutations?: string;
  seed?: string;
}

export function hotspotMethodQuery(o: HotspotMethodFlags): { clip?: string; inference?: string; permutations?: string; seed?: string } {
  return { ...(o.clip ? { clip: o.clip } : {}), ...(o.inference ? { inference: o.inference } : {}), ...(o.permutations ? { permutations: o.permutations } : {}), ...(o.seed ? { seed: o.seed } : {}) };
}

/** The emerging hot spot method options (issue 13): --adjust, --trend-test, --rules, --first-steps (and --clip from the hotspot options). */
export function withEmergingMethodOptions(cmd: Command): Command {
  return cmd
    .option("--adjust <adjust>", "emerging bins hot/cold on fdr (Benjamini–Hochberg over all bins, default) | none (raw p)")
    .option("--trend-test <test>", "mann-kendall (default) | hamed-rao (variance corrected for autocorrelation)")
    .option("--rules <rules>", "emerging categories: esri (default) | sfdep")
    .option("--first-steps <mode>", "the first step's half neighbourhood: partial (default) | exclude");
}

export interface EmergingMethodFlags {
  adjust?: string;
  trendTest?: string;
  rules?: string;
  firstSteps?: string;
}

export function emergingMethodQuery(o: EmergingMethodFlags): EmergingMethodFlags {
  return { ...(o.adjust ? { adjust: o.adjust } : {}), ...(o.trendTest ? { trendTest: o.trendTest } : {}), ...(o.rules ? { rules: o.rules } : {}), ...(o.firstSteps ? { firstSteps: o.firstSteps } : {}) };
}
