import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Role } from "@safecity/core";
import { expect } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { allocateGrant, createBudget, payGrant } from "../src/services/grant.service.ts";
import { importIndicatorFile } from "../src/services/indicator-import.service.ts";
import { listIndicators } from "../src/services/indicator.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { addAction, addPriority, addTarget, cliPlanActor, createPlan } from "../src/services/plan.service.ts";
import { createApiToken, createUser, listOrganisations } from "../src/services/user.service.ts";
import type { TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

/**
 * A store with the people the plan pages serve (admin, analyst, viewer, an editor of the
 * Licensing Service and one of the Fire and Rescue Service), a plan in draft with two priorities,
 * one key action owned by each organisation, two targets on imported quarterly indicators (one
 * met, one missed and worsening), and a £75,000 grants budget with one allocation and payment.
 */

export const BASE = "http://localhost";
export const XSS = "<script>alert(1)</script>";
const cli = { label: "cli:test", ip: null };

export const PEOPLE = {
  admin: { email: "admin@council.gov.uk", role: "admin" as Role, org: null },
  analyst: { email: "analyst@council.gov.uk", role: "analyst" as Role, org: null },
  viewer: { email: "viewer@council.gov.uk", role: "viewer" as Role, org: null },
  editorOwn: { email: "licensing@council.gov.uk", role: "editor" as Role, org: { name: "Licensing Service", kind: "council" } },
  editorOther: { email: "fire@fire.gov.uk", role: "editor" as Role, org: { name: "Fire and Rescue Service", kind: "fire" } },
};
export type Person = keyof typeof PEOPLE;

/** Quarterly values (hand-made): FTE 40 at baseline 2024-Q4, goal -10% = 36, latest 34 (green); fires 10 -> 16 against a goal of 10 (red, worsening). */
export const INDICATOR_CSV = [
  "indicator,area,period,value",
  ...[40, 38, 42, 40, 37, 36, 35, 34].map((v, i) => `fte-youth-justice,E06000045,${2024 + Math.floor(i / 4)}-Q${(i % 4) + 1},${v}`),
  ...[10, 12, 11, 10, 12, 14, 15, 16].map((v, i) => `deliberate-fires,E06000045,${2024 + Math.floor(i / 4)}-Q${(i % 4) + 1},${v}`),
].join("\n");

export interface PlanFixture {
  app: ReturnType<typeof createApp>;
  clock: Date;
  passwords: Record<string, string>;
  tokens: Record<string, string>;
  orgs: { own: number; other: number };
  planId: number;
  priorities: [number, number];
  actions: { own: number; other: number };
  targets: { met: number; missed: number };
  budgetId: number;
  allocationId: number;
}

export async function planFixture(store: TestStore, opts: { priorityTitle?: string } = {}): Promise<PlanFixture> {
  const clock = new Date("2026-02-01T10:00:00Z");
  const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
  const passwords: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const p of Object.values(PEOPLE)) {
    const r = await createUser(store, { email: p.email, name: p.email.split("@")[0]!, role: p.role, organisation: p.org?.name ?? null, organisationKind: p.org?.kind ?? null }, cli, clock);
    passwords[p.email] = r.generatedPassword!;
    tokens[p.email] = (await createApiToken(store, p.email, "test", cli, clock, { scope: "write" })).token;
  }
  const organisations = await listOrganisations(store);
  const orgs = { own: organisations.find((o) => o.name === "Licensing Service")!.id, other: organisations.find((o) => o.name === "Fire and Rescue Service")!.id };

  const actor = cliPlanActor("test");
  const plan = await createPlan(store, actor, { title: "Safer Southampton 2025-2028", areaCode: "E06000045", partnershipName: "Safe City Partnership", periodFrom: "2025-04", periodTo: "2028-03" }, clock);
  const p1 = await addPriority(store, actor, plan.id, { title: opts.priorityTitle ?? "Reduce violent crime", rationale: "Violence up 7% year on year (key message 3)", years: ["2025/26"] }, clock);
  const p2 = await addPriority(store, actor, plan.id, { title: "=cmd|' /C calc'!A0", rationale: "Deliberate fires rising" }, clock);
  const own = await addAction(store, actor, plan.id, { priorityId: p1.id, title: "Late-night levy enforcement patrols", ownerOrganisationId: orgs.own, leadRole: "Licensing Manager", startDate: "2025-04-01", dueDate: "2026-03-31", milestones: [{ title: "Levy consultation closes", due: "2025-09-30", done: false }, { title: "Levy in force", due: "2026-01-01", done: false }] }, clock);
  const other = await addAction(store, actor, plan.id, { priorityId: p2.id, title: "Arson reduction visits", ownerOrganisationId: orgs.other, leadRole: "Station Manager", startDate: "2025-04-01", dueDate: "2026-03-31" }, clock);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-plan-"));
  const file = path.join(dir, "indicators.csv");
  fs.writeFileSync(file, INDICATOR_CSV);
  const report = await importIndicatorFile(store, file, { actor: cli, now: clock });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(report.errors).toEqual([]);
  const indicators = await listIndicators(store);
  const fte = indicators.find((i) => i.key === "fte-youth-justice")!;
  const fires = indicators.find((i) => i.key === "deliberate-fires")!;
  const met = await addTarget(store, actor, plan.id, { priorityId: p1.id, indicatorId: fte.id, baselinePeriod: "2024-Q4", baselineValue: 40, kind: "change_percent", targetValue: -10, deadline: "2026-Q4" }, clock);
  const missed = await addTarget(store, actor, plan.id, { priorityId: p2.id, indicatorId: fires.id, baselinePeriod: "2024-Q4", baselineValue: 10, kind: "value", targetValue: 10, deadline: "2026-Q4" }, clock);

  const ctx = { actor: cli, now: clock };
  const budget = await createBudget(store, { planId: plan.id, year: "2025/26", name: "Community Safety Budget", amountPence: 7_500_000 }, ctx);
  const allocation = await allocateGrant(store, { budgetId: budget.id, organisation: "Licensing Service", actionId: own.id, purpose: "Street pastors", amountPence: 2_000_000 }, ctx);
  await payGrant(store, { allocationId: allocation.id, amountPence: 500_000, date: "2025-06-01", note: "first instalment" }, ctx);

  return {
    app,
    clock,
    passwords,
    tokens,
    orgs,
    planId: plan.id,
    priorities: [p1.id, p2.id],
    actions: { own: own.id, other: other.id },
    targets: { met: met.id, missed: missed.id },
    budgetId: budget.id,
    allocationId: allocation.id,
  };
}

