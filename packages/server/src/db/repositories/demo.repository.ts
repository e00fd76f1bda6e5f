import { type Kysely, sql } from "kysely";
import type { Store } from "../database.ts";
import type { Database } from "../schema.ts";

/*
 * The SQL of `safecity demo`: what real data the store holds (the demo refuses to mix with it),
 * what demo data it holds, and the removal of every demo row in ONE transaction. Demo rows are
 * the ones flagged `demo = 1` (imports, reference dataset, plans, grant budgets, indicators,
 * organisations), everything under them, and the rows keyed by the demo's area codes (which match
 * `codeLike` and no real ONS code). The demo delegate's account is recognised by its email domain,
 * the audit rows of the load by their actor.
 */

export interface RealDataCounts {
  /** Police files imported or importing (not demo). */
  imports: number;
  referenceDatasets: number;
  plans: number;
  /** Values of indicators that are not the demo's, on areas that are not the demo's. */
  indicatorValues: number;
}

export async function countRealData(store: Store, codeLike: string): Promise<RealDataCounts> {
  const { db } = store;
  const n = (r: { n: number | string | bigint } | undefined) => Number(r?.n ?? 0);
  const imports = await db
    .selectFrom("import_file")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("demo", "=", 0)
    .where("status", "in", ["imported", "running"])
    .executeTakeFirst();
  const reference = await db.selectFrom("reference_dataset").select((eb) => eb.fn.countAll<number>().as("n")).where("demo", "=", 0).executeTakeFirst();
  const plans = await db.selectFrom("plan").select((eb) => eb.fn.countAll<number>().as("n")).where("demo", "=", 0).executeTakeFirst();
  const values = await db
    .selectFrom("indicator_value as v")
    .innerJoin("indicator as i", "i.id", "v.indicator_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("i.demo", "=", 0)
    .where("v.area_code", "not like", codeLike)
    .executeTakeFirst();
  return { imports: n(imports), referenceDatasets: n(reference), plans: n(plans), indicatorValues: n(values) };
}

export interface DemoCounts {
  imports: number;
  referenceDatasets: number;
  plans: number;
  organisations: number;
  indicators: number;
}

export async function countDemoData(store: Store): Promise<DemoCounts> {
  const { db } = store;
  const count = async (table: "import_file" | "reference_dataset" | "plan" | "organisation" | "indicator") => {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("demo", "=", 1)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  return {
    imports: await count("import_file"),
    referenceDatasets: await count("reference_dataset"),
    plans: await count("plan"),
    organisations: await count("organisation"),
    indicators: await count("indicator"),
  };
}

/** One cheap query: is any demo data loaded? (The pages' "Demo data" label.) */
export async function demoLoaded(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ n: number }>`select (select count(*) from (select 1 from import_file where demo = 1 limit 1) a)
    + (select count(*) from (select 1 from plan where demo = 1 limit 1) b)
    + (select count(*) from (select 1 from reference_dataset where demo = 1 limit 1) c) as n`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > 0;
}

/** Rows removed, by table. */
export type RemovedRows = Record<string, number>;

/**
 * Removes every demo row in one transaction and returns how many rows each table lost. Real rows
 * are never touched: they are neither flagged demo nor keyed by a demo code (the caller's
 * `codeLike`), and shared dictionaries (incident_value) are left as they are.
 */
export async function removeDemoRows(store: Store, opts: { codeLike: string; forceSlug: string; userEmailLike: string; actor: string }): Promise<RemovedRows> {
  const removed: RemovedRows = {};
  const note = (table: string, r: { numDeletedRows: bigint } | { numDeletedRows: bigint }[]) => {
    const rows = Array.isArray(r) ? r : [r];
    removed[table] = (removed[table] ?? 0) + rows.reduce((s, x) => s + Number(x.numDeletedRows), 0);
  };
  await store.db.transaction().execute(async (trx) => {
    const demoPlans = trx.selectFrom("plan").select("id").where("demo", "=", 1);
    const demoOrgs = trx.selectFrom("organisation").select("id").where("demo", "=", 1);
    const demoIndicators = trx.selectFrom("indicator").select("id").where("demo", "=", 1);
    const demoBudgets = trx
      .selectFrom("grant_budget")
      .select("id")
      .where((eb) => eb.or([eb("demo", "=", 1), eb("plan_id", "in", demoPlans)]));
    const demoAllocations = trx
      .selectFrom("grant_allocation")
      .select("id")
      .where((eb) => eb.or([eb("budget_id", "in", demoBudgets), eb("organisation_id", "in", demoOrgs)]));
    const demoActions = trx.selectFrom("plan_action").select("id").where("plan_id", "in", demoPlans);

    // The partnership plan and everything under it (children first, so the counts are per table).
    note("grant_payment", await trx.deleteFrom("grant_payment").where("allocation_id", "in", demoAllocations).executeTakeFirst());
    note("grant_allocation", await trx.deleteFrom("grant_allocation").where("id", "in", demoAllocations).executeTakeFirst());
    note("grant_budget", await trx.deleteFrom("grant_budget").where("id", "in", demoBudgets).executeTakeFirst());
    note("action_progress", await trx.deleteFrom("action_progress").where("action_id", "in", demoActions).executeTakeFirst());
    for (const table of ["plan_target", "plan_action", "plan_priority", "plan_link", "plan_partner", "consultation_response", "plan_amendment"] as const) {
      note(table, await trx.deleteFrom(table).where("plan_id", "in", demoPlans).executeTakeFirst());
    }
    note(
      "audit_log",
      await trx
        .deleteFrom("audit_log")
        .where((eb) => eb.or([eb("plan_id", "in", demoPlans), eb("actor", "=", opts.actor)]))
        .executeTakeFirst(),
    );
    note("plan", await trx.deleteFrom("plan").where("demo", "=", 1).executeTakeFirst());
    note(
      "indicator_value",
      await trx
        .deleteFrom("indicator_value")
        .where((eb) => eb.or([eb("indicator_id", "in", demoIndicators), eb("area_code", "like", opts.codeLike)]))
        .executeTakeFirst(),
    );
    note("indicator", await trx.deleteFrom("indicator").where("demo", "=", 1).executeTakeFirst());
    const demoUsers = trx.selectFrom("app_user").select("id").where("email", "like", opts.userEmailLike);
    note("session", await trx.deleteFrom("session").where("user_id", "in", demoUsers).executeTakeFirst());
    note("api_token", await trx.deleteFrom("api_token").where("user_id", "in", demoUsers).executeTakeFirst());
    note("app_user", await trx.deleteFrom("app_user").where("email", "like", opts.userEmailLike).executeTakeFirst());
    note("organisation", await trx.deleteFrom("organisation").where("demo", "=", 1).executeTakeFirst());

    // The synthetic city's police data: incidents by each import's id range (the primary key).
    const imports = await trx.selectFrom("import_file").select(["id", "first_incident_id", "last_incident_id"]).where("demo", "=", 1).execute();
    for (const i of imports) {
      let q = trx.deleteFrom("incident").where("import_id", "=", i.id);
      if (i.first_incident_id !== null && i.last_incident_id !== null) q = q.where("id", ">=", i.first_incident_id).where("id", "<=", i.last_incident_id);
      note("incident", await q.executeTakeFirst());
    }
    const demoImports = trx.selectFrom("import_file").select("id").where("demo", "=", 1);
    note("rollup", await trx.deleteFrom("rollup").where("import_id", "in", demoImports).executeTakeFirst());
    note("import_file", await trx.deleteFrom("import_file").where("demo", "=", 1).executeTakeFirst());
    note(
      "force",
      await trx
        .deleteFrom("force")
        .where("slug", "=", opts.forceSlug)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("import_file").select("id").where("force_slug", "=", opts.forceSlug))))
        .executeTakeFirst(),
    );

    // Its reference rows, keyed by demo codes.
    note("area", await trx.deleteFrom("area").where("code", "like", opts.codeLike).executeTakeFirst());
    note("lsoa_geo", await trx.deleteFrom("lsoa_geo").where("lsoa_code", "like", opts.codeLike).executeTakeFirst());
    for (const table of ["population", "boundary", "area_indicator", "ons_crime"] as const) {
      note(table, await trx.deleteFrom(table).where("area_code", "like", opts.codeLike).executeTakeFirst());
    }
    note("imd", await trx.deleteFrom("imd").where("lsoa_code", "like", opts.codeLike).executeTakeFirst());
    note("reference_dataset", await trx.deleteFrom("reference_dataset").where("demo", "=", 1).executeTakeFirst());
    await sql`delete from peer_group where area_code like ${opts.codeLike}`.execute(trx);
  });
  return removed;
}
