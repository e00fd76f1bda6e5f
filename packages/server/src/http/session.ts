import { AppError } from "@safecity/core";
import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { apiTokenUser, sessionUser } from "../services/auth.service.ts";
import { hashSecret, newSecret } from "../services/secret.ts";
import type { AppContext, AppEnv } from "./env.ts";

export const SESSION_COOKIE = "safecity_session";
/** Seed of the CSRF token before sign-in (the login form). */
export const ANON_COOKIE = "safecity_anon";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Cookies are `Secure` when forced, when the public URL is https, or when this request came over https. */
export function secureCookie(c: AppContext): boolean {
  const s = c.var.deps.secureCookies;
  if (s !== "auto") return s;
  return c.var.deps.publicUrl?.startsWith("https://") === true || new URL(c.req.url).protocol === "https:";
}

/** The CSRF token for a session or anonymous seed: derived, so it is tied to that cookie. */
export function csrfTokenFor(seed: string): string {
  return hashSecret(`csrf:${seed}`);
}

/**
 * Identifies the caller: `Authorization: Bearer <api token>` on /api/…, otherwise the session
 * cookie. Sets `user`, `authVia`, `sessionToken`, `session` and `csrfToken`. A read-only token
 * may only read (GET/HEAD): anything else is refused with 403 here, before any route runs.
 */
export function identify(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { store, now, sessionTtlMs, sessionIdleMs } = c.var.deps;
    c.set("user", null);
    c.set("authVia", null);
    c.set("sessionToken", null);
    c.set("session", null);
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (bearer && c.req.path.startsWith("/api/")) {
      const found = await apiTokenUser(store, bearer, now());
      if (!found) throw new AppError("auth.required", "The API token is unknown, expired or revoked, or its user is disabled");
      if (found.token.scope !== "write" && !SAFE_METHODS.has(c.req.method)) {
        c.set("user", found.user); // so the refusal's audit row names the token's user
        throw new AppError("auth.forbidden", `The API token "${found.token.name}" is read-only. Create one with write scope to change data.`, {
          hint: "`safecity user token --email <email> --scope write`, or on the Your account page",
        });
      }
      c.set("user", found.user);
      c.set("authVia", "token");
      c.set("csrfToken", "");
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await sessionUser(store, token, now(), { sessionTtlMs, sessionIdleMs }) : null;
    if (found && token) {
      c.set("user", found.user);
      c.set("authVia", "session");
      c.set("sessionToken", token);
      c.set("session", found.session);
      c.set("csrfToken", csrfTokenFor(token));
      return next();
    }
    if (token) deleteCookie(c, SESSION_COOKIE, { path: "/" });
    let anon = getCookie(c, ANON_COOKIE);
    if (!anon || anon.length < 32) {
      anon = newSecret();
      setCookie(c, ANON_COOKIE, anon, { path: "/", httpOnly: true, sameSite: "Lax", secure: secureCookie(c) });
    }
    c.set("csrfToken", csrfTokenFor(anon));
    return next();
  };
}

export function startSession(c: AppContext, token: string, expiresAt: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: secureCookie(c),
    expires: new Date(expiresAt),
  });
}

export function endSession(c: AppContext): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secureCookie(c) });
}
