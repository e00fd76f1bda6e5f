import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { deleteExpiredSessions, deleteSession, findSessionUser, insertSession } from "../db/repositories/session.repository.ts";
import { findCredentials, findUserByApiToken, findUserByEmail, type User } from "../db/repositories/user.repository.ts";
import { type Actor, audit } from "./audit.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import { verifyDummy, verifyPassword } from "./password.ts";
import { hashSecret, newSecret } from "./secret.ts";

/** Sessions last 12 hours from sign-in (default). */
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60_000;

export interface SignIn {
  email: string;
  password: string;
  ip: string | null;
}

/**
 * Checks the password and opens a session. Returns the session token (for the cookie; only its
 * hash is stored). Every outcome is audited. Throws `auth.rate_limited` after too many failures
 * for this email and address, `auth.invalid_credentials` otherwise (same message whether the
 * account is unknown, disabled or the password wrong).
 */
export async function signIn(
  store: Store,
  input: SignIn,
  opts: { now: Date; throttle: LoginThrottle; sessionTtlMs?: number },
): Promise<{ user: User; token: string; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const key = `${email}|${input.ip ?? ""}`;
  const actor: Actor = { label: email || "(blank)", ip: input.ip };
  const wait = opts.throttle.retryAfter(key, opts.now);
  if (wait > 0) {
    await audit(store, actor, opts.now, "auth.login_throttled", email, { after: { retryAfterSeconds: wait } });
    const minutes = Math.ceil(wait / 60);
    throw new AppError("auth.rate_limited", `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
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
    opts.throttle.fail(key, opts.now);
    await audit(store, actor, opts.now, "auth.login_failed", email, { after: { reason } });
    throw new AppError("auth.invalid_credentials", "Enter a correct email address and password.");
  }
  opts.throttle.succeed(key);
  return openSession(store, found.user, input.ip, "password", opts);
}

async function openSession(
  store: Store,
  user: User,
  ip: string | null,
  method: "password" | "oidc",
  opts: { now: Date; sessionTtlMs?: number },
): Promise<{ user: User; token: string; expiresAt: string }> {
  await deleteExpiredSessions(store, opts.now.toISOString());
  const token = newSecret();
  const expiresAt = new Date(opts.now.getTime() + (opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS)).toISOString();
  await insertSession(store, { idHash: hashSecret(token), userId: user.id, createdAt: opts.now.toISOString(), expiresAt });
  await audit(store, { label: user.email, ip }, opts.now, "auth.login", user.email, { after: { method } });
  return { user, token, expiresAt };
}

/**
 * Opens a session for someone an external identity provider (OpenID Connect) vouched for. The
 * email must belong to an existing, enabled user; accounts are never created here.
 */
export async function signInExternal(
  store: Store,
  input: { email: string; ip: string | null; method: "oidc" },
  opts: { now: Date; sessionTtlMs?: number },
): Promise<{ user: User; token: string; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const user = await findUserByEmail(store, email);
  if (!user || user.disabled) {
    await audit(store, { label: email, ip: input.ip }, opts.now, "auth.login_failed", email, {
      after: { method: input.method, reason: user ? "account disabled" : "unknown account" },
    });
    throw new AppError("auth.invalid_credentials", `There is no Safe City account for ${email}. Ask an administrator to add you.`);
  }
  return openSession(store, user, input.ip, input.method, opts);
}

/** The user behind a session cookie, or null when unknown, expired or disabled. */
export async function sessionUser(store: Store, token: string, now: Date): Promise<User | null> {
  if (!token) return null;
  const s = await findSessionUser(store, hashSecret(token), now.toISOString());
  return s?.user ?? null;
}

export async function signOut(store: Store, token: string, user: User, ip: string | null, now: Date): Promise<void> {
  await deleteSession(store, hashSecret(token));
  await audit(store, { label: user.email, ip }, now, "auth.logout", user.email);
}

/** The user behind an `Authorization: Bearer` API token, or null. */
export async function apiTokenUser(store: Store, token: string, now: Date): Promise<User | null> {
  if (!token) return null;
  return findUserByApiToken(store, hashSecret(token), now.toISOString());
}
