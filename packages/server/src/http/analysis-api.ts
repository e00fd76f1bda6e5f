import { BoundariesSchema, type DeprivationMeasure, EmergingSchema, HotspotsSchema, MapQuerySchema, OverviewSchema, PeersQuerySchema, PeersSchema, PriorityAreasSchema, TrendsQuerySchema, TrendsSchema } from "@safecity/core";
import { emergingJson, hotspotsJson, mapView, peersJson, peersView, priorityJson, trendsJson, trendsView } from "../services/analysis-views.service.ts";
import { resolveArea } from "../services/area.service.ts";
import { mapPlaces } from "../services/map-tables.service.ts";
import { overviewOfArea } from "../services/overview.service.ts";
import { storedPeerGroup } from "../services/peer-group.service.ts";
import { cachedForData } from "./analysis-kit.tsx";
import { MapTableGeoJsonSchema, MapTableParamsSchema, MapTableQuerySchema, mapTableFile } from "./map-exports.ts";
import { type ApiEndpoint, defineEndpoint } from "./api.ts";
import type { AppContext } from "./env.ts";

/** The stored official peer group of the area (codes), or none; the area text's resolution is cached. */
export async function storedPeersFor(c: AppContext, area: string): Promise<string[]> {
  const store = c.var.deps.store;
  const { ref } = await cachedForData(c, `area ${area}`, () => resolveArea(store, area));
  if (!ref.code || (ref.level !== "lad" && ref.level !== "csp")) return [];
  return (await storedPeerGroup(store, ref.code))?.codes ?? [];
}

/** Part of a cache key: the saved group's codes and time, so saving a group recomputes what the services derive from it. */
async function savedGroupKey(c: AppContext, area: string): Promise<string> {
  const store = c.var.deps.store;
  const { ref } = await cachedForData(c, `area ${area}`, () => resolveArea(store, area));
  if (!ref.code || (ref.level !== "lad" && ref.level !== "csp")) return "";
  const saved = await storedPeerGroup(store, ref.code);
  return saved ? `${saved.codes.join(",")}@${saved.updatedAt}` : "";
}

/** Same cache keys as the pages, so a page and its endpoint share one computation. */
export const overviewCached = async (c: AppContext, q: { area: string; from?: string | undefined; to?: string | undefined; type?: string | undefined; otherForces?: string | undefined }) => {
  const query = { area: q.area, ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), ...(q.type ? { type: q.type } : {}), ...(q.otherForces ? { otherForces: q.otherForces } : {}) };
  const saved = await savedGroupKey(c, query.area);
  return cachedForData(c, `overview ${JSON.stringify(query)} ${saved}`, () => overviewOfArea(c.var.deps.store, query));
};
export const trendsCached = (c: AppContext, q: { area: string; from?: string | undefined; to?: string | undefined; type?: string | undefined; otherForces?: string | undefined }) => {
  const query = { area: q.area, ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), ...(q.type ? { type: q.type } : {}), ...(q.otherForces ? { otherForces: q.otherForces } : {}) };
  return cachedForData(c, `trends ${JSON.stringify(query)}`, () => trendsView(c.var.deps.store, query));
};
export const peersCached = async (
  c: AppContext,
  q: {
    area: string;
    from?: string | undefined;
    to?: string | undefined;
    type?: string | undefined;
    funnel?: "overdispersed" | "poisson" | undefined;
    dispersion?: "multiplicative" | "additive" | undefined;
    quartiles?: "rank" | "iquanta" | undefined;
    otherForces?: string | undefined;
  },
) => {
  const query = {
    area: q.area,
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(q.funnel ? { funnel: q.funnel } : {}),
    ...(q.dispersion ? { dispersionModel: q.dispersion } : {}),
    ...(q.quartiles ? { quartiles: q.quartiles } : {}),
    ...(q.otherForces ? { otherForces: q.otherForces } : {}),
  };
  const saved = await savedGroupKey(c, query.area);
  return cachedForData(c, `peers ${JSON.stringify(query)} ${saved}`, () => peersView(c.var.deps.store, query));
};
type MapQuery = { area: string; from?: string | undefined; to?: string | undefined; type?: string | undefined; grid?: string | undefined; clip?: string | undefined; inference?: string | undefined; deprivation?: DeprivationMeasure | undefined; otherForces?: string | undefined };
/** The map query with its unset fields left out, in one order: the cache key of its view. */
const mapKey = (q: MapQuery) => {
  const query = {
    area: q.area,
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(q.grid ? { grid: q.grid } : {}),
    ...(q.clip ? { clip: q.clip } : {}),
    ...(q.inference ? { inference: q.inference } : {}),
    ...(q.deprivation ? { deprivation: q.deprivation } : {}),
    ...(q.otherForces ? { otherForces: q.otherForces } : {}),
  };
  return { query, key: JSON.stringify(query) };
};
export const mapCached = (c: AppContext, q: MapQuery) => {
  const { query, key } = mapKey(q);
  return cachedForData(c, `map ${key}`, () => mapView(c.var.deps.store, query));
};
/** The map view and its cells' wards and streets, each computed once per view (same cache key). */
export const mapPlacesCached = async (c: AppContext, q: MapQuery) => {
  const view = await mapCached(c, q);
  const places = await cachedForData(c, `map places ${mapKey(q).key}`, () => mapPlaces(c.var.deps.store, view));
  return { view, places };
};