/** A browser signed in as `who`, holding the CSRF token of the plan list page. */
export async function signedIn(f: PlanFixture, who: Person): Promise<TestBrowser> {
  const b = new TestBrowser(f.app);
  const { res } = await b.signIn(PEOPLE[who].email, f.passwords[PEOPLE[who].email]!);
  expect(res.status).toBe(303);
  await b.get("/plans");
  return b;
}

/** GET an API path with `who`'s token. */
export async function api(f: PlanFixture, who: Person, p: string, init: RequestInit = {}) {
  const res = await f.app.request(`${BASE}${p}`, { ...init, headers: { authorization: `Bearer ${f.tokens[PEOPLE[who].email]}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { res, body: JSON.parse(text) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

/** Every page route of the plan pages (GET), with the fixture's ids. */
export function pageRoutes(f: PlanFixture): string[] {
  const id = f.planId;
  return [
    "/plans",
    `/plans/${id}`,
    `/plans/${id}/performance`,
    `/plans/${id}/performance.csv`,
    `/plans/${id}/timeline`,
    `/plans/${id}/actions/${f.actions.own}/timeline`,
    `/plans/${id}/grants`,
  ];
}

/** Every form post of the plan pages, with the fixture's ids. */
export function postRoutes(f: PlanFixture): string[] {
  const id = f.planId;
  return [
    "/plans",
    `/plans/${id}/transition`,
    `/plans/${id}/responses`,
    `/plans/${id}/details`,
    `/plans/${id}/new-version`,
    `/plans/${id}/priorities`,
    `/plans/${id}/priorities/${f.priorities[0]}`,
    `/plans/${id}/actions`,
    `/plans/${id}/actions/${f.actions.own}`,
    `/plans/${id}/actions/${f.actions.own}/progress`,
    `/plans/${id}/actions/${f.actions.own}/milestones`,
    `/plans/${id}/targets`,
    `/plans/${id}/targets/${f.targets.met}`,
    `/plans/${id}/links`,
    `/plans/${id}/partners`,
    `/plans/${id}/priorities/${f.priorities[0]}/remove`,
    `/plans/${id}/actions/${f.actions.own}/remove`,
    `/plans/${id}/targets/${f.targets.met}/remove`,
    `/plans/${id}/links/1/remove`,
    `/plans/${id}/partners/${f.orgs.own}/remove`,
    `/plans/${id}/grants/budgets`,
    `/plans/${id}/grants/budgets/${f.budgetId}`,
    `/plans/${id}/grants/allocations`,
    `/plans/${id}/grants/payments`,
    `/plans/${id}/grants/allocations/${f.allocationId}/delivered`,
  ];
}
