import type { Store } from "../database.ts";
import { findUserById, type User } from "./user.repository.ts";

/** A session as its owner sees it in the "Your account" list. `id` is the stored hash, never the cookie. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  authenticatedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export async function insertSession(
  store: Store,
  s: { idHash: string; userId: number; createdAt: string; expiresAt: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await store.db
    .insertInto("session")
    .values({
      id: s.idHash,
      user_id: s.userId,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      last_seen_at: s.createdAt,
      authenticated_at: s.createdAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

/**
 * The enabled user of a session that has neither passed its absolute expiry nor been idle since
 * `idleSince`, or null. Records the activity at most once a minute (no write per request).
 */
export async function findSessionUser(
  store: Store,
  idHash: string,
  now: string,
  idleSince: string,
): Promise<{ user: User; session: SessionInfo } | null> {
  const s = await store.db
    .selectFrom("session")
    .select(["user_id", "created_at", "expires_at", "last_seen_at", "authenticated_at", "ip", "user_agent"])
    .where("id", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (!s) return null;
  const lastSeen = s.last_seen_at ?? s.created_at;
  if (lastSeen <= idleSince) return null;
  const user = await findUserById(store, s.user_id);
  if (!user || user.disabled) return null;
  if (Date.parse(now) - Date.parse(lastSeen) >= 60_000) {
    await store.db.updateTable("session").set({ last_seen_at: now }).where("id", "=", idHash).execute();
  }
  return {
    user,
    session: {
      id: idHash,
      createdAt: s.created_at,
      lastSeenAt: lastSeen,
      authenticatedAt: s.authenticated_at ?? s.created_at,
      expiresAt: s.expires_at,
      ip: s.ip,
      userAgent: s.user_agent,
    },
  };
}

/** A user's live sessions (unexpired, not idle), most recently used first. */
export async function listUserSessions(store: Store, userId: number, now: string, idleSince: string): Promise<SessionInfo[]> {
  const rows = await store.db
    .selectFrom("session")
    .select(["id", "created_at", "expires_at", "last_seen_at", "authenticated_at", "ip", "user_agent"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", now)
    .execute();
  return rows
    .map((s) => ({
      id: s.id,
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at ?? s.created_at,
      authenticatedAt: s.authenticated_at ?? s.created_at,
      expiresAt: s.expires_at,
      ip: s.ip,
      userAgent: s.user_agent,
    }))
    .filter((s) => s.lastSeenAt > idleSince)
    .sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : 0));
}

/** Records a fresh password check on this session (re-authentication). */
export async function markSessionAuthenticated(store: Store, idHash: string, now: string): Promise<void> {
  await store.db.updateTable("session").set({ authenticated_at: now, last_seen_at: now }).where("id", "=", idHash).execute();
}

export async function deleteSession(store: Store, idHash: string): Promise<void> {
  await store.db.deleteFrom("session").where("id", "=", idHash).execute();
}

/** Ends one of a user's sessions; false when it was not theirs or is already gone. */
export async function deleteUserSession(store: Store, userId: number, idHash: string): Promise<boolean> {
  const r = await store.db.deleteFrom("session").where("id", "=", idHash).where("user_id", "=", userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Ends every session of a user, but `keep` (the one making the request) when given; returns how many. */
export async function deleteUserSessions(store: Store, userId: number, keep?: string): Promise<number> {
  let q = store.db.deleteFrom("session").where("user_id", "=", userId);
  if (keep) q = q.where("id", "!=", keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(store: Store, now: string, idleSince: string): Promise<number> {
  const r = await store.db
    .deleteFrom("session")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", idleSince)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
