import type { Store } from "./database.ts";

/**
 * Runs `work` in one database transaction: `tx` is a Store whose `db` is the Kysely transaction,
 * so every repository works inside it unchanged. Committed when `work` resolves, rolled back when
 * it throws (the error is re-thrown). Inside a transaction already, `work` joins it.
 * The raw drivers (`sqlite`, `pool`) are passed through for dialect checks; bulk paths that use
 * `pool` directly run outside the transaction on PostgreSQL, so do not use them inside one.
 */
export async function inTransaction<T>(store: Store, work: (tx: Store) => Promise<T>): Promise<T> {
  if (store.db.isTransaction) return work(store);
  return store.db.transaction().execute((trx) =>
    work({
      dialect: store.dialect,
      db: trx,
      sqlite: store.sqlite,
      pool: store.pool,
      description: `${store.description} (transaction)`,
      close: () => Promise.reject(new Error("close the store, not a transaction opened on it")),
    }),
  );
}
