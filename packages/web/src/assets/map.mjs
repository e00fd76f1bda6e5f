// Map island for /map: draws the hotspot, KDE, emerging and priority-area layers the tables on
// the page already list, from /api/v1 GeoJSON, over a base map (the server's tile source, by
// default OpenStreetMap's; none with SAFECITY_TILE_URL=none), with the ward boundaries and names and
// the area's outline; "Save as SVG" / "Save as PNG" export what is shown (map-export.mjs), without
// the base map, whose images the browser cannot copy into a file.
import * as L from "/assets/leaflet/leaflet-src.esm.js";
import { download, esc, exportFileName, saveButtons, svgToPng } from "/assets/app/export-kit.mjs";
import { mapSvg } from "/assets/app/map-export.mjs";

const GI = {
  "hot-99": "#d4351c",
  "hot-95": "#f47738",
  "hot-90": "#ffdd00",
  "cold-90": "#5694ca",
  "cold-95": "#1d70b8",
  "cold-99": "#003078",
};
const GI_LABELS = {
  "hot-99": "Hot spot, 99% confidence",
  "hot-95": "Hot spot, 95% confidence",
  "hot-90": "Hot spot, 90% confidence",
  "cold-90": "Cold spot, 90% confidence",
  "cold-95": "Cold spot, 95% confidence",
  "cold-99": "Cold spot, 99% confidence",
};
const EMERGING = {
  "new-hotspot": "#ffdd00",
  "consecutive-hotspot": "#f47738",
  "intensifying-hotspot": "#d4351c",
  "persistent-hotspot": "#942514",
  "diminishing-hotspot": "#f499be",
  "sporadic-hotspot": "#912b88",
  "oscillating-hotspot": "#6f72af",
  "historical-hotspot": "#85994b",
};
const OUTLINE = "#0b0c0c";
const WARD = "#505a5f";
const LSOA = "#b1b4b6";
/** The credits of the data every map and export carries (police.uk crime; ONS/OS boundaries). */
const DATA_CREDIT =
  "Crime: data.police.uk, Open Government Licence v3.0. Boundaries and lookups: Office for National Statistics, Open Government Licence v3.0; contains OS data © Crown copyright and database right.";

const el = document.getElementById("map");
const status = document.getElementById("map-status");
let statusMain = "Loading the map…";
let statusBase = "";
function showStatus() {
  status.textContent = statusBase ? `${statusMain} ${statusBase}` : statusMain;
}

/** Builds a popup of label/value rows with text nodes only (no HTML from data). */
function details(title, rows) {
  const box = document.createElement("div");
  const h = document.createElement("strong");
  h.textContent = title;
  box.append(h);
  for (const [k, v] of rows) {
    const p = document.createElement("div");
    p.textContent = `${k}: ${v}`;
    box.append(p);
  }
  return box;
}

