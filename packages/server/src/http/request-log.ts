import crypto from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { type Logger, loggablePath } from "../log.ts";
import type { AppEnv } from "./env.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** What the server's operations need from the app: its log and whether it is shutting down. */
export interface OpsDeps {
  /** Request and error log (null: none, as in most tests). */
  log: Logger | null;
  /** True once a shutdown has begun: `/readyz` answers 503 so a load balancer stops sending. */
  draining: () => boolean;
}

/** A caller's request id is kept when it looks like one (a proxy's or load balancer's), else a new one. */
const GOOD_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Probes: logged at debug level only, or they would fill the log every few seconds. */
const QUIET = new Set(["/healthz", "/readyz"]);

/**
 * One JSON log line per request: request id (echoed in `X-Request-Id`), method, path without the
 * query (token-like segments redacted), status, duration, user id. Never headers, cookies or bodies.
 * A request that failed with an unexpected error is logged at error level with the error.
 */
export function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const reqId = incoming && GOOD_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.header(REQUEST_ID_HEADER, reqId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const line = {
        reqId,
        method: c.req.method,
        path: loggablePath(c.req.path),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: c.var.user?.id ?? null,
      };
      if (c.error) log.error({ ...line, err: c.error }, "request failed");
      else if (QUIET.has(c.req.path)) log.debug(line, "request");
      else log.info(line, "request");
    }
  };
}
