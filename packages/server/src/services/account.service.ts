import { AppError, type ProblemLine } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { type ApiToken, findApiToken, listApiTokens, revokeApiToken } from "../db/repositories/api-token.repository.ts";
import { findLivePasswordReset, insertPasswordReset, usePasswordReset } from "../db/repositories/password-reset.repository.ts";
import { deleteUserSession, deleteUserSessions, listUserSessions, type SessionInfo } from "../db/repositories/session.repository.ts";
import { countUsers, findCredentials, findUserById, updateUserPassword, type User } from "../db/repositories/user.repository.ts";
import { type Actor, audit } from "./audit.ts";
import { DEFAULT_SESSION_IDLE_MS } from "./auth.service.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { passwordProblem } from "./password-policy.ts";
import { hashSecret, newSecret, sameSecret } from "./secret.ts";
import { createUser } from "./user.service.ts";

export type { ApiToken, SessionInfo };

/** How long an administrator's reset link works (24 hours). */
export const RESET_LINK_TTL_MS = 24 * 60 * 60_000;

function problem(field: string, message: string): ProblemLine {
  return { file: "account", field, message };
}

/**
 * Changes the signed-in user's password: the current one must be right, the new one must pass
 * the policy and be typed twice. Every other session of the user ends (the current one stays).
 */
export async function changePassword(
  store: Store,
  user: User,
  input: { current: string; password: string; confirm: string },
  opts: { now: Date; ip: string | null; keepSessionHash: string | null },
): Promise<{ otherSessionsEnded: number }> {
  const creds = await findCredentials(store, user.email);
  const problems: ProblemLine[] = [];
  if (!creds?.passwordHash) {
    throw new AppError("input.invalid", "Your account has no password: you sign in through your organisation's sign-in, which manages your password.");
  }
  if (!(await verifyPassword(creds.passwordHash, input.current))) problems.push(problem("current", "Your current password is not correct"));
  const weak = passwordProblem(input.password, { email: user.email });
  if (weak) problems.push(problem("password", weak));
  else if (input.password !== input.confirm) problems.push(problem("confirm", "The two new passwords do not match"));
  else if (input.password === input.current) problems.push(problem("password", "The new password must be different from the current one"));
  if (problems.length) {
    await audit(store, { label: user.email, ip: opts.ip }, opts.now, "user.password_change_failed", user.email, {
      after: { fields: problems.map((p) => p.field) },
    });
    throw new AppError("input.invalid", "cannot change the password:", { problems });
  }
  await updateUserPassword(store, user.id, await hashPassword(input.password));
  const otherSessionsEnded = await deleteUserSessions(store, user.id, opts.keepSessionHash ?? undefined);
  await audit(store, { label: user.email, ip: opts.ip }, opts.now, "user.password_change", user.email, { after: { otherSessionsEnded } });
  return { otherSessionsEnded };
}

/**
 * An administrator issues a one-time reset link for a user: returns the secret once (for the
 * link); only its SHA-256 is stored. It works for 24 hours, once; a newer link replaces it.
 */
export async function createPasswordReset(store: Store, userId: number, by: Actor, now: Date): Promise<{ user: User; secret: string; expiresAt: string }> {
  const user = await findUserById(store, userId);
  if (!user) throw new AppError("user.not_found", `No user with id ${userId}`);
  if (user.disabled) throw new AppError("input.invalid", `${user.email} is disabled; enable the account before issuing a reset link.`);
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS).toISOString();
  await insertPasswordReset(store, { userId, tokenHash: hashSecret(secret), createdAt: now.toISOString(), createdBy: by.label, expiresAt });
  await audit(store, by, now, "user.password_reset_issued", user.email, { after: { expiresAt } });
  return { user, secret, expiresAt };
}

/** The user a reset link is for, while it is unused and unexpired; null otherwise. */
export async function resetLinkUser(store: Store, secret: string, now: Date): Promise<User | null> {
  if (!secret || secret.length > 100) return null;
  const r = await findLivePasswordReset(store, hashSecret(secret), now.toISOString());
  if (!r) return null;
  const user = await findUserById(store, r.userId);
  return user && !user.disabled ? user : null;
}

/**
 * Sets a new password through a reset link: single use (the first request wins), ends every
 * session of the user, audits `user.password_reset`.
 */
export async function resetPassword(
  store: Store,
  secret: string,
  input: { password: string; confirm: string },
  opts: { now: Date; ip: string | null },
): Promise<User> {
  const link = secret && secret.length <= 100 ? await findLivePasswordReset(store, hashSecret(secret), opts.now.toISOString()) : null;
  const user = link ? await findUserById(store, link.userId) : null;
  if (!link || !user || user.disabled) {
    throw new AppError("auth.invalid_credentials", "This reset link has expired, has been used or was replaced by a newer one. Ask an administrator for a new link.");
  }
  const problems: ProblemLine[] = [];
  const weak = passwordProblem(input.password, { email: user.email });
  if (weak) problems.push(problem("password", weak));
  else if (input.password !== input.confirm) problems.push(problem("confirm", "The two passwords do not match"));
  if (problems.length) throw new AppError("input.invalid", "cannot set the password:", { problems });
  const hash = await hashPassword(input.password);
  if (!(await usePasswordReset(store, link.id, opts.now.toISOString()))) {
    throw new AppError("auth.invalid_credentials", "This reset link has just been used. Ask an administrator for a new link.");
  }
  await updateUserPassword(store, user.id, hash);
  const sessionsEnded = await deleteUserSessions(store, user.id);
  await audit(store, { label: user.email, ip: opts.ip }, opts.now, "user.password_reset", user.email, { after: { sessionsEnded } });
  return user;
}

