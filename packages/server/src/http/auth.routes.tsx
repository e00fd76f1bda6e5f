import { isAppError } from "@safecity/core";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { signIn, signInExternal, signOut } from "../services/auth.service.ts";
import { ThrottledError } from "../services/login-throttle.ts";
import type { OidcPending } from "../services/oidc.service.ts";
import { countUsers } from "../services/user.service.ts";
import { CodeBlock, ErrorSummary, type FieldError } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { safeNext } from "./require-role.ts";
import { endSession, startSession } from "./session.ts";

export const FIRST_ADMIN_COMMAND = "npx safecity user add --admin --email you@council.gov.uk --name 'Your Name'";

const OIDC_COOKIE = "safecity_oidc";

async function loginPage(c: AppContext, opts: { email?: string; next: string; errors?: FieldError[]; status?: 200 | 401 | 429 | 502 }) {
  const errors = opts.errors ?? [];
  const noUsers = (await countUsers(c.var.deps.store)) === 0;
  return page(
    c,
    "Sign in",
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 class="govuk-heading-l">Sign in to Safe City</h1>
        {noUsers ? (
          <section class="govuk-notification-banner" aria-labelledby="first-run-title" data-testid="first-run">
            <div class="govuk-notification-banner__header">
              <h2 class="govuk-notification-banner__title" id="first-run-title">
                First run
              </h2>
            </div>
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading">No accounts yet.</p>
              {c.var.deps.setup?.available ? (
                <p class="govuk-body">
                  <a class="govuk-notification-banner__link" href="/setup">
                    Create the first administrator
                  </a>{" "}
                  with the setup code that <code>npm start</code> printed on the server's console, or on the server with:
                </p>
              ) : (
                <p class="govuk-body">Create the first administrator with:</p>
              )}
              <CodeBlock>{FIRST_ADMIN_COMMAND}</CodeBlock>
              <p class="govuk-body">It prints a password; sign in with it here.</p>
            </div>
          </section>
        ) : null}
        <form method="post" action="/login" novalidate>
          <CsrfField token={c.var.csrfToken} />
          <input type="hidden" name="next" value={opts.next} />
          <div class={`govuk-form-group${errors.length ? " govuk-form-group--error" : ""}`}>
            <label class="govuk-label" for="email">
              Email address
            </label>
            {errors[0] ? (
              <p class="govuk-error-message" id="email-error">
                <span class="govuk-visually-hidden">Error:</span> {errors[0].message}
              </p>
            ) : null}
            <input
              class={`govuk-input${errors.length ? " govuk-input--error" : ""}`}
              id="email"
              name="email"
              type="email"
              autocomplete="username"
              spellcheck={false}
              value={opts.email ?? ""}
              aria-describedby={errors.length ? "email-error" : undefined}
            />
          </div>
          <div class="govuk-form-group">
            <label class="govuk-label" for="password">
              Password
            </label>
            <input class="govuk-input" id="password" name="password" type="password" autocomplete="current-password" />
          </div>
          <button type="submit" class="govuk-button" data-module="govuk-button">
            Sign in
          </button>
        </form>
        {c.var.deps.oidc ? (
          <>
            <p class="govuk-body">or</p>
            <a
              href={`/login/oidc${opts.next === "/" ? "" : `?next=${encodeURIComponent(opts.next)}`}`}
              draggable="false"
              class="govuk-button govuk-button--secondary"
              data-module="govuk-button"
              data-testid="oidc-sign-in"
            >
              {c.var.deps.oidc.settings.label}
            </a>
          </>
        ) : null}
      </div>
    </div>,
    { status: opts.status ?? 200, hasError: errors.length > 0 },
  );
}

/** GET /login, POST /login, POST /logout. */
export function authRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/login", async (c) => {
    if (c.var.user) return c.redirect(safeNext(c.req.query("next")), 303);
    return loginPage(c, { next: safeNext(c.req.query("next")) });
  });

  app.post("/login", async (c) => {
    const body = await c.req.parseBody();
    const email = String(body.email ?? "");
    const password = String(body.password ?? "");
    const next = safeNext(String(body.next ?? "/"));
    const { store, now, throttle, sessionTtlMs, sessionIdleMs, clientIp } = c.var.deps;
    try {
      const client = { ip: clientIp(c), userAgent: c.req.header("user-agent") ?? null };
      const session = await signIn(store, { email, password, ...client }, { now: now(), throttle, sessionTtlMs, sessionIdleMs });
      startSession(c, session.token, session.expiresAt);
      return c.redirect(next, 303);
    } catch (e) {
      if (e instanceof ThrottledError) c.header("Retry-After", String(e.retryAfterSeconds));
      if (isAppError(e) && (e.code === "auth.invalid_credentials" || e.code === "auth.rate_limited")) {
        return loginPage(c, {
          email,
          next,
          errors: [{ field: "email", message: e.message }],
          status: e.code === "auth.rate_limited" ? 429 : 401,
        });
      }
      throw e;
    }
  });

  app.get("/login/oidc", async (c) => {
    const oidc = c.var.deps.oidc;
    if (!oidc) return c.notFound();
    const redirectUri = oidc.settings.redirectUri ?? `${new URL(c.req.url).origin}/login/oidc/callback`;
    const { url, pending } = await oidc.begin(redirectUri, safeNext(c.req.query("next")));
    setCookie(c, OIDC_COOKIE, Buffer.from(JSON.stringify(pending)).toString("base64url"), {
      path: "/login/oidc",
      httpOnly: true,
      sameSite: "Lax",
      secure: c.var.deps.secureCookies === "auto" ? new URL(c.req.url).protocol === "https:" : c.var.deps.secureCookies,
      maxAge: 600,
    });
    return c.redirect(url, 302);
  });

  app.get("/login/oidc/callback", async (c) => {
    const oidc = c.var.deps.oidc;
    if (!oidc) return c.notFound();
    const raw = getCookie(c, OIDC_COOKIE);
    deleteCookie(c, OIDC_COOKIE, { path: "/login/oidc" });
    let pending: OidcPending | null = null;
    try {
      pending = raw ? (JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as OidcPending) : null;
    } catch {
      pending = null;
    }
    const next = safeNext(pending?.next);
    if (!pending) {
      return loginPage(c, { next, errors: [{ field: "email", message: "Sign-in took too long or was started elsewhere. Try again." }], status: 401 });
    }
    const { store, now, sessionTtlMs, clientIp } = c.var.deps;
    try {
      const who = await oidc.finish(new URL(c.req.url), pending);
      const session = await signInExternal(
        store,
        { email: who.email, ip: clientIp(c), userAgent: c.req.header("user-agent") ?? null, method: "oidc" },
        { now: now(), sessionTtlMs, sessionIdleMs: c.var.deps.sessionIdleMs },
      );
      startSession(c, session.token, session.expiresAt);
      return c.redirect(next, 303);
    } catch (e) {
      if (isAppError(e) && (e.code === "auth.invalid_credentials" || e.code === "auth.oidc_failed")) {
        return loginPage(c, { next, errors: [{ field: "email", message: e.message }], status: e.code === "auth.oidc_failed" ? 502 : 401 });
      }
      throw e;
    }
  });

  app.post("/logout", async (c) => {
    const { user, sessionToken } = c.var;
    if (user && sessionToken) await signOut(c.var.deps.store, sessionToken, user, c.var.deps.clientIp(c), c.var.deps.now());
    endSession(c);
    return c.redirect("/login", 303);
  });

  return app;
}
