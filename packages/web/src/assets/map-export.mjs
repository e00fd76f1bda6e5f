// The map as a standalone SVG document for reports (issue 12 item 5): the layers shown on screen,
// already projected to the map's pixels (Web Mercator, north up), inside a frame; above it a title
// and the method; below it the legend, the notes and the attribution. Pure (no DOM): map.mjs
// collects the shapes and labels, this writes the file; tested in Node.
import { esc, textBlock, wrapText } from "./export-kit.mjs";

const FONT = "Arial, Helvetica, sans-serif";

/** A ring or line of [x, y] pixels as SVG path data, to 1 decimal. */
export function pathData(parts, closed) {
  return parts
    .filter((p) => p.length > 1)
    .map((p) => `M${p.map(([x, y]) => `${Math.round(x * 10) / 10} ${Math.round(y * 10) / 10}`).join("L")}${closed ? "Z" : ""}`)
    .join("");
}

/** A length for the scale bar: the largest 1, 2 or 5 x 10^k metres that fits in `maxPx` pixels. */
export function niceScale(metresPerPixel, maxPx) {
  const max = metresPerPixel * maxPx;
  if (!(max > 0) || !Number.isFinite(max)) return null;
  const p = 10 ** Math.floor(Math.log10(max));
  const metres = [5, 2, 1].map((m) => m * p).find((m) => m <= max);
  const label = metres >= 1000 ? `${(metres / 1000).toLocaleString("en-GB")} km` : `${metres} m`;
  return { metres, px: metres / metresPerPixel, label };
}

/**
 * The map as SVG text.
 * - `width`, `height`: the map frame in pixels;
 * - `title`, `subtitle`: what is mapped (area, period, crime group) and the method;
 * - `shapes`: [{ parts: [[[x, y]…]…], closed, stroke, strokeWidth, dash, fill, fillOpacity }] in drawing order;
 * - `labels`: [{ x, y, text }] (ward names);
 * - `legend`: [{ colour, label, outline }];
 * - `metresPerPixel`: for the scale bar;
 * - `notes`: sentences under the legend (the base map's absence, how wards were drawn);
 * - `attribution`: the data's credits, always printed.
 */
export function mapSvg(o) {
  const pad = 12;
  const inner = Math.round(o.width);
  const W = inner + 2 * pad;
  const H = Math.round(o.height);
  const title = textBlock(wrapText(o.title, inner, 16), pad, pad, 16, 'font-weight="bold"');
  const sub = textBlock(wrapText(o.subtitle ?? "", inner, 12), pad, pad + title.height + 2, 12);
  const top = pad + title.height + sub.height + 8;

  const shapes = o.shapes
    .map((s) => {
      const d = pathData(s.parts, s.closed);
      if (!d) return "";
      const fill = s.fill ? `fill="${esc(s.fill)}" fill-opacity="${s.fillOpacity ?? 1}"${s.closed ? ' fill-rule="evenodd"' : ""}` : 'fill="none"';
      const stroke = s.stroke ? `stroke="${esc(s.stroke)}" stroke-width="${s.strokeWidth ?? 1}" stroke-linejoin="round"${s.dash ? ` stroke-dasharray="${esc(s.dash)}"` : ""}` : 'stroke="none"';
      return `<path d="${d}" ${fill} ${stroke}/>`;
    })
    .join("");
  const labels = (o.labels ?? [])
    .map(
      (l) =>
        `<text x="${Math.round(l.x)}" y="${Math.round(l.y)}" text-anchor="middle" dominant-baseline="middle" font-size="12" font-weight="bold" fill="#0b0c0c" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(l.text)}</text>`,
    )
    .join("");
  const scale = niceScale(o.metresPerPixel, Math.min(160, inner / 4));
  const scaleBar = scale
    ? `<g font-size="11"><rect x="8" y="${H - 34}" width="${Math.round(scale.px) + 16}" height="26" fill="#ffffff" fill-opacity="0.85"/>` +
      `<path d="M16 ${H - 18}V${H - 14}H${16 + Math.round(scale.px)}V${H - 18}" fill="none" stroke="#0b0c0c" stroke-width="2"/>` +
      `<text x="16" y="${H - 21}">${esc(scale.label)}</text></g>`
    : "";
  const nx = inner - 21;
  const north = `<g font-size="11" text-anchor="middle"><rect x="${nx - 13}" y="8" width="26" height="34" fill="#ffffff" fill-opacity="0.85"/><path d="M${nx} 12L${nx + 6} 26H${nx - 6}Z" fill="#0b0c0c"/><text x="${nx}" y="38">N</text></g>`;
  const frame =
    `<g transform="translate(${pad} ${top})"><clipPath id="map-frame"><rect width="${inner}" height="${H}"/></clipPath>` +
    `<rect width="${inner}" height="${H}" fill="#ffffff"/>` +
    `<g clip-path="url(#map-frame)">${shapes}${labels}</g>${scaleBar}${north}<rect width="${inner}" height="${H}" fill="none" stroke="#0b0c0c"/></g>`;

  let y = top + H + 10;
  const legend = [];
  for (const item of o.legend ?? []) {
    const sw = item.outline
      ? `<rect x="${pad}" y="${y + 2}" width="14" height="10" fill="none" stroke="${esc(item.colour)}" stroke-width="2"${item.dash ? ` stroke-dasharray="${esc(item.dash)}"` : ""}/>`
      : `<rect x="${pad}" y="${y + 2}" width="14" height="10" fill="${esc(item.colour)}" stroke="#0b0c0c" stroke-width="0.5"/>`;
    const t = textBlock(wrapText(item.label, inner - 22, 12), pad + 22, y - 1, 12);
    legend.push(sw + t.markup);
    y += Math.max(16, t.height + 2);
  }
  y += 4;
  const notes = [];
  for (const n of o.notes ?? []) {
    const t = textBlock(wrapText(n, inner, 11), pad, y, 11);
    notes.push(t.markup);
    y += t.height + 2;
  }
  const attribution = textBlock(wrapText(o.attribution, inner, 11), pad, y, 11, 'fill="#505a5f"');
  y += attribution.height + pad;
  const total = Math.ceil(y);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${total}" viewBox="0 0 ${W} ${total}" font-family="${FONT}" fill="#0b0c0c">` +
    `<title>${esc(o.title)}</title><rect width="${W}" height="${total}" fill="#ffffff"/>` +
    title.markup +
    sub.markup +
    frame +
    legend.join("") +
    notes.join("") +
    attribution.markup +
    "</svg>"
  );
}
