import { sql } from "kysely";
import type { Store } from "../../src/db/database.ts";

/** Everything an import can change, summarised: equal snapshots mean the data did not change. */
export async function dataSnapshot(store: Store) {
  const one = async (q: string) => Number(((await sql.raw<{ n: number | null }>(q).execute(store.db)).rows[0]?.n ?? 0));
  return {
    incidents: await one("select count(*) as n from incident"),
    rollupRows: await one("select count(*) as n from rollup"),
    rollupTotal: await one("select coalesce(sum(n), 0) as n from rollup"),
    lsoas: await one("select count(*) as n from lsoa_geo"),
    forces: await one("select count(*) as n from force"),
    importedFiles: await one("select count(*) as n from import_file where status = 'imported'"),
  };
}

export async function registerStatuses(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom("import_file").select("status").orderBy("id").execute();
  return rows.map((r) => r.status);
}
