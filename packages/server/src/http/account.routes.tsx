import { AppError, isAppError } from "@safecity/core";
import { Hono, type MiddlewareHandler } from "hono";
import { raw as html } from "hono/html";
import {
  type ApiToken,
  changePassword,
  endAllMySessions,
  endMySession,
  myTokens,
  mySessions,
  resetLinkUser,
  resetPassword,
  revokeToken,
  type SessionInfo,
  setupFirstAdmin,
} from "../services/account.service.ts";
import type { Actor } from "../services/audit.ts";
import { confirmPassword, openSession } from "../services/auth.service.ts";
import { ThrottledError } from "../services/login-throttle.ts";
import { countUsers, createApiToken, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "../services/user.service.ts";
import { clearDefaultArea, defaultAreaOf, setDefaultArea } from "../services/default-area.service.ts";
import { cachedAreaChoices } from "./analysis-kit.tsx";
import { inWebWords } from "./web-words.ts";
import { ErrorSummary, type FieldError, Notice, ScrollTable, when } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { safeNext } from "./require-role.ts";
import { endSession, startSession } from "./session.ts";

const NOTICES: Record<string, string> = {
  password: "Your password has been changed. Your other sessions have been signed out.",
  session: "That session has been signed out.",
  token: "The API token has been revoked. Scripts using it will be refused from now on.",
  "default-area": "Your default area has been saved. The Overview, Trends, Peers and Map pages open on it.",
  "default-area-removed": "Your default area has been removed. The analysis pages open on the area form.",
};

function actorOf(c: AppContext): Actor {
  return { label: c.var.user!.email, ip: c.var.deps.clientIp(c) };
}

function errorsOf(e: AppError, fallback: string): FieldError[] {
  return e.problems.length ? e.problems.map((p) => ({ field: p.field ?? fallback, message: p.message })) : [{ field: fallback, message: e.message }];
}

async function form(c: AppContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

/** A labelled GOV.UK input with its error message. */
function Field(props: {
  id: string;
  label: string;
  errors: FieldError[];
  type?: string;
  autocomplete?: string;
  value?: string;
  hint?: string;
  width?: string;
}) {
  const err = props.errors.find((e) => e.field === props.id);
  const describedBy = [props.hint ? `${props.id}-hint` : "", err ? `${props.id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`govuk-form-group${err ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label" for={props.id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="govuk-hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {err ? (
        <p class="govuk-error-message" id={`${props.id}-error`}>
          <span class="govuk-visually-hidden">Error:</span> {err.message}
        </p>
      ) : null}
      <input
        class={`govuk-input${props.width ? ` ${props.width}` : ""}${err ? " govuk-input--error" : ""}`}
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        autocomplete={props.autocomplete}
        spellcheck={props.type === "email" || props.type === "password" ? false : undefined}
        value={props.type === "password" ? undefined : (props.value ?? "")}
        aria-describedby={describedBy}
      />
    </div>
  );
}

const PASSWORD_HINT = "At least 12 characters. Three random words work well. Common passwords are refused.";

/** "Firefox on Linux"-style summary of a User-Agent, enough to tell sessions apart. */
function browserOf(ua: string | null): string {
  if (!ua) return "Unknown browser";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Other";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X|Macintosh/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

function SessionsTable(props: { sessions: SessionInfo[]; current: string | null; csrf: string }) {
  return (
    <ScrollTable label="Your sessions">
      <table class="govuk-table" data-testid="sessions">
        <caption class="govuk-table__caption govuk-table__caption--m">Where you are signed in</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Browser</th>
            <th scope="col" class="govuk-table__header">Address</th>
            <th scope="col" class="govuk-table__header">Signed in</th>
            <th scope="col" class="govuk-table__header">Last active</th>
            <th scope="col" class="govuk-table__header">
              Sign out
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.sessions.map((s, i) => (
            <tr class="govuk-table__row" data-testid="session-row">
              <td class="govuk-table__cell app-wrap-anywhere">{browserOf(s.userAgent)}</td>
              <td class="govuk-table__cell">{s.ip ?? "unknown"}</td>
              <td class="govuk-table__cell">{when(s.createdAt)}</td>
              <td class="govuk-table__cell">{when(s.lastSeenAt)}</td>
              <td class="govuk-table__cell">
                {s.id === props.current ? (
                  <strong class="govuk-tag" data-testid="this-session">
                    This session
                  </strong>
                ) : (
                  <form method="post" action={`/account/sessions/${s.id}/end`}>
                    <CsrfField token={props.csrf} />
                    {/* aria-label, not a visually hidden span: an absolutely positioned span inside the scrolling table widens the page at 320 px */}
                    <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" aria-label={`Sign out session ${i + 1} (${browserOf(s.userAgent)})`}>
                      Sign out
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function tokenStatus(t: ApiToken, now: Date): string {
  if (t.revokedAt) return `Revoked ${when(t.revokedAt)}`;
  if (t.expiresAt && t.expiresAt <= now.toISOString()) return "Expired";
  return "Active";
}

function TokensTable(props: { tokens: ApiToken[]; csrf: string; now: Date }) {
  if (!props.tokens.length) return <p class="govuk-body">You have no API tokens.</p>;
  return (
    <ScrollTable label="Your API tokens">
      <table class="govuk-table" data-testid="tokens">
        <caption class="govuk-visually-hidden">Your API tokens</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Id and name</th>
            <th scope="col" class="govuk-table__header">Scope</th>
            <th scope="col" class="govuk-table__header">Created</th>
            <th scope="col" class="govuk-table__header">Last used</th>
            <th scope="col" class="govuk-table__header">Expires</th>
            <th scope="col" class="govuk-table__header">Status</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.tokens.map((t) => {
            const status = tokenStatus(t, props.now);
            return (
              <tr class="govuk-table__row" data-testid="token-row" data-token-id={String(t.id)}>
                <td class="govuk-table__cell app-wrap-anywhere">
                  {t.id}: {t.name}
                </td>
                <td class="govuk-table__cell">{t.scope === "write" ? "Read and write" : "Read only"}</td>
                <td class="govuk-table__cell">{when(t.createdAt)}</td>
                <td class="govuk-table__cell">{t.lastUsedAt ? when(t.lastUsedAt) : "Never"}</td>
                <td class="govuk-table__cell">{when(t.expiresAt)}</td>
                <td class="govuk-table__cell">
                  <p class="govuk-body-s">{status}</p>
                  {status === "Active" ? (
                    <form method="post" action={`/account/tokens/${t.id}/revoke`}>
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" aria-label={`Revoke token ${t.id}`}>
                        Revoke
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );
}

interface AccountPageOpts {
  passwordErrors?: FieldError[];
  tokenErrors?: FieldError[];
  tokenValues?: Record<string, string>;
  created?: { token: string; id: number; scope: string; expiresAt: string };
  defaultAreaErrors?: FieldError[];
  defaultAreaValue?: string;
  status?: 200 | 400;
}

async function accountPage(c: AppContext, opts: AccountPageOpts = {}) {
  const { store, now, sessionIdleMs } = c.var.deps;
  const user = c.var.user!;
  const [sessions, tokens, defaultArea] = await Promise.all([mySessions(store, user, now(), sessionIdleMs), myTokens(store, user), defaultAreaOf(store, user.id)]);
  const areaErrors = opts.defaultAreaErrors ?? [];
  const current = c.var.session?.id ?? null;
  const pwErrors = opts.passwordErrors ?? [];
  const tokErrors = opts.tokenErrors ?? [];
  const tv = opts.tokenValues ?? {};
  const scope = tv.scope === "write" ? "write" : "read";
  return page(
    c,
    "Your account",
    <>
      <ErrorSummary errors={[...areaErrors, ...pwErrors, ...tokErrors]} />
      <h1 class="govuk-heading-l">Your account</h1>
      <Notice text={NOTICES[c.req.query("done") ?? ""]} />
      <dl class="govuk-summary-list" data-testid="account-details">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Name</dt>
          <dd class="govuk-summary-list__value app-wrap-anywhere">{user.name}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Email</dt>
          <dd class="govuk-summary-list__value app-wrap-anywhere">{user.email}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Role</dt>
          <dd class="govuk-summary-list__value">{user.role}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Organisation</dt>
          <dd class="govuk-summary-list__value app-wrap-anywhere">{user.organisation?.name ?? "None"}</dd>
        </div>
      </dl>

      <h2 class="govuk-heading-m" id="default-area">
        Your default area
      </h2>
      <p class="govuk-body" data-testid="default-area-current">
        {defaultArea ? (
          <>
            The Overview, Trends, Peers and Map pages open on <strong>{defaultArea.area}</strong> when no area is chosen.
          </>
        ) : (
          "You have no default area: the Overview, Trends, Peers and Map pages open on the area form."
        )}
      </p>
      <form method="post" action="/account/default-area" novalidate aria-labelledby="default-area">
        <CsrfField token={c.var.csrfToken} />
        <div class={`govuk-form-group${areaErrors.length ? " govuk-form-group--error" : ""}`}>
          <label class="govuk-label" for="default-area-input">
            Community Safety Partnership or local authority
          </label>
          <div class="govuk-hint" id="default-area-hint">
            For example csp:Southampton, lad:Eastleigh or a code such as E06000045
          </div>
          {areaErrors.length ? (
            <p class="govuk-error-message" id="default-area-error">
              <span class="govuk-visually-hidden">Error:</span> {areaErrors[0]!.message}
            </p>
          ) : null}
          <input
            class={`govuk-input govuk-!-width-two-thirds${areaErrors.length ? " govuk-input--error" : ""}`}
            id="default-area-input"
            name="area"
            type="text"
            list="area-choices"
            autocomplete="off"
            spellcheck={false}
            value={opts.defaultAreaValue ?? defaultArea?.area ?? ""}
            aria-describedby={`default-area-hint${areaErrors.length ? " default-area-error" : ""}`}
          />
        </div>
        {html(await cachedAreaChoices(c))}
        <button type="submit" class="govuk-button" data-module="govuk-button">
          Save default area
        </button>
      </form>
      {defaultArea ? (
        <form method="post" action="/account/default-area/remove">
          <CsrfField token={c.var.csrfToken} />
          <button type="submit" class="govuk-button govuk-button--secondary" data-testid="remove-default-area">
            Remove default area
          </button>
        </form>
      ) : null}

      <h2 class="govuk-heading-m" id="password-heading">
        Change your password
      </h2>
      <form method="post" action="/account/password" novalidate aria-labelledby="password-heading">
        <CsrfField token={c.var.csrfToken} />
        <Field id="current" label="Current password" type="password" autocomplete="current-password" errors={pwErrors} />
        <Field id="password" label="New password" type="password" autocomplete="new-password" errors={pwErrors} hint={PASSWORD_HINT} />
        <Field id="confirm" label="New password again" type="password" autocomplete="new-password" errors={pwErrors} />
        <button type="submit" class="govuk-button" data-module="govuk-button">
          Change password
        </button>
      </form>

      <h2 class="govuk-heading-m">Sessions</h2>
      <p class="govuk-body">
        A session ends after {Math.round(c.var.deps.sessionIdleMs / 60_000)} minutes without activity, or {Math.round(c.var.deps.sessionTtlMs / 3_600_000)} hours
        after signing in.
      </p>
      <SessionsTable sessions={sessions} current={current} csrf={c.var.csrfToken} />
      <form method="post" action="/account/sessions/end-all">
        <CsrfField token={c.var.csrfToken} />
        <button type="submit" class="govuk-button govuk-button--warning" data-testid="sign-out-everywhere">
          Sign out everywhere
        </button>
      </form>

      <h2 class="govuk-heading-m">API tokens</h2>
      <p class="govuk-body">
        Scripts send a token as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/…</code>. A read-only token can only read; a token expires after the days
        you choose (at most {MAX_TOKEN_DAYS}).
      </p>
      {opts.created ? (
        <div class="govuk-panel govuk-panel--confirmation" data-testid="token-created">
          <h3 class="govuk-panel__title">Token {opts.created.id} created</h3>
          <div class="govuk-panel__body app-wrap-anywhere">
            <code data-testid="new-token">{opts.created.token}</code>
          </div>
        </div>
      ) : null}
      {opts.created ? (
        <p class="govuk-body">
          Copy it now: it is not stored and will not be shown again. {opts.created.scope === "write" ? "It can read and change data" : "It can only read"}, until{" "}
          {when(opts.created.expiresAt)}.
        </p>
      ) : null}
      <TokensTable tokens={tokens} csrf={c.var.csrfToken} now={now()} />
      <form method="post" action="/account/tokens" novalidate>
        <CsrfField token={c.var.csrfToken} />
        <h3 class="govuk-heading-s">Create an API token</h3>
        <Field id="name" label="What it is for" errors={tokErrors} value={tv.name ?? ""} width="govuk-!-width-two-thirds" />
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Scope</legend>
            <div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
              <div class="govuk-radios__item">
                <input class="govuk-radios__input" id="scope" name="scope" type="radio" value="read" checked={scope === "read"} />
                <label class="govuk-label govuk-radios__label" for="scope">
                  Read only
                </label>
              </div>
              <div class="govuk-radios__item">
                <input class="govuk-radios__input" id="scope-write" name="scope" type="radio" value="write" checked={scope === "write"} />
                <label class="govuk-label govuk-radios__label" for="scope-write">
                  Read and write
                </label>
              </div>
            </div>
          </fieldset>
        </div>
        <Field
          id="expiresInDays"
          label="Days until it expires"
          errors={tokErrors}
          value={tv.expiresInDays ?? String(DEFAULT_TOKEN_DAYS)}
          width="govuk-input--width-4"
          hint={`1 to ${MAX_TOKEN_DAYS}`}
        />
        <button type="submit" class="govuk-button govuk-button--secondary">
          Create token
        </button>
      </form>
    </>,
    { status: opts.status ?? 200, hasError: areaErrors.length + pwErrors.length + tokErrors.length > 0 },
  );
}

/**
 * Admin pages and actions need a recent password check (`reauthMs`, default 15 minutes): signing in
 * counts, and /account/confirm renews it. Otherwise a page is sent to confirm and come back; a
 * form post is not carried out (the admin repeats it after confirming).
 */
export function requireRecentAuth(afterPost: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const s = c.var.session;
    if (c.var.authVia !== "session" || !s) return next();
    if (Date.parse(s.authenticatedAt) > c.var.deps.now().getTime() - c.var.deps.reauthMs) return next();
    const back = c.req.method === "GET" ? `${c.req.path}${new URL(c.req.url).search}` : afterPost;
    return c.redirect(`/account/confirm?next=${encodeURIComponent(safeNext(back))}`, 303);
  };
}

function confirmPage(c: AppContext, next: string, errors: FieldError[] = [], status: 200 | 401 | 429 = 200) {
  const oidc = c.var.deps.oidc;
  return page(
    c,
    "Confirm it is you",
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 class="govuk-heading-l">Confirm it is you</h1>
        <p class="govuk-body">Managing users needs your password entered in the last {Math.round(c.var.deps.reauthMs / 60_000)} minutes.</p>
        <form method="post" action="/account/confirm" novalidate>
          <CsrfField token={c.var.csrfToken} />
          <input type="hidden" name="next" value={next} />
          <Field id="password" label="Your password" type="password" autocomplete="current-password" errors={errors} />
          <button type="submit" class="govuk-button">
            Continue
          </button>
        </form>
        {oidc ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/login/oidc?next=${encodeURIComponent(next)}`}>
              Or sign in again with {oidc.settings.label}
            </a>
          </p>
        ) : null}
      </div>
    </div>,
    { status, hasError: errors.length > 0 },
  );
}

function setupPage(c: AppContext, values: Record<string, string> = {}, errors: FieldError[] = [], status: 200 | 400 | 409 = 200) {
  return page(
    c,
    "Set up Safe City",
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 class="govuk-heading-l">Set up Safe City</h1>
        <p class="govuk-body">
          Create the first administrator. You need the setup code that <code>npm start</code> printed on the server's console; it works once.
        </p>
        <form method="post" action="/setup" novalidate>
          <CsrfField token={c.var.csrfToken} />
          <Field id="code" label="Setup code" errors={errors} autocomplete="off" value={values.code ?? ""} hint="For example ABCDE-FGHJK-LMNPQ" width="govuk-input--width-20" />
          <Field id="name" label="Your full name" errors={errors} autocomplete="name" value={values.name ?? ""} />
          <Field id="email" label="Your email address" type="email" errors={errors} autocomplete="username" value={values.email ?? ""} />
          <Field id="organisation" label="Your organisation (optional)" errors={errors} autocomplete="organization" value={values.organisation ?? ""} />
          <Field id="password" label="Choose a password" type="password" autocomplete="new-password" errors={errors} hint={PASSWORD_HINT} />
          <Field id="confirm" label="The password again" type="password" autocomplete="new-password" errors={errors} />
          <button type="submit" class="govuk-button">
            Create administrator
          </button>
        </form>
      </div>
    </div>,
    { status, hasError: errors.length > 0 },
  );
}

function noSetupPage(c: AppContext) {
  return page(
    c,
    "Safe City is already set up",
    <>
      <h1 class="govuk-heading-l">Safe City is already set up</h1>
      <p class="govuk-body">
        <a class="govuk-link" href="/login">
          Sign in
        </a>
        , or ask an administrator for an account.
      </p>
    </>,
    { status: 404 },
  );
}

function resetPage(c: AppContext, secret: string, email: string, errors: FieldError[] = [], status: 200 | 400 = 200) {
  return page(
    c,
    "Choose a new password",
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 class="govuk-heading-l">Choose a new password</h1>
        <p class="govuk-body app-wrap-anywhere">For {email}. This link works once.</p>
        <form method="post" action={`/reset/${secret}`} novalidate>
          <CsrfField token={c.var.csrfToken} />
          <Field id="password" label="New password" type="password" autocomplete="new-password" errors={errors} hint={PASSWORD_HINT} />
          <Field id="confirm" label="New password again" type="password" autocomplete="new-password" errors={errors} />
          <button type="submit" class="govuk-button">
            Set password
          </button>
        </form>
      </div>
    </div>,
    { status, hasError: errors.length > 0 },
  );
}

function deadLinkPage(c: AppContext) {
  return page(
    c,
    "This link does not work",
    <>
      <h1 class="govuk-heading-l">This link does not work</h1>
      <p class="govuk-body" data-testid="problem">
        The password reset link has expired, has already been used, or was replaced by a newer one. Ask an administrator for a new link.
      </p>
    </>,
    { status: 404 },
  );
}

/** /account (password, sessions, API tokens), /account/confirm (re-authentication), /setup (first run), /reset/:secret. */
export function accountRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/account", (c) => accountPage(c));

  app.post("/account/password", async (c) => {
    const f = await form(c);
    const { store, now, clientIp } = c.var.deps;
    try {
      await changePassword(
        store,
        c.var.user!,
        { current: f.current ?? "", password: f.password ?? "", confirm: f.confirm ?? "" },
        { now: now(), ip: clientIp(c), keepSessionHash: c.var.session?.id ?? null },
      );
      return c.redirect("/account?done=password", 303);
    } catch (e) {
      if (isAppError(e) && e.code === "input.invalid") return accountPage(c, { passwordErrors: errorsOf(e, "current"), status: 400 });
      throw e;
    }
  });

  // The default area (issue 12 item 6): from this page or an analysis page's "Make this my default
  // area" (which sends `next`, the page to return to). An area the services cannot resolve to one
  // CSP or local authority is shown on this page's form, in the web's words, and nothing is saved.
  app.post("/account/default-area", async (c) => {
    const f = await form(c);
    const area = (f.area ?? "").slice(0, 1000);
    try {
      await setDefaultArea(c.var.deps.store, c.var.user!, area, actorOf(c), c.var.deps.now());
    } catch (e) {
      if (isAppError(e) && (e.code === "input.invalid" || e.code === "area.not_found" || e.code === "area.ambiguous")) {
        const text = inWebWords(e.hint ? `${e.message}: ${e.hint}` : e.message);
        return accountPage(c, { defaultAreaErrors: [{ field: "default-area-input", message: text }], defaultAreaValue: area.slice(0, 200), status: 400 });
      }
      throw e;
    }
    return c.redirect(f.next ? safeNext(f.next) : "/account?done=default-area", 303);
  });

  app.post("/account/default-area/remove", async (c) => {
    await clearDefaultArea(c.var.deps.store, c.var.user!, actorOf(c), c.var.deps.now());
    return c.redirect("/account?done=default-area-removed", 303);
  });

  app.post("/account/sessions/end-all", async (c) => {
    await endAllMySessions(c.var.deps.store, c.var.user!, actorOf(c), c.var.deps.now());
    endSession(c);
    return c.redirect("/login", 303);
  });

  app.post("/account/sessions/:id/end", async (c) => {
    await endMySession(c.var.deps.store, c.var.user!, c.req.param("id"), actorOf(c), c.var.deps.now());
    return c.redirect("/account?done=session", 303);
  });

  app.post("/account/tokens", async (c) => {
    const f = await form(c);
    const days = (f.expiresInDays ?? "").trim();
    try {
      const r = await createApiToken(c.var.deps.store, c.var.user!.email, f.name ?? "", actorOf(c), c.var.deps.now(), {
        scope: f.scope ?? "read",
        expiresInDays: /^\d{1,4}$/.test(days) ? Number(days) : days ? Number.NaN : null,
      });
      return accountPage(c, { created: { token: r.token, id: r.id, scope: r.scope, expiresAt: r.expiresAt } });
    } catch (e) {
      if (isAppError(e) && e.code === "input.invalid") {
        return accountPage(c, { tokenErrors: errorsOf(e, "name"), tokenValues: f, status: 400 });
      }
      throw e;
    }
  });

  app.post("/account/tokens/:id/revoke", async (c) => {
    await revokeToken(c.var.deps.store, Number(c.req.param("id")), c.var.user!, actorOf(c), c.var.deps.now());
    return c.redirect("/account?done=token", 303);
  });

  app.get("/account/confirm", (c) => confirmPage(c, safeNext(c.req.query("next"))));

  app.post("/account/confirm", async (c) => {
    const f = await form(c);
    const next = safeNext(f.next);
    const { store, now, throttle, clientIp } = c.var.deps;
    if (c.var.authVia !== "session" || !c.var.sessionToken) throw new AppError("auth.required", "Sign in first.");
    try {
      await confirmPassword(store, c.var.user!, c.var.sessionToken, f.password ?? "", { now: now(), throttle, ip: clientIp(c) });
      return c.redirect(next, 303);
    } catch (e) {
      if (e instanceof ThrottledError) c.header("Retry-After", String(e.retryAfterSeconds));
      if (isAppError(e) && (e.code === "auth.invalid_credentials" || e.code === "auth.rate_limited")) {
        return confirmPage(c, next, [{ field: "password", message: e.message }], e.code === "auth.rate_limited" ? 429 : 401);
      }
      throw e;
    }
  });

  app.get("/setup", async (c) => {
    const setup = c.var.deps.setup;
    if (!setup?.available || (await countUsers(c.var.deps.store)) > 0) return noSetupPage(c);
    return setupPage(c);
  });

  app.post("/setup", async (c) => {
    const f = await form(c);
    const { store, now, clientIp, setup, sessionTtlMs, sessionIdleMs } = c.var.deps;
    if (!setup?.available || (await countUsers(store)) > 0) return noSetupPage(c);
    const values = { code: f.code ?? "", email: f.email ?? "", name: f.name ?? "", organisation: f.organisation ?? "" };
    try {
      const user = await setupFirstAdmin(store, setup, { ...values, password: f.password ?? "", confirm: f.confirm ?? "" }, { now: now(), ip: clientIp(c) });
      const session = await openSession(store, user, { ip: clientIp(c), userAgent: c.req.header("user-agent") ?? null }, "setup", {
        now: now(),
        sessionTtlMs,
        sessionIdleMs,
      });
      startSession(c, session.token, session.expiresAt);
      return c.redirect("/account", 303);
    } catch (e) {
      if (isAppError(e) && (e.code === "input.invalid" || e.code === "user.exists")) {
        return setupPage(c, { ...values, code: "" }, errorsOf(e, "email"), 400);
      }
      throw e;
    }
  });

  app.get("/reset/:secret", async (c) => {
    const secret = c.req.param("secret");
    const user = await resetLinkUser(c.var.deps.store, secret, c.var.deps.now());
    if (!user) return deadLinkPage(c);
    return resetPage(c, secret, user.email);
  });

  app.post("/reset/:secret", async (c) => {
    const secret = c.req.param("secret");
    const f = await form(c);
    const { store, now, clientIp } = c.var.deps;
    const user = await resetLinkUser(store, secret, now());
    if (!user) return deadLinkPage(c);
    try {
      await resetPassword(store, secret, { password: f.password ?? "", confirm: f.confirm ?? "" }, { now: now(), ip: clientIp(c) });
    } catch (e) {
      if (isAppError(e) && e.code === "input.invalid") return resetPage(c, secret, user.email, errorsOf(e, "password"), 400);
      if (isAppError(e) && e.code === "auth.invalid_credentials") return deadLinkPage(c);
      throw e;
    }
    // Whoever was signed in in this browser is signed out: the next sign-in is with the new password.
    if (c.var.sessionToken) endSession(c);
    return page(
      c,
      "Password set",
      <>
        <div class="govuk-panel govuk-panel--confirmation" data-testid="reset-done">
          <h1 class="govuk-panel__title">Password set</h1>
        </div>
        <p class="govuk-body">
          <a class="govuk-link" href="/login">
            Sign in with your new password
          </a>
        </p>
      </>,
    );
  });

  return app;
}

/** The one-time reset link for an administrator to pass on: on the public URL when configured. */
export function resetLink(c: AppContext, secret: string): string {
  return `${c.var.deps.publicUrl ?? new URL(c.req.url).origin}/reset/${secret}`;
}

