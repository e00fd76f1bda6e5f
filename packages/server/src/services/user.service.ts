import { AppError, isOrganisationKind, isRole, type OrganisationKind, type ProblemLine, type Role } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { insertApiToken, revokeUserApiTokens, type TokenScope } from "../db/repositories/api-token.repository.ts";
import { deleteUserSessions } from "../db/repositories/session.repository.ts";
import {
  countActiveAdmins,
  countUsers,
  findOrganisationByName,
  findUserByEmail,
  findUserById,
  insertOrganisation,
  insertUser,
  listOrganisations,
  listUsers,
  type Organisation,
  type User,
  updateUserDisabled,
  updateUserRole,
} from "../db/repositories/user.repository.ts";
import { type Actor, audit } from "./audit.ts";
import { generatePassword, hashPassword } from "./password.ts";
import { passwordProblem } from "./password-policy.ts";
import { hashSecret, newSecret } from "./secret.ts";

export type { Organisation, User };
export { countUsers, findUserByEmail, listOrganisations, listUsers };

export interface NewUser {
  email: string;
  name: string;
  role: string;
  /** Organisation name; created when new, with `organisationKind` (default `council`). */
  organisation?: string | null;
  organisationKind?: string | null;
  /** When absent a 20-character password is generated and returned once. */
  password?: string | null;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function problem(field: string, message: string): ProblemLine {
  return { file: "user", field, message };
}

/** Validates, creates the organisation if new, hashes the password and audits `user.create`. */
export async function createUser(
  store: Store,
  input: NewUser,
  by: Actor,
  now: Date,
): Promise<{ user: User; generatedPassword: string | null; organisationCreated: boolean }> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const orgName = input.organisation?.trim() || null;
  const orgKind = input.organisationKind?.trim() || "council";
  const problems: ProblemLine[] = [];
  if (!EMAIL_RE.test(email)) problems.push(problem("email", `Enter an email address like name@council.gov.uk; got \`${input.email}\``));
  if (!name) problems.push(problem("name", "Enter the person's name"));
  if (name.length > 200) problems.push(problem("name", "Name must be 200 characters or fewer"));
  if (!isRole(input.role)) problems.push(problem("role", `Role must be admin, analyst, editor or viewer; got \`${input.role}\``));
  if (orgName && !isOrganisationKind(orgKind)) {
    problems.push(problem("organisationKind", `Organisation kind must be council, police, fire, health, probation or voluntary; got \`${orgKind}\``));
  }
  const weak = input.password != null ? passwordProblem(input.password, { email }) : null;
  if (weak) problems.push(problem("password", weak));
  if (problems.length) throw new AppError("input.invalid", "cannot add the user:", { problems });
  if (await findUserByEmail(store, email)) {
    throw new AppError("user.exists", "cannot add the user:", {
      problems: [problem("email", `A user with email ${email} already exists`)],
    });
  }
  let organisationId: number | null = null;
  let organisationCreated = false;
  if (orgName) {
    const existing = await findOrganisationByName(store, orgName);
    if (existing) organisationId = existing.id;
    else {
      organisationId = await insertOrganisation(store, { name: orgName, kind: orgKind as OrganisationKind, createdAt: now.toISOString() });
      organisationCreated = true;
      await audit(store, by, now, "organisation.create", orgName, { after: { name: orgName, kind: orgKind } });
    }
  }
  const generatedPassword = input.password == null ? generatePassword() : null;
  const passwordHash = await hashPassword(input.password ?? generatedPassword!);
  const id = await insertUser(store, { email, name, role: input.role as Role, organisationId, passwordHash, createdAt: now.toISOString() });
  const user = (await findUserById(store, id))!;
  await audit(store, by, now, "user.create", email, { after: { email, name, role: user.role, organisation: orgName } });
  return { user, generatedPassword, organisationCreated };
}

async function mustFind(store: Store, id: number): Promise<User> {
  const user = await findUserById(store, id);
  if (!user) throw new AppError("user.not_found", `No user with id ${id}`);
  return user;
}

