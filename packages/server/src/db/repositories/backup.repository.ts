import { sql } from "kysely";
import type { Store } from "../database.ts";

/** What a store holds, counted: compared before a backup and after its restore. */
export interface StoreCounts {
  incidents: number;
  rollupTotal: number;
  imports: number;
  importJobs: number;
  users: number;
  auditRows: number;
  plans: number;
  referenceDatasets: number;
  areas: number;
}

export async function storeCounts(store: Store): Promise<StoreCounts> {
  const one = async (q: ReturnType<typeof sql<{ n: number | string | null }>>) => Number((await q.execute(store.db)).rows[0]?.n ?? 0);
  return {
    incidents: await one(sql`select count(*) as n from incident`),
    rollupTotal: await one(sql`select coalesce(sum(n), 0) as n from rollup`),
    imports: await one(sql`select count(*) as n from import_file`),
    importJobs: await one(sql`select count(*) as n from import_job`),
    users: await one(sql`select count(*) as n from app_user`),
    auditRows: await one(sql`select count(*) as n from audit_log`),
    plans: await one(sql`select count(*) as n from plan`),
    referenceDatasets: await one(sql`select count(*) as n from reference_dataset`),
    areas: await one(sql`select count(*) as n from area`),
  };
}

/** Whether anyone has put anything in the store (imports, accounts, plans, reference data). */
export function holdsData(c: StoreCounts): boolean {
  return c.incidents + c.imports + c.users + c.plans + c.referenceDatasets + c.areas > 0;
}
