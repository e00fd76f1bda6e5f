import type { Store } from "../database.ts";

export async function insertLoginFailure(store: Store, f: { at: string; account: string; client: string }): Promise<void> {
  await store.db.insertInto("login_failure").values(f).execute();
}

/** Failures since `since` for an account, a client, both, or (neither given) everyone: count and latest time. */
export async function countLoginFailures(
  store: Store,
  q: { since: string; account?: string; client?: string },
): Promise<{ count: number; latest: string | null; oldest: string | null }> {
  let s = store.db
    .selectFrom("login_failure")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("at").as("latest"), eb.fn.min("at").as("oldest")])
    .where("at", ">", q.since);
  if (q.account !== undefined) s = s.where("account", "=", q.account);
  if (q.client !== undefined) s = s.where("client", "=", q.client);
  const r = await s.executeTakeFirstOrThrow();
  return { count: Number(r.n), latest: (r.latest as string | null) ?? null, oldest: (r.oldest as string | null) ?? null };
}

/** A successful sign-in forgets that account's failures (from every client). */
export async function clearAccountFailures(store: Store, account: string): Promise<void> {
  await store.db.deleteFrom("login_failure").where("account", "=", account).execute();
}

export async function deleteLoginFailuresBefore(store: Store, before: string): Promise<void> {
  await store.db.deleteFrom("login_failure").where("at", "<=", before).execute();
}
