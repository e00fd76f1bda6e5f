import type { Store } from "../database.ts";

/**
 * A fingerprint of the loaded data: it changes whenever an import starts, commits, is rejected,
 * replaces another or is undone (import register: newest id, row count, last finish, files imported) and
 * whenever reference data is installed (newest install, dataset count). Two cheap aggregate
 * queries. Results computed from incidents, roll-ups, areas and reference tables only may be
 * cached against it; anything that also reads user-edited tables must add those tables here.
 */
export async function dataVersion(store: Store): Promise<string> {
  const i = await store.db
    .selectFrom("import_file")
    .select((eb) => [
      eb.fn.max("id").as("maxId"),
      eb.fn.countAll<number>().as("n"),
      eb.fn.max("finished_at").as("lastFinished"),
      eb.fn.sum<number>(eb.case().when("status", "=", "imported").then(1).else(0).end()).as("imported"),
      // Which versions are current: `import undo` swaps one for another without a new register row.
      eb.fn.sum<number>(eb.case().when("status", "=", "imported").then(eb.ref("id")).else(0).end()).as("importedIds"),
    ])
    .executeTakeFirstOrThrow();
  const r = await store.db
    .selectFrom("reference_dataset")
    .select((eb) => [eb.fn.max("installed_at").as("lastInstalled"), eb.fn.countAll<number>().as("n")])
    .executeTakeFirstOrThrow();
  return [i.maxId ?? 0, Number(i.n), i.lastFinished ?? "", Number(i.imported ?? 0), Number(i.importedIds ?? 0), r.lastInstalled ?? "", Number(r.n)].join("|");
}
