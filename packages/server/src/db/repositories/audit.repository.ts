import type { Store } from "../database.ts";

export interface AuditEntry {
  at: string;
  /** Email of the signed-in user, `cli:<os user>`, or the email tried at a failed sign-in. */
  actor: string;
  /** Dotted verb: `auth.login`, `auth.login_failed`, `auth.logout`, `user.create`, `user.role_change`, … */
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  /** The plan the change belongs to, for the per-plan timeline (null for other changes). */
  planId?: number | null;
}

export async function insertAudit(store: Store, e: AuditEntry): Promise<void> {
  await store.db
    .insertInto("audit_log")
    .values({
      at: e.at,
      actor: e.actor,
      action: e.action,
      target: e.target,
      before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
      after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
      ip: e.ip,
      plan_id: e.planId ?? null,
    })
    .execute();
}

/** Most recent first; `planId` gives a plan's timeline, `target` (`action:17`) a record's. */
export async function listAudit(
  store: Store,
  opts: { limit?: number; action?: string; planId?: number; target?: string } = {},
): Promise<(AuditEntry & { id: number })[]> {
  let q = store.db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(opts.limit ?? 100);
  if (opts.action) q = q.where("action", "=", opts.action);
  if (opts.planId !== undefined) q = q.where("plan_id", "=", opts.planId);
  if (opts.target !== undefined) q = q.where("target", "=", opts.target);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
    ip: r.ip,
    planId: r.plan_id,
  }));
}