async function json(url) {
  const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

/** The tile source's credit as Leaflet attribution HTML: the configured text escaped; OpenStreetMap's linked to its copyright page. */
function tileCredit(text) {
  const safe = esc(text);
  return /OpenStreetMap/.test(text) ? safe.replace("OpenStreetMap", '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>') : safe;
}

/**
 * The base map. A tile source that fails before any tile has loaded (offline, a closed port, a
 * refused key) is removed, and the status line says once that the map shows boundaries only; a
 * single missing tile after others loaded is left alone.
 */
function addBaseMap(map) {
  const url = el.dataset.tileUrl;
  if (!url) return null;
  const text = el.dataset.tileAttribution || "";
  const layer = L.tileLayer(url, { attribution: tileCredit(text), maxZoom: 19, referrerPolicy: "strict-origin-when-cross-origin" });
  let loaded = 0;
  const base = { layer, text, failed: false };
  layer.on("tileload", () => {
    loaded++;
  });
  layer.on("tileerror", () => {
    if (loaded > 0 || base.failed) return;
    base.failed = true;
    map.removeLayer(layer);
    statusBase = "The base map could not be loaded (offline, or the tile server refused), so the map shows boundaries only.";
    el.dataset.baseMap = "failed";
    showStatus();
  });
  layer.addTo(map);
  return base;
}

/** Every [lat, lng] run of a Leaflet path's latlngs (nested for polygons with holes and multi-parts). */
function runs(latlngs) {
  const out = [];
  const walk = (a) => {
    if (!Array.isArray(a) || !a.length) return;
    if (a[0] instanceof L.LatLng) out.push(a);
    else for (const x of a) walk(x);
  };
  walk(latlngs);
  return out;
}

/** The visible paths of a layer group as export shapes, projected to the map's pixels. */
function shapesOf(map, group) {
  const shapes = [];
  const view = map.getBounds();
  group.eachLayer((l) => {
    if (!(l instanceof L.Polyline) || !l.getBounds().intersects(view)) return;
    const o = l.options;
    const closed = l instanceof L.Polygon;
    const parts = runs(l.getLatLngs()).map((run) => run.map((ll) => map.latLngToContainerPoint(ll)).map((p) => [p.x, p.y]));
    shapes.push({
      parts,
      closed,
      stroke: o.stroke === false ? null : o.color,
      strokeWidth: o.weight,
      dash: o.dashArray || null,
      fill: closed && o.fill !== false && o.fillOpacity > 0 ? o.fillColor || o.color : null,
      fillOpacity: o.fillOpacity,
    });
  });
  return shapes;
}

/** Hides ward names that would overlap a name already shown (in code order), after every zoom. */
function placeLabels(labels) {
  const shown = [];
  for (const t of labels) {
    const e = t.getElement?.();
    if (!e) continue;
    e.classList.remove("app-ward-label--hidden");
    const r = e.getBoundingClientRect();
    const clash = shown.some((s) => r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top);
    if (clash) e.classList.add("app-ward-label--hidden");
    else shown.push(r);
  }
}

async function main() {
  if (!el) return;
  const q = el.dataset.query || "";
  el.hidden = false;
  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.25 });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution(esc(DATA_CREDIT));
  const base = addBaseMap(map);
  showStatus();
  const sep = q ? "&" : "?";
  const [hot, emerging, priority, bounds] = await Promise.all([
    json(`/api/v1/hotspots${q}${sep}cells=marked`).catch(() => null),
    json(`/api/v1/emerging${q}${sep}cells=marked`).catch(() => null),
    json(`/api/v1/priority-areas${q}`).catch(() => null),
    json(`/api/v1/boundaries${q}`).catch(() => null),
  ]);
  const overlays = {};
  /** Layers in drawing order, with how each is described in an export. */
  const drawn = [];
  let extent = null;
  const grow = (layer) => {
    const b = layer.getBounds?.();
    if (b?.isValid()) extent = extent ? extent.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
  };
  const features = bounds?.features ?? [];
  const lsoas = features.filter((f) => f.properties.level === "lsoa");
  const wards = features.filter((f) => f.properties.level === "ward");
  const outlines = features.filter((f) => f.properties.level !== "lsoa" && f.properties.level !== "ward");
  const labels = [];
  if (features.length) {
    const lines = (fc, style) => L.geoJSON({ type: "FeatureCollection", features: fc }, { style: () => ({ ...style, fill: false, interactive: false }) });
    const group = L.featureGroup();
    const lsoaLayer = lines(lsoas, { color: LSOA, weight: 0.6 });
    const wardLayer = lines(wards, { color: WARD, weight: 1.6 });
    // the area's outline: a white casing under a heavy dark line, readable over any base map
    const casing = lines(outlines, { color: "#ffffff", weight: 6, opacity: 0.9 });
    const outline = lines(outlines, { color: OUTLINE, weight: 3 });
    for (const l of [lsoaLayer, wardLayer, casing, outline]) group.addLayer(l);
    group.addTo(map);
    overlays["Boundaries"] = group;
    drawn.push({ layer: lsoaLayer, on: group, legend: lsoas.length ? [{ colour: LSOA, label: "LSOA boundaries", outline: true }] : [] });
    drawn.push({ layer: wardLayer, on: group, legend: wards.length ? [{ colour: WARD, label: "Ward boundaries", outline: true }] : [] });
    drawn.push({ layer: casing, on: group, legend: [] });
    drawn.push({ layer: outline, on: group, legend: outlines.length ? [{ colour: OUTLINE, label: `Boundary of ${outlines[0].properties.name}`, outline: true }] : [] });
    grow(group);
    if (wards.length) {
      const names = L.layerGroup();
      for (const w of wards) {
        if (!w.properties.label) continue;
        const [lng, lat] = w.properties.label;
        const text = document.createElement("span");
        text.textContent = w.properties.name;
        const t = L.tooltip({ permanent: true, direction: "center", className: "app-ward-label", interactive: false, opacity: 1 }).setLatLng([lat, lng]).setContent(text);
        t.wardName = w.properties.name;
        names.addLayer(t);
        labels.push(t);
      }
      names.addTo(map);
      overlays["Ward names"] = names;
    }
  }
  const legendGi = hot?.gistar?.features?.length
    ? Object.keys(GI)
        .filter((k) => (hot.summary?.[k] ?? 0) > 0)
        .map((k) => ({ colour: GI[k], label: `${GI_LABELS[k]} (${hot.summary[k]} cells)` }))
    : [];
  const notes = [];
  if (hot?.kde?.features?.length) {
    const max = Math.max(...hot.kde.features.map((f) => f.properties.density));
    const layer = L.geoJSON(hot.kde, {
      style: (f) => ({ stroke: false, fillColor: "#4c2c92", fillOpacity: 0.15 + 0.7 * (f.properties.density / max) }),
      onEachFeature: (f, l) => l.bindPopup(details(`KDE cell ${f.id}`, [["Incidents", f.properties.count], ["Density per km²", Math.round(f.properties.density)]])),
    });
    overlays["KDE density"] = layer;
    drawn.push({ name: "kde", layer, legend: [{ colour: "#4c2c92", label: `Kernel density of incidents (darker is denser; peak ${Math.round(max).toLocaleString("en-GB")} per km²)` }] });
  }
  if (emerging?.cells?.features?.length) {
    const layer = L.geoJSON(emerging.cells, {
      style: (f) => ({ stroke: false, fillColor: EMERGING[f.properties.category] || "#505a5f", fillOpacity: 0.85 }),
      onEachFeature: (f, l) => l.bindPopup(details(`Cell ${f.id}`, [["Pattern", f.properties.category.replace("-", " ")], ["Incidents per step", f.properties.counts.join(", ")]])),
    });
    overlays["Emerging hot spots"] = layer;
    const present = [...new Set(emerging.cells.features.map((f) => f.properties.category))];
    drawn.push({ name: "emerging", layer, legend: present.map((c) => ({ colour: EMERGING[c] || "#505a5f", label: `Emerging: ${c.replace(/-/g, " ")}` })) });
  }
  if (hot?.gistar?.features?.length) {
    const layer = L.geoJSON(hot.gistar, {
      style: (f) => ({ stroke: false, fillColor: GI[f.properties.class] || "#b1b4b6", fillOpacity: 1 }),
      onEachFeature: (f, l) =>
        l.bindPopup(
          details(`Cell ${f.id}`, [
            ["Class", f.properties.class],
            ["Incidents", f.properties.count],
            ["z", f.properties.z === null ? "" : f.properties.z.toFixed(2)],
            ["p (adjusted)", f.properties.pAdjusted === null ? "" : f.properties.pAdjusted.toPrecision(2)],
          ]),
        ),
    }).addTo(map);
    overlays["Gi* hot and cold spots"] = layer;
    drawn.push({ name: "gistar", layer, legend: legendGi });
    grow(layer);
  }
  if (priority?.boundaries?.features?.length) {
    const byCode = new Map(priority.areas.map((a) => [a.code, a]));
    const layer = L.geoJSON(priority.boundaries, {
      style: () => ({ color: OUTLINE, weight: 3, dashArray: "6 4", fill: true, fillOpacity: 0 }),
      onEachFeature: (f, l) => {
        const a = byCode.get(f.id);
        l.bindPopup(details(`Priority area ${a ? a.rank : ""}: ${f.properties.name}`, a ? [["Incidents", a.count], ["Rate per 1,000", a.rate.toFixed(1)], ["IMD decile", a.imdDecile]] : []));
      },
    }).addTo(map);
    overlays["Priority areas"] = layer;
    drawn.push({ name: "priority", layer, legend: [{ colour: OUTLINE, label: "Priority area (LSOA ranked on crime rate and deprivation)", outline: true, dash: "6 4" }] });
    grow(layer);
  }
  L.control.layers(null, overlays, { collapsed: el.clientWidth < 600 }).addTo(map);
  if (extent) map.fitBounds(extent, { padding: [10, 10] });
  else map.setView([52.5, -1.5], 6);
  if (labels.length) {
    map.on("zoomend moveend overlayadd", () => placeLabels(labels));
    placeLabels(labels);
  }
  const n = hot?.gistar?.features?.length ?? 0;
  statusMain = `Map loaded: ${n} marked Gi* cells${wards.length ? `, ${wards.length} wards` : ""}. Select a cell for its details.`;
  showStatus();
  addExport(map, { hot, priority, drawn, labels, wards, base });
  el.dataset.loaded = "true";
}

