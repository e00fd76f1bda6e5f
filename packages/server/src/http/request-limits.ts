import { AppError } from "@safecity/core";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./env.ts";
import { formatLimit } from "./multipart-upload.ts";

/**
 * Largest request body of any route but the upload routes: forms and JSON are a few KB (the
 * longest plan form well under 100 KB), so 1 MB leaves room and still bounds what an anonymous
 * caller can make the server hold.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The routes whose body is streamed to disk under the upload limit (`saveMultipart` counts every
 * byte as it arrives): the global limit leaves them alone. Anything else, including routes added
 * later, gets the default limit.
 */
export function isStreamedUploadRoute(method: string, path: string): boolean {
  return method === "POST" && (path === "/data/upload" || path === "/api/v1/imports");
}

export function requestTooLarge(limitBytes: number): AppError {
  return new AppError("request.too_large", `The request is larger than the ${formatLimit(limitBytes)} this address accepts; nothing was read.`, {
    hint: "Send less data; uploads of police.uk files go through the Data page or POST /api/v1/imports.",
  });
}

/**
 * Refuses (413 `request.too_large`) a request body over `maxBytes` before any handler or the CSRF
 * check reads it: at once when Content-Length says so, otherwise while it arrives (a chunked body
 * is counted and never held beyond `maxBytes`). Runs first in the pipeline, for every route,
 * signed in or not; the upload routes are left to their own streamed limit.
 */
export function requestBodyLimit(maxBytes = DEFAULT_BODY_LIMIT_BYTES): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw requestTooLarge(maxBytes);
    },
  });
  return async (c, next) => {
    if (isStreamedUploadRoute(c.req.method, c.req.path)) return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && !/^\d+$/.test(declared.trim())) {
      throw new AppError("input.invalid", "The Content-Length header is not a number.");
    }
    return limit(c, next);
  };
}

/** Longest query parameter value any route accepts (each route's schema caps its own far lower). */
export const MAX_QUERY_PARAM_LENGTH = 2000;

/**
 * Refuses (400 `input.invalid`) a request with any query parameter over MAX_QUERY_PARAM_LENGTH
 * characters, before a handler sees it: a backstop for routes whose parameters have no schema.
 */
export function queryLengthLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const q = url.indexOf("?");
    if (q >= 0 && url.length - q > MAX_QUERY_PARAM_LENGTH) {
      for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
        if (value.length > MAX_QUERY_PARAM_LENGTH || name.length > MAX_QUERY_PARAM_LENGTH) {
          throw new AppError("input.invalid", `The query parameter \`${name.slice(0, 40)}\` is ${value.length} characters long; at most ${MAX_QUERY_PARAM_LENGTH} are accepted.`);
        }
      }
    }
    return next();
  };
}