export async function mySessions(store: Store, user: User, now: Date, idleMs = DEFAULT_SESSION_IDLE_MS): Promise<SessionInfo[]> {
  return listUserSessions(store, user.id, now.toISOString(), new Date(now.getTime() - idleMs).toISOString());
}

/** Ends one of the user's own sessions (by its listed id). */
export async function endMySession(store: Store, user: User, sessionId: string, by: Actor, now: Date): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(sessionId) || !(await deleteUserSession(store, user.id, sessionId))) {
    throw new AppError("data.missing", "That session has already ended.");
  }
  await audit(store, by, now, "auth.session_end", user.email);
}

/** "Sign out everywhere": ends every session of the user, this one included. */
export async function endAllMySessions(store: Store, user: User, by: Actor, now: Date): Promise<number> {
  const n = await deleteUserSessions(store, user.id);
  await audit(store, by, now, "auth.logout_everywhere", user.email, { after: { sessionsEnded: n } });
  return n;
}

export async function myTokens(store: Store, user: User): Promise<ApiToken[]> {
  return listApiTokens(store, user.id);
}

/**
 * Revokes an API token by id. `owner` limits it to that user's tokens (the "Your account" page);
 * the CLI (an operator on the server) passes null. Audits `api_token.revoke`.
 */
export async function revokeToken(store: Store, id: number, owner: User | null, by: Actor, now: Date): Promise<ApiToken> {
  const token = Number.isInteger(id) && id > 0 ? await findApiToken(store, id) : null;
  if (!token || (owner && token.userId !== owner.id)) {
    throw new AppError("data.missing", `No API token with id ${id}${owner ? " among yours" : ""}`, { hint: owner ? undefined : "list tokens with `safecity user token --list --email <email>`" });
  }
  const tokenUser = await findUserById(store, token.userId);
  if (!(await revokeApiToken(store, id, now.toISOString()))) {
    throw new AppError("input.invalid", `API token ${id} (${token.name}) was already revoked on ${token.revokedAt?.slice(0, 10)}.`);
  }
  await audit(store, by, now, "api_token.revoke", tokenUser?.email ?? String(token.userId), { after: { id, name: token.name } });
  return (await findApiToken(store, id))!;
}

/**
 * The one-time setup code that lets the first administrator be created from the browser. It
 * exists only in the memory of the `safecity serve` process that printed it (never stored, never
 * logged), works once, and only while there are no accounts.
 */
export class SetupCode {
  private readonly hash: string;
  private used = false;
  /** The code to print (once, on the console). */
  readonly code: string;

  constructor(code: string = newSetupCode()) {
    this.code = code;
    this.hash = hashSecret(normaliseCode(code));
  }

  get available(): boolean {
    return !this.used;
  }

  /** Checks and spends the code (synchronously, so two requests cannot both use it). */
  take(candidate: string): boolean {
    if (this.used || !sameSecret(hashSecret(normaliseCode(candidate)), this.hash)) return false;
    this.used = true;
    return true;
  }

  /** Gives the code back when the account could not be created (bad input), so it can be retried. */
  giveBack(): void {
    this.used = false;
  }
}

function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** 15 characters from a 32-letter alphabet (75 bits) in groups of five: `ABCDE-FGHJK-LMNPQ`. */
export function newSetupCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = newSecret();
  let out = "";
  for (let i = 0; i < 15; i++) out += alphabet[(bytes.charCodeAt(i) * 7 + bytes.charCodeAt(i + 15)) % alphabet.length];
  return out.replace(/(.{5})(?=.)/g, "$1-");
}

/**
 * First run: creates the first administrator from the browser with the setup code printed by
 * `safecity serve`. Refused once any account exists or the code was used. Audits `user.create`
 * (by `setup-code`, never the code itself).
 */
export async function setupFirstAdmin(
  store: Store,
  setup: SetupCode | null,
  input: { code: string; email: string; name: string; organisation?: string | null; password: string; confirm: string },
  opts: { now: Date; ip: string | null },
): Promise<User> {
  if (!setup?.available || (await countUsers(store)) > 0) {
    throw new AppError("auth.forbidden", "Safe City is already set up. Sign in, or ask an administrator for an account.");
  }
  const problems: ProblemLine[] = [];
  const weak = passwordProblem(input.password, { email: input.email });
  if (weak) problems.push(problem("password", weak));
  else if (input.password !== input.confirm) problems.push(problem("confirm", "The two passwords do not match"));
  if (problems.length) throw new AppError("input.invalid", "cannot create the administrator:", { problems });
  if (!setup.take(input.code)) {
    throw new AppError("input.invalid", "cannot create the administrator:", {
      problems: [problem("code", "The setup code is not right. Copy it from the console where `npm start` (safecity serve) is running")],
    });
  }
  try {
    const r = await createUser(
      store,
      { email: input.email, name: input.name, role: "admin", organisation: input.organisation ?? null, password: input.password },
      { label: "setup-code", ip: opts.ip },
      opts.now,
    );
    return r.user;
  } catch (e) {
    setup.giveBack();
    throw e;
  }
}
