// Shared by the map and chart islands: file names that carry the area and period, SVG text
// helpers, rasterising an SVG to PNG in a canvas, and downloading a file. The pure functions
// (no DOM) are unit-tested in Node (packages/server/test/export-kit.test.ts).

/** Text escaped for SVG/XML content and attribute values. */
export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** A file name part, as the map's table downloads make it (services/map-tables.service.ts): "Brighton and Hove" -> "brighton-and-hove". */
export function slug(s) {
  return (
    String(s)
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "area"
  );
}

/**
 * `<area>_<from>_<to>_<what>.<ext>`, e.g. `southampton_2025-01_2025-03_map.png`, the pattern of the
 * map's table downloads; without an area, `<what>.<ext>`.
 */
export function exportFileName(about, what, ext) {
  const stem = String(what).replace(/[^a-z0-9_-]+/gi, "-");
  if (!about?.area) return `${stem}.${ext}`;
  const period = about.from && about.to ? `_${about.from}_${about.to}` : "";
  return `${slug(about.area)}${period}_${stem}.${ext}`;
}

/**
 * Text broken into lines of at most `width` pixels at `size` px (Arial-like: an average character
 * is taken as 0.55 em, wide enough that lines do not overflow in the usual fonts).
 */
export function wrapText(text, width, size) {
  const max = Math.max(10, Math.floor(width / (size * 0.55)));
  const lines = [];
  let line = "";
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** `<text>` lines from (x, y), `size` px apart by 1.3. Returns the markup and the height used. */
export function textBlock(lines, x, y, size, attrs = "") {
  const step = Math.round(size * 1.3);
  const markup = lines.map((l, i) => `<text x="${x}" y="${y + size + i * step}" font-size="${size}"${attrs ? ` ${attrs}` : ""}>${esc(l)}</text>`).join("");
  return { markup, height: lines.length * step };
}

/** Width and height of an SVG document's root element, in pixels (its width/height attributes, else its viewBox). */
export function svgSize(svg) {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const num = (name) => Number(new RegExp(`\\s${name}="([0-9.]+)`).exec(root)?.[1] ?? Number.NaN);
  let w = num("width");
  let h = num("height");
  if (!(w > 0 && h > 0)) {
    const vb = /viewBox="[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)"/.exec(root);
    if (vb) {
      w = Number(vb[1]);
      h = Number(vb[2]);
    }
  }
  return { width: w, height: h };
}

/**
 * An SVG document rasterised to a PNG Blob at `scale` times its size, on a white background
 * (browser only: an <img> of a data: URL, which the CSP's img-src allows, drawn into a canvas; an
 * SVG with no external images does not taint the canvas).
 */
export async function svgToPng(svg, scale = 2) {
  const { width, height } = svgSize(svg);
  const img = new Image();
  img.decoding = "sync";
  const loaded = new Promise((resolve, reject) => {
    img.onload = resolve;
    img.onerror = () => reject(new Error("the SVG could not be drawn"));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await loaded;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the PNG could not be made"))), "image/png"));
}

/** Downloads a Blob (or text as SVG) under `name` through a temporary <a download>. */
export function download(name, content) {
  const blob = content instanceof Blob ? content : new Blob([content], { type: "image/svg+xml;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * "Save as SVG" / "Save as PNG": real <button>s (Tab reaches them, Enter and Space press them,
 * GOV.UK's focus style), `what` said to screen readers. `save(format)` does the work; a button is
 * never `disabled` while saving (a disabled button loses the keyboard focus).
 */
export function saveButtons(what, save, dataName = "chartSave") {
  const group = document.createElement("div");
  group.className = "govuk-button-group app-chart-actions";
  for (const format of ["svg", "png"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary";
    button.dataset[dataName] = format;
    button.append(`Save as ${format.toUpperCase()}`);
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = `: ${what}`;
    button.append(hidden);
    let busy = false;
    button.addEventListener("click", async () => {
      if (busy) return;
      busy = true;
      try {
        await save(format);
      } catch (e) {
        console.warn(`could not save ${what} as ${format}`, e);
      } finally {
        busy = false;
      }
    });
    group.append(button);
  }
  return group;
}
