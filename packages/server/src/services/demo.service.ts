import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError, isAppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import {
  type DemoCounts,
  type RealDataCounts,
  type RemovedRows,
  countDemoData,
  countRealData,
  demoLoaded,
  removeDemoRows,
} from "../db/repositories/demo.repository.ts";
import { writeReferenceData } from "../db/repositories/reference.repository.ts";
import { findOrganisationByName } from "../db/repositories/user.repository.ts";
import { DEMO, DEMO_CODE_LIKE, type DemoCity, buildDemoCity, demoGenerateParams } from "../demo/demo-city.ts";
import { DEMO_ACTOR, DEMO_USER_EMAIL_LIKE } from "../demo/demo-names.ts";
import { type DemoPlanReport, loadDemoPlan } from "../demo/demo-plan.ts";
import { DEMO_ORGANISATIONS } from "../demo/demo-plan-content.ts";
import { writeGeneratedArchive } from "../generate/write-archive.ts";
import { buildReferencePayload } from "../ingest/reference/payload.ts";
import { type Actor, audit } from "./audit.ts";
import { importPoliceData } from "./import.service.ts";

export interface DemoLoadReport {
  city: { name: string; ladCode: string; cspCode: string; force: string; localAuthorities: { name: string; code: string; lsoas: number }[] };
  reference: { lsoas: number; wards: number; localAuthorities: number; populationRows: number; imdRows: number };
  police: { files: number; rows: number; months: { from: string; to: string } };
  plan: DemoPlanReport;
  elapsedMs: number;
}

export interface DemoRemoveReport {
  /** Rows removed, by table (tables with none left out). */
  removed: RemovedRows;
  elapsedMs: number;
}

export interface DemoState {
  loaded: boolean;
  demo: DemoCounts;
  real: RealDataCounts;
  /** True when the store holds nothing real, so the demo may be loaded (if not already). */
  canLoad: boolean;
}

export interface DemoOptions {
  /** Who asked (recorded in the audit log: `demo.load`, `demo.remove`). */
  actor: Actor;
  now?: () => Date;
}

/** Is any demo data loaded? One cheap query (the pages' "Demo data" label). */
export function isDemoLoaded(store: Store): Promise<boolean> {
  return demoLoaded(store.db);
}

export async function demoState(store: Store): Promise<DemoState> {
  const demo = await countDemoData(store);
  const real = await countRealData(store, DEMO_CODE_LIKE);
  const loaded = Object.values(demo).some((n) => n > 0);
  return { loaded, demo, real, canLoad: !loaded && Object.values(real).every((n) => n === 0) };
}

/**
 * `safecity demo`: fills an empty store with the synthetic city (reference rows in one
 * transaction, its 24 monthly police files through the normal importer, each marked demo from its
 * first register row) and the demo partnership plan (through the plan services, in one
 * transaction). Refused when the store holds real data or the demo already. If anything fails,
 * everything the demo wrote is removed before the error is passed on.
 */
export function loadDemo(store: Store, opts: DemoOptions): Promise<DemoLoadReport> {
  return oneAtATime(() => loadDemoNow(store, opts));
}

async function loadDemoNow(store: Store, opts: DemoOptions): Promise<DemoLoadReport> {
  const now = opts.now ?? (() => new Date());
  const started = performance.now();
  await refuseUnlessEmpty(store);
  const city = buildDemoCity();
  try {
    const reference = await writeDemoReference(store, city, now());
    const police = await importDemoPolice(store, city, now);
    const plan = await loadDemoPlan(store, city, { actor: DEMO_ACTOR, now });
    const report: DemoLoadReport = {
      city: {
        name: city.city.name,
        ladCode: city.city.ladCode,
        cspCode: city.city.cspCode,
        force: DEMO.force.name,
        localAuthorities: city.localAuthorities.map((la) => ({ name: la.name, code: la.ladCode, lsoas: la.lsoas.length })),
      },
      reference,
      police,
      plan,
      elapsedMs: 0,
    };
    await audit(store, opts.actor, now(), "demo.load", null, { after: { city: report.city.name, rows: police.rows, plan: plan.planId } });
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  } catch (e) {
    await removeDemoRows(store, removeOptions()).catch(() => {});
    const stopped = "loading the demo stopped part-way; everything it had written was removed";
    if (isAppError(e)) throw new AppError(e.code, `${e.message} (${stopped})`, { hint: e.hint, problems: e.problems });
    throw new Error(`${stopped}: ${(e as Error).message}`, { cause: e });
  }
}

