import { createHash } from "node:crypto";
import type { VegaLiteSpec } from "@safecity/core";

/** vega and vega-lite load on the first chart, not at start-up: every CLI command would pay ~0.3 s for them. */
const renderer = lazy(async () => ({ vega: await import("vega"), vegaLite: await import("vega-lite") }));

function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

const cache = new Map<string, string>();
const MAX = 200;

/**
 * A Vega-Lite spec rendered to SVG on the server (no browser; ~80–140 ms a chart, so results are
 * kept per spec, at most 200, oldest dropped). The SVG has no inline styles or scripts (CSP) and
 * vega escapes its text; it is embedded in the page with a role="img" wrapper and its description.
 */
export async function chartSvg(spec: VegaLiteSpec): Promise<string> {
  const key = createHash("sha256").update(JSON.stringify(spec)).digest("hex");
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const { vega, vegaLite } = await renderer();
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, svg);
  return svg;
}

/** A chart as the pages embed it: the server SVG and the spec it came from (for the browser island). */
export interface RenderedChart {
  svg: string;
  spec: VegaLiteSpec;
}

export async function renderChart(spec: VegaLiteSpec): Promise<RenderedChart> {
  return { svg: await chartSvg(spec), spec };
}
