import type { Store } from "../database.ts";

/*
 * The publication register (migration 0007): one row per public website published from a plan,
 * holding the canonical JSON of the public view model it was rendered from.
 */

export interface PublicationRecord {
  id: number;
  planId: number;
  planVersion: number;
  /** 1, 2, … per plan. */
  number: number;
  publishedAt: string;
  publishedBy: string;
  contentSha256: string;
  fileCount: number;
  outputDir: string;
}

export interface NewPublication extends Omit<PublicationRecord, "id" | "number"> {
  snapshot: string;
}

const COLUMNS = ["id", "plan_id", "plan_version", "number", "published_at", "published_by", "content_sha256", "file_count", "output_dir"] as const;

type Row = { id: number; plan_id: number; plan_version: number; number: number; published_at: string; published_by: string; content_sha256: string; file_count: number; output_dir: string };

function toRecord(r: Row): PublicationRecord {
  return {
    id: r.id,
    planId: r.plan_id,
    planVersion: r.plan_version,
    number: r.number,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
    contentSha256: r.content_sha256,
    fileCount: r.file_count,
    outputDir: r.output_dir,
  };
}

/** The next publication number of a plan (1 for the first). Call inside the insert's transaction. */
export async function nextPublicationNumber(store: Store, planId: number): Promise<number> {
  const r = await store.db.selectFrom("publication").select((eb) => eb.fn.max("number").as("n")).where("plan_id", "=", planId).executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

/** Records a publication under `number` (unique per plan); returns its id. */
export async function insertPublication(store: Store, p: NewPublication & { number: number }): Promise<number> {
  const row = await store.db
    .insertInto("publication")
    .values({
      plan_id: p.planId,
      plan_version: p.planVersion,
      number: p.number,
      published_at: p.publishedAt,
      published_by: p.publishedBy,
      content_sha256: p.contentSha256,
      file_count: p.fileCount,
      output_dir: p.outputDir,
      snapshot: p.snapshot,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every publication, newest first (of one plan when `planId` is given). */
export async function listPublications(store: Store, planId?: number): Promise<PublicationRecord[]> {
  let q = store.db.selectFrom("publication").select([...COLUMNS]);
  if (planId !== undefined) q = q.where("plan_id", "=", planId);
  const rows = await q.orderBy("published_at", "desc").orderBy("id", "desc").execute();
  return rows.map(toRecord);
}

/** One publication with its snapshot (canonical JSON), or null. */
export async function findPublication(store: Store, id: number): Promise<(PublicationRecord & { snapshot: string }) | null> {
  const r = await store.db
    .selectFrom("publication")
    .select([...COLUMNS, "snapshot"])
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? { ...toRecord(r), snapshot: r.snapshot } : null;
}
