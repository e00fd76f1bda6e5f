import {
  type Assessment,
  EMERGING_CATEGORY_LABELS,
  type EmergingCategory,
  MONTH_NAMES,
  type PeerCompareResult,
  type ProposedPriority,
  type VegaLiteSpec,
  formatCount,
  forceLabel,
  formatPercent,
  listAnd,
  peerFunnelSpec,
  peerRankSpec,
  peerVariableLabel,
  proposePriorities,
  seasonalChartSpec,
  trendChartSpec,
} from "@safecity/core";
import { peersTables, trendsTables } from "../http/analysis-tables.ts";
import type { DataTable } from "../http/csv.ts";
import { REFERENCE_MANIFEST } from "../ingest/reference/manifest.ts";
import type { TrendsView } from "../services/analysis-views.service.ts";
import type { PeersResult } from "../services/peers.service.ts";

/**
 * The Strategic Assessment report (issue 9, item 4) as a pure model: numbered sections of blocks
 * (paragraphs, lists, numbered tables and figures), built from one assessment document
 * (`assessArea`, the same document `safecity assess --json` prints) and nothing else but the
 * boundaries and area names to draw the maps with. No figure is recomputed: counts, changes, tests,
 * ranks, cells and priority areas are the document's own; the recommended priorities are core's
 * `proposePriorities` of the same document. assessment-report-html.ts renders it;
 * assessment-report-pdf.ts prints that HTML with Chromium.
 */

export interface ReportBoundary {
  code: string;
  level: string;
  name: string;
  /** GeoJSON Polygon or MultiPolygon, WGS84. */
  geometry: Record<string, unknown>;
}

/** A static map: boundaries, grid cells coloured by class, and areas picked out (drawn in British National Grid). */
export interface ReportMap {
  boundaries: ReportBoundary[];
  /** Codes of the boundaries filled as highlighted (priority areas). */
  highlight: string[];
  grid: { kind: "square"; cellSize: number } | { kind: "h3" } | null;
  cells: { id: string; colour: string }[];
  legend: { colour: string; label: string; outline?: boolean }[];
}

export type AssessmentBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "subheading"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "table"; number: number; table: DataTable; note?: string; small?: boolean }
  | { kind: "chart"; number: number; caption: string; description: string; spec: VegaLiteSpec }
  | { kind: "map"; number: number; caption: string; description: string; map: ReportMap };

export interface AssessmentSection {
  id: string;
  number: number;
  heading: string;
  blocks: AssessmentBlock[];
}

export interface AssessmentReport {
  title: string;
  subtitle: string;
  /** Made from the synthetic demo partnership: the renderers print a notice. */
  demo: boolean;
  /** "1 December 2026": when the report was made (the caller's clock). */
  made: string;
  sections: AssessmentSection[];
  figures: { number: number; caption: string; section: string }[];
  tables: { number: number; caption: string; section: string }[];
  attribution: string;
}

export interface AssessmentReportInput {
  doc: Assessment;
  /** The area's own boundary, its wards' and its LSOAs' (any may be missing). */
  boundaries: ReportBoundary[];
  /** Names of LSOAs and other areas by code, for the tables. */
  names: ReadonlyMap<string, string>;
  demo: boolean;
  now: Date;
}

/** Gi* class colours: the map page's (http/map.routes.tsx GI_COLOURS). */
export const GI_CLASS_COLOURS: Readonly<Record<string, string>> = {
  "hot-99": "#d4351c",
  "hot-95": "#f47738",
  "hot-90": "#ffdd00",
  "cold-90": "#5694ca",
  "cold-95": "#1d70b8",
  "cold-99": "#003078",
};

/** Emerging hot spot patterns drawn on the map, strongest first (the others are listed in the table). */
export const EMERGING_COLOURS: Readonly<Record<string, string>> = {
  "new-hotspot": "#d4351c",
  "consecutive-hotspot": "#f47738",
  "intensifying-hotspot": "#912b88",
  "persistent-hotspot": "#ffdd00",
  "diminishing-hotspot": "#85994b",
  "sporadic-hotspot": "#b1b4b6",
  "oscillating-hotspot": "#6f72af",
  "historical-hotspot": "#505a5f",
  "new-coldspot": "#003078",
  "consecutive-coldspot": "#1d70b8",
  "intensifying-coldspot": "#003078",
  "persistent-coldspot": "#5694ca",
  "diminishing-coldspot": "#5694ca",
  "sporadic-coldspot": "#d2e2f1",
  "oscillating-coldspot": "#d2e2f1",
  "historical-coldspot": "#d2e2f1",
};

export function giClassLabel(cls: string): string {
  const [side, level] = cls.split("-");
  return `${side === "hot" ? "Hot" : "Cold"} spot, ${level}% confidence`;
}

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
/** The priority areas' deprivation measure as the service named it (decision 0023); older documents: the IMD edition. */
const deprivationOf = (doc: Assessment): string => str(rec(doc.priorityAreas.params).deprivationMeasure) ?? `IMD ${doc.parameters.imdEdition}`;

/** "2024-01" -> "January 2024". */
export function monthName(m: string): string {
  const [y, mm] = m.split("-");
  return `${MONTH_NAMES[Number(mm) - 1]} ${y}`;
}

