import { comparisonTables } from "./comparison-tables.ts";
import { flaggedInComparison, type TrendComparison, verdictUnlessFlagged } from "@safecity/core";
import type { TrendsView } from "../services/analysis-views.service.ts";
import type { PeersResult } from "../services/peers.service.ts";
import type { DataTable } from "./csv.ts";

/** The tables behind the trends page's charts (shown on the page and downloadable as CSV). */
export function trendsTables(v: TrendsView): DataTable[] {
  const { trends, seasonality } = v;
  const area = trends.scope.area.name;
  const groups = trends.groups;
  const months = trends.scope.months;
  const monthly: DataTable = {
    id: "monthly",
    caption: `Monthly recorded incidents by crime group, ${area} (empty: month not loaded)`,
    header: ["Area", "Month", ...groups.map((g) => g.group)],
    numeric: [false, false, ...groups.map(() => true)],
    rows: months.map((m, i) => [area, m, ...groups.map((g) => g.monthly[i]?.count ?? null)]),
  };
  const change: DataTable = {
    id: "change",
    caption: `Change in the latest complete ${trends.params.period} by crime group, ${area}`,
    header: ["Area", "Crime group", "Latest period", "Count", "Compared with", "Count then", "Change", "Change %", "Verdict"],
    numeric: [false, false, false, true, false, true, true, true, false],
    rows: groups.flatMap((g) => {
      const comps: TrendComparison[] = (g.change?.comparisons ?? []).filter((c) => c.kind === "previous" || c.from !== null);
      if (!comps.length) return [[area, g.group, "", null, "", null, null, null, g.message ?? ""]];
      return comps.map((c) => [
        area,
        g.group,
        c.to.period,
        c.to.count,
        c.from?.period ?? "",
        c.from?.count ?? null,
        c.comparable ? c.change : null,
        c.comparable && c.changePct !== null ? Math.round(c.changePct * 10) / 10 : null,
        (c.from ? verdictUnlessFlagged(c.test?.verdict ?? null, flaggedInComparison(trends.scope.flaggedMonths ?? [], c.from, c.to)) : c.test?.verdict) ?? c.reason ?? "",
      ]);
    }),
  };
  const seasonal: DataTable = {
    id: "seasonal",
    caption: `Seasonal profile of ${seasonality.group.toLowerCase()} by calendar month, ${area} (index 100 = an average month)`,
    header: ["Area", "Calendar month", "Months with data", "Mean per month", "Seasonal index"],
    numeric: [false, false, true, true, true],
    rows: seasonality.profile.index.map((r) => [area, r.name, r.monthsPresent, r.mean === null ? null : Math.round(r.mean * 10) / 10, r.index === null ? null : Math.round(r.index * 1000) / 1000]),
  };
  return [monthly, change, seasonal, ...comparisonTables(v)];
}

/** The tables behind the peers page's charts: one per crime group and source, and the members. */
export function peersTables(p: PeersResult): DataTable[] {
  const area = p.scope.area.name;
  const members: DataTable = {
    id: "members",
    caption: `Peer group of ${area} (${p.groupSource === "given" ? "official list" : "computed from similarity"})`,
    header: ["Area", "Peer", "Code", "Rank by similarity", "Distance", "Police data", "Population"],
    numeric: [false, false, false, true, true, false, true],
    rows: p.members.map((m) => [area, m.name, m.code, m.rank, m.distance === null ? null : Math.round(m.distance * 1000) / 1000, m.policeData, m.population]),
  };
  const tables: DataTable[] = [members];
  for (const g of p.groups) {
    for (const [source, side] of [
      ["ONS", g.ons],
      ["police.uk", g.policeUk],
    ] as const) {
      if (!side.result) continue;
      tables.push({
        id: `${slug(g.group)}-${source === "ONS" ? "ons" : "policeuk"}`,
        caption: `${g.group}: rate per 1,000 residents in the peer group (${source === "ONS" ? `ONS, year ending ${g.ons.yearEnding}` : "police.uk"})`,
        header: ["Area", "Peer", "Code", "Count", "Population", "Rate per 1,000", "Position", "Rank (1 = lowest rate)", "Quarter by rate", "SDs from mean", "Funnel verdict"],
        numeric: [false, false, false, true, true, true, false, true, false, true, false],
        rows: side.result.rows.map((r) => [
          area,
          r.name,
          r.code,
          r.count,
          r.population,
          Math.round(r.rate * 100) / 100,
          r.standing,
          r.rank,
          r.of < 4 ? null : r.quartileLabel,
          r.sdFromMean === null ? null : Math.round(r.sdFromMean * 100) / 100,
          r.verdict,
        ]),
      });
    }
  }
  return tables;
}

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
