import { AppError } from "@safecity/core";
import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "./env.ts";
import { sameSecret } from "../services/secret.ts";

/** The name of the form field (and `?_csrf=` query parameter) carrying the token. */
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

/** Put inside every `<form method="post">`: `<CsrfField token={c.var.csrfToken} />`. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/**
 * For `multipart/form-data` forms (uploads), whose body the middleware must not buffer: use
 * `action={withCsrf("/data/upload", c.var.csrfToken)}` and the token travels in the query.
 */
export function withCsrf(action: string, token: string): string {
  return `${action}${action.includes("?") ? "&" : "?"}${CSRF_FIELD}=${encodeURIComponent(token)}`;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses (403 `auth.csrf`) any state-changing request that is not API-token authenticated unless
 * (1) its Origin, when sent, is this host and Sec-Fetch-Site is not `cross-site`, and
 * (2) it carries the synchroniser token tied to the caller's session (or pre-login cookie) in
 *     the `_csrf` form field (urlencoded forms), the `_csrf` query parameter (multipart) or the
 *     `X-CSRF-Token` header (fetch).
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE.has(c.req.method) || c.var.authVia === "token") return next();
    const origin = c.req.header("origin");
    if (origin !== undefined && !sameHost(origin, c.req.url)) {
      throw new AppError("auth.csrf", "This form was sent from another site and has been refused.");
    }
    if (c.req.header("sec-fetch-site") === "cross-site") {
      throw new AppError("auth.csrf", "This form was sent from another site and has been refused.");
    }
    const sent = await sentToken(c);
    if (!sent || !c.var.csrfToken || !sameSecret(sent, c.var.csrfToken)) {
      throw new AppError("auth.csrf", "This form has expired or was not sent from Safe City. Go back, reload the page and try again.");
    }
    return next();
  };
}

function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host;
  } catch {
    return false;
  }
}

async function sentToken(c: AppContext): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const query = c.req.query(CSRF_FIELD);
  if (query) return query;
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const body = await c.req.parseBody();
    const v = body[CSRF_FIELD];
    return typeof v === "string" ? v : undefined;
  }
  return undefined;
}
