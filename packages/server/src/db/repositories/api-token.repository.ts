import type { Store } from "../database.ts";
import { findUserById, type User } from "./user.repository.ts";

export type TokenScope = "read" | "write";

/** An API token as its owner sees it (never the secret). */
export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

function toToken(r: {
  id: number;
  user_id: number;
  name: string;
  scope: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked: number;
  revoked_at: string | null;
}): ApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    scope: r.scope === "write" ? "write" : "read",
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    // A token revoked before migration 0009 has no time: say so with its creation time.
    revokedAt: Number(r.revoked) === 1 ? (r.revoked_at ?? r.created_at) : null,
  };
}

const columns = ["id", "user_id", "name", "scope", "created_at", "last_used_at", "expires_at", "revoked", "revoked_at"] as const;

export async function insertApiToken(
  store: Store,
  t: { userId: number; tokenHash: string; name: string; scope: TokenScope; createdAt: string; expiresAt: string },
): Promise<number> {
  const r = await store.db
    .insertInto("api_token")
    .values({ user_id: t.userId, token_hash: t.tokenHash, name: t.name, scope: t.scope, created_at: t.createdAt, expires_at: t.expiresAt, revoked: 0 })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A user's tokens, newest first (revoked and expired ones too: the list is their history). */
export async function listApiTokens(store: Store, userId: number): Promise<ApiToken[]> {
  const rows = await store.db.selectFrom("api_token").select(columns).where("user_id", "=", userId).orderBy("id", "desc").execute();
  return rows.map(toToken);
}

export async function findApiToken(store: Store, id: number): Promise<ApiToken | null> {
  const r = await store.db.selectFrom("api_token").select(columns).where("id", "=", id).executeTakeFirst();
  return r ? toToken(r) : null;
}

/** Revokes one token; false when it was already revoked. */
export async function revokeApiToken(store: Store, id: number, now: string): Promise<boolean> {
  const r = await store.db.updateTable("api_token").set({ revoked: 1, revoked_at: now }).where("id", "=", id).where("revoked", "=", 0).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Revokes every live token of a user (disabling an account); returns how many. */
export async function revokeUserApiTokens(store: Store, userId: number, now: string): Promise<number> {
  const r = await store.db.updateTable("api_token").set({ revoked: 1, revoked_at: now }).where("user_id", "=", userId).where("revoked", "=", 0).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The enabled user owning a live token (not revoked, not expired) and the token's scope. Records
 * `last_used_at` at most once a minute per token, so a busy script does not turn every read into a write.
 */
export async function findApiTokenUser(store: Store, tokenHash: string, now: string): Promise<{ user: User; token: ApiToken } | null> {
  const r = await store.db
    .selectFrom("api_token")
    .select(columns)
    .where("token_hash", "=", tokenHash)
    .where("revoked", "=", 0)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .executeTakeFirst();
  if (!r) return null;
  const user = await findUserById(store, r.user_id);
  if (!user || user.disabled) return null;
  if (!r.last_used_at || Date.parse(now) - Date.parse(r.last_used_at) >= 60_000) {
    await store.db.updateTable("api_token").set({ last_used_at: now }).where("id", "=", r.id).execute();
  }
  return { user, token: toToken({ ...r, last_used_at: now }) };
}