function dateName(d: Date): string {
  return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const round = (v: number | null, dp: number): number | null => (v === null ? null : Math.round(v * 10 ** dp) / 10 ** dp);

/** Publisher and licence of a reference dataset, from its name (REFERENCE_MANIFEST's names). */
export function referenceSource(name: string): { publisher: string; licence: string } {
  const ogl = "Open Government Licence v3.0";
  if (name.startsWith("demo.")) return { publisher: "Safe City demo (synthetic, not real data)", licence: "none needed: generated" };
  if (name.startsWith("imd.")) return { publisher: "MHCLG, English Indices of Deprivation", licence: ogl };
  if (name.startsWith("geography.") || name.startsWith("boundaries.")) return { publisher: "ONS Open Geography Portal (contains OS data © Crown copyright and database right)", licence: ogl };
  if (name.startsWith("ons_crime.")) return { publisher: "ONS, police recorded crime by Community Safety Partnership", licence: ogl };
  if (name.startsWith("population.") || name.startsWith("census.")) return { publisher: "ONS (population estimates, Census 2021 via Nomis)", licence: ogl };
  return { publisher: "see docs/reference-data.md", licence: ogl };
}

class Numbering {
  figures: AssessmentReport["figures"] = [];
  tables: AssessmentReport["tables"] = [];
  section = "";
  table(table: DataTable, opts: { note?: string; small?: boolean } = {}): AssessmentBlock {
    const number = this.tables.length + 1;
    this.tables.push({ number, caption: table.caption, section: this.section });
    return { kind: "table", number, table, ...opts };
  }
  chart(caption: string, description: string, spec: VegaLiteSpec): AssessmentBlock {
    const number = this.figures.length + 1;
    this.figures.push({ number, caption, section: this.section });
    return { kind: "chart", number, caption, description, spec };
  }
  map(caption: string, description: string, map: ReportMap): AssessmentBlock {
    const number = this.figures.length + 1;
    this.figures.push({ number, caption, section: this.section });
    return { kind: "map", number, caption, description, map };
  }
}

function unavailable(name: string, s: { status: string; message: string | null }): AssessmentBlock[] {
  return [{ kind: "paragraph", text: `${name}: ${s.status === "insufficient" ? "not enough data" : "not available"} for this assessment${s.message ? ` (${s.message})` : ""}.` }];
}

/** The report of one assessment document. */
export function buildAssessmentReport(input: AssessmentReportInput): AssessmentReport {
  const { doc } = input;
  const n = new Numbering();
  const sections: AssessmentSection[] = [];
  const area = doc.area.name;
  const period = `${monthName(doc.period.from)} to ${monthName(doc.period.to)}`;
  const proposals = proposePriorities(doc);
  const add = (id: string, heading: string, build: () => AssessmentBlock[]) => {
    n.section = id;
    sections.push({ id, number: sections.length + 1, heading, blocks: build() });
  };

  add("summary", "Executive summary", () => summaryBlocks(doc, period, proposals.candidates));
  add("data-and-methods", "Data sources and methods", () => methodsBlocks(doc, n, period));
  add("trends", "Trends", () => trendsBlocks(doc, n));
  add("seasonality", "Seasonality", () => seasonalityBlocks(doc, n));
  add("peers", "Comparison with similar areas", () => peersBlocks(doc, n));
  add("hotspots", "Hot spots", () => hotspotBlocks(doc, n, input));
  add("emerging", "Emerging hot spots", () => emergingBlocks(doc, n, input));
  add("concentration", "Concentration", () => concentrationBlocks(doc, n));
  add("priority-areas", "Priority areas", () => priorityBlocks(doc, n, input));
  add("recommended-priorities", "Recommended priorities", () => recommendationBlocks(proposals.candidates, proposals.notes));
  add("notes", "Notes and data files", () => notesBlocks(doc, n));

  return {
    title: `Strategic Assessment: ${area}`,
    subtitle: `${doc.parameters.group} recorded by the police, ${period} (${doc.period.months} months). Made on ${dateName(input.now)}.`,
    demo: input.demo,
    made: dateName(input.now),
    sections,
    figures: n.figures,
    tables: n.tables,
    attribution: doc.attribution,
  };
}

const MESSAGE_GROUPS: [string, string][] = [
  ["change.", "Trends"],
  ["peer.", "Compared with similar areas"],
  ["season.", "Seasonality"],
  ["concentration.", "Concentration"],
  ["priority.", "Priority areas"],
];

function summaryBlocks(doc: Assessment, period: string, candidates: ProposedPriority[]): AssessmentBlock[] {
  const v = doc.vintage;
  const rows = v.imports.reduce((s, i) => s + i.rows, 0);
  const blocks: AssessmentBlock[] = [
    {
      kind: "paragraph",
      text: `This Strategic Assessment describes crime and anti-social behaviour recorded by the police in ${doc.area.name} (${doc.area.level}${doc.area.code ? ` ${doc.area.code}` : ""}) from ${period}: ${doc.period.months} months of street-level data from data.police.uk (${v.imports.length} monthly ${v.imports.length === 1 ? "file" : "files"}, ${formatCount(rows)} rows across the force area${v.principalForce ? `, force ${v.principalForce}` : ""}).${v.missingMonths.length ? ` ${v.missingMonths.length} month(s) have no data loaded and are treated as unknown, never as zero: ${v.missingMonths.join(", ")}.` : " Every month of the period has data."}`,
    },
    { kind: "paragraph", text: "The key messages below are generated from the figures in this report; each names the figures it cites." },
  ];
  if (doc.keyMessages.status !== "ok") blocks.push(...unavailable("Key messages", doc.keyMessages));
  for (const [prefix, heading] of MESSAGE_GROUPS) {
    const items = doc.keyMessages.messages.filter((m) => m.id.startsWith(prefix)).map((m) => m.text);
    if (items.length) blocks.push({ kind: "subheading", text: heading }, { kind: "list", items });
  }
  const other = doc.keyMessages.messages.filter((m) => !MESSAGE_GROUPS.some(([p]) => m.id.startsWith(p)));
  if (other.length) blocks.push({ kind: "subheading", text: "Other" }, { kind: "list", items: other.map((m) => m.text) });
  blocks.push({ kind: "subheading", text: "Recommended priorities" });
  blocks.push(
    candidates.length
      ? { kind: "list", items: candidates.map((c) => c.title) }
      : { kind: "paragraph", text: "Nothing in this assessment meets a rule for proposing a priority (see section Recommended priorities)." },
  );
  return blocks;
}

function methodsBlocks(doc: Assessment, n: Numbering, period: string): AssessmentBlock[] {
  const v = doc.vintage;
  const p = doc.parameters;
  const first = v.monthsCovered[0];
  const last = v.monthsCovered[v.monthsCovered.length - 1];
  const rows = v.imports.reduce((s, i) => s + i.rows, 0);
  const sources: DataTable = {
    id: "sources",
    caption: "Data sources, their vintage and licence",
    header: ["Dataset", "Publisher", "Vintage / coverage", "Rows", "Licence"],
    numeric: [false, false, false, true, false],
    rows: [
      [
        "Street-level crime and anti-social behaviour",
        "data.police.uk",
        first && last ? `${monthName(first)} to ${monthName(last)} (${v.monthsCovered.length} months with data)` : "no months",
        rows,
        "Open Government Licence v3.0",
      ],
      ...v.reference.map((r) => {
        const src = referenceSource(r.name);
        const entry = REFERENCE_MANIFEST.find((m) => m.name === r.name);
        return [entry ? `${entry.description} (${r.name})` : r.name, src.publisher, r.fileName, r.rows, src.licence];
      }),
    ],
  };
  const trendGroup = doc.trends.groups?.find((g) => g.change);
  const comparisons = rec(trendGroup?.change).comparisons;
  const testParams = rec(rec(rec(Array.isArray(comparisons) ? comparisons[0] : null).test).params);
  const changeParams = rec(rec(trendGroup?.change).params);
  const season = rec(rec(doc.seasonality.profile).params);
  const sim = rec(rec(doc.peers.similarity).params);
  const hot = rec(rec(doc.hotspots.params).analysis);
  const em = rec(doc.emerging.params);
  const pri = rec(rec(doc.priorityAreas.params).analysis);
  const weights = rec(pri.weights);
  const conc = rec(rec(doc.concentration.lsoas ?? doc.concentration.cells).params);
  const cellSize = num(hot.cellSize);
  const methods: string[] = [
    `Period: ${period}; crime group for seasonality, hot spots, emerging hot spots, concentration and priority areas: ${p.group}. Trends and peer comparisons cover every crime group.`,
    ...(p.otherForces ? [otherForcesMethod(p.otherForces)] : []),
    `Trends: counts by ${p.trendPeriod}; the latest complete ${p.trendPeriod} is compared with the previous one and with the same ${p.trendPeriod} ${num(changeParams.periodsAgo) ?? 4} periods earlier by the ${str(testParams.method) ?? "exact Poisson test"} at a significance level of ${num(testParams.alpha) ?? 0.05}. Rates per 1,000 residents use ${p.populationSource}.`,
    season.method === "mean"
      ? `Seasonality: the index of each calendar month is its mean count divided by the mean of all months (100 = an average month); it needs at least ${num(season.minMonths) ?? 24} months of data.`
      : `Seasonality: each month's count is adjusted to an average-length month and divided by the centred 12-month moving average (the trend); the index of each calendar month is the mean of these ratios, scaled so the twelve average 100 (classical multiplicative decomposition, as R's decompose). A rising or falling trend is not read as a season. Months above the expected range use limits widened by the months' over-dispersion. It needs at least ${num(season.minMonths) ?? 24} months of data.`,
    `Peer comparison: ${doc.peers.groupSource === "given" ? "the peer group given" : `a Most Similar Group of ${doc.parameters.peers.codes.length} areas computed by ${str(sim.distance) ?? "Euclidean"} distance on ${Array.isArray(sim.variables) ? (sim.variables as string[]).map(peerVariableLabel).join("; ") : "the area indicators"} (${str(sim.standardise) ?? "standardised"})`}; rates per 1,000 residents, ranked lowest first, with ${p.peers.funnel === "poisson" ? "exact Poisson funnel limits" : `Spiegelhalter's (2005) over-dispersed funnel limits (${p.peers.dispersionModel ?? "multiplicative"} model; exact Poisson where the group shows no over-dispersion), so a difference is significant only beyond the usual spread between similar areas`} around the pooled group rate. ${doc.peers.sourcesNote}`,
    `Hot spots: Getis-Ord Gi* on ${p.grid === "square (automatic size)" && cellSize ? `a grid of ${formatCount(cellSize)} m squares (size chosen from the data)` : p.grid}, ${str(hot.neighbours) ?? "queen neighbours"}, ${str(hot.weights) ?? "binary weights"}, p-values adjusted for the false discovery rate (${str(hot.adjust) ?? "fdr"}). ${str(rec(doc.hotspots.params).hotspotLsoaRule) ?? ""}`.trim(),
    `Emerging hot spots: Gi* for each ${doc.emerging.step} on the same grid (${str(em.neighbours) ?? "space-time neighbours"}), a Mann-Kendall trend test of each cell's z-scores (${str(em.mannKendall) ?? "normal approximation"}), and the cell's pattern over the ${doc.emerging.steps?.length ?? 0} ${doc.emerging.step}s (new, consecutive, intensifying, persistent, …).`,
    `Priority areas: LSOAs ranked on crime rate per ${num(pri.ratePer) ?? 1000} residents (${str(rec(doc.priorityAreas.params).populationSource) ?? "LSOA population"}) and deprivation (${deprivationOf(doc)}, ${str(pri.deprivationBy) ?? "rank"}), weighted ${num(weights.crime) ?? 0.5} and ${num(weights.imd) ?? 0.5}; the top ${p.top} are listed; "deprived" means IMD decile ${num(pri.maxDeprivedDecile) ?? 2} or lower. ${priorityRateMethod(pri)}`,
    `Concentration: the share of crime in the 5% and 10% of places with the most crime, and the Gini coefficient (${str(conc.gini) ?? "standard"}; generalised: ${str(conc.generalised) ?? "Bernasco & Steenbeek (2017)"}).`,
    "Recommended priorities: the priority areas; each crime group among the highest quarter of rates in its peer group or with a statistically significant rise; the new, consecutive and intensifying hot spots (the rules of `safecity plan propose`).",
  ];
  return [
    {
      kind: "paragraph",
      text: "Every figure in this report comes from one assessment document, the output of `safecity assess` for the same area and period, so each can be reproduced and checked.",
    },
    n.table(sources),
    { kind: "subheading", text: "Methods" },
    { kind: "list", items: methods },
  ];
}

/** The analysis pages' tables start with an Area column (for the CSV download); the report names the area in the caption. */
function withoutArea(t: DataTable): DataTable {
  return { ...t, header: t.header.slice(1), ...(t.numeric ? { numeric: t.numeric.slice(1) } : {}), rows: t.rows.map((r) => r.slice(1)) };
}

function trendsView(doc: Assessment): TrendsView | null {
  const groups = doc.trends.groups;
  if (!groups?.length) return null;
  // The document's trend and seasonal sections are the services' results (assessment.service.ts); the page's tables read the same fields.
  return {
    trends: {
      scope: { area: doc.area, months: groups[0]!.monthly.map((m) => m.month), flaggedMonths: doc.vintage.dataQuality?.flaggedMonths ?? [] },
      groups,
      params: { period: doc.parameters.trendPeriod },
    },
    seasonality: { group: doc.seasonality.group, profile: doc.seasonality.profile ?? { index: [] } },
    // the trends page's comparison tables are not in the document's trends section
    comparisons: [],
  } as unknown as TrendsView;
}

function trendsBlocks(doc: Assessment, n: Numbering): AssessmentBlock[] {
  const v = trendsView(doc);
  if (doc.trends.status !== "ok" || !v) return unavailable("Trends", doc.trends);
  const [monthly, change] = trendsTables(v).map(withoutArea);
  const groups = doc.trends.groups!;
  const rows = groups.flatMap((g) => g.monthly.map((m) => ({ group: g.group, month: m.month, count: m.count })));
  const totals = groups.filter((g) => g.total !== null).map((g) => `${g.group} ${formatCount(g.total!)}`);
  const blocks: AssessmentBlock[] = [
    { kind: "paragraph", text: `Recorded incidents over the ${doc.period.months} months, by crime group: ${totals.join("; ")}.` },
    n.chart(
      `Monthly recorded incidents by crime group, ${doc.area.name}, ${monthName(doc.period.from)} to ${monthName(doc.period.to)}`,
      `Line charts of monthly recorded incidents in ${doc.area.name} for each of ${groups.length} crime groups; each has its own scale starting at zero; months with no data are gaps.`,
      trendChartSpec(rows, { columns: 3, width: 180 }),
    ),
    n.table({ ...change!, caption: `Change in the latest complete ${doc.parameters.trendPeriod} by crime group, ${doc.area.name} (test: exact Poisson)` }, { small: true }),
    n.table(monthly!, { small: true }),
  ];
  if (doc.trends.notes.length) blocks.push({ kind: "list", items: doc.trends.notes });
  return blocks;
}

function seasonalityBlocks(doc: Assessment, n: Numbering): AssessmentBlock[] {
  const s = doc.seasonality;
  const v = trendsView(doc);
  if (s.status !== "ok" || !s.profile || !v) return unavailable("Seasonality", s);
  const profile = s.profile as { index: { name: string; index: number | null }[]; peakSummary?: { text: string } | null; peakMonths?: string[]; aboveExpected?: unknown[] };
  const blocks: AssessmentBlock[] = [];
  const peak = profile.peakSummary?.text;
  blocks.push({
    kind: "paragraph",
    text: `${peak ? `${peak}. ` : ""}${profile.peakMonths?.length ? `Across the whole period the highest seasonal index is in ${listAnd(profile.peakMonths)}.` : ""}`.trim() || `Seasonal profile of ${s.group.toLowerCase()}.`,
  });
  blocks.push(
    n.chart(
      `Seasonal index of ${s.group.toLowerCase()} by calendar month, ${doc.area.name} (100 = an average month)`,
      `Bar chart of the seasonal index of ${s.group.toLowerCase()} for each calendar month, with a line at 100, the average month.`,
      seasonalChartSpec(profile.index.map((r) => ({ name: r.name, index: r.index }))),
    ),
  );
  blocks.push(n.table(withoutArea(trendsTables(v)[2]!)));
  if (s.notes.length) blocks.push({ kind: "list", items: s.notes });
  return blocks;
}

function peersBlocks(doc: Assessment, n: Numbering): AssessmentBlock[] {
  const p = doc.peers;
  if (!p.groups || !p.members) return unavailable("Peer comparison", p);
  const view = { scope: { area: doc.area }, members: p.members, groupSource: p.groupSource, groups: p.groups } as unknown as PeersResult;
  const [members, ...detail] = peersTables(view).map(withoutArea);
  const blocks: AssessmentBlock[] = [];
  if (p.status !== "ok") blocks.push(...unavailable("Peer comparison", p));
  const sim = rec(p.similarity);
  blocks.push({
    kind: "paragraph",
    text: `${doc.area.name} is compared with ${p.members.length - 1} ${p.groupSource === "given" ? "areas of the peer group given" : "similar areas (its Most Similar Group, computed)"}. Rank 1 is the lowest rate; the position says it from the nearer end ("the 2nd highest rate of 14"), and quarters are named by their rates ("among the highest quarter").${Array.isArray(sim.notes) && sim.notes.length ? ` ${(sim.notes as string[]).join(" ")}` : ""}`,
  });
  blocks.push(n.table(members!, { small: true }));
  const summary: DataTable = {
    id: "peer-summary",
    caption: `${doc.area.name}'s position in its peer group by crime group`,
    header: ["Crime group", "Source", "Rate per 1,000", "Rank (1 = lowest)", "Of", "Position", "Funnel verdict"],
    numeric: [false, false, true, true, true, false, false],
    rows: p.groups.map((g) => {
      const side = g.ons.result ? "ons" : g.policeUk.result ? "policeUk" : null;
      const t = side ? (rec(g[side].result).target as PeerCompareResult["target"] | undefined) : undefined;
      if (!side || !t) return [g.group, "", null, null, null, "", g.policeUk.message ?? g.ons.message ?? "no comparison"];
      return [g.group, side === "ons" ? `ONS, year ending ${g.ons.yearEnding}` : "police.uk", round(t.rate, 2), t.rank, t.of, t.standing ?? t.quartileLabel, t.verdict];
    }),
  };
  blocks.push(n.table(summary, { small: true }));
  const main = p.groups.find((g) => g.group === doc.parameters.group) ?? p.groups[0];
  const side = main ? (main.ons.result ? "ons" : main.policeUk.result ? "policeUk" : null) : null;
  if (main && side) {
    const r = main[side].result as unknown as PeerCompareResult;
    const rows = r.rows.map((x) => ({ code: x.code, name: x.name, rate: x.rate, population: x.population, target: x.code === doc.area.code, funnel: x.funnel }));
    const subject = main.group.toLowerCase();
    const source = side === "ons" ? `ONS, year ending ${main.ons.yearEnding}` : "police.uk";
    blocks.push({ kind: "subheading", text: `${main.group} in detail` });
    blocks.push(
      n.chart(
        `${main.group}: rate per 1,000 residents in the peer group, lowest first (${source})`,
        `Bar chart ranking the peer group on ${subject} per 1,000 residents, ${doc.area.name} highlighted, with the group mean and mean ± 1 standard deviation.`,
        peerRankSpec(rows, { mean: r.group.mean, sd: r.group.sd }, { subject }),
      ),
    );
    blocks.push(
      n.chart(
        `${main.group}: funnel plot of rate against population with 95% and 99.8% limits (${source})`,
        `Funnel plot of ${subject} rate against population with 95% and 99.8% limits around the pooled group rate.`,
        peerFunnelSpec(rows, r.group.groupRate, { subject }),
      ),
    );
    const table = detail.find((t) => t.id.startsWith(`${slugOf(main.group)}-${side === "ons" ? "ons" : "policeuk"}`));
    if (table) blocks.push(n.table(table, { small: true }));
  }
  return blocks;
}

function slugOf(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function gridOf(params: Record<string, unknown>): ReportMap["grid"] {
  const size = num(params.cellSize);
  if (str(params.grid) === "square" && size) return { kind: "square", cellSize: size };
  if (str(params.grid) === "h3") return { kind: "h3" };
  return null;
}

function outlines(input: AssessmentReportInput, levels: string[]): ReportBoundary[] {
  // wards first, the area's outline last (drawn on top)
  return levels.flatMap((l) => input.boundaries.filter((b) => b.level === l && (l !== input.doc.area.level || b.code === input.doc.area.code)));
}

function hotspotBlocks(doc: Assessment, n: Numbering, input: AssessmentReportInput): AssessmentBlock[] {
  const h = doc.hotspots;
  if (h.status !== "ok" || !h.cells || !h.summary) return unavailable("Hot spots", h);
  const analysis = rec(rec(h.params).analysis);
  const marked = h.cells.length;
  const classes = Object.keys(GI_CLASS_COLOURS);
  const blocks: AssessmentBlock[] = [
    {
      kind: "paragraph",
      text: `${formatCount(marked)} of ${formatCount(h.cellCount ?? 0)} grid cells are marked as hot or cold spots of ${doc.parameters.group.toLowerCase()} (${classes.filter((c) => (h.summary![c] ?? 0) > 0).map((c) => `${giClassLabel(c).toLowerCase()}: ${h.summary![c]}`).join("; ") || "none"}).`,
    },
    n.map(
      `Hot and cold spots of ${doc.parameters.group.toLowerCase()} (Getis-Ord Gi*), ${doc.area.name}, ${monthName(doc.period.from)} to ${monthName(doc.period.to)}`,
      `Map of ${doc.area.name} with its ward boundaries; grid cells coloured by hot or cold spot class. Table ${n.tables.length + 2} lists the strongest cells.`,
      {
        boundaries: outlines(input, ["ward", doc.area.level]),
        highlight: [],
        grid: gridOf(analysis),
        cells: h.cells.map((c) => ({ id: c.id, colour: GI_CLASS_COLOURS[c.class] ?? "#b1b4b6" })),
        legend: classes.filter((c) => (h.summary![c] ?? 0) > 0).map((c) => ({ colour: GI_CLASS_COLOURS[c]!, label: `${giClassLabel(c)} (${h.summary![c]} cells)` })),
      },
    ),
    n.table({
      id: "gi-summary",
      caption: "Grid cells by Gi* class",
      header: ["Class", "Cells"],
      numeric: [false, true],
      rows: [...classes.map((c) => [giClassLabel(c), h.summary![c] ?? 0]), ["Not significant", h.summary.none ?? 0], ["All cells", h.cellCount ?? 0]],
    }),
  ];
  const strongest = [...h.cells].sort((a, b) => (b.z ?? 0) - (a.z ?? 0) || a.id.localeCompare(b.id)).slice(0, 20);
  blocks.push(
    n.table(
      {
        id: "gi-cells",
        caption: `The ${strongest.length} strongest hot spot cells of ${marked} marked (every cell: safecity hotspots --json)`,
        header: ["Cell", "Class", "Incidents", "z", "p (adjusted)"],
        numeric: [false, false, true, true, true],
        rows: strongest.map((c) => [c.id, giClassLabel(c.class), c.count, round(c.z, 2), c.pAdjusted === null ? null : c.pAdjusted < 0.001 ? "< 0.001" : round(c.pAdjusted, 3)]),
      },
      { note: analysis.grid === "h3" ? "Cell ids are H3 indexes." : "Cell ids are the British National Grid easting and northing of the cell's south-west corner." },
    ),
  );
  const lsoas = (h.lsoas ?? []).filter((l) => l.hotspot).sort((a, b) => b.share - a.share || a.code.localeCompare(b.code));
  if (lsoas.length)
    blocks.push(
      n.table({
        id: "hotspot-lsoas",
        caption: `Hotspot LSOAs: ${lsoas.length} LSOAs with most of their located incidents in hot cells`,
        header: ["LSOA", "Code", "Located incidents", "In hot cells", "Share %"],
        numeric: [false, false, true, true, true],
        rows: lsoas.map((l) => [input.names.get(l.code) ?? l.code, l.code, l.points, l.inHotCells, round(l.share * 100, 1)]),
      }, { small: true }),
    );
  return blocks;
}

function emergingBlocks(doc: Assessment, n: Numbering, input: AssessmentReportInput): AssessmentBlock[] {
  const e = doc.emerging;
  if (e.status !== "ok" || !e.cells || !e.summary) return unavailable("Emerging hot spots", e);
  const steps = e.steps ?? [];
  const present = Object.entries(e.summary).filter(([k, c]) => c > 0 && k !== "no-pattern");
  const label = (k: string) => EMERGING_CATEGORY_LABELS[k as EmergingCategory] ?? k;
  const blocks: AssessmentBlock[] = [
    {
      kind: "paragraph",
      text: `${steps.length} ${e.step}s analysed (${steps[0] ?? ""} to ${steps[steps.length - 1] ?? ""})${e.stepsExcluded.length ? `; left out for missing data: ${e.stepsExcluded.join(", ")}` : ""}. ${formatCount(e.cells.length)} of ${formatCount(e.cellCount ?? 0)} cells have a pattern: ${present.map(([k, c]) => `${label(k).toLowerCase()} ${c}`).join(", ") || "none"}.`,
    },
    n.map(
      `Emerging hot spots of ${doc.parameters.group.toLowerCase()} by pattern, ${doc.area.name}, ${steps[0] ?? ""} to ${steps[steps.length - 1] ?? ""}`,
      `Map of ${doc.area.name} with its ward boundaries; grid cells coloured by their emerging hot spot pattern.`,
      {
        boundaries: outlines(input, ["ward", doc.area.level]),
        highlight: [],
        grid: gridOf(rec(rec(e.params).grid)),
        cells: e.cells.map((c) => ({ id: c.id, colour: EMERGING_COLOURS[c.category] ?? "#b1b4b6" })),
        legend: present.map(([k, c]) => ({ colour: EMERGING_COLOURS[k] ?? "#b1b4b6", label: `${label(k)} (${c} cells)` })),
      },
    ),
    n.table({
      id: "emerging-summary",
      caption: "Grid cells by emerging hot spot pattern",
      header: ["Pattern", "Cells"],
      numeric: [false, true],
      rows: [...Object.entries(e.summary).filter(([, c]) => c > 0).map(([k, c]) => [label(k), c]), ["All cells", e.cellCount ?? 0]],
    }),
  ];
  const order = ["new-hotspot", "consecutive-hotspot", "intensifying-hotspot"];
  const key = e.cells
    .filter((c) => order.includes(c.category))
    .sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category) || sum(b.counts) - sum(a.counts) || a.id.localeCompare(b.id));
  if (key.length) {
    const shown = key.slice(0, 25);
    blocks.push(
      n.table(
        {
          id: "emerging-cells",
          caption: `New, consecutive and intensifying hot spots${shown.length < key.length ? ` (the ${shown.length} of ${key.length} with the most incidents by pattern)` : ""}`,
          header: ["Cell", "Pattern", "Incidents", "Trend (Kendall's tau)", "Trend p"],
          numeric: [false, false, true, true, true],
          rows: shown.map((c) => [c.id, label(c.category), sum(c.counts), round(c.mannKendall.tau, 2), c.mannKendall.p < 0.001 ? "< 0.001" : round(c.mannKendall.p, 3)]),
        },
        { small: true },
      ),
    );
  }
  return blocks;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

function concentrationBlocks(doc: Assessment, n: Numbering): AssessmentBlock[] {
  const c = doc.concentration;
  if (c.status !== "ok") return unavailable("Concentration", c);
  const rows: (string | number | null)[][] = [];
  for (const [label, r] of [
    ["LSOAs", c.lsoas],
    ["Grid cells", c.cells],
  ] as const) {
    if (!r) continue;
    const top = Array.isArray(r.top) ? (r.top as { p: number; share: number; places: number }[]) : [];
    for (const t of top) rows.push([label, `${formatPercent(t.p * 100, 0)}% with the most crime`, t.places, num(r.places), round(t.share * 100, 1), round(num(r.generalisedGini), 2)]);
  }
  return [
    { kind: "paragraph", text: `How concentrated ${doc.parameters.group.toLowerCase()} is in a few places: the share of incidents in the 5% and 10% of places with the most, and the generalised Gini coefficient (0 = spread evenly, 1 = all in one place).` },
    n.table({
      id: "concentration",
      caption: `Concentration of ${doc.parameters.group.toLowerCase()} in LSOAs and grid cells, ${doc.area.name}`,
      header: ["Places", "Top", "Places in the top", "All places", "Share of incidents %", "Generalised Gini"],
      numeric: [false, false, true, true, true, true],
      rows,
    }),
    ...(c.notes.length ? [{ kind: "list" as const, items: c.notes }] : []),
  ];
}

function priorityBlocks(doc: Assessment, n: Numbering, input: AssessmentReportInput): AssessmentBlock[] {
  const pa = doc.priorityAreas;
  if (pa.status !== "ok" || !pa.areas?.length) return unavailable("Priority areas", pa);
  const areas = pa.areas.map(rec);
  const overlap = rec(pa.overlap);
  const inHot = new Set(Array.isArray(overlap.hotspotLsoas) ? (overlap.hotspotLsoas as string[]) : []);
  const codes = areas.map((a) => str(a.code)!).filter(Boolean);
  const boundaries = [...outlines(input, ["ward", doc.area.level]), ...input.boundaries.filter((b) => b.level === "lsoa" && codes.includes(b.code))];
  const blocks: AssessmentBlock[] = [
    {
      kind: "paragraph",
      text: `The ${areas.length} LSOAs ranked highest on crime rate and deprivation together (${deprivationOf(doc)}): ${listAnd(areas.map((a) => str(a.name) ?? str(a.code) ?? ""))}. ${areas.filter((a) => a.deprived === true).length} of ${areas.length} are in the most deprived 20% of England.${num(overlap.overlap) !== null ? ` ${overlap.overlap} of them are also hotspot LSOAs.` : ""}`,
    },
    n.map(
      `Priority areas (LSOAs ranked on crime rate and deprivation), ${doc.area.name}`,
      `Map of ${doc.area.name} with its ward boundaries and the ${areas.length} priority LSOAs filled.`,
      {
        boundaries,
        highlight: codes,
        grid: null,
        cells: [],
        legend: [
          { colour: "#d4351c", label: "Priority area (LSOA)" },
          { colour: "#505a5f", label: "Ward boundary", outline: true },
        ],
      },
    ),
    n.table(
      {
        id: "priority-areas",
        caption: `Priority areas: LSOAs ranked on crime rate and deprivation (${deprivationOf(doc)})`,
        header: ["Rank", "LSOA", "Code", "Incidents", "Rate per 1,000", "Smoothed rate per 1,000 (empirical Bayes)", "Deprivation decile", "In a hotspot"],
        numeric: [true, false, false, true, true, true, true, false],
        rows: areas.map((a) => [num(a.rank), str(a.name), str(a.code), num(a.count), round(num(a.rate), 1), round(num(a.smoothedRate), 1), num(a.imdDecile), inHot.has(str(a.code) ?? "") ? "yes" : "no"]),
      },
      { small: true },
    ),
  ];
  if (pa.excluded.length) blocks.push({ kind: "paragraph", text: `Left out: ${pa.excluded.map((x) => `${x.name} (${x.code}): ${x.reason}`).join("; ")}.` });
  return blocks;
}

function recommendationBlocks(candidates: ProposedPriority[], notes: string[]): AssessmentBlock[] {
  const blocks: AssessmentBlock[] = [
    {
      kind: "paragraph",
      text: `${candidates.length ? `${candidates.length} ${candidates.length === 1 ? "priority is" : "priorities are"} recommended` : "No priority is recommended"} from the evidence above, by the rules in section 2. Each cites the figures it rests on; the partnership decides which to adopt (\`safecity plan propose\`).`,
    },
  ];
  candidates.forEach((c, i) => {
    blocks.push({ kind: "subheading", text: `${i + 1}. ${c.title}` }, { kind: "paragraph", text: c.rationale }, { kind: "list", items: c.evidence.map((e) => e.text) });
  });
  if (notes.length) blocks.push({ kind: "list", items: notes });
  return blocks;
}

/** Whose rows were counted (decision 0022), for the method section. */
function otherForcesMethod(o: NonNullable<Assessment["parameters"]["otherForces"]>): string {
  const home = o.home.length ? listAnd(o.home.map(forceLabel)) : "none";
  const rule =
    o.rule === "complete"
      ? "rows from other forces' files (British Transport Police, neighbours' rows snapped across the boundary) count only when that force's files cover every month of the period, so no month jumps when one of its files is imported"
      : o.rule === "all"
        ? "rows from other forces' files count in the months their files were imported (so a month may include a few rows other months do not)"
        : "rows from other forces' files are left out";
  const out = o.leftOut.map((l) => `${formatCount(l.rows)} rows from ${forceLabel(l.force)} left out (its files cover ${l.monthsCovered} of ${l.months} months)`);
  const counted = o.counted.map((c) => `${formatCount(c.rows)} rows from ${forceLabel(c.force)} counted`);
  return `Forces: the area's own force (${home}) is always counted; ${rule}.${out.length || counted.length ? ` ${[...out, ...counted].join("; ")}.` : ""}`;
}

function notesBlocks(doc: Assessment, n: Numbering): AssessmentBlock[] {
  const v = doc.vintage;
  const blocks: AssessmentBlock[] = [];
  if (doc.notes.length) blocks.push({ kind: "subheading", text: "Notes" }, { kind: "list", items: doc.notes });
  blocks.push(
    n.table(
      {
        id: "files",
        caption: "Police data files behind this report (SHA-256: the first 12 characters)",
        header: ["Month", "File", "Force", "Rows", "SHA-256"],
        numeric: [false, false, false, true, false],
        rows: v.imports.map((i) => [i.month ?? "", i.fileName.split(/[\\/]/).pop() ?? i.fileName, i.force ?? "", i.rows, i.sha256.slice(0, 12)]),
      },
      { small: true },
    ),
  );
  blocks.push({ kind: "subheading", text: "Licence and attribution" }, { kind: "paragraph", text: doc.attribution });
  return blocks;
}

/** Which crime rate the priority areas ranked (decision 0024), for the method section. */
function priorityRateMethod(pri: Record<string, unknown>): string {
  if (pri.rates === undefined) return "";
  const eb = rec(pri.empiricalBayes);
  const smoothing = `empirical Bayes rates (Marshall 1991, global moment estimator: each LSOA's rate pulled towards the pooled ${round(num(eb.pooledRate), 1) ?? "?"} per 1,000, the more the fewer its residents)`;
  return pri.rates === "empirical-bayes"
    ? `The crime rates ranked are the ${smoothing}; the observed rates are shown beside them.`
    : `The crime rates ranked are the observed rates; the ${smoothing} are shown beside them.`;
}
