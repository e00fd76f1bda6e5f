// Map island for /map: draws the hotspot, KDE, emerging and priority-area layers the tables on
// the page already list, from /api/v1 GeoJSON. No tiles unless the server sets a tile URL.
import * as L from "/assets/leaflet/leaflet-src.esm.js";

const GI = {
  "hot-99": "#d4351c",
  "hot-95": "#f47738",
  "hot-90": "#ffdd00",
  "cold-90": "#5694ca",
  "cold-95": "#1d70b8",
  "cold-99": "#003078",
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

const el = document.getElementById("map");
const status = document.getElementById("map-status");

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

async function main() {
  if (!el) return;
  const q = el.dataset.query || "";
  el.hidden = false;
  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.25 });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
  map.attributionControl.setPrefix("Leaflet");
  status.textContent = "Loading the map…";
  const sep = q ? "&" : "?";
  const [hot, emerging, priority, bounds] = await Promise.all([
    json(`/api/v1/hotspots${q}${sep}cells=marked`).catch(() => null),
    json(`/api/v1/emerging${q}${sep}cells=marked`).catch(() => null),
    json(`/api/v1/priority-areas${q}`).catch(() => null),
    json(`/api/v1/boundaries${q}`).catch(() => null),
  ]);
  const overlays = {};
  let extent = null;
  const grow = (layer) => {
    const b = layer.getBounds?.();
    if (b?.isValid()) extent = extent ? extent.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
  };
  if (bounds?.features?.length) {
    const layer = L.geoJSON(bounds, {
      style: (f) => ({
        color: f.properties.level === "lsoa" ? "#b1b4b6" : f.properties.level === "ward" ? "#505a5f" : "#0b0c0c",
        weight: f.properties.level === "lsoa" ? 0.6 : f.properties.level === "ward" ? 1.2 : 2.5,
        fill: false,
        interactive: false,
      }),
    }).addTo(map);
    overlays["Boundaries"] = layer;
    grow(layer);
  }
  if (hot?.kde?.features?.length) {
    const max = Math.max(...hot.kde.features.map((f) => f.properties.density));
    const layer = L.geoJSON(hot.kde, {
      style: (f) => ({ stroke: false, fillColor: "#4c2c92", fillOpacity: 0.15 + 0.7 * (f.properties.density / max) }),
      onEachFeature: (f, l) => l.bindPopup(details(`KDE cell ${f.id}`, [["Incidents", f.properties.count], ["Density per km²", Math.round(f.properties.density)]])),
    });
    overlays["KDE density"] = layer;
  }
  if (emerging?.cells?.features?.length) {
    const layer = L.geoJSON(emerging.cells, {
      style: (f) => ({ stroke: false, fillColor: EMERGING[f.properties.category] || "#505a5f", fillOpacity: 0.85 }),
      onEachFeature: (f, l) => l.bindPopup(details(`Cell ${f.id}`, [["Pattern", f.properties.category.replace("-", " ")], ["Incidents per step", f.properties.counts.join(", ")]])),
    });
    overlays["Emerging hot spots"] = layer;
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
    grow(layer);
  }
  if (priority?.boundaries?.features?.length) {
    const byCode = new Map(priority.areas.map((a) => [a.code, a]));
    const layer = L.geoJSON(priority.boundaries, {
      style: () => ({ color: "#0b0c0c", weight: 3, dashArray: "6 4", fill: true, fillOpacity: 0 }),
      onEachFeature: (f, l) => {
        const a = byCode.get(f.id);
        l.bindPopup(details(`Priority area ${a ? a.rank : ""}: ${f.properties.name}`, a ? [["Incidents", a.count], ["Rate per 1,000", a.rate.toFixed(1)], ["IMD decile", a.imdDecile]] : []));
      },
    }).addTo(map);
    overlays["Priority areas"] = layer;
    grow(layer);
  }
  L.control.layers(null, overlays, { collapsed: el.clientWidth < 600 }).addTo(map);
  if (extent) map.fitBounds(extent, { padding: [10, 10] });
  else map.setView([52.5, -1.5], 6);
  const n = hot?.gistar?.features?.length ?? 0;
  status.textContent = `Map loaded: ${n} marked Gi* cells. Select a cell for its details.`;
  el.dataset.loaded = "true";
}

main().catch((e) => {
  if (status) status.textContent = `The map could not be drawn (${e.message}); the tables below list every cell.`;
});