/** The analysis pages' endpoints (spread into API_ENDPOINTS). */
export const ANALYSIS_ENDPOINTS: ApiEndpoint[] = [
  defineEndpoint({
    method: "get",
    path: "/api/v1/overview",
    tag: "analysis",
    summary: "Key messages, headline figures with year on year, change, significance and peer group position, and data freshness",
    role: "viewer",
    query: TrendsQuerySchema,
    response: { schema: OverviewSchema, description: "Overview" },
    errors: [400, 404],
    handler: (c, { query }) => overviewCached(c, query),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/trends",
    tag: "analysis",
    summary: "Monthly counts, quarterly series and change for every crime group (and one police.uk type asked for), and the seasonal profile",
    role: "viewer",
    query: TrendsQuerySchema,
    response: { schema: TrendsSchema, description: "Trends" },
    errors: [400, 404],
    handler: async (c, { query }) => trendsJson(await trendsCached(c, query)),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/peers",
    tag: "analysis",
    summary: "Peer group (the stored official list, else computed) and the area's position per crime group",
    role: "viewer",
    query: PeersQuerySchema,
    response: { schema: PeersSchema, description: "Peers" },
    errors: [400, 404],
    handler: async (c, { query }) => peersJson(await peersCached(c, query)),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/hotspots",
    tag: "analysis",
    summary: "Gi* hotspot and KDE cells as GeoJSON (WGS84)",
    role: "viewer",
    query: MapQuerySchema,
    response: { schema: HotspotsSchema, description: "Hotspots" },
    errors: [400, 404],
    handler: async (c, { query }) => hotspotsJson(await mapCached(c, query), query.cells),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/emerging",
    tag: "analysis",
    summary: "Emerging hot spot classes per cell as GeoJSON (WGS84)",
    role: "viewer",
    query: MapQuerySchema,
    response: { schema: EmergingSchema, description: "Emerging hot spots" },
    errors: [400, 404],
    handler: async (c, { query }) => emergingJson(await mapCached(c, query), query.cells),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/priority-areas",
    tag: "analysis",
    summary: "Priority LSOAs (crime rate and deprivation) with their boundaries as GeoJSON",
    role: "viewer",
    query: MapQuerySchema,
    response: { schema: PriorityAreasSchema, description: "Priority areas" },
    errors: [400, 404],
    handler: async (c, { query }) => priorityJson(await mapCached(c, query)),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/map-tables/:table",
    tag: "analysis",
    summary: "The map page's Gi* hotspot, emerging hot spot or priority-area table as CSV or GeoJSON, each row named by its ward and most frequent police.uk location; a file named by the area and period",
    role: "viewer",
    params: MapTableParamsSchema,
    query: MapTableQuerySchema,
    response: { schema: MapTableGeoJsonSchema, description: "The table as a file (Content-Disposition: attachment)", media: [{ type: "application/geo+json", schema: MapTableGeoJsonSchema }, { type: "text/csv" }] },
    errors: [400, 404],
    handler: async (c, { params, query }) => {
      const { view, places } = await mapPlacesCached(c, query);
      return mapTableFile(view, places, params.table, query.format ?? "csv", query.empty === "1");
    },
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/boundaries",
    tag: "analysis",
    summary: "Boundaries of the area, its wards and its LSOAs as GeoJSON (WGS84), where reference data has them",
    role: "viewer",
    query: MapQuerySchema,
    response: { schema: BoundariesSchema, description: "Boundaries" },
    errors: [400, 404],
    handler: async (c, { query }) => (await mapCached(c, query)).boundaries,
  }),
];
