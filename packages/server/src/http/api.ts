import { AppError, type ProblemLine, type Role } from "@safecity/core";
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { Store } from "../db/database.ts";
import { dataVersion } from "../db/repositories/data-version.repository.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { requireRole } from "./require-role.ts";

type AnyObject = z.ZodObject;
type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/**
 * One JSON endpoint under /api/v1: its route, guard, input and output schemas and handler. The
 * same entry mounts the route (`mountApi`) and describes it in the OpenAPI document
 * (`openApiDocument`), so the two cannot drift apart.
 */
export interface ApiEndpoint<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  R extends z.ZodType = z.ZodType,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: "get" | "post";
  /** Hono syntax: `/api/v1/imports/:id`. */
  path: `/api/v1/${string}`;
  /** OpenAPI tag (the resource): `imports`, `counts`, … */
  tag: string;
  summary: string;
  description?: string;
  /** Least role allowed (admin > analyst > editor > viewer). */
  role: Role;
  /** Path parameters, parsed and coerced before the handler runs. */
  params?: P;
  /** Query parameters, parsed and coerced before the handler runs. */
  query?: Q;
  /** A JSON request body, parsed and checked before the handler runs (400 `input.invalid` with one problem per field). */
  body?: B;
  /** For non-JSON bodies (uploads): described in the document, read by the handler itself. */
  requestBody?: { contentType: string; schema: Record<string, unknown>; description: string };
  response: {
    status?: 200 | 201 | 202;
    schema: R;
    description: string;
    /**
     * Files rather than JSON (downloads): the media types the handler answers with, each described
     * by a schema (none: a string); the handler then returns the `Response` itself.
     */
    media?: { type: string; schema?: z.ZodType }[];
  };
  /** Error statuses this endpoint can answer, besides 401 and 403 (added to every endpoint). */
  errors?: number[];
  /**
   * `"data"`: the response depends only on the loaded data (imports and reference data), so it is
   * cached per path and query until `dataVersion` changes. Leave unset for anything that reads
   * users, jobs or other state.
   */
  cache?: "data";
  /** Returns the body; its type is checked against the response schema at compile time. */
  handler: (c: AppContext, input: { params: Out<P>; query: Out<Q>; body: Out<B> }) => Promise<z.input<R> | Response> | z.input<R> | Response;
}

/** Typed constructor: `defineEndpoint({ … })` infers the handler's parameter and return types from the schemas. */
export function defineEndpoint<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  R extends z.ZodType = z.ZodType,
  B extends z.ZodType | undefined = undefined,
>(e: ApiEndpoint<P, Q, R, B>): ApiEndpoint {
  return e as unknown as ApiEndpoint;
}

function parseInput(schema: z.ZodType | undefined, value: unknown, where: string): Record<string, unknown> {
  if (!schema) return {};
  const r = schema.safeParse(value);
  if (r.success) return r.data as Record<string, unknown>;
  const problems: ProblemLine[] = r.error.issues.map((i) => ({ file: where, field: i.path.join("."), message: i.message }));
  const name = (field: string | undefined) => (where === "body" ? (field ? `body field \`${field}\`` : "body") : `${where} parameter \`${field}\``);
  throw new AppError("input.invalid", problems.map((p) => `${name(p.field)}: ${p.message}`).join("; "), { problems });
}

/** The request's JSON body, or a clear refusal when it is not JSON. */
async function jsonBody(c: AppContext): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/json")) throw new AppError("input.invalid", `Send the body as JSON with \`Content-Type: application/json\`; got \`${type || "no content type"}\`.`);
  try {
    return await c.req.json();
  } catch (e) {
    throw new AppError("input.invalid", `The body is not valid JSON (${(e as Error).message}).`);
  }
}

/** Responses of `cache: "data"` endpoints, kept until the data changes; at most `max` entries (oldest dropped). */
export class DataCache {
  private version = "";
  private readonly entries = new Map<string, unknown>();
  constructor(private readonly max = 500) {}

  async get(store: Store, key: string, compute: () => Promise<unknown>): Promise<{ body: unknown; hit: boolean }> {
    const version = await dataVersion(store);
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    if (this.entries.has(key)) return { body: this.entries.get(key), hit: true };
    const body = await compute();
    // Only keep it if the data did not change while it was computed.
    if ((await dataVersion(store)) === version) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, body);
    }
    return { body, hit: false };
  }
}

/**
 * Registers every endpoint on `app`, each behind `requireRole(e.role)`. Responses of
 * `cache: "data"` endpoints carry `X-Safecity-Cache: hit | miss`.
 */
export function mountApi(app: Hono<AppEnv>, endpoints: readonly ApiEndpoint[]): void {
  const cache = new DataCache();
  for (const e of endpoints) {
    app.on(e.method.toUpperCase(), e.path, requireRole(e.role), async (c) => {
      const params = parseInput(e.params, c.req.param() as Record<string, string>, "path");
      const query = parseInput(e.query, c.req.query(), "query");
      const input = e.body ? parseInput(e.body, await jsonBody(c), "body") : {};
      const run = async () => e.handler(c, { params, query, body: input } as never);
      let body: unknown;
      if (e.cache === "data") {
        const r = await cache.get(c.var.deps.store, `${e.method} ${e.path} ${JSON.stringify(params)} ${JSON.stringify(query)}`, run);
        body = r.body;
        c.header("X-Safecity-Cache", r.hit ? "hit" : "miss");
      } else {
        body = await run();
      }
      if (body instanceof Response) return body;
      return c.json(body as object, (e.response.status ?? 200) as ContentfulStatusCode);
    });
  }
}
