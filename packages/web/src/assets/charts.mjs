// Chart island for the analysis pages: each server-rendered SVG chart carries its Vega-Lite spec in
// `data-vega-lite`; this replaces the SVG with an interactive vega-embed view (tooltips). The
// page loads vega, vega-lite and vega-embed (UMD builds, globals) before this module, only when it
// has charts. CSP-safe: expressions are parsed to an AST (`ast: true`) and evaluated by
// vega-interpreter (bundled in vega-embed and used when `ast` is set), never compiled with
// `new Function`; vega-embed's and vega-tooltip's <style> elements are turned off (app.css styles
// them). If anything fails the server SVG stays.

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
  return result;
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
