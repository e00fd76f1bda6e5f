import type { MapTiles } from "../config.ts";
import { isAppError } from "@safecity/core";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { LoginThrottle } from "../services/login-throttle.ts";
import { DEFAULT_REAUTH_MS, DEFAULT_SESSION_IDLE_MS, DEFAULT_SESSION_TTL_MS } from "../services/auth.service.ts";
import { accountRoutes } from "./account.routes.tsx";
import { loadDefaultArea } from "./analysis-kit.tsx";
import { adminRoutes } from "./admin.routes.tsx";
import { apiRoutes } from "./api.routes.ts";
import { assetRoutes } from "./assets.ts";
import { authRoutes } from "./auth.routes.tsx";
import { queryLengthLimit, requestBodyLimit } from "./request-limits.ts";
import { socketIp } from "./client-ip.ts";
import { csrfProtection } from "./csrf.tsx";
import { consultationBodyLimit, consultationRoutes } from "./consultation.routes.tsx";
import { dataRoutes } from "./data.routes.tsx";
import { healthRoutes } from "./health.routes.ts";
import { requestLog } from "./request-log.ts";
import { demoLabel, demoRoutes } from "./demo.routes.tsx";
import { planPublishRoutes } from "./plan-publish.routes.tsx";
import { overviewRoutes } from "./overview.routes.tsx";
import { mapRoutes } from "./map.routes.tsx";
import { peersRoutes } from "./peers.routes.tsx";
import { grantsRoutes } from "./grants.routes.tsx";
import { planConsultationRoutes } from "./plan-consultation.routes.tsx";
import { planPerformanceRoutes } from "./plan-performance.routes.tsx";
import { planProposeRoutes } from "./plan-propose.routes.tsx";
import { planTimelineRoutes } from "./plan-timeline.routes.tsx";
import { planRoutes } from "./plan.routes.tsx";
import { trendsRoutes } from "./trends.routes.tsx";
import { incidentsRoutes } from "./incidents.routes.tsx";
import type { AppContext, AppDeps, AppEnv, ResolvedDeps } from "./env.ts";
import { httpStatusFor } from "./error-status.ts";
import { auditRefusal } from "./refusal-audit.ts";
import { page } from "./render.tsx";
import { isApiPath, requireSignIn } from "./require-role.ts";
import { identify } from "./session.ts";
import { statusRoutes } from "./status.routes.tsx";

/** Content-Security-Policy: our own scripts, styles, images and fonts only; nothing inline. */
export const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/** Strict-Transport-Security when SAFECITY_PUBLIC_URL is https: one year, subdomains included. */
export const HSTS = "max-age=31536000; includeSubDomains";

/** The CSP, letting images come from the configured tile server too (its origin only). */
function cspWithTiles(tiles: MapTiles | null): typeof CSP {
  const origin = tiles && /^https?:\/\//.test(tiles.url) ? new URL(tiles.url.replace(/\{[a-z]\}/g, "0")).origin : null;
  return origin ? { ...CSP, imgSrc: [...CSP.imgSrc, origin] } : CSP;
}

