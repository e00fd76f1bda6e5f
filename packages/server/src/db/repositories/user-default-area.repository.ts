import type { Store } from "../database.ts";

/** A user's saved default area (migration 0015). */
export interface StoredDefaultArea {
  /** What the area field takes: `csp:Southampton`. */
  area: string;
  code: string | null;
  level: string;
  updatedAt: string;
}

export async function findDefaultArea(store: Store, userId: number): Promise<StoredDefaultArea | null> {
  const r = await store.db.selectFrom("user_default_area").selectAll().where("user_id", "=", userId).executeTakeFirst();
  return r ? { area: r.area, code: r.area_code, level: r.area_level, updatedAt: r.updated_at } : null;
}

/** Replaces the user's default area (one row per user). */
export async function saveDefaultArea(store: Store, userId: number, a: StoredDefaultArea): Promise<void> {
  await store.db
    .insertInto("user_default_area")
    .values({ user_id: userId, area: a.area, area_code: a.code, area_level: a.level, updated_at: a.updatedAt })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ area: a.area, area_code: a.code, area_level: a.level, updated_at: a.updatedAt }))
    .execute();
}

export async function deleteDefaultArea(store: Store, userId: number): Promise<number> {
  const r = await store.db.deleteFrom("user_default_area").where("user_id", "=", userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
