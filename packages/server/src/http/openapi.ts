import { ApiErrorSchema } from "@safecity/core";
import { z } from "zod";
import type { ApiEndpoint } from "./api.ts";

type Json = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: "Invalid input",
  401: "Not signed in: send `Authorization: Bearer <API token>` or a session cookie",
  403: "Signed in without the role this needs",
  404: "Not found",
  413: "Upload larger than the limit",
  422: "Data rejected",
  503: "Not available on this server",
};

/**
 * Turns zod schemas into OpenAPI 3.1 schemas (JSON Schema 2020-12, which 3.1 uses as is). Schemas
 * with `.meta({ id })` become shared components and are referenced by `$ref`.
 */
class SchemaCollector {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: "input" | "output"): Json {
    const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    delete json.$schema;
    for (const [id, def] of Object.entries(defs)) this.components[id] = relink(def);
    return relink(json);
  }
}

function relink(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
}

/** `/api/v1/imports/:id` → `/api/v1/imports/{id}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(collector: SchemaCollector, schema: z.ZodObject | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const json = collector.convert(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** The OpenAPI 3.1 document for `endpoints`, generated from their zod schemas. */
export function openApiDocument(endpoints: readonly ApiEndpoint[], info: { version: string }): Json {
  const collector = new SchemaCollector();
  const errorRef = { $ref: "#/components/schemas/ApiError" };
  collector.convert(ApiErrorSchema, "output");
  const paths: Record<string, Record<string, Json>> = {};
  for (const e of endpoints) {
    const responses: Record<string, Json> = {
      [String(e.response.status ?? 200)]: {
        description: e.response.description,
        content: e.response.media
          ? Object.fromEntries(e.response.media.map((m) => [m.type, { schema: m.schema ? collector.convert(m.schema, "output") : { type: "string" } }]))
          : { "application/json": { schema: collector.convert(e.response.schema, "output") } },
      },
    };
    for (const status of [...new Set([...(e.errors ?? []), 401, 403])].sort((a, b) => a - b)) {
      responses[String(status)] = { description: ERROR_TEXT[status] ?? "Error", content: { "application/json": { schema: errorRef } } };
    }
    const operation: Json = {
      operationId: `${e.method}${openApiPath(e.path)
        .replace(/^\/api\/v1/, "")
        .split(/[/{}.-]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join("")}`,
      tags: [e.tag],
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      "x-safecity-role": e.role,
      parameters: [...parameters(collector, e.params, "path"), ...parameters(collector, e.query, "query")],
      ...(e.body ? { requestBody: { required: true, content: { "application/json": { schema: collector.convert(e.body, "input") } } } } : {}),
      ...(e.requestBody
        ? { requestBody: { required: true, description: e.requestBody.description, content: { [e.requestBody.contentType]: { schema: e.requestBody.schema } } } }
        : {}),
      responses,
    };
    paths[openApiPath(e.path)] ??= {};
    paths[openApiPath(e.path)]![e.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Safe City API",
      version: info.version,
      description:
        "JSON API of Safe City. Authenticate with `Authorization: Bearer <API token>` (create one with `safecity user token --email …`) or a browser session. Every error is `{ error: { code, message, hint?, problems? } }`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/" }],
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    tags: [...new Set(endpoints.map((e) => e.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(collector.components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "API token from `safecity user token`" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "safecity_session" },
      },
    },
  };
}
