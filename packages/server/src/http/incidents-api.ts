import { AppError } from "@safecity/core";
import { z } from "zod";
import { readableDatasets } from "../services/local-access.service.ts";
import { localNearRepeat, localRepeats } from "../services/local-analysis.service.ts";
import { type ApiEndpoint, defineEndpoint } from "./api.ts";
import type { AppContext } from "./env.ts";
import { assertLocalAccess, localQuery, nearQuery, readerOf } from "./incidents.routes.tsx";

const Result = z.record(z.string(), z.unknown());
const text = (max: number, what: string) => z.string().max(max).optional().describe(what);
const LocalQuerySchema = z.object({
  from: z.string().max(10).describe("first day (YYYY-MM-DD) or month (YYYY-MM)"),
  to: z.string().max(10).describe("last day (YYYY-MM-DD) or month (YYYY-MM)"),
  dataset: text(80, "a dataset granted to you (default: every one)"),
  area: text(200, "an area (CSP, local authority, ward or LSOA codes)"),
  flag: text(30, "domestic, alcohol, night-time-economy, hate or vulnerable"),
  offence: text(60, "a police.uk crime type"),
});
const NearRepeatQuerySchema = LocalQuerySchema.extend({
  distance: text(120, "distance band edges in metres, e.g. 0,100,200,300,400"),
  time: text(120, "time band edges in days, e.g. 0,7,14,21,28"),
  metric: z.enum(["euclidean", "manhattan"]).optional(),
  permutations: text(5, "Monte-Carlo permutations (default 99, at most 999)"),
  seed: text(10, "seed of the permutations (default 1)"),
});

/** The query as the pages read it (the same checks and defaults), once the user is known to hold a grant. */
async function grantedQuery(c: AppContext) {
  await assertLocalAccess(c);
  const { query } = localQuery(c);
  if (!query) throw new AppError("input.invalid", "give from and to (YYYY-MM-DD or YYYY-MM)");
  return query;
}

/**
 * `/api/v1/incidents/*`: restricted local incident data (issue 14). Role viewer at least, and a grant
 * per dataset (403 otherwise); never cached, so every read is audited by the service.
 */
export const INCIDENT_ENDPOINTS: ApiEndpoint[] = [
  defineEndpoint({
    method: "get",
    path: "/api/v1/incidents/datasets",
    tag: "incidents",
    summary: "Local incident datasets granted to you (restricted)",
    role: "viewer",
    response: { schema: z.array(z.object({ name: z.string(), rows: z.number().int(), importedAt: z.string() })), description: "Datasets" },
    handler: async (c) => {
      await assertLocalAccess(c);
      return (await readableDatasets(c.var.deps.store, readerOf(c))).map((d) => ({ name: d.name, rows: d.rows, importedAt: d.importedAt }));
    },
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/incidents/repeats",
    tag: "incidents",
    summary: "Repeat victimisation measures over granted local incident data (restricted)",
    role: "viewer",
    query: LocalQuerySchema,
    response: { schema: Result, description: "Repeat measures" },
    errors: [400, 404],
    handler: async (c) => (await localRepeats(c.var.deps.store, readerOf(c), await grantedQuery(c), c.var.deps.now())) as unknown as Record<string, unknown>,
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/incidents/near-repeat",
    tag: "incidents",
    summary: "Knox near-repeat test over granted local incident data (restricted)",
    role: "viewer",
    query: NearRepeatQuerySchema,
    response: { schema: Result, description: "Knox test" },
    errors: [400, 404],
    handler: async (c) => (await localNearRepeat(c.var.deps.store, readerOf(c), nearQuery(c, await grantedQuery(c)), c.var.deps.now())) as unknown as Record<string, unknown>,
  }),
];
