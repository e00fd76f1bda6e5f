import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Store } from "../db/database.ts";
import { inTransaction } from "../db/transaction.ts";
import { insertOrganisation } from "../db/repositories/user.repository.ts";
import { type Actor, audit } from "../services/audit.ts";
import { allocateGrant, createBudget, payGrant } from "../services/grant.service.ts";
import { importIndicatorFile } from "../services/indicator-import.service.ts";
import { defineIndicator, ensureStandardIndicators, indicatorSeries, listIndicators } from "../services/indicator.service.ts";
import { performanceForPlan } from "../services/performance.service.ts";
import { assessPriorityAreas } from "../services/priority-areas.service.ts";
import { recordConsultationResponse, transition } from "../services/plan-governance.service.ts";
import { addAction, addLink, addPriority, addProgress, addTarget, createPlan, type PlanActor, setPartner, updatePriority } from "../services/plan.service.ts";
import type { DemoCity } from "./demo-city.ts";
import { DEMO_DERIVED, DEMO_IMPORTED_SERIES, DEMO_TARGETS, importedSeriesCsv } from "./demo-indicators.ts";
import { DEMO_ACTIONS, DEMO_GRANTS, DEMO_LINKS, DEMO_ORGANISATIONS, DEMO_PLAN, DEMO_PRIORITIES } from "./demo-plan-content.ts";

export interface DemoPlanReport {
  planId: number;
  state: string;
  priorities: number;
  actions: number;
  targets: number;
  /** Targets by RAG colour, measured by the performance service. */
  rag: Record<string, number>;
  organisations: number;
  grantsPence: number;
  allocations: number;
}

/** A moment on a meeting's day, so the audit timeline reads in the plan's own dates. */
const on = (date: string, hour = 10): Date => new Date(`${date}T${String(hour).padStart(2, "0")}:00:00Z`);

/**
 * The demo partnership plan, in one transaction, through the plan, indicator, grant and
 * governance services (so every step has its audit row): partner organisations, indicators and
 * their series, the plan with three priorities, key actions, targets and read-across links; then
 * consultation with responses, Cabinet's recommendation with the delegation, one delegated
 * amendment by the delegate, Full Council's approval and publication; then monitoring (progress
 * updates) and the £75,000 grants budget with its four allocations and first payments.
 */
