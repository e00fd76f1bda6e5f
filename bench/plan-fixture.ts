/**
 * The plan bench:plan measures, built through the real services (every step validated and audited
 * as in use): 10 partner organisations (each with an editor), indicators, a plan for an area with
 * 5 priorities, 50 targets and 200 key actions with 2 progress updates each.
 *
 * Indicators (25, two targets each, one per deadline):
 *   15 derived from the roll-up on the plan's area: 5 crime groups × count (by month), rate per
 *      1,000 (by quarter) and most-similar-group rank (by quarter);
 *   10 imported series for the plan's area: the 6 built-in ones and 4 defined here, with three
 *      years of values (36 months, 12 quarters or 5 financial years), imported from one CSV file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Indicator, type PeriodType, periodOfMonth } from "@safecity/core";
import type { Store } from "../packages/server/src/db/database.ts";
import { resolveArea } from "../packages/server/src/services/area.service.ts";
import { importIndicatorFile } from "../packages/server/src/services/indicator-import.service.ts";
import { defineIndicator, ensureStandardIndicators, indicatorSeries, listIndicators } from "../packages/server/src/services/indicator.service.ts";
import { addAction, addPriority, addProgress, addTarget, createPlan, type PlanActor } from "../packages/server/src/services/plan.service.ts";
import { createUser } from "../packages/server/src/services/user.service.ts";

export interface BenchPlan {
  planId: number;
  areaCode: string;
  areaName: string;
  targets: number;
  actions: number;
  progressUpdates: number;
  organisations: number;
  derivedIndicators: number;
  importedIndicators: number;
  importedValues: number;
}

const CRIME_GROUPS = ["All crime", "Violence and sexual offences", "Burglary", "Anti-social behaviour", "Vehicle crime"] as const;
const DERIVED_MEASURES = [
  { measure: "count", unit: "count", periodType: "month", slug: "count" },
  { measure: "rate_per_1000", unit: "rate_per_1000", periodType: "quarter", slug: "rate" },
  { measure: "msg_rank", unit: "rank", periodType: "quarter", slug: "msg-rank" },
] as const;
const EXTRA_IMPORTED = [
  { key: "bench-hate-crime-reports", name: "Hate crime reports to third-party centres", unit: "count", periodType: "quarter" },
  { key: "bench-reoffending-rate", name: "Proven reoffending rate, adults", unit: "percent", periodType: "quarter" },
  { key: "bench-street-drinking", name: "Street drinking reports", unit: "count", periodType: "month" },
  { key: "bench-victim-satisfaction", name: "Victims satisfied with the service", unit: "percent", periodType: "financial_year" },
] as const;
const ORGANISATIONS = [
  ["Southampton City Council Community Safety", "council"],
  ["Hampshire and Isle of Wight Constabulary", "police"],
  ["Hampshire and Isle of Wight Fire and Rescue", "fire"],
  ["Hampshire and Isle of Wight Integrated Care Board", "health"],
  ["Probation Service Southampton", "probation"],
  ["Southampton City Council Licensing", "council"],
  ["Southampton City Council Housing", "council"],
  ["Youth Justice Service", "council"],
  ["Victim Support Southampton", "voluntary"],
  ["Southampton Street Pastors", "voluntary"],
] as const;
const STATUSES = ["on_track", "at_risk", "off_track", "completed", "not_started"] as const;

/** Months from `from` for `n` months, YYYY-MM. */
function months(from: string, n: number): string[] {
  const [y, m] = from.split("-").map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + (m - 1) + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
  });
}

/** Three years of periods of a type ending with 2025/26 (April 2023 to March 2026); five financial years. */
function periodsOf(type: PeriodType): string[] {
  if (type === "financial_year") return ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"];
  return [...new Set(months("2023-04", 36).map((m) => periodOfMonth(type, m)))];
}

/** A deterministic series with a trend and some seasonality (no clock, no randomness). */
function seriesValue(unit: string, i: number, k: number): number {
  const wave = Math.sin((i + k) * 0.9) * 0.06;
  if (unit === "percent") return Math.round((60 - k + i * 0.3 + wave * 20) * 10) / 10;
  return Math.round((120 + 37 * k) * (1 - i * 0.004 + wave));
}

const deadlineFor = (type: PeriodType, late: boolean): string =>
  type === "financial_year" ? (late ? "2027/28" : "2026/27") : type === "quarter" ? (late ? "2027-Q4" : "2026-Q4") : late ? "2027-12" : "2026-12";

