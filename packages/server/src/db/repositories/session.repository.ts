import type { Store } from "../database.ts";
import { findUserById, type User } from "./user.repository.ts";

export async function insertSession(store: Store, s: { idHash: string; userId: number; createdAt: string; expiresAt: string }): Promise<void> {
  await store.db
    .insertInto("session")
    .values({ id: s.idHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt })
    .execute();
}

/** The enabled user of an unexpired session, or null. */
export async function findSessionUser(store: Store, idHash: string, now: string): Promise<{ user: User; expiresAt: string } | null> {
  const s = await store.db
    .selectFrom("session")
    .select(["user_id", "expires_at"])
    .where("id", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (!s) return null;
  const user = await findUserById(store, s.user_id);
  if (!user || user.disabled) return null;
  return { user, expiresAt: s.expires_at };
}

export async function deleteSession(store: Store, idHash: string): Promise<void> {
  await store.db.deleteFrom("session").where("id", "=", idHash).execute();
}

export async function deleteUserSessions(store: Store, userId: number): Promise<void> {
  await store.db.deleteFrom("session").where("user_id", "=", userId).execute();
}

export async function deleteExpiredSessions(store: Store, now: string): Promise<number> {
  const r = await store.db.deleteFrom("session").where("expires_at", "<=", now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