/** What the export says about the method of each layer shown. */
function methodText(map, hot, drawn) {
  const on = (name) => drawn.some((d) => d.name === name && map.hasLayer(d.layer));
  const a = hot?.params?.analysis;
  const parts = [];
  if (a && on("gistar")) {
    const grid = a.grid === "h3" ? `H3 hexagons (resolution ${a.resolution ?? a.gridParams?.resolution})` : `${a.cellSize ?? a.gridParams?.cellSize} m squares`;
    const p = a.inference === "permutation" ? `p-values from ${a.permutations} permutations` : "p-values from the normal approximation";
    parts.push(`Hot and cold spots: Getis-Ord Gi* on ${grid}, ${p}, adjusted for false discovery rate.`);
  }
  if (on("kde")) parts.push("Density: kernel density estimate of incidents per km².");
  if (on("emerging")) parts.push("Emerging hot spots: the Mann-Kendall trend of each cell's Gi* over time.");
  if (on("priority")) parts.push("Priority areas: LSOAs ranked on crime rate and deprivation (IMD).");
  return parts.join(" ");
}

/** The map's area and period, for the export's title and file name. */
function about(hot, priority) {
  const period = /(\d{4}-\d{2}) to (\d{4}-\d{2})/.exec(document.querySelector('[data-testid="map-period"]')?.textContent ?? "");
  return {
    area: hot?.area?.name ?? priority?.area?.name ?? "",
    from: hot?.from ?? period?.[1] ?? "",
    to: hot?.to ?? period?.[2] ?? "",
  };
}

