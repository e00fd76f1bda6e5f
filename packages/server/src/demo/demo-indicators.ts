import { monthFromIndex, monthIndex } from "@safecity/core";
import { DEMO } from "./demo-city.ts";

/**
 * The demo's indicator series and targets. Imported series (what police.uk lacks) get values made
 * here so their targets come out in a known colour under the `default` RAG rule; derived series
 * (from the synthetic police data) get targets in the seed's form ("down 4% on the previous
 * year") and take the colour the data gives them.
 *
 *   asb-reports            monthly, 7% below last year, target 5% down      -> green (on target)
 *   nte-violence           monthly, 5% below last year, target 15% down     -> amber (off, improving)
 *   repeat-domestic-abuse  quarterly %, falling to 23.8, target 25%         -> green
 *   fte-youth-justice      quarterly, 24 against 18 a year before, -10%     -> red (off, worsening)
 *   deliberate-fires       quarterly, 39 against 45, target 10% down        -> green
 */

export interface ImportedSeries {
  key: string;
  values: { period: string; value: number }[];
}

export interface DemoTargetSpec {
  /** Index into DEMO_PRIORITIES. */
  priority: number;
  indicatorKey: string;
  baselinePeriod: string;
  kind: "value" | "change_percent";
  targetValue: number;
  deadline: string;
  /** The colour the target is made to show (imported series), or null when the data decides. */
  expected: "green" | "amber" | "red" | null;
}

/** Demo City's derived indicators: crime groups in Demo City from the roll-up. */
export const DEMO_DERIVED = [
  { key: "demo-city-violence", name: "Violence and sexual offences in Demo City (police.uk)", crime: "Violence and sexual offences" },
  { key: "demo-city-criminal-damage", name: "Criminal damage and arson in Demo City (police.uk)", crime: "Criminal damage and arson" },
] as const;

const ASB_SEASON = [0.8, 0.78, 0.9, 1.02, 1.12, 1.15, 1.25, 1.18, 1.0, 1.05, 0.95, 0.8];
const NTE_SEASON = [0.85, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.05, 0.95, 1.0, 1.05, 1.3];

function monthly(base: number, season: readonly number[], secondYear: number): { period: string; value: number }[] {
  const first = monthIndex(DEMO.start);
  const out: { period: string; value: number }[] = [];
  for (let m = 0; m < 24; m++) {
    const lastYear = Math.round(base * season[m % 12]!);
    out.push({ period: monthFromIndex(first + m), value: m < 12 ? lastYear : Math.round(lastYear * secondYear) });
  }
  return out;
}

const QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"];
const quarterly = (values: number[]) => values.map((value, i) => ({ period: QUARTERS[i]!, value }));

export const DEMO_IMPORTED_SERIES: readonly ImportedSeries[] = [
  { key: "asb-reports", values: monthly(430, ASB_SEASON, 0.93) },
  { key: "nte-violence", values: monthly(62, NTE_SEASON, 0.95) },
  { key: "repeat-domestic-abuse", values: quarterly([28.0, 27.5, 27.0, 26.4, 25.6, 25.0, 24.3, 23.8]) },
  { key: "fte-youth-justice", values: quarterly([21, 19, 20, 18, 22, 23, 21, 24]) },
  { key: "deliberate-fires", values: quarterly([34, 41, 38, 45, 31, 36, 33, 39]) },
];

export const DEMO_TARGETS: readonly DemoTargetSpec[] = [
  { priority: 0, indicatorKey: "demo-city-violence", baselinePeriod: "2024-Q4", kind: "change_percent", targetValue: -4, deadline: "2026-Q4", expected: null },
  { priority: 0, indicatorKey: "nte-violence", baselinePeriod: "2024-12", kind: "change_percent", targetValue: -15, deadline: "2026-12", expected: "amber" },
  { priority: 1, indicatorKey: "repeat-domestic-abuse", baselinePeriod: "2024-Q4", kind: "value", targetValue: 25, deadline: "2026-Q4", expected: "green" },
  { priority: 1, indicatorKey: "fte-youth-justice", baselinePeriod: "2024-Q4", kind: "change_percent", targetValue: -10, deadline: "2026-Q4", expected: "red" },
  { priority: 2, indicatorKey: "asb-reports", baselinePeriod: "2024-12", kind: "change_percent", targetValue: -5, deadline: "2026-12", expected: "green" },
  { priority: 2, indicatorKey: "demo-city-criminal-damage", baselinePeriod: "2024-Q4", kind: "change_percent", targetValue: -5, deadline: "2026-Q4", expected: null },
  { priority: 2, indicatorKey: "deliberate-fires", baselinePeriod: "2024-Q4", kind: "change_percent", targetValue: -10, deadline: "2026-Q4", expected: "green" },
];

/** The indicators CSV the demo imports through `indicators import` (indicator,area,period,value). */
export function importedSeriesCsv(areaCode: string): string {
  const lines = ["indicator,area,period,value"];
  for (const s of DEMO_IMPORTED_SERIES) for (const v of s.values) lines.push(`${s.key},${areaCode},${v.period},${v.value}`);
  return `${lines.join("\n")}\n`;
}
