import { AppError } from "@safecity/core";
import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { apiTokenUser, sessionUser } from "../services/auth.service.ts";
import { hashSecret, newSecret } from "../services/secret.ts";
import type { AppContext, AppEnv } from "./env.ts";

export const SESSION_COOKIE = "safecity_session";
/** Seed of the CSRF token before sign-in (the login form). */
export const ANON_COOKIE = "safecity_anon";

function secure(c: AppContext): boolean {
  const s = c.var.deps.secureCookies;
  return s === "auto" ? new URL(c.req.url).protocol === "https:" : s;
}

/** The CSRF token for a session or anonymous seed: derived, so it is tied to that cookie. */
export function csrfTokenFor(seed: string): string {
  return hashSecret(`csrf:${seed}`);
}

/**
 * Identifies the caller: `Authorization: Bearer <api token>` on /api/…, otherwise the session
 * cookie. Sets `user`, `authVia`, `sessionToken` and `csrfToken`.
 */
export function identify(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { store, now } = c.var.deps;
    c.set("user", null);
    c.set("authVia", null);
    c.set("sessionToken", null);
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (bearer && c.req.path.startsWith("/api/")) {
      const user = await apiTokenUser(store, bearer, now());
      if (!user) throw new AppError("auth.required", "The API token is unknown, revoked or its user is disabled");
      c.set("user", user);
      c.set("authVia", "token");
      c.set("csrfToken", "");
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    const user = token ? await sessionUser(store, token, now()) : null;
    if (user && token) {
      c.set("user", user);
      c.set("authVia", "session");
      c.set("sessionToken", token);
      c.set("csrfToken", csrfTokenFor(token));
      return next();
    }
    if (token) deleteCookie(c, SESSION_COOKIE, { path: "/" });
    let anon = getCookie(c, ANON_COOKIE);
    if (!anon || anon.length < 32) {
      anon = newSecret();
      setCookie(c, ANON_COOKIE, anon, { path: "/", httpOnly: true, sameSite: "Lax", secure: secure(c) });
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
    secure: secure(c),
    expires: new Date(expiresAt),
  });
}

export function endSession(c: AppContext): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secure(c) });
}
