import type { Kysely } from "kysely";
import type { Store } from "../database.ts";

/** Table of migration 0004 (declared here: the shared schema file is left to its owners). */
interface PeerGroupTable {
  area_code: string;
  codes: string;
  note: string | null;
  updated_at: string;
  updated_by: string;
}

export interface StoredPeerGroup {
  areaCode: string;
  codes: string[];
  note: string | null;
  updatedAt: string;
  updatedBy: string;
}

function db(store: Store): Kysely<{ peer_group: PeerGroupTable }> {
  return store.db as unknown as Kysely<{ peer_group: PeerGroupTable }>;
}

export async function findPeerGroup(store: Store, areaCode: string): Promise<StoredPeerGroup | null> {
  const r = await db(store).selectFrom("peer_group").selectAll().where("area_code", "=", areaCode).executeTakeFirst();
  return r ? { areaCode: r.area_code, codes: r.codes ? r.codes.split(",") : [], note: r.note, updatedAt: r.updated_at, updatedBy: r.updated_by } : null;
}

/** Replaces the area's stored group. */
export async function savePeerGroupRow(store: Store, g: StoredPeerGroup): Promise<void> {
  await db(store)
    .transaction()
    .execute(async (tx) => {
      await tx.deleteFrom("peer_group").where("area_code", "=", g.areaCode).execute();
      await tx
        .insertInto("peer_group")
        .values({ area_code: g.areaCode, codes: g.codes.join(","), note: g.note, updated_at: g.updatedAt, updated_by: g.updatedBy })
        .execute();
    });
}

export async function deletePeerGroup(store: Store, areaCode: string): Promise<number> {
  const r = await db(store).deleteFrom("peer_group").where("area_code", "=", areaCode).executeTakeFirst();
  return Number(r.numDeletedRows);
}
