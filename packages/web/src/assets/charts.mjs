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
  addSaveButtons(holder, result.view);
  return result;
}

/** The chart's name for its file: the figure's test id (`chart-trends` → `trends`). */
function fileStem(holder) {
  const id = holder.closest("[data-testid]")?.dataset.testid ?? "chart";
  return id.replace(/^chart-/, "").replace(/[^a-z0-9-]/gi, "-") || "chart";
}

/**
 * "Save as SVG" and "Save as PNG": real <button>s after the chart, so Tab reaches them, Enter and
 * Space press them, and GOV.UK's focus style shows where the keyboard is. Each renders the vega
 * view to a file and downloads it through a temporary <a download>.
 */
function addSaveButtons(holder, view) {
  const label = holder.getAttribute("aria-label") ?? "chart";
  const group = document.createElement("div");
  group.className = "govuk-button-group app-chart-actions";
  for (const format of ["svg", "png"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary";
    button.dataset.chartSave = format;
    button.append(`Save as ${format.toUpperCase()}`);
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = `: ${label}`;
    button.append(hidden);
    // Not `disabled` while saving: a disabled button loses the keyboard focus.
    let busy = false;
    button.addEventListener("click", async () => {
      if (busy) return;
      busy = true;
      try {
        const url = await view.toImageURL(format, format === "png" ? 2 : 1);
        const a = document.createElement("a");
        a.href = url;
        a.download = `${fileStem(holder)}.${format}`;
        document.body.append(a);
        a.click();
        a.remove();
        if (url.startsWith("blob:")) setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } catch (e) {
        console.warn("charts: could not save the chart", e);
      } finally {
        busy = false;
      }
    });
    group.append(button);
  }
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
