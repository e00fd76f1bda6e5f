// Chart island for the analysis pages: each server-rendered SVG chart carries its Vega-Lite spec in
// `data-vega-lite`; this replaces the SVG with an interactive vega-embed view (tooltips). The
// page loads vega, vega-lite and vega-embed (UMD builds, globals) before this module, only when it
// has charts. CSP-safe: expressions are parsed to an AST (`ast: true`) and evaluated by
// vega-interpreter (bundled in vega-embed and used when `ast` is set), never compiled with
// `new Function`; vega-embed's and vega-tooltip's <style> elements are turned off (app.css styles
// them). If anything fails the server SVG stays.

import { download, esc, exportFileName, saveButtons, svgSize, svgToPng, textBlock, wrapText } from "/assets/app/export-kit.mjs";

const { vegaEmbed } = globalThis;

/** Upgrades one chart; resolves to true when the interactive view replaced the SVG. */
async function enhance(holder) {
  const spec = JSON.parse(holder.dataset.vegaLite);
  const target = document.createElement("div");
  const result = await vegaEmbed(target, spec, {
    mode: "vega-lite",
    renderer: "svg",
    ast: true,
    actions: false,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  });
  holder.replaceChildren(target);
  holder.dataset.interactive = "true";
  addSaveButtons(holder, result.view);
  return result;
}

/** The chart's name for its file: the figure's test id (`chart-trends` → `trends`). */
function chartName(holder) {
  const id = holder.closest("[data-testid]")?.dataset.testid ?? "chart";
  return id.replace(/^chart-/, "").replace(/[^a-z0-9-]/gi, "-") || "chart";
}

/** Where a chart's figures come from, printed under it in every export. */
function sourceOf(name) {
  if (name.startsWith("peer-")) return "Sources: crime from data.police.uk and ONS police recorded crime by Community Safety Partnership; population from ONS; Open Government Licence v3.0.";
  if (name.startsWith("plan-")) return "Source: the partnership plan's indicators and actions in Safe City.";
  return "Source: street-level crime from data.police.uk, Open Government Licence v3.0.";
}

/**
 * The chart as a standalone SVG for a document: its description as the title, the vega chart,
 * then the area and period and the source of the figures (so a pasted chart still says what it is).
 */
async function chartSvg(holder, view) {
  const figure = holder.closest("figure") ?? holder;
  const about = { area: figure.dataset.area ?? "", from: figure.dataset.from ?? "", to: figure.dataset.to ?? "" };
  const chart = await view.toSVG();
  const { width, height } = svgSize(chart);
  const pad = 12;
  const inner = Math.max(Math.ceil(width), 320);
  const W = inner + 2 * pad;
  const title = textBlock(wrapText(holder.getAttribute("aria-label") ?? "Chart", inner, 14), pad, pad, 14, 'font-weight="bold"');
  const top = pad + title.height + 6;
  const nested = chart.replace(/^\s*(<\?xml[^>]*>\s*)?<svg\b/, `<svg x="${pad}" y="${top}"`);
  const lines = [about.area ? `${about.area}${about.from ? `, ${about.from} to ${about.to}` : ""}.` : "", sourceOf(chartName(holder))].filter(Boolean);
  const caption = textBlock(wrapText(lines.join(" "), inner, 11), pad, top + Math.ceil(height) + 6, 11, 'fill="#505a5f"');
  const H = top + Math.ceil(height) + 6 + caption.height + pad;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Arial, Helvetica, sans-serif" fill="#0b0c0c">` +
    `<title>${esc(holder.getAttribute("aria-label") ?? "Chart")}</title><rect width="${W}" height="${H}" fill="#ffffff"/>${title.markup}${nested}${caption.markup}</svg>`
  );
}

/**
 * "Save as SVG" and "Save as PNG" after the chart (export-kit.mjs's real buttons): the chart with
 * its title, area, period and source, named `<area>-<from>-to-<to>-<chart>.svg|png`.
 */
function addSaveButtons(holder, view) {
  const figure = holder.closest("figure") ?? holder;
  const about = { area: figure.dataset.area ?? "", from: figure.dataset.from ?? "", to: figure.dataset.to ?? "" };
  const group = saveButtons(holder.getAttribute("aria-label") ?? "chart", async (format) => {
    const svg = await chartSvg(holder, view);
    download(exportFileName(about, chartName(holder), format), format === "svg" ? svg : await svgToPng(svg, 2));
  });
  holder.after(group);
}

async function main() {
  const holders = document.querySelectorAll("[data-vega-lite]");
  if (!holders.length) return;
  if (typeof vegaEmbed !== "function") {
    console.warn("charts: vega-embed did not load; showing the static charts");
    return;
  }
  for (const holder of holders) {
    try {
      await enhance(holder);
    } catch (e) {
      console.warn("charts: kept the static chart", holder.closest("[data-testid]")?.dataset.testid, e);
    }
  }
}

main();
