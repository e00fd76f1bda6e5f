import {
  AppError,
  CountsQuerySchema,
  CountsSchema,
  IdParamSchema,
  ImportDetailSchema,
  ImportJobParamSchema,
  ImportJobSchema,
  ImportListQuerySchema,
  ImportListSchema,
  MeSchema,
  ReferenceStatusSchema,
  StatusSchema,
} from "@safecity/core";
import { Hono } from "hono";
import { z } from "zod";
import { countByArea } from "../services/counts.service.ts";
import { importDetail, importRegister, loadedStatus } from "../services/import-register.service.ts";
import { referenceStatus } from "../services/reference.service.ts";
import { ANALYSIS_ENDPOINTS } from "./analysis-api.ts";
import { INCIDENT_ENDPOINTS } from "./incidents-api.ts";
import { PLAN_PROPOSAL_ENDPOINTS } from "./plan-proposals-api.ts";
import { PLAN_ENDPOINTS } from "./plan-api.ts";
import { type ApiEndpoint, defineEndpoint, mountApi } from "./api.ts";
import type { AppEnv } from "./env.ts";
import { openApiDocument } from "./openapi.ts";
import { SKIP_INVALID_FIELD, startUploadImport, uploadJobs } from "./upload-import.ts";

/** The generated document, built on first request (API_ENDPOINTS is fixed once modules have loaded). */
let openApi: Record<string, unknown> | null = null;

/** Bump when a response changes incompatibly (the path stays /api/v1 until then). */
export const API_VERSION = "1.0.0";

/**
 * Every /api/v1 endpoint: one entry each. The route is mounted from the entry and the OpenAPI
 * document is generated from the same entries, so adding an endpoint is adding one entry here.
 */
export const API_ENDPOINTS: ApiEndpoint[] = [
  defineEndpoint({
    method: "get",
    path: "/api/v1/status",
    tag: "status",
    summary: "What is loaded: incident rows, months, forces, areas, recent imports, reference datasets",
    role: "viewer",
    response: { schema: StatusSchema, description: "Summary of the loaded data" },
    handler: (c) => loadedStatus(c.var.deps.store),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/me",
    tag: "status",
    summary: "The signed-in user (or the API token's owner)",
    role: "viewer",
    response: { schema: MeSchema, description: "The user" },
    handler: (c) => c.var.user!,
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/imports",
    tag: "imports",
    summary: "The import register, most recent first",
    role: "viewer",
    query: ImportListQuerySchema,
    response: { schema: ImportListSchema, description: "Register entries" },
    errors: [400],
    handler: async (c, { query }) => ({ imports: await importRegister(c.var.deps.store, { limit: query.limit }) }),
  }),
  defineEndpoint({
    method: "post",
    path: "/api/v1/imports",
    tag: "imports",
    summary: "Upload police.uk street CSVs or zips and import them in the background",
    description:
      "Streams the files to disk and queues an import job; poll `GET /api/v1/imports/jobs/{id}` for progress and the report. Each file is atomic and idempotent.",
    role: "analyst",
    requestBody: {
      contentType: "multipart/form-data",
      description: "One or more `files` parts (.csv or .zip); optional field `skipInvalid=yes` imports the valid rows of files with malformed rows; `replace=yes` replaces a force-month even with a file of under half its rows (otherwise such a file is `refused`; decision 0017)",
      schema: {
        type: "object",
        properties: {
          files: { type: "array", items: { type: "string", contentMediaType: "application/octet-stream" } },
          [SKIP_INVALID_FIELD]: { type: "string", enum: ["yes"] },
        },
        required: ["files"],
      },
    },
    response: { status: 202, schema: ImportJobSchema, description: "The queued job" },
    errors: [400, 413, 503],
    handler: (c) => startUploadImport(c),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/imports/jobs/:id",
    tag: "imports",
    summary: "An upload's import job: state, progress and, when finished, the import report",
    role: "viewer",
    params: ImportJobParamSchema,
    response: { schema: ImportJobSchema, description: "The job" },
    errors: [400, 404],
    handler: async (c, { params }) => {
      const job = await c.var.deps.imports?.get(params.id);
      if (!job) throw new AppError("import.not_found", `There is no import job ${params.id}.`);
      return job;
    },
  }),
  defineEndpoint({
    method: "post",
    path: "/api/v1/imports/jobs/:id/resume",
    tag: "imports",
    summary: "Resume an interrupted import job from its kept upload files (files already imported are skipped)",
    role: "analyst",
    params: ImportJobParamSchema,
    response: { status: 202, schema: ImportJobSchema, description: "The job, queued again" },
    errors: [400, 404, 503],
    handler: (c, { params }) => uploadJobs(c).resume(params.id),
  }),
  defineEndpoint({
    method: "post",
    path: "/api/v1/imports/jobs/:id/discard",
    tag: "imports",
    summary: "Discard an interrupted import job: its kept upload files are removed; files it imported stay",
    role: "analyst",
    params: ImportJobParamSchema,
    response: { schema: ImportJobSchema, description: "The discarded job" },
    errors: [400, 404, 503],
    handler: (c, { params }) => uploadJobs(c).discardInterrupted(params.id),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/imports/:id",
    tag: "imports",
    summary: "One register entry and, for a rejected file, its problems (line and message)",
    role: "viewer",
    params: IdParamSchema,
    response: { schema: ImportDetailSchema, description: "The entry" },
    errors: [400, 404],
    handler: (c, { params }) => importDetail(c.var.deps.store, params.id),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/counts",
    tag: "counts",
    summary: "Recorded incidents for an area by crime type and month, from the roll-up",
    role: "viewer",
    query: CountsQuerySchema,
    cache: "data",
    response: { schema: CountsSchema, description: "Counts" },
    errors: [400, 404],
    handler: (c, { query }) => countByArea(c.var.deps.store, query),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/reference",
    tag: "reference",
    summary: "Installed reference datasets (geography lookups, populations, deprivation, ONS tables)",
    role: "viewer",
    response: { schema: ReferenceStatusSchema, description: "Datasets" },
    handler: async (c) => ({ datasets: await referenceStatus(c.var.deps.store) }),
  }),
  defineEndpoint({
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "meta",
    summary: "This OpenAPI 3.1 document, generated from the endpoints' zod schemas",
    role: "viewer",
    response: { schema: z.record(z.string(), z.unknown()).meta({ id: "OpenApiDocument" }), description: "OpenAPI 3.1 document" },
    handler: () => {
      openApi ??= openApiDocument(API_ENDPOINTS, { version: API_VERSION });
      return openApi;
    },
  }),
  ...ANALYSIS_ENDPOINTS,
  ...PLAN_PROPOSAL_ENDPOINTS,
  ...PLAN_ENDPOINTS,
  ...INCIDENT_ENDPOINTS,
];

/** Mounts `API_ENDPOINTS`. */
export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  mountApi(app, API_ENDPOINTS);
  return app;
}