export async function buildBenchPlan(store: Store, opts: { area: string; now: Date; log: (s: string) => void }): Promise<BenchPlan> {
  const now = opts.now;
  const actorBase = { label: "bench", ip: null };
  const manager: PlanActor = { ...actorBase, email: "bench", role: "admin", organisationId: null };
  const area = await resolveArea(store, opts.area);
  const areaCode = area.ref.code;
  if (!areaCode) throw new Error(`${opts.area} has no ONS code: the plan bench needs reference data`);

  const orgIds: number[] = [];
  for (const [i, [name, kind]] of ORGANISATIONS.entries()) {
    const { user } = await createUser(
      store,
      { email: `editor${i + 1}@bench.example.org`, name: `Editor ${i + 1}`, role: "editor", organisation: name, organisationKind: kind, password: "bench-password-123" },
      actorBase,
      now,
    );
    orgIds.push(user.organisation!.id);
  }

  // Indicators: derived on the plan's area, imported with three years of values.
  const derived: Indicator[] = [];
  for (const crime of CRIME_GROUPS) {
    for (const d of DERIVED_MEASURES) {
      const slug = crime.toLowerCase().replace(/[^a-z]+/g, "-");
      derived.push(
        await defineIndicator(
          store,
          {
            key: `bench-${slug}-${d.slug}`,
            name: `${crime} in ${area.ref.name}: ${d.slug} (police.uk)`,
            unit: d.unit,
            polarity: "lower_is_better",
            periodType: d.periodType,
            derived: { areaCode, crime, measure: d.measure },
          },
          { actor: actorBase, now },
        ),
      );
    }
  }
  await ensureStandardIndicators(store, { actor: actorBase, now });
  for (const x of EXTRA_IMPORTED) await defineIndicator(store, { ...x, polarity: x.unit === "percent" ? "higher_is_better" : "lower_is_better" }, { actor: actorBase, now });
  const imported = (await listIndicators(store)).filter((i) => i.source === "imported");
  const lines = ["indicator,area,period,value"];
  for (const [k, ind] of imported.entries()) for (const [i, p] of periodsOf(ind.periodType).entries()) lines.push(`${ind.key},${areaCode},${p},${seriesValue(ind.unit, i, k)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-bench-plan-"));
  try {
    const file = path.join(dir, "bench-indicators.csv");
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    const report = await importIndicatorFile(store, file, { actor: actorBase, now });
    if (report.errors.length) throw new Error(`indicator file refused: ${report.errors.map((e) => e.message).join("; ")}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const plan = await createPlan(
    store,
    manager,
    { title: `${area.ref.name} Community Safety Partnership Plan 2025-2028 (benchmark)`, areaCode, periodFrom: "2025-04", periodTo: "2028-03" },
    now,
  );
  const priorities = [];
  for (const [i, title] of ["Reduce violent crime", "Tackle anti-social behaviour", "Reduce reoffending", "Protect vulnerable victims", "Safer neighbourhoods"].entries()) {
    priorities.push(await addPriority(store, manager, plan.id, { title, rationale: `Benchmark priority ${i + 1}`, years: ["2025/26", "2026/27", "2027/28"] }, now));
  }

  // 50 targets: two per indicator (deadlines 2026 and 2027), baseline the first value measured.
  let targets = 0;
  for (const [k, indicator] of [...derived, ...imported].entries()) {
    const series = await indicatorSeries(store, indicator, indicator.source === "derived" ? undefined : areaCode);
    const baseline = series.values[0] ?? { period: periodsOf(indicator.periodType)[0]!, value: 100 };
    for (const late of [false, true]) {
      await addTarget(
        store,
        manager,
        plan.id,
        {
          priorityId: priorities[k % priorities.length]!.id,
          indicatorId: indicator.id,
          baselinePeriod: baseline.period,
          baselineValue: baseline.value,
          kind: indicator.unit === "rank" || indicator.unit === "percent" ? "value" : "change_percent",
          targetValue: indicator.unit === "rank" ? 3 : indicator.unit === "percent" ? 55 : late ? -10 : -4,
          deadline: deadlineFor(indicator.periodType, late),
        },
        now,
      );
      targets++;
    }
  }
  opts.log(`  ${targets} targets on ${derived.length} derived and ${imported.length} imported indicators`);

  // 200 actions across the 10 organisations, each with two milestones and two progress updates.
  let progressUpdates = 0;
  for (let i = 0; i < 200; i++) {
    const action = await addAction(
      store,
      manager,
      plan.id,
      {
        priorityId: priorities[i % priorities.length]!.id,
        title: `Key action ${i + 1}: ${["patrols", "outreach", "licensing checks", "target hardening", "diversion"][i % 5]} in priority area ${(i % 17) + 1}`,
        ownerOrganisationId: orgIds[i % orgIds.length]!,
        leadRole: ["Community Safety Manager", "District Commander", "Licensing Manager", "Youth Justice Manager", "Service Lead"][i % 5]!,
        startDate: "2025-04-01",
        dueDate: `202${6 + (i % 2)}-03-31`,
        milestones: [
          { title: "Scoped with partners", due: "2025-06-30", done: true },
          { title: "Delivered", due: `202${6 + (i % 2)}-03-31`, done: false },
        ],
        budgetLine: i % 4 === 0 ? `CSP-${String(i).padStart(3, "0")}` : null,
      },
      now,
    );
    for (const [j, date] of ["2025-07-15", "2025-10-15"].entries()) {
      await addProgress(store, manager, action.id, { date, status: STATUSES[(i + j) % STATUSES.length]!, note: `Quarter ${j + 1} update for action ${i + 1}` }, now);
      progressUpdates++;
    }
  }
  return {
    planId: plan.id,
    areaCode,
    areaName: area.ref.name,
    targets,
    actions: 200,
    progressUpdates,
    organisations: orgIds.length,
    derivedIndicators: derived.length,
    importedIndicators: imported.length,
    importedValues: lines.length - 1,
  };
}
