import { flaggedInYearOnYear, verdictUnlessFlagged, type YearOnYearResult } from "@safecity/core";
import type { TrendsView } from "../services/analysis-views.service.ts";
import type { CsvCell, DataTable } from "./csv.ts";

const pct = (r: YearOnYearResult): number | null => (r.changePct === null ? null : Math.round(r.changePct * 10) / 10);

/** The test's verdict, withheld when a month flagged by the data quality checks is among the months compared. */
function verdict(r: YearOnYearResult, flagged: readonly string[]): string {
  const months = flaggedInYearOnYear(flagged, r);
  return verdictUnlessFlagged(r.test?.verdict ?? null, months) ?? r.reason ?? "";
}

/** One comparison as table cells: both windows with their counts, the change, and the verdict (or why none). */
function comparisonCells(r: YearOnYearResult, flagged: readonly string[]): CsvCell[] {
  return [r.current.label, r.current.count, r.previous.label, r.previous.count, r.change, pct(r), verdict(r, flagged)];
}

/**
 * The trends page's comparisons beyond the latest period (issue 12 item 1): year on year, the same
 * quarter last year and the latest financial and calendar year against the year before, per group;
 * the years themselves (up to 5); and rolling 12-month totals by month.
 */
export function comparisonTables(v: TrendsView): DataTable[] {
  const area = v.trends.scope.area.name;
  const flagged = v.trends.scope.flaggedMonths ?? [];
  const comparisons: DataTable = {
    id: "comparisons",
    caption: `Year on year, the same quarter last year, and the latest financial and calendar years, ${area}: each over months with data in both periods`,
    header: ["Area", "Crime group", "Comparison", "Period", "Count", "Compared with", "Count then", "Change", "Change %", "Verdict"],
    numeric: [false, false, false, false, true, false, true, true, true, false],
    rows: v.comparisons.flatMap((c) => {
      const fy = c.financialYears.at(-1)?.change;
      const cy = c.calendarYears.at(-1)?.change;
      return [
        [area, c.group, "Year on year", ...comparisonCells(c.yearOnYear, flagged)],
        [area, c.group, "Same quarter last year", ...comparisonCells(c.sameQuarterLastYear, flagged)],
        ...(fy ? [[area, c.group, `Financial year ${c.financialYears.at(-1)!.year}`, ...comparisonCells(fy, flagged)]] : []),
        ...(cy ? [[area, c.group, `Calendar year ${c.calendarYears.at(-1)!.year}`, ...comparisonCells(cy, flagged)]] : []),
      ];
    }),
  };
  const years: DataTable = {
    id: "years",
    caption: `Financial (April to March) and calendar years, ${area}: totals of the months with data, and the change on the year before`,
    header: ["Area", "Crime group", "Year", "From", "To", "Months with data", "Count", "Change on the year before", "Change %", "Verdict"],
    numeric: [false, false, false, false, false, true, true, true, true, false],
    rows: v.comparisons.flatMap((c) =>
      [...c.financialYears.map((y) => ({ ...y, label: `FY ${y.year}` })), ...c.calendarYears.map((y) => ({ ...y, label: y.year }))].map((y) => [
        area,
        c.group,
        y.label,
        y.from,
        y.to,
        y.monthsWithData,
        y.count,
        y.change?.change ?? null,
        y.change ? pct(y.change) : null,
        y.change ? verdict(y.change, flagged) : "first year listed",
      ]),
    ),
  };
  const months = v.comparisons[0]?.rolling12.map((r) => r.month) ?? [];
  const rolling: DataTable = {
    id: "rolling12",
    caption: `Rolling 12-month totals by crime group, ${area} (empty: one of the 12 months has no data)`,
    header: ["Area", "12 months to", ...v.comparisons.map((c) => c.group)],
    numeric: [false, false, ...v.comparisons.map(() => true)],
    rows: months.map((m, i) => [area, m, ...v.comparisons.map((c) => c.rolling12[i]?.total ?? null)]),
  };
  return [comparisons, years, rolling];
}