export async function loadDemoPlan(store: Store, city: DemoCity, opts: { actor: Actor; now: () => Date }): Promise<DemoPlanReport> {
  const manager: PlanActor = { ...opts.actor, email: opts.actor.label, role: "admin", organisationId: null };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-demo-indicators-"));
  try {
    return await inTransaction(store, async (tx) => {
      const started = on(DEMO_PLAN.consultationDate, 9);
      const ctx = { actor: opts.actor, now: started };

      // Partner organisations, flagged demo.
      const orgIds = new Map<string, number>();
      for (const o of DEMO_ORGANISATIONS) {
        const id = await insertOrganisation(tx, { name: o.name, kind: o.kind, createdAt: started.toISOString(), demo: true });
        orgIds.set(o.key, id);
        await audit(tx, opts.actor, started, "organisation.create", o.name, { after: { name: o.name, kind: o.kind, demo: true } });
      }

      // Indicators: the built-in imported ones (created as demo when not yet stored), their series, and two derived.
      await ensureStandardIndicators(tx, { ...ctx, demo: true });
      const file = path.join(dir, "demo-indicators.csv");
      fs.writeFileSync(file, importedSeriesCsv(city.city.cspCode));
      const imported = await importIndicatorFile(tx, file, { ...ctx, label: "demo-indicators.csv (synthetic)" });
      if (imported.errors.length) throw new Error(`the demo's indicator series were refused: ${imported.errors.map((e) => e.message).join("; ")}`);
      for (const d of DEMO_DERIVED) {
        await defineIndicator(
          tx,
          { key: d.key, name: d.name, unit: "count", polarity: "lower_is_better", periodType: "quarter", derived: { areaCode: city.city.ladCode, crime: d.crime, measure: "count" }, demo: true },
          ctx,
        );
      }
      const indicators = new Map((await listIndicators(tx)).map((i) => [i.key, i]));

      // The plan in draft: priorities, actions, targets, links, partners.
      const plan = await createPlan(
        tx,
        manager,
        {
          title: DEMO_PLAN.title,
          areaCode: city.city.cspCode,
          partnershipName: DEMO_PLAN.partnershipName,
          periodFrom: DEMO_PLAN.periodFrom,
          periodTo: DEMO_PLAN.periodTo,
          assessmentRef: DEMO_PLAN.assessmentRef,
          keyDecision: true,
          forwardPlanNoticeDate: DEMO_PLAN.forwardPlanNoticeDate,
          impactAssessment: { ...DEMO_PLAN.impactAssessment },
          delegation: { ...DEMO_PLAN.delegation },
          consultees: [...DEMO_PLAN.consultees],
          demo: true,
        },
        on("2025-05-12"),
      );
      const drafted = on("2025-05-12", 11);
      // The areas each priority targets: the assessment's priority areas (crime rate and IMD) for its crime group.
      const priorityAreas = async (type: string | null, top: number): Promise<string[]> => {
        if (type === null) return [city.city.ladCode];
        const found = await assessPriorityAreas(tx, { area: city.city.ladCode, type, from: "2025-01", to: "2025-12", top });
        return found.result?.areas.map((a) => a.code) ?? [city.city.ladCode];
      };
      const priorities = [];
      for (const [i, p] of DEMO_PRIORITIES.entries()) {
        priorities.push(
          await addPriority(
            tx,
            manager,
            plan.id,
            { title: p.title, rationale: p.rationale, evidence: [...p.evidence], areaCodes: await priorityAreas(p.areasFor, 5), years: [...DEMO_PLAN.years], position: i + 1 },
            drafted,
          ),
        );
      }
      const actions = [];
      for (const a of DEMO_ACTIONS) {
        actions.push(
          await addAction(
            tx,
            manager,
            plan.id,
            {
              priorityId: priorities[a.priority]!.id,
              title: a.title,
              ownerOrganisationId: orgIds.get(a.owner)!,
              leadRole: a.leadRole,
              startDate: a.startDate,
              dueDate: a.dueDate,
              milestones: a.milestones.map((m) => ({ ...m })),
              status: a.status,
              budgetLine: a.budgetLine,
            },
            drafted,
          ),
        );
      }
      for (const t of DEMO_TARGETS) {
        const indicator = indicators.get(t.indicatorKey)!;
        const series =
          indicator.source === "derived" ? (await indicatorSeries(tx, indicator)).values : (DEMO_IMPORTED_SERIES.find((s) => s.key === t.indicatorKey)?.values ?? []);
        const baseline = series.find((v) => v.period === t.baselinePeriod);
        if (!baseline) throw new Error(`the demo has no ${t.indicatorKey} value for ${t.baselinePeriod} to set a baseline`);
        await addTarget(
          tx,
          manager,
          plan.id,
          {
            priorityId: priorities[t.priority]!.id,
            indicatorId: indicator.id,
            baselinePeriod: t.baselinePeriod,
            baselineValue: baseline.value,
            kind: t.kind,
            targetValue: t.targetValue,
            deadline: t.deadline,
          },
          drafted,
        );
      }
      for (const l of DEMO_LINKS) await addLink(tx, manager, plan.id, { kind: l.kind, name: l.name, note: l.note }, drafted);
      for (const o of DEMO_ORGANISATIONS) await setPartner(tx, manager, plan.id, orgIds.get(o.key)!, o.role, drafted);

      // Governance: consultation, Cabinet with the delegation, a delegated amendment, Council, publication.
      await transition(tx, manager, plan.id, { to: "consultation", date: DEMO_PLAN.consultationDate }, on(DEMO_PLAN.consultationDate));
      for (const r of DEMO_PLAN.responses) await recordConsultationResponse(tx, manager, plan.id, { ...r }, on(r.date, 14));
      await transition(
        tx,
        manager,
        plan.id,
        { to: "recommended", date: DEMO_PLAN.cabinet.date, resolution: DEMO_PLAN.cabinet.resolution, delegation: { ...DEMO_PLAN.delegation } },
        on(DEMO_PLAN.cabinet.date, 18),
      );
      const delegate: PlanActor = {
        label: DEMO_PLAN.delegation.delegateEmail,
        ip: null,
        email: DEMO_PLAN.delegation.delegateEmail,
        role: "analyst",
        organisationId: orgIds.get("council")!,
      };
      const first = priorities[0]!;
      await updatePriority(
        tx,
        delegate,
        first.id,
        first.rowVersion,
        { rationale: `${first.rationale} About a third of it is in the night-time economy (Friday and Saturday nights in the city centre).` },
        on(DEMO_PLAN.amendment.date),
        { amendment: DEMO_PLAN.amendment.summary },
      );
      await transition(tx, manager, plan.id, { to: "approved", date: DEMO_PLAN.council.date, resolution: DEMO_PLAN.council.resolution }, on(DEMO_PLAN.council.date, 19));
      await transition(tx, manager, plan.id, { to: "published", date: DEMO_PLAN.publishedDate }, on(DEMO_PLAN.publishedDate));

      // Monitoring after approval: progress updates (each sets the action's status).
      for (const [i, a] of DEMO_ACTIONS.entries()) {
        for (const p of a.progress) await addProgress(tx, manager, actions[i]!.id, { ...p }, on(p.date, 16));
      }

      // Grants: the Community Safety Budget across four voluntary groups, half paid in October.
      const grantCtx = { actor: opts.actor, now: on(DEMO_GRANTS.paymentDate, 9) };
      const budget = await createBudget(tx, { planId: plan.id, year: DEMO_GRANTS.year, name: DEMO_GRANTS.name, amountPence: DEMO_GRANTS.amountPence, demo: true }, grantCtx);
      for (const g of DEMO_GRANTS.allocations) {
        const organisation = DEMO_ORGANISATIONS.find((o) => o.key === g.organisation)!.name;
        const actionId = g.actionTitle === null ? null : actions[DEMO_ACTIONS.findIndex((a) => a.title === g.actionTitle)]!.id;
        const allocation = await allocateGrant(tx, { budgetId: budget.id, organisation, actionId, purpose: g.purpose, amountPence: g.amountPence }, grantCtx);
        await payGrant(tx, { allocationId: allocation.id, amountPence: g.amountPence / 2, date: DEMO_GRANTS.paymentDate, note: "first half" }, grantCtx);
      }

      const rag: Record<string, number> = {};
      for (const p of (await performanceForPlan(tx, plan.id)).values()) rag[p.rag] = (rag[p.rag] ?? 0) + 1;
      return {
        planId: plan.id,
        state: "published",
        priorities: priorities.length,
        actions: actions.length,
        targets: DEMO_TARGETS.length,
        rag,
        organisations: DEMO_ORGANISATIONS.length,
        grantsPence: DEMO_GRANTS.amountPence,
        allocations: DEMO_GRANTS.allocations.length,
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