/** Changes a role and audits `user.role_change`; refuses to demote the last enabled admin. */
export async function changeRole(store: Store, userId: number, role: string, by: Actor, now: Date): Promise<User> {
  if (!isRole(role)) throw new AppError("input.invalid", `Role must be admin, analyst, editor or viewer; got \`${role}\``);
  const user = await mustFind(store, userId);
  if (user.role === role) return user;
  if (user.role === "admin" && !user.disabled && (await countActiveAdmins(store)) <= 1) {
    throw new AppError("input.invalid", "This is the only administrator. Make someone else an administrator first.");
  }
  await updateUserRole(store, userId, role);
  await audit(store, by, now, "user.role_change", user.email, { before: { role: user.role }, after: { role } });
  return mustFind(store, userId);
}

/**
 * Disables an account (signing the user out everywhere and revoking their API tokens, for good) or
 * re-enables it; accounts are never deleted, so the audit trail keeps its authors. Audits
 * `user.disable` / `user.enable`.
 */
export async function setDisabled(store: Store, userId: number, disabled: boolean, by: Actor, now: Date): Promise<User> {
  const user = await mustFind(store, userId);
  if (user.disabled === disabled) return user;
  if (disabled && user.role === "admin" && (await countActiveAdmins(store)) <= 1) {
    throw new AppError("input.invalid", "This is the only administrator and cannot be disabled.");
  }
  await updateUserDisabled(store, userId, disabled);
  // For good: sessions are deleted and tokens revoked, so enabling the account again revives neither.
  const sessionsEnded = disabled ? await deleteUserSessions(store, userId) : 0;
  const tokensRevoked = disabled ? await revokeUserApiTokens(store, userId, now.toISOString()) : 0;
  await audit(store, by, now, disabled ? "user.disable" : "user.enable", user.email, {
    before: { disabled: user.disabled },
    after: disabled ? { disabled, sessionsEnded, tokensRevoked } : { disabled },
  });
  return mustFind(store, userId);
}

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 366;

export interface NewToken {
  name?: string | null;
  /** `read` (default): GET only; `write`: may also change things. */
  scope?: string | null;
  /** Days until it stops working (default 90, at most 366). */
  expiresInDays?: number | null;
}

/**
 * A new API token for scripts (`Authorization: Bearer <token>`); returned once, stored hashed.
 * Read-only and expiring in 90 days unless told otherwise. Audits `api_token.create`.
 */
export async function createApiToken(
  store: Store,
  email: string,
  name: string,
  by: Actor,
  now: Date,
  opts: Omit<NewToken, "name"> = {},
): Promise<{ user: User; token: string; id: number; scope: TokenScope; expiresAt: string }> {
  const user = await findUserByEmail(store, email);
  if (!user) throw new AppError("user.not_found", `No user with email ${email}`, { hint: "list users with `safecity user list`" });
  const problems: ProblemLine[] = [];
  const scope = opts.scope ?? "read";
  if (scope !== "read" && scope !== "write") problems.push({ file: "token", field: "scope", message: `Scope must be read or write; got \`${scope}\`` });
  const days = opts.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    problems.push({ file: "token", field: "expiresInDays", message: `Expiry must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}; got \`${opts.expiresInDays}\`` });
  }
  const label = name.trim();
  if (!label || label.length > 100) problems.push({ file: "token", field: "name", message: "Give the token a name of 1 to 100 characters (what it is for)" });
  if (user.disabled) problems.push({ file: "token", field: "email", message: `${user.email} is disabled; enable the account first` });
  if (problems.length) throw new AppError("input.invalid", "cannot create the API token:", { problems });
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + days * 86_400_000).toISOString();
  const id = await insertApiToken(store, { userId: user.id, tokenHash: hashSecret(token), name: label, scope: scope as TokenScope, createdAt: now.toISOString(), expiresAt });
  await audit(store, by, now, "api_token.create", user.email, { after: { id, name: label, scope, expiresAt } });
  return { user, token, id, scope: scope as TokenScope, expiresAt };
}