/** `safecity demo --remove`: removes every demo row, in one transaction, and nothing else. */
export function removeDemo(store: Store, opts: DemoOptions): Promise<DemoRemoveReport> {
  return oneAtATime(() => removeDemoNow(store, opts));
}

async function removeDemoNow(store: Store, opts: DemoOptions): Promise<DemoRemoveReport> {
  const now = opts.now ?? (() => new Date());
  const started = performance.now();
  const removed = await removeDemoRows(store, removeOptions());
  const nonZero = Object.fromEntries(Object.entries(removed).filter(([, n]) => n > 0));
  await audit(store, opts.actor, now(), "demo.remove", null, { before: nonZero });
  return { removed: nonZero, elapsedMs: Math.round(performance.now() - started) };
}

let running = false;

/** One load or removal at a time in this process (two admins pressing the button together). */
async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (running) {
    throw new AppError("demo.refused", "the demo is being loaded or removed right now", { hint: "wait a few seconds and reload the status page" });
  }
  running = true;
  try {
    return await work();
  } finally {
    running = false;
  }
}

function removeOptions() {
  return { codeLike: DEMO_CODE_LIKE, forceSlug: DEMO.force.slug, userEmailLike: DEMO_USER_EMAIL_LIKE, actor: DEMO_ACTOR.label };
}

async function refuseUnlessEmpty(store: Store): Promise<void> {
  const state = await demoState(store);
  const { real } = state;
  const what = [
    real.imports ? `${real.imports} imported police file${real.imports === 1 ? "" : "s"}` : null,
    real.referenceDatasets ? `${real.referenceDatasets} reference dataset${real.referenceDatasets === 1 ? "" : "s"}` : null,
    real.plans ? `${real.plans} partnership plan${real.plans === 1 ? "" : "s"}` : null,
    real.indicatorValues ? `${real.indicatorValues} indicator value${real.indicatorValues === 1 ? "" : "s"}` : null,
  ].filter((x): x is string => x !== null);
  if (what.length) {
    throw new AppError("demo.refused", `the demo was not loaded: this store holds real data (${what.join(", ")}), and demo figures must never mix with real ones`, {
      hint: "load the demo into an empty store instead (a new SAFECITY_DATA_DIR, or another DATABASE_URL)",
    });
  }
  if (state.loaded) {
    throw new AppError("demo.refused", "the demo is already loaded", {
      hint: "remove it first with `safecity demo --remove` (or the button on the status page) to load it again",
    });
  }
  const taken: string[] = [];
  for (const o of DEMO_ORGANISATIONS) if (await findOrganisationByName(store, o.name)) taken.push(o.name);
  if (taken.length) {
    throw new AppError("demo.refused", `the demo was not loaded: its partner organisation${taken.length === 1 ? "" : "s"} ${taken.map((t) => `"${t}"`).join(", ")} already exist${taken.length === 1 ? "s" : ""} as real organisation${taken.length === 1 ? "" : "s"}`, {
      hint: "rename them (or use another store), so the demo's organisations can be created and later removed without touching real ones",
    });
  }
}

async function writeDemoReference(store: Store, city: DemoCity, at: Date): Promise<DemoLoadReport["reference"]> {
  const payload = buildReferencePayload(city.reference);
  const sha256 = createHash("sha256").update(JSON.stringify(payload)).digest("hex");
  await writeReferenceData(
    store,
    { ...payload, datasets: [{ name: DEMO.referenceDataset.name, fileName: DEMO.referenceDataset.fileName, sha256, rows: payload.areas.length, demo: true }] },
    at.toISOString(),
  );
  return {
    lsoas: city.reference.lsoa21.size,
    wards: city.reference.ward.size,
    localAuthorities: city.reference.lad.size,
    populationRows: payload.population.length,
    imdRows: payload.imd.length,
  };
}

async function importDemoPolice(store: Store, city: DemoCity, now: () => Date): Promise<DemoLoadReport["police"]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-demo-"));
  try {
    await writeGeneratedArchive(dir, demoGenerateParams(), undefined, city.worldShape);
    const report = await importPoliceData(store, [dir], { user: DEMO_ACTOR.label, demo: true, now });
    const bad = report.files.filter((f) => f.status !== "imported");
    if (bad.length) {
      throw new Error(`the demo's generated file ${bad[0]!.file} was not imported (${bad[0]!.status}: ${bad[0]!.message ?? ""})`);
    }
    return { files: report.files.length, rows: report.totals.rows, months: { from: DEMO.start, to: DEMO.end } };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