/**
 * The web application. Order: secure headers → request body and query limits → public assets and /healthz → identify the caller
 * (session cookie or API token) → sign-in gate → CSRF check on every state-changing request →
 * route modules (one per resource; each guards its routes with `requireRole`).
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const resolved: ResolvedDeps = {
    store: deps.store,
    tiles: deps.tiles ?? null,
    now: deps.now ?? (() => new Date()),
    throttle: deps.throttle ?? new LoginThrottle(),
    sessionTtlMs: deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    sessionIdleMs: deps.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
    reauthMs: deps.reauthMs ?? DEFAULT_REAUTH_MS,
    publicUrl: deps.publicUrl ?? null,
    setup: deps.setup ?? null,
    secureCookies: deps.secureCookies ?? "auto",
    clientIp: deps.clientIp ?? socketIp,
    oidc: deps.oidc ?? null,
    imports: deps.imports ?? null,
    publishDir: deps.publishDir ?? null,
  };
  const app = new Hono<AppEnv>();

  if (deps.ops?.log) app.use("*", requestLog(deps.ops.log));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: cspWithTiles(resolved.tiles),
      referrerPolicy: "same-origin",
      // HSTS only when the site is served over https (SAFECITY_PUBLIC_URL): over plain http the
      // header would be ignored at best, and pins a host that may never have TLS at worst.
      strictTransportSecurity: resolved.publicUrl?.startsWith("https://") ? HSTS : false,
    }),
  );
  // The public consultation form's own, smaller body limit: 413 before anything reads the body.
  app.use("*", consultationBodyLimit());
  // Before anything reads a body (the CSRF check, forms, JSON): 413 past 1 MB; uploads stream under their own limit.
  // Then 400 for a query parameter over 2,000 characters (the schemas cap each one much lower).
  app.use("*", requestBodyLimit());
  app.use("*", queryLengthLimit());
  app.route("/", assetRoutes() as unknown as Hono<AppEnv>);
  app.route("/", healthRoutes(resolved.store, deps.ops ?? null));

  app.use("*", async (c, next) => {
    c.set("deps", resolved);
    c.header("Cache-Control", "no-store");
    await next();
  });
  app.use("*", identify());
  app.use("*", requireSignIn());
  app.use("*", csrfProtection());
  app.use("*", demoLabel());
  app.use("*", loadDefaultArea());

  app.route("/", authRoutes());
  app.route("/", accountRoutes());
  app.route("/", apiRoutes());
  app.route("/", statusRoutes());
  app.route("/", adminRoutes());
  app.route("/", dataRoutes());
  app.route("/", overviewRoutes());
  app.route("/", trendsRoutes());
  app.route("/", incidentsRoutes());
  app.route("/", mapRoutes());
  app.route("/", peersRoutes());
  app.route("/", planRoutes());
  app.route("/", planPerformanceRoutes());
  app.route("/", planProposeRoutes());
  app.route("/", planTimelineRoutes());
  app.route("/", grantsRoutes());
  app.route("/", consultationRoutes());
  app.route("/", planConsultationRoutes());
  app.route("/", demoRoutes());
  app.route("/", planPublishRoutes());

  app.notFound((c) => {
    if (isApiPath(c.req.path)) return c.json({ error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}` } }, 404);
    if (!c.var.deps) return c.text("Not found", 404);
    return page(c as AppContext, "Page not found", <NotFound />, { status: 404 });
  });

  app.onError(async (err, c) => {
    const ctx = c as AppContext;
    if (isAppError(err)) {
      const status = httpStatusFor(err.code);
      if (status === 403) await auditRefusal(ctx, err);
      if (isApiPath(c.req.path) || !ctx.var.deps) {
        return c.json({ error: { code: err.code, message: err.message, hint: err.hint, problems: err.problems } }, status);
      }
      return page(ctx, status === 403 ? "Forbidden" : "There is a problem", <ProblemPage message={err.message} hint={err.hint} />, { status });
    }
    // With a request log the error is logged there, with its request id.
    if (!deps.ops?.log) console.error(err);
    if (isApiPath(c.req.path) || !ctx.var.deps) return c.json({ error: { code: "internal", message: "Internal error" } }, 500);
    return page(ctx, "Sorry, there is a problem with the service", <ProblemPage message="Something went wrong. Try again later." />, {
      status: 500,
    });
  });

  return app;
}

function NotFound() {
  return (
    <>
      <h1 class="govuk-heading-l">Page not found</h1>
      <p class="govuk-body">If you typed the web address, check it is correct.</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          Go to the status page
        </a>
      </p>
    </>
  );
}

function ProblemPage(props: { message: string; hint?: string | undefined }) {
  return (
    <>
      <h1 class="govuk-heading-l">There is a problem</h1>
      <p class="govuk-body app-wrap-anywhere" data-testid="problem">
        {props.message}
      </p>
      {props.hint ? <p class="govuk-body">{props.hint}</p> : null}
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          Go to the status page
        </a>
      </p>
    </>
  );
}
