import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import type { Actor } from "../services/audit.ts";
import { isDemoLoaded, loadDemo, removeDemo } from "../services/demo.service.ts";
import type { AppContext, AppEnv } from "./env.ts";
import { isApiPath, requireRole } from "./require-role.ts";

/*
 * The demo partnership on the web: the status page offers it on an empty store (admins load it
 * with one button, a POST with the CSRF token) and a button to remove it while it is loaded; every
 * page carries a "Demo data" banner while any demo record is in the store (demo-panel.tsx).
 */

function actorOf(c: AppContext): Actor {
  return { label: c.var.user!.email, ip: c.var.deps.clientIp(c) };
}

/** POST /demo and POST /demo/remove (admin): then back to the status page, which says what happened. */
export function demoRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/demo", requireRole("admin"), async (c) => {
    await loadDemo(c.var.deps.store, { actor: actorOf(c), now: c.var.deps.now });
    return c.redirect("/?demo=loaded", 303);
  });
  app.post("/demo/remove", requireRole("admin"), async (c) => {
    await removeDemo(c.var.deps.store, { actor: actorOf(c), now: c.var.deps.now });
    return c.redirect("/?demo=removed", 303);
  });
  return app;
}

/** Sets `c.var.demo` for pages (one cheap query), so the layout can label demo data. */
export function demoLabel(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("demo", !isApiPath(c.req.path) && c.var.user !== null && (await isDemoLoaded(c.var.deps.store)));
    await next();
  };
}