/** The map as SVG text: the layers and ward names shown now, inside the current view. */
function exportSvg(map, ctx) {
  const size = map.getSize();
  const shapes = [];
  const legend = [];
  for (const d of ctx.drawn) {
    if (!map.hasLayer(d.layer) || (d.on && !map.hasLayer(d.on))) continue;
    shapes.push(...shapesOf(map, d.layer));
    legend.push(...d.legend);
  }
  const labels = ctx.labels
    .filter((t) => map.hasLayer(t) && !t.getElement()?.classList.contains("app-ward-label--hidden"))
    .map((t) => ({ ...map.latLngToContainerPoint(t.getLatLng()), text: t.wardName }))
    .filter((p) => p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y);
  const c = map.getCenter();
  const cp = map.latLngToContainerPoint(c);
  const metresPerPixel = map.distance(map.containerPointToLatLng([cp.x - 50, cp.y]), map.containerPointToLatLng([cp.x + 50, cp.y])) / 100;
  const notes = [];
  if (ctx.base) {
    notes.push(
      ctx.base.failed
        ? "No base map: the tile server could not be reached when this map was drawn."
        : `The base map shown on screen (${ctx.base.text}) is not included: the browser cannot copy the tile server's images into a file.`,
    );
  }
  if (ctx.wards.some((w) => w.properties.source && w.properties.source !== "boundary file")) {
    notes.push("Ward boundaries: the lookup's wards traced along their LSOAs' boundaries (LSOAs nest in wards best-fit, so an edge can differ slightly from the official ward boundary).");
  }
  notes.push("Web Mercator projection; north is up; the scale bar is true at the centre of the map.");
  const title = document.querySelector('[data-testid="map-period"]')?.textContent?.trim() || document.title;
  return mapSvg({
    width: size.x,
    height: size.y,
    title: `Map: ${title}`,
    subtitle: methodText(map, ctx.hot, ctx.drawn),
    shapes,
    labels,
    legend,
    metresPerPixel,
    notes,
    attribution: DATA_CREDIT,
  });
}

/** "Save as SVG" and "Save as PNG" under the map's status line. */
function addExport(map, ctx) {
  const subject = about(ctx.hot, ctx.priority);
  const buttons = saveButtons(
    "the map",
    async (format) => {
      const svg = exportSvg(map, ctx);
      const name = exportFileName(subject, "map", format);
      download(name, format === "svg" ? svg : await svgToPng(svg, 2));
    },
    "mapSave",
  );
  buttons.dataset.testid = "map-export";
  status.after(buttons);
}

main().catch((e) => {
  if (status) status.textContent = `The map could not be drawn (${e.message}); the tables below list every cell.`;
});
