import type { Store } from "../db/database.ts";
import { insertAudit } from "../db/repositories/audit.repository.ts";

/** Who is acting: a signed-in user's email or `cli:<os user>`, and their address when known. */
export interface Actor {
  label: string;
  ip: string | null;
}

/** Writes one audit row; `planId` files it in that plan's timeline (call inside the change's transaction). */
export function audit(
  store: Store,
  actor: Actor,
  now: Date,
  action: string,
  target: string | null,
  change: { before?: unknown; after?: unknown } = {},
  planId: number | null = null,
): Promise<void> {
  return insertAudit(store, {
    at: now.toISOString(),
    actor: actor.label,
    action,
    target,
    before: change.before ?? null,
    after: change.after ?? null,
    ip: actor.ip,
    planId,
  });
}
