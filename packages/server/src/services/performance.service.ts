import {
  AppError,
  type Indicator,
  type IndicatorValue,
  type Plan,
  type Rollup,
  type Target,
  type TargetPerformance,
  rollUp,
  rollUpBy,
  targetPerformance,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { listActions, listPriorities, listTargets } from "../db/repositories/plan-content.repository.ts";
import { indicatorsByIds } from "../db/repositories/plan-indicator.repository.ts";
import { findPlan } from "../db/repositories/plan.repository.ts";
import type { DerivedSeriesCache, LeftOutPeriod } from "./derived-indicator.service.ts";
import { indicatorSeries } from "./indicator.service.ts";

/** A target with its indicator, the series it was measured on, and its measured position. */
export interface MeasuredTarget {
  target: Target;
  indicator: Indicator;
  priorityTitle: string | null;
  /** The area measured: a derived indicator's own area, else the plan's. */
  area: { code: string | null; name: string };
  series: IndicatorValue[];
  leftOut: LeftOutPeriod[];
  performance: TargetPerformance;
  notes: string[];
}

export interface PerformanceReport {
  plan: Plan;
  targets: MeasuredTarget[];
  overall: Rollup;
  byPriority: { priorityId: number; position: number; title: string; rollup: Rollup }[];
  /** Key actions by owner organisation (targets are not owned, so these carry actions only). */
  byOwner: { organisationId: number; name: string; rollup: Rollup }[];
}

/**
 * Every target of a plan measured now: imported indicators on the plan's area, derived ones from
 * the roll-up on their own area (computed at read time, so as current as the data). Each
 * indicator's series is loaded once however many targets use it, and derived indicators on one
 * area share one load of its scope and roll-up rows.
 */
async function measureTargets(store: Store, plan: Plan): Promise<MeasuredTarget[]> {
  const targets = await listTargets(store, plan.id);
  const priorities = await listPriorities(store, plan.id);
  const indicators = await indicatorsByIds(
    store,
    targets.map((t) => t.indicatorId),
  );
  const series = new Map<number, Awaited<ReturnType<typeof indicatorSeries>>>();
  const areaData: DerivedSeriesCache = new Map();
  const out: MeasuredTarget[] = [];
  for (const target of targets) {
    const indicator = indicators.get(target.indicatorId);
    if (!indicator) throw new AppError("indicator.not_found", `target ${target.id} names indicator ${target.indicatorId}, which does not exist`);
    let s = series.get(indicator.id);
    if (!s) {
      s = await indicatorSeries(store, indicator, indicator.source === "derived" ? undefined : plan.areaCode, areaData);
      series.set(indicator.id, s);
    }
    out.push({
      target,
      indicator,
      priorityTitle: priorities.find((p) => p.id === target.priorityId)?.title ?? null,
      area: s.area,
      series: s.values,
      leftOut: s.leftOut,
      performance: explainNoData(targetPerformance(target, indicator, s.values), s),
      notes: s.notes,
    });
  }
  return out;
}

/**
 * A target with no value says why when the series knows (no population for a rate, months missing,
 * an area without data), instead of core's generic "no value has been recorded".
 */
function explainNoData(p: TargetPerformance, s: { notes: string[]; leftOut: { period: string; reason: string }[] }): TargetPerformance {
  if (p.rag !== "no_data") return p;
  const why = [...s.notes, ...s.leftOut.map((l) => `${l.period}: ${l.reason}`)];
  return why.length === 0 ? p : { ...p, ragReason: `No value to measure: ${why.join("; ")}` };
}

async function requirePlan(store: Store, planId: number): Promise<Plan> {
  const plan = await findPlan(store, planId);
  if (!plan) throw new AppError("plan.not_found", `no plan ${planId}`, { hint: "`safecity plan list` shows the plans" });
  return plan;
}

/** Target id -> its measured position (latest, change, direction, RAG, significance, forecast). */
export async function performanceForPlan(store: Store, planId: number): Promise<Map<number, TargetPerformance>> {
  const measured = await measureTargets(store, await requirePlan(store, planId));
  return new Map(measured.map((m) => [m.target.id, m.performance]));
}

/** The quarterly performance report: every target measured, and actions and targets rolled up per priority, per owner and overall. */
export async function performanceReport(store: Store, planId: number): Promise<PerformanceReport> {
  const plan = await requirePlan(store, planId);
  const targets = await measureTargets(store, plan);
  const priorities = await listPriorities(store, plan.id);
  const actions = await listActions(store, plan.id);
  const targetRags = targets.map((t) => ({ rag: t.performance.rag, key: t.target.priorityId }));
  const byPriority = rollUpBy(
    priorities.map((p) => p.id),
    actions.map((a) => ({ status: a.status, key: a.priorityId as number | null })),
    targetRags,
  ).map(({ key, rollup }) => {
    const p = priorities.find((x) => x.id === key)!;
    return { priorityId: p.id, position: p.position, title: p.title, rollup };
  });
  const owners = [...new Map(actions.map((a) => [a.ownerOrganisationId, a.ownerOrganisationName])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const byOwner = rollUpBy(
    owners.map(([id]) => id),
    actions.map((a) => ({ status: a.status, key: a.ownerOrganisationId })),
    [],
  ).map(({ key, rollup }) => ({ organisationId: key, name: owners.find(([id]) => id === key)![1], rollup }));
  return { plan, targets, overall: rollUp(actions, targetRags), byPriority, byOwner };
}

/** 12 significant digits: -2.599999999999998 (float arithmetic) reads -2.6; a p value of 1.2e-10 keeps its digits. */
function withoutFloatNoise<T>(v: T): T {
  return (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(12)) : v) as T;
}

/** The report's targets as one table (the page's table and its CSV download): a row per target. */
export function performanceTable(report: PerformanceReport): { header: string[]; rows: (string | number | null)[][] } {
  const header = [
    "target",
    "priority",
    "indicator",
    "unit",
    "area",
    "baseline period",
    "baseline value",
    "goal",
    "deadline",
    "latest period",
    "latest value",
    "same period last year",
    "change",
    "change percent",
    "direction",
    "rag",
    "rag reason",
    "significant",
    "p value",
    "forecast",
    "forecast lower (95%)",
    "forecast upper (95%)",
  ];
  const rows = report.targets.map(({ target, indicator, priorityTitle, area, performance: p }) =>
    [
      target.id,
      priorityTitle,
      indicator.key,
      indicator.unit,
      area.code ?? area.name,
      target.baselinePeriod,
      target.baselineValue,
      p.goal,
      target.deadline,
      p.latest?.period ?? null,
      p.latest?.value ?? null,
      p.change?.from.value ?? null,
      p.change?.absolute ?? null,
      p.change?.percent ?? null,
      p.direction,
      p.rag,
      p.ragReason,
      p.significance ? (p.significance.significant ? "yes" : "no") : null,
      p.significance?.pValue ?? null,
      p.forecast?.value ?? null,
      p.forecast?.lower ?? null,
      p.forecast?.upper ?? null,
    ].map(withoutFloatNoise),
  );
  return { header, rows };
}
