import type { YearOnYearResult } from "@safecity/core";
import type { TrendsView } from "../services/analysis-views.service.ts";
import type { CsvCell, DataTable } from "./csv.ts";

const pct = (r: YearOnYearResult): number | null => (r.changePct === null ? null : Math.round(r.changePct * 10) / 10);

/** One comparison as table cells: both windows with their counts, the change, and the test's verdict (or why none). */
function comparisonCells(r: YearOnYearResult): CsvCell[] {
  return [r.current.label, r.current.count, r.previous.label, r.previous.count, r.change, pct(r), r.test?.verdict ?? r.reason ?? ""];
}

/**
 * The trends page's comparisons beyond the latest period (issue 12 item 1): year on year, the same
 * quarter last year and the latest financial and calendar year against the year before, per group;
 * the years themselves (up to 5); and rolling 12-month totals by month.
 */
export function comparisonTables(v: TrendsView): DataTable[] {
  const area = v.trends.scope.area.name;
  const comparisons: DataTable = {
    id: "comparisons",
    caption: `Year on year, the same quarter last year, and the latest financial and calendar years, ${area}: each over months with data in both periods`,
    header: ["Area", "Crime group", "Comparison", "Period", "Count", "Compared with", "Count then", "Change", "Change %", "Verdict"],
    numeric: [false, false, false, false, true, false, true, true, true, false],
    rows: v.comparisons.flatMap((c) => {
      const fy = c.financialYears.at(-1)?.change;
      const cy = c.calendarYears.at(-1)?.change;
      return [
        [area, c.group, "Year on year", ...comparisonCells(c.yearOnYear)],
        [area, c.group, "Same quarter last year", ...comparisonCells(c.sameQuarterLastYear)],
        ...(fy ? [[area, c.group, `Financial year ${c.financialYears.at(-1)!.year}`, ...comparisonCells(fy)]] : []),
        ...(cy ? [[area, c.group, `Calendar year ${c.calendarYears.at(-1)!.year}`, ...comparisonCells(cy)]] : []),
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
        y.change ? (y.change.test?.verdict ?? y.change.reason ?? "") : "first year listed",
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
