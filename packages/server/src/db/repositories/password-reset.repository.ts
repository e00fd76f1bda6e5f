import type { Store } from "../database.ts";

export async function insertPasswordReset(
  store: Store,
  r: { userId: number; tokenHash: string; createdAt: string; createdBy: string; expiresAt: string },
): Promise<void> {
  // A new link replaces any earlier unused one for the same user.
  await store.db.updateTable("password_reset").set({ used_at: r.createdAt }).where("user_id", "=", r.userId).where("used_at", "is", null).execute();
  await store.db
    .insertInto("password_reset")
    .values({ user_id: r.userId, token_hash: r.tokenHash, created_at: r.createdAt, created_by: r.createdBy, expires_at: r.expiresAt, used_at: null })
    .execute();
}

/** The user id of an unused, unexpired reset link, or null. */
export async function findLivePasswordReset(store: Store, tokenHash: string, now: string): Promise<{ id: number; userId: number } | null> {
  const r = await store.db
    .selectFrom("password_reset")
    .select(["id", "user_id"])
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return r ? { id: r.id, userId: r.user_id } : null;
}

/** Marks a link used; false when another request used it first (single use even under a race). */
export async function usePasswordReset(store: Store, id: number, now: string): Promise<boolean> {
  const r = await store.db.updateTable("password_reset").set({ used_at: now }).where("id", "=", id).where("used_at", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
