import { ACTION_STATUSES, type Rollup } from "@safecity/core";
import type { PerformanceReport } from "../services/performance.service.ts";
import type { DataTable } from "./csv.ts";
import { ACTION_STATUS_LABELS, RAG_LABELS } from "./plan-components.tsx";

/**
 * The performance report's roll-up tables (page and CSV alike): key actions by status and by the
 * RAG their status stands for, and targets by RAG, per priority and per owner organisation.
 */

const RAG_KEYS = ["green", "amber", "red", "no_data"] as const;

function rollupColumns(withTargets: boolean): string[] {
  return [
    "Actions",
    ...ACTION_STATUSES.map((s) => ACTION_STATUS_LABELS[s]),
    ...RAG_KEYS.map((r) => `Actions ${RAG_LABELS[r]}`),
    ...(withTargets ? ["Targets", ...RAG_KEYS.map((r) => `Targets ${RAG_LABELS[r]}`)] : []),
  ];
}

function rollupCells(r: Rollup, withTargets: boolean): number[] {
  return [
    r.actions,
    ...ACTION_STATUSES.map((s) => r.actionsByStatus[s]),
    ...RAG_KEYS.map((k) => r.actionsByRag[k]),
    ...(withTargets ? [r.targets, ...RAG_KEYS.map((k) => r.targetsByRag[k])] : []),
  ];
}

export function rollupTables(report: PerformanceReport): DataTable[] {
  const byPriorityHeader = ["Priority", ...rollupColumns(true)];
  const byOwnerHeader = ["Owner", ...rollupColumns(false)];
  return [
    {
      id: "priorities",
      caption: "Key actions and targets per priority",
      header: byPriorityHeader,
      numeric: byPriorityHeader.map((_, i) => i > 0),
      rows: [
        ...report.byPriority.map((p) => [`${p.position}. ${p.title}`, ...rollupCells(p.rollup, true)]),
        ["Whole plan", ...rollupCells(report.overall, true)],
      ],
    },
    {
      id: "owners",
      caption: "Key actions per owner organisation",
      header: byOwnerHeader,
      numeric: byOwnerHeader.map((_, i) => i > 0),
      rows: report.byOwner.map((o) => [o.name, ...rollupCells(o.rollup, false)]),
    },
  ];
}
