import { AppError, type ProblemLine, type Role } from "@safecity/core";
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { AppContext, AppEnv } from "./env.ts";
import { requireRole } from "./require-role.ts";

type AnyObject = z.ZodObject;
type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/**
 * One JSON endpoint under /api/v1: its route, guard, input and output schemas and handler. The
 * same entry mounts the route (`mountApi`) and describes it in the OpenAPI document
 * (`openApiDocument`), so the two cannot drift apart.
 */
export interface ApiEndpoint<P extends AnyObject | undefined = AnyObject | undefined, Q extends AnyObject | undefined = AnyObject | undefined, R extends z.ZodType = z.ZodType> {
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
  /** For non-JSON bodies (uploads): described in the document, read by the handler itself. */
  requestBody?: { contentType: string; schema: Record<string, unknown>; description: string };
  response: { status?: 200 | 201 | 202; schema: R; description: string };
  /** Error statuses this endpoint can answer, besides 401 and 403 (added to every endpoint). */
  errors?: number[];
  /** Returns the body; its type is checked against the response schema at compile time. */
  handler: (c: AppContext, input: { params: Out<P>; query: Out<Q> }) => Promise<z.input<R>> | z.input<R>;
}

/** Typed constructor: `defineEndpoint({ … })` infers the handler's parameter and return types from the schemas. */
export function defineEndpoint<P extends AnyObject | undefined = undefined, Q extends AnyObject | undefined = undefined, R extends z.ZodType = z.ZodType>(
  e: ApiEndpoint<P, Q, R>,
): ApiEndpoint {
  return e as unknown as ApiEndpoint;
}

function parseInput(schema: AnyObject | undefined, value: Record<string, string>, where: string): Record<string, unknown> {
  if (!schema) return {};
  const r = schema.safeParse(value);
  if (r.success) return r.data as Record<string, unknown>;
  const problems: ProblemLine[] = r.error.issues.map((i) => ({ file: where, field: i.path.join("."), message: i.message }));
  throw new AppError("input.invalid", problems.map((p) => `${where} parameter \`${p.field}\`: ${p.message}`).join("; "), { problems });
}

/** Registers every endpoint on `app`, each behind `requireRole(e.role)`. */
export function mountApi(app: Hono<AppEnv>, endpoints: readonly ApiEndpoint[]): void {
  for (const e of endpoints) {
    app.on(e.method.toUpperCase(), e.path, requireRole(e.role), async (c) => {
      const params = parseInput(e.params, c.req.param() as Record<string, string>, "path");
      const query = parseInput(e.query, c.req.query(), "query");
      const body = await e.handler(c, { params, query } as never);
      return c.json(body as object, (e.response.status ?? 200) as ContentfulStatusCode);
    });
  }
}
