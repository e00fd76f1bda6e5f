import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type ApiToken, findApiTokenUser } from "../db/repositories/api-token.repository.ts";
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionUser,
  insertSession,
  markSessionAuthenticated,
  type SessionInfo,
} from "../db/repositories/session.repository.ts";
import { findCredentials, findUserByEmail, type User } from "../db/repositories/user.repository.ts";
import { type Actor, audit } from "./audit.ts";
import { type LoginThrottle, ThrottledError, waitText } from "./login-throttle.ts";
import { verifyDummy, verifyPassword } from "./password.ts";
import { hashSecret, newSecret } from "./secret.ts";

/** Sessions last 12 hours from sign-in (default)… */
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60_000;
/** …and end after 30 minutes without a request (default). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** Admin actions need the password entered within the last 15 minutes (default). */
export const DEFAULT_REAUTH_MS = 15 * 60_000;

export interface SessionTimes {
  sessionTtlMs?: number;
  sessionIdleMs?: number;
}

export interface SignIn {
  email: string;
  password: string;
  ip: string | null;
  userAgent?: string | null;
}

/**
 * Checks the password and opens a session. Returns the session token (for the cookie; only its
 * hash is stored). Every outcome is audited. Throws `ThrottledError` (`auth.rate_limited`, with
 * the seconds to wait) while the persistent throttle asks this account or client to wait,
 * `auth.invalid_credentials` otherwise (same message whether the account is unknown, disabled or
 * the password wrong).
 */
export async function signIn(
  store: Store,
  input: SignIn,
  opts: { now: Date; throttle: LoginThrottle } & SessionTimes,
): Promise<{ user: User; token: string; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const actor: Actor = { label: email || "(blank)", ip: input.ip };
  const verdict = await opts.throttle.check(store, email, input.ip, opts.now);
  if (verdict.retryAfterSeconds > 0) {
    await audit(store, actor, opts.now, "auth.login_throttled", email, { after: { retryAfterSeconds: verdict.retryAfterSeconds, limit: verdict.scope } });
    const why = verdict.scope === "global" ? "Too many failed sign-in attempts on Safe City in the last minute" : "Too many failed sign-in attempts";
    throw new ThrottledError(`${why}. Wait ${waitText(verdict.retryAfterSeconds)} and try again; the account is not locked.`, verdict.retryAfterSeconds);
  }
  const found = email ? await findCredentials(store, email) : null;
  let ok = false;
  let reason = "unknown account";
  if (found?.passwordHash) {
    ok = await verifyPassword(found.passwordHash, input.password);
    reason = ok ? "" : "wrong password";
  } else {
    await verifyDummy(input.password);
    if (found) reason = "no password set";
  }
  if (ok && found?.user.disabled) {
    ok = false;
    reason = "account disabled";
  }
  if (!ok || !found) {
    await opts.throttle.fail(store, email, input.ip, opts.now);
    await audit(store, actor, opts.now, "auth.login_failed", email, { after: { reason } });
    throw new AppError("auth.invalid_credentials", "Enter a correct email address and password.");
  }
  await opts.throttle.succeed(store, email);
  return openSession(store, found.user, { ip: input.ip, userAgent: input.userAgent ?? null }, "password", opts);
}

/** Opens a session for a user whose identity was just proven (password, identity provider, first-run setup, reset link). */
export async function openSession(
  store: Store,
  user: User,
  client: { ip: string | null; userAgent: string | null },
  method: "password" | "oidc" | "setup" | "reset",
  opts: { now: Date } & SessionTimes,
): Promise<{ user: User; token: string; expiresAt: string }> {
  await deleteExpiredSessions(store, opts.now.toISOString(), idleSince(opts));
  const token = newSecret();
  const expiresAt = new Date(opts.now.getTime() + (opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS)).toISOString();
  await insertSession(store, {
    idHash: hashSecret(token),
    userId: user.id,
    createdAt: opts.now.toISOString(),
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent ? client.userAgent.slice(0, 300) : null,
  });
  await audit(store, { label: user.email, ip: client.ip }, opts.now, "auth.login", user.email, { after: { method } });
  return { user, token, expiresAt };
}

function idleSince(opts: { now: Date } & SessionTimes): string {
  return new Date(opts.now.getTime() - (opts.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS)).toISOString();
}

/**
 * Opens a session for someone an external identity provider (OpenID Connect) vouched for. The
 * email must belong to an existing, enabled user; accounts are never created here.
 */
export async function signInExternal(
  store: Store,
  input: { email: string; ip: string | null; userAgent?: string | null; method: "oidc" },
  opts: { now: Date } & SessionTimes,
): Promise<{ user: User; token: string; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const user = await findUserByEmail(store, email);
  if (!user || user.disabled) {
    await audit(store, { label: email, ip: input.ip }, opts.now, "auth.login_failed", email, {
      after: { method: input.method, reason: user ? "account disabled" : "unknown account" },
    });
    throw new AppError("auth.invalid_credentials", `There is no Safe City account for ${email}. Ask an administrator to add you.`);
  }
  return openSession(store, user, { ip: input.ip, userAgent: input.userAgent ?? null }, input.method, opts);
}

/** The user and session behind a session cookie, or null when unknown, expired, idle too long or disabled. */
export async function sessionUser(
  store: Store,
  token: string,
  now: Date,
  times: SessionTimes = {},
): Promise<{ user: User; session: SessionInfo } | null> {
  if (!token) return null;
  return findSessionUser(store, hashSecret(token), now.toISOString(), idleSince({ now, ...times }));
}

export async function signOut(store: Store, token: string, user: User, ip: string | null, now: Date): Promise<void> {
  await deleteSession(store, hashSecret(token));
  await audit(store, { label: user.email, ip }, now, "auth.logout", user.email);
}

/**
 * Re-authentication: checks the signed-in user's password again and records it on the session,
 * so admin actions are allowed for the next few minutes. Failures count in the sign-in throttle.
 */
export async function confirmPassword(
  store: Store,
  user: User,
  sessionToken: string,
  password: string,
  opts: { now: Date; throttle: LoginThrottle; ip: string | null },
): Promise<void> {
  const verdict = await opts.throttle.check(store, user.email, opts.ip, opts.now);
  if (verdict.retryAfterSeconds > 0) {
    throw new ThrottledError(`Too many wrong passwords. Wait ${waitText(verdict.retryAfterSeconds)} and try again.`, verdict.retryAfterSeconds);
  }
  const creds = await findCredentials(store, user.email);
  const ok = creds?.passwordHash ? await verifyPassword(creds.passwordHash, password) : false;
  const actor: Actor = { label: user.email, ip: opts.ip };
  if (!ok) {
    await opts.throttle.fail(store, user.email, opts.ip, opts.now);
    await audit(store, actor, opts.now, "auth.reauth_failed", user.email);
    throw new AppError("auth.invalid_credentials", creds?.passwordHash ? "The password is not correct." : "Your account has no password: sign in again with your organisation's sign-in.");
  }
  await opts.throttle.succeed(store, user.email);
  await markSessionAuthenticated(store, hashSecret(sessionToken), opts.now.toISOString());
  await audit(store, actor, opts.now, "auth.reauth", user.email);
}

/** The user and token behind an `Authorization: Bearer` API token (live, unexpired, user enabled), or null. */
export async function apiTokenUser(store: Store, token: string, now: Date): Promise<{ user: User; token: ApiToken } | null> {
  if (!token) return null;
  return findApiTokenUser(store, hashSecret(token), now.toISOString());
}
