import { AppError, type Role, roleAtLeast } from "@safecity/core";
import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "./env.ts";

/** Paths anyone may reach without signing in. */
export function isPublicPath(path: string): boolean {
  if (path === "/setup" || path.startsWith("/reset/")) return true; // first-run setup, password reset links (account.routes.tsx)
  return path === "/login" || path === "/login/oidc" || path === "/login/oidc/callback" || path === "/healthz" || path.startsWith("/assets/") || isConsultationPath(path);
}

/** The public consultation (consultation.routes.tsx): the list `/consult` and one plan's page and form `/consult/<id>`; nothing below them. */
export function isConsultationPath(path: string): boolean {
  return path === "/consult" || /^\/consult\/[1-9][0-9]{0,9}$/.test(path);
}

export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** Where to send someone who must sign in: `/login?next=<this page>`. */
export function loginRedirect(c: AppContext): Response {
  const url = new URL(c.req.url);
  const next = c.req.method === "GET" ? `${url.pathname}${url.search}` : "/";
  return c.redirect(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`, 303);
}

/** Everything but public paths needs a signed-in user: pages redirect to /login, /api/… answers 401 JSON. */
export function requireSignIn(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path) || c.var.user) return next();
    if (isApiPath(c.req.path)) throw new AppError("auth.required", "Sign in or send `Authorization: Bearer <API token>`");
    return loginRedirect(c);
  };
}

/** Route guard: `app.get("/admin", requireRole("admin"), handler)`. admin > analyst > editor > viewer. */
export function requireRole(minimum: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.var.user;
    if (!user) {
      if (isApiPath(c.req.path)) throw new AppError("auth.required", "Sign in or send `Authorization: Bearer <API token>`");
      return loginRedirect(c);
    }
    if (!roleAtLeast(user.role, minimum)) {
      throw new AppError("auth.forbidden", `This page needs the ${minimum} role or above; you are signed in as ${user.role}.`);
    }
    return next();
  };
}

/** Stands for this app's origin when a `next` is resolved (never contacted). */
const SELF = "http://safecity.invalid";

/**
 * A `next` parameter made safe: a path on this site, or `/`. Refused: anything not starting with
 * one `/`, control characters (a tab or newline browsers strip, turning `/\t/evil.example` into
 * `//evil.example`), backslashes (read as `/`), other whitespace, over 2,000 characters, and
 * anything the URL parser resolves to another origin. What is kept is the parsed path, query and
 * fragment, so the browser sees exactly what was checked.
 */
export function safeNext(next: string | undefined | null): string {
  if (typeof next !== "string" || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//")) return "/";
  if (/[\u0000-\u0020\u007f-\u009f\\\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, SELF);
  } catch {
    return "/";
  }
  if (url.origin !== SELF || url.username || url.password) return "/";
  const local = `${url.pathname}${url.search}${url.hash}`;
  return local.startsWith("/") && !local.startsWith("//") ? local : "/";
}
