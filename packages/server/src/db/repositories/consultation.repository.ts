import type { PublicResponseChannel } from "@safecity/core";
import type { Store } from "../database.ts";

/*
 * Public consultation responses (migration 0008): one row per response, one row per priority
 * commented on. Never read by publishing.
 */

export interface NewPublicResponse {
  planId: number;
  planVersion: number;
  consultationStarted: string | null;
  channel: PublicResponseChannel;
  organisation: string | null;
  overall: string;
  /** `file:line` of a survey row; null from the web form. */
  source: string | null;
  createdAt: string;
  comments: { priorityId: number; position: number; title: string; comment: string }[];
}

export interface PublicResponseComment {
  priorityId: number | null;
  position: number;
  title: string;
  comment: string;
}

export interface PublicResponse {
  id: number;
  planId: number;
  planVersion: number;
  consultationStarted: string | null;
  channel: PublicResponseChannel;
  organisation: string | null;
  overall: string;
  source: string | null;
  tags: string[];
  rowVersion: number;
  createdAt: string;
  comments: PublicResponseComment[];
}

/** Inserts a response with its comments; returns its id (call inside a transaction). */
export async function insertPublicResponse(store: Store, r: NewPublicResponse): Promise<number> {
  const row = await store.db
    .insertInto("public_response")
    .values({
      plan_id: r.planId,
      plan_version: r.planVersion,
      consultation_started: r.consultationStarted,
      channel: r.channel,
      organisation: r.organisation,
      overall: r.overall,
      source: r.source,
      created_at: r.createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (r.comments.length) {
    await store.db
      .insertInto("public_response_comment")
      .values(r.comments.map((c) => ({ response_id: row.id, priority_id: c.priorityId, priority_position: c.position, priority_title: c.title, comment: c.comment })))
      .execute();
  }
  return row.id;
}

/** A plan's responses, oldest first, each with its comments in priority order. */
export async function listPublicResponses(store: Store, planId: number): Promise<PublicResponse[]> {
  const rows = await store.db.selectFrom("public_response").selectAll().where("plan_id", "=", planId).orderBy("id").execute();
  if (rows.length === 0) return [];
  const comments = await store.db
    .selectFrom("public_response_comment")
    .innerJoin("public_response", "public_response.id", "public_response_comment.response_id")
    .select(["public_response_comment.response_id", "priority_id", "priority_position", "priority_title", "comment"])
    .where("public_response.plan_id", "=", planId)
    .orderBy("public_response_comment.response_id")
    .orderBy("priority_position")
    .orderBy("public_response_comment.id")
    .execute();
  const byResponse = new Map<number, PublicResponseComment[]>();
  for (const c of comments) {
    const list = byResponse.get(c.response_id) ?? [];
    list.push({ priorityId: c.priority_id, position: c.priority_position, title: c.priority_title, comment: c.comment });
    byResponse.set(c.response_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    planVersion: r.plan_version,
    consultationStarted: r.consultation_started,
    channel: r.channel as PublicResponseChannel,
    organisation: r.organisation,
    overall: r.overall,
    source: r.source,
    tags: JSON.parse(r.tags) as string[],
    rowVersion: r.row_version,
    createdAt: r.created_at,
    comments: byResponse.get(r.id) ?? [],
  }));
}

export async function findPublicResponse(store: Store, id: number): Promise<{ id: number; planId: number; tags: string[]; rowVersion: number } | null> {
  const r = await store.db.selectFrom("public_response").select(["id", "plan_id", "tags", "row_version"]).where("id", "=", id).executeTakeFirst();
  return r ? { id: r.id, planId: r.plan_id, tags: JSON.parse(r.tags) as string[], rowVersion: r.row_version } : null;
}

/** Replaces a response's tags if it is still at `rowVersion`; returns rows changed (0 or 1). */
export async function updatePublicResponseTags(store: Store, id: number, rowVersion: number, tags: string[]): Promise<number> {
  const r = await store.db
    .updateTable("public_response")
    .set((eb) => ({ tags: JSON.stringify(tags), row_version: eb("row_version", "+", 1) }))
    .where("id", "=", id)
    .where("row_version", "=", rowVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** How many responses a plan has, by channel. */
export async function countPublicResponses(store: Store, planId: number): Promise<Record<PublicResponseChannel, number>> {
  const rows = await store.db
    .selectFrom("public_response")
    .select(["channel", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("plan_id", "=", planId)
    .groupBy("channel")
    .execute();
  const out: Record<PublicResponseChannel, number> = { web: 0, survey: 0 };
  for (const r of rows) if (r.channel === "web" || r.channel === "survey") out[r.channel] = Number(r.n);
  return out;
}
