import type { Page } from "playwright-core";

/** Shared by the analysis pages: the area and period form and the tabs between the pages. */
class AnalysisPage {
  constructor(
    protected readonly page: Page,
    protected readonly baseUrl: string,
    private readonly path: string,
  ) {}

  /** Opens the page with `?area=…&from=…&to=…` (no query: the area picker). */
  async open(query?: { area: string; from?: string; to?: string }): Promise<number> {
    const q = query ? `?${new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]).toString()}` : "";
    const res = await this.page.goto(`${this.baseUrl}${this.path}${q}`);
    return res?.status() ?? 0;
  }

  /** Fills the form and submits it, as a user would. */
  async choose(area: string, from: string, to: string): Promise<void> {
    await this.page.getByLabel("Area", { exact: true }).fill(area);
    await this.page.getByLabel("From month").fill(from);
    await this.page.getByLabel("To month").fill(to);
    await Promise.all([this.page.waitForLoadState("load"), this.page.getByTestId("area-submit").click()]);
  }

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  tab(name: "Overview" | "Trends" | "Peers" | "Map") {
    return this.page.getByRole("navigation", { name: "Analysis pages" }).getByRole("link", { name });
  }
}

/** /overview */
export class OverviewPage extends AnalysisPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, "/overview");
  }
  keyMessages() {
    return this.page.getByTestId("key-messages");
  }
  headlineRow(group: string) {
    return this.page.locator(`[data-testid="headlines"] tr[data-group="${group}"]`);
  }
  latestMonth() {
    return this.page.getByTestId("latest-month");
  }
}

/** /trends */
export class TrendsPage extends AnalysisPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, "/trends");
  }
  chart() {
    return this.page.getByTestId("chart-trends").locator("svg");
  }
  /** The chart's height in pixels, 0 while it is not laid out (e.g. between the island's swap of one SVG for another). */
  async chartHeight(): Promise<number> {
    return (await this.chart().first().boundingBox())?.height ?? 0;
  }
  /** The chart's wrapper once the island has swapped the server SVG for a vega-embed view (JavaScript on). */
  interactiveChart() {
    return this.page.locator('[data-testid="chart-trends"] [data-interactive="true"] .vega-embed');
  }
  async waitForInteractiveChart(): Promise<void> {
    await this.interactiveChart().waitFor({ timeout: 90_000 });
  }
  /** The vega view's points (line chart symbols) in the interactive chart. */
  interactivePoints() {
    return this.interactiveChart().locator('path[aria-roledescription="point"]');
  }
  /** vega-tooltip's element, shown (class `visible`) while the pointer is over a point. */
  tooltip() {
    return this.page.locator("#vg-tooltip-element.visible");
  }
  monthlyTable() {
    return this.page.getByTestId("table-monthly");
  }
  csvLink(table: "monthly" | "change" | "seasonal") {
    return this.page.getByTestId(`table-${table}`).getByRole("link", { name: /Download this table as CSV/ });
  }
}

/** /peers */
export class PeersPage extends AnalysisPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, "/peers");
  }
  summary() {
    return this.page.getByTestId("peers-summary");
  }
  rankChart() {
    return this.page.getByTestId("chart-peer-rank").locator("svg");
  }
  funnelChart() {
    return this.page.getByTestId("chart-peer-funnel").locator("svg");
  }
  /** Waits for the island to make both charts interactive vega-embed views (JavaScript on). */
  async waitForInteractiveCharts(): Promise<void> {
    for (const id of ["chart-peer-rank", "chart-peer-funnel"]) {
      await this.page.locator(`[data-testid="${id}"] [data-interactive="true"] .vega-embed`).waitFor({ timeout: 90_000 });
    }
  }
  editor() {
    return this.page.getByTestId("peer-editor");
  }
  async saveOfficialList(codes: string): Promise<void> {
    await this.page.getByLabel("Official peer group (Most Similar Group)").fill(codes);
    await Promise.all([this.page.waitForLoadState("load"), this.page.getByTestId("peer-save").click()]);
  }
  async useComputedGroup(): Promise<void> {
    await Promise.all([this.page.waitForLoadState("load"), this.page.getByTestId("peer-clear").click()]);
  }
}

/** /map */
export class MapPage extends AnalysisPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, "/map");
  }
  map() {
    return this.page.getByTestId("map");
  }
  /** Waits for the island to draw its layers (JavaScript on). */
  async waitForMap(): Promise<void> {
    await this.page.locator('[data-testid="map"][data-loaded="true"]').waitFor({ timeout: 90_000 });
  }
  status() {
    return this.page.getByTestId("map-status");
  }
  hotCellRows() {
    return this.page.locator('[data-testid="gistar-cells"] tr[data-class^="hot-"]');
  }
  /** The map's cell paths (Leaflet's SVG renderer) with the given fill colour. */
  cellPaths(fill: string) {
    return this.page.locator(`[data-testid="map"] path.leaflet-interactive[fill="${fill}"]`);
  }
}
