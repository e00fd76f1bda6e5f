import { AppError, type Role, roleAtLeast } from "@safecity/core";
import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "./env.ts";

/** Paths anyone may reach without signing in. */
export function isPublicPath(path: string): boolean {
  return path === "/login" || path === "/login/oidc" || path === "/login/oidc/callback" || path === "/healthz" || path.startsWith("/assets/");
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

/** A `next` parameter made safe: only a local absolute path, never `//host` or a scheme. */
export function safeNext(next: string | undefined | null): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
