import { createHash } from "node:crypto";
import { seasonalChartSpec, trendChartSpec } from "@safecity/core";
import type { Child } from "hono/jsx";
import { type RenderedChart, renderChart } from "../http/chart-svg.ts";
import { tableCsv } from "../http/csv.ts";
import { publicSiteAssets, type SiteFile } from "./public-site-assets.ts";
import { licenceText, openDataTables, planJson } from "./public-site-data.ts";
import { PUBLIC_PAGES, PublicLayout } from "./public-site-layout.tsx";
import type { PublicSite } from "./public-site-model.ts";
import { type AssessmentCharts, AssessmentPage, DataPage, DecisionPage, GrantsPage, IndexPage, MapPage } from "./public-site-pages.tsx";

/**
 * Renders the public website from its view model: every page, the open data files and the assets,
 * as a list of files in canonical (path) order. Deterministic: the same model gives the same bytes
 * (no clock, no random ids; charts are vega's SVG of a spec made from the model).
 */
export async function renderPublicSite(site: PublicSite): Promise<SiteFile[]> {
  const charts = await assessmentCharts(site);
  const bodies: Record<string, Child> = {
    "index.html": <IndexPage site={site} />,
    "assessment.html": <AssessmentPage site={site} charts={charts} />,
    "map.html": <MapPage site={site} />,
    "grants.html": <GrantsPage site={site} />,
    "decision.html": <DecisionPage site={site} />,
    "data.html": <DataPage site={site} />,
  };
  const files: SiteFile[] = [];
  for (const def of PUBLIC_PAGES) {
    if (!def.show(site)) continue;
    const html = await toHtml(
      <PublicLayout site={site} title={def.title} file={def.file}>
        {bodies[def.file]}
      </PublicLayout>,
    );
    files.push({ path: def.file, bytes: Buffer.from(`${html}\n`, "utf8") });
  }
  for (const t of openDataTables(site)) files.push({ path: `data/${t.id}.csv`, bytes: Buffer.from(tableCsv(t), "utf8") });
  files.push({ path: "data/plan.json", bytes: Buffer.from(planJson(site), "utf8") });
  files.push({ path: "data/LICENCE.txt", bytes: Buffer.from(licenceText(site), "utf8") });
  files.push(...(await publicSiteAssets()));
  return sortFiles(files);
}

async function toHtml(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString());
}

async function assessmentCharts(site: PublicSite): Promise<AssessmentCharts> {
  const a = site.assessment;
  if (!a) return { trend: null, seasonal: null };
  const trend = a.monthly.length ? hidden(await renderChart(trendChartSpec(a.monthly.map((m) => ({ group: m.group, month: m.month, count: m.count }))))) : null;
  const seasonal = a.seasonal ? hidden(await renderChart(seasonalChartSpec(a.seasonal.rows, { subject: a.seasonal.group.toLowerCase() }))) : null;
  return { trend, seasonal };
}

/**
 * The chart's wrapper is the image (role="img" with its description, and the table below has the
 * figures); vega's SVG inside marks its own parts as images without text, so on a page that no
 * script replaces it is hidden from assistive technology.
 */
function hidden(chart: RenderedChart): RenderedChart {
  return { ...chart, svg: chart.svg.replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ') };
}

/** Files in canonical order: by path, compared as strings of UTF-16 code units. */
export function sortFiles(files: SiteFile[]): SiteFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The content hash of a site: sha256 over `<path>\0<sha256 of the file>\n` for every file in
 * canonical order. Any change of a byte, a name, or a file added or removed changes it.
 */
export function contentSha256(files: readonly SiteFile[]): string {
  const h = createHash("sha256");
  for (const f of sortFiles([...files])) h.update(`${f.path}\0${createHash("sha256").update(f.bytes).digest("hex")}\n`);
  return h.digest("hex");
}
