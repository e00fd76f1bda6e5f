/**
 * Roll-ups for the quarterly performance report: key actions counted by status and by the RAG their
 * status stands for, and targets counted by RAG, for a priority, an owner or the whole plan.
 */
import { ACTION_STATUSES, type ActionStatus, type Rag } from "./plan.types.ts";

export const RAGS: readonly Rag[] = ["green", "amber", "red", "no_data"];

/**
 * The RAG an action's status stands for: on track and completed are Green, at risk Amber, off track
 * Red, not started has no RAG yet (`no_data`); a cancelled action is left out of the RAG counts.
 */
export const ACTION_STATUS_RAG: Readonly<Record<ActionStatus, Rag | null>> = {
  not_started: "no_data",
  on_track: "green",
  completed: "green",
  at_risk: "amber",
  off_track: "red",
  cancelled: null,
};

export interface Rollup {
  actions: number;
  actionsByStatus: Record<ActionStatus, number>;
  /** Actions by the RAG of their status (cancelled ones are not counted here). */
  actionsByRag: Record<Rag, number>;
  targets: number;
  targetsByRag: Record<Rag, number>;
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Counts actions by status and status RAG, and targets by RAG. */
export function rollUp(actions: readonly { status: ActionStatus }[], targets: readonly { rag: Rag }[]): Rollup {
  const out: Rollup = { actions: actions.length, actionsByStatus: zeros(ACTION_STATUSES), actionsByRag: zeros(RAGS), targets: targets.length, targetsByRag: zeros(RAGS) };
  for (const a of actions) {
    out.actionsByStatus[a.status]++;
    const rag = ACTION_STATUS_RAG[a.status];
    if (rag) out.actionsByRag[rag]++;
  }
  for (const t of targets) out.targetsByRag[t.rag]++;
  return out;
}

/** One roll-up per key (priority id, owner organisation id, …), keys in first-seen order of `keys`. */
export function rollUpBy<K>(
  keys: readonly K[],
  actions: readonly { status: ActionStatus; key: K }[],
  targets: readonly { rag: Rag; key: K }[],
): { key: K; rollup: Rollup }[] {
  return [...new Set(keys)].map((key) => ({
    key,
    rollup: rollUp(
      actions.filter((a) => a.key === key),
      targets.filter((t) => t.key === key),
    ),
  }));
}
