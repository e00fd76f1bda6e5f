import fs from "node:fs";
import path from "node:path";
import { AppError, canonicalJson, isAppError, monthFromIndex, monthIndex, PLAN_STATE_LABELS, type Plan } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { areaNames, boundariesWithinArea } from "../db/repositories/boundary.repository.ts";
import { indicatorsByIds } from "../db/repositories/plan-indicator.repository.ts";
import {
  findPublication,
  insertPublication,
  listPublications as listPublicationRows,
  nextPublicationNumber,
  type PublicationRecord,
} from "../db/repositories/publication.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import type { SiteFile } from "../publish/public-site-assets.ts";
import type { MapBoundary, PublicMap } from "../publish/public-site-map.ts";
import { projectMap } from "../publish/public-site-map.ts";
import { buildPublicSite, PUBLIC_SITE_SCHEMA, PUBLISHABLE_STATES, type PublicSite } from "../publish/public-site-model.ts";
import { contentSha256, renderPublicSite } from "../publish/public-site-render.tsx";
import { loadAnalysisScope } from "./analysis-scope.ts";
import { ATTRIBUTION, assessArea } from "./assessment.service.ts";
import { type Actor, audit } from "./audit.ts";
import { grantsOfPlan } from "./grant.service.ts";
import { performanceForPlan } from "./performance.service.ts";
import { mustFindPlan } from "./plan-access.ts";
import { planDetail } from "./plan.service.ts";

/**
 * The public website of an approved plan (docs/decisions/0006-public-site.md):
 *
 *   publishPlan(store, planId, { outDir, actor, now })   -> PublishResult  (plan.not_publishable for
 *       drafts and anything not approved; writes the site, records the publication and audits it)
 *   republish(store, publicationId, { outDir, actor, now }) -> PublishResult (the recorded
 *       snapshot rendered again; `identical` says whether the bytes match the recorded hash)
 *   listPublications(store, planId?)                      -> PublicationRecord[]
 *   publicSiteOfPlan(store, planId, publication)          -> PublicSite (the public view model)
 *
 * Publishing is a filter: the site is rendered only from the public view model
 * (publish/public-site-model.ts), a whitelist of fields, never from stored rows.
 */

export interface PublishOptions {
  /** The folder to write: absent, empty, or holding an earlier Safe City site (replaced whole). */
  outDir: string;
  actor: Actor;
  now: Date;
}

export interface PublishResult {
  publication: PublicationRecord;
  files: number;
  bytes: number;
  outDir: string;
  /** For a republish: the rebuilt files hash to the recorded content hash. */
  identical: boolean;
}

/** The months the public site shows: the latest 24 loaded for the area (a seasonal profile needs 24). */
const ASSESSED_MONTHS = 24;

/** Refuses a plan that has not been approved by Full Council. */
export function requirePublishable(plan: Plan): void {
  if (PUBLISHABLE_STATES.includes(plan.state)) return;
  const label = PLAN_STATE_LABELS[plan.state] ?? plan.state;
  throw new AppError(
    "plan.not_publishable",
    `Plan ${plan.id} ("${plan.title}") is ${label.toLowerCase()} (${plan.state}); only a plan approved by Full Council (approved, published or in annual review) can be published to the public website.`,
    {
      hint:
        plan.state === "superseded"
          ? "publish the current version of the plan; an earlier publication of this version can be rebuilt with `safecity publish --republish <id>`"
          : `take it through consultation, Cabinet and Full Council first (\`safecity plan transition ${plan.id} <state> --date YYYY-MM-DD\`); \`safecity plan show ${plan.id}\` shows its state`,
    },
  );
}

/** The public view model of plan `planId` as it is now, for a publication numbered `publication.number`. */
export async function publicSiteOfPlan(store: Store, planId: number, publication: { number: number; publishedAt: string }): Promise<PublicSite> {
  const detail = await planDetail(store, planId, { measure: performanceForPlan });
  requirePublishable(detail.plan);
  const grants = await grantsOfPlan(store, planId);
  const indicators = await indicatorsByIds(
    store,
    detail.targets.map((t) => t.indicatorId),
  );
  const codes = [...new Set(detail.priorities.flatMap((p) => p.areaCodes))];
  const names = await areaNames(store, codes);
  const { assessment, assessmentMissing, map, mapMissing } = await assessmentAndMap(store, detail.plan, detail.priorities, names);
  const site = buildPublicSite({
    detail,
    grants,
    indicators,
    areaNames: names,
    assessment,
    assessmentMissing,
    map,
    mapMissing,
    attribution: ATTRIBUTION,
    publication,
  });
  return canonicalSite(site);
}

/** The model as stored: canonical JSON parsed back, so a publication and its rebuild render from the same values. */
function canonicalSite(site: PublicSite): PublicSite {
  return JSON.parse(canonicalJson(site)) as PublicSite;
}

async function assessmentAndMap(
  store: Store,
  plan: Plan,
  priorities: { position: number; areaCodes: string[] }[],
  names: ReadonlyMap<string, string>,
): Promise<{ assessment: Awaited<ReturnType<typeof assessArea>> | null; assessmentMissing: string | null; map: PublicMap | null; mapMissing: string | null }> {
  let loaded: Awaited<ReturnType<typeof loadAnalysisScope>>;
  try {
    // the latest month loaded, then (with `to` given) the first: the full span, whatever the default period is
    const latest = await loadAnalysisScope(store, { area: plan.areaCode });
    loaded = await loadAnalysisScope(store, { area: plan.areaCode, to: latest.to });
  } catch (e) {
    if (!isAppError(e)) throw e;
    const why = `no police data is loaded for the partnership's area ${plan.areaCode} (${e.message})`;
    return { assessment: null, assessmentMissing: why, map: null, mapMissing: why };
  }
  const from = monthFromIndex(Math.max(monthIndex(loaded.from), monthIndex(loaded.to) - (ASSESSED_MONTHS - 1)));
  let assessment = null;
  let assessmentMissing: string | null = null;
  try {
    assessment = await assessArea(store, { area: plan.areaCode, from, to: loaded.to });
  } catch (e) {
    if (!isAppError(e)) throw e;
    assessmentMissing = e.message;
  }
  const boundaries = await boundariesWithinArea(store, loaded.scope);
  const lsoas = boundaries.filter((b) => b.level === "lsoa");
  const shown = lsoas.length ? lsoas : boundaries.filter((b) => b.level === "ward");
  const shapeNames = await areaNames(
    store,
    shown.map((b) => b.code),
  );
  const shapeCodes = new Set(shown.map((b) => b.code));
  const wholeArea = priorities.flatMap((p) => p.areaCodes.filter((c) => !shapeCodes.has(c)).map((c) => ({ priority: p.position, name: names.get(c) ?? c })));
  const mapBoundaries: MapBoundary[] = shown.map((b) => ({ code: b.code, name: shapeNames.get(b.code) ?? b.code, geometry: b.geometry }));
  const map = projectMap(
    mapBoundaries,
    (code) => priorities.filter((p) => p.areaCodes.includes(code)).map((p) => p.position),
    wholeArea,
  );
  return { assessment, assessmentMissing, map, mapMissing: map ? null : `no boundaries are installed for the neighbourhoods of ${loaded.area.name}` };
}

/** Publishes plan `planId`'s public website to `opts.outDir` and records the publication. */
export async function publishPlan(store: Store, planId: number, opts: PublishOptions): Promise<PublishResult> {
  const plan = await mustFindPlan(store, planId);
  requirePublishable(plan);
  const outDir = checkOutDir(opts.outDir);
  const publishedAt = opts.now.toISOString();
  const number = await nextPublicationNumber(store, planId);
  const site = await publicSiteOfPlan(store, planId, { number, publishedAt });
  const files = await renderPublicSite(site);
  const hash = contentSha256(files);
  const staged = stage(outDir, files);
  try {
    const id = await inTransaction(store, async (tx) => {
      const n = await nextPublicationNumber(tx, planId);
      if (n !== number)
        throw new AppError("plan.conflict", `Plan ${planId} was published by someone else while this publication was being built (it would be number ${number}, the next is ${n}).`, {
          hint: "publish again",
        });
      const id = await insertPublication(tx, {
        planId,
        planVersion: plan.version,
        number,
        publishedAt,
        publishedBy: opts.actor.label,
        contentSha256: hash,
        fileCount: files.length,
        outputDir: outDir,
        snapshot: canonicalJson(site),
      });
      await audit(tx, opts.actor, opts.now, "plan.publish", `plan:${planId}`, { after: { publication: id, number, contentSha256: hash, outputDir: outDir } }, planId);
      // last: if replacing the folder fails, the transaction rolls back and nothing is recorded
      swapIn(staged, outDir);
      return id;
    });
    const publication = (await findPublication(store, id))!;
    return { publication, files: files.length, bytes: totalBytes(files), outDir, identical: true };
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
}

/** Rebuilds publication `publicationId` from its recorded snapshot into `opts.outDir`. */
export async function republish(store: Store, publicationId: number, opts: PublishOptions): Promise<PublishResult> {
  const record = await findPublication(store, publicationId);
  if (!record)
    throw new AppError("publication.not_found", `No publication with id ${publicationId}`, { hint: "`safecity publish --list` lists the publications" });
  const site = JSON.parse(record.snapshot) as PublicSite;
  if (site.schema !== PUBLIC_SITE_SCHEMA)
    throw new AppError("input.invalid", `Publication ${publicationId} was stored in public-site schema ${String(site.schema)}; this version renders schema ${PUBLIC_SITE_SCHEMA}.`);
  const outDir = checkOutDir(opts.outDir);
  const files = await renderPublicSite(site);
  const staged = stage(outDir, files);
  try {
    swapIn(staged, outDir);
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
  const identical = contentSha256(files) === record.contentSha256;
  await audit(store, opts.actor, opts.now, "plan.republish", `plan:${record.planId}`, { after: { publication: record.id, outputDir: outDir, identical } }, record.planId);
  const { snapshot: _, ...publication } = record;
  return { publication, files: files.length, bytes: totalBytes(files), outDir, identical };
}

export function listPublications(store: Store, planId?: number): Promise<PublicationRecord[]> {
  return listPublicationRows(store, planId);
}

function totalBytes(files: readonly SiteFile[]): number {
  return files.reduce((s, f) => s + f.bytes.length, 0);
}

/** The folder marks a Safe City site by data/plan.json carrying the public-site schema. */
function isPublishedSite(dir: string): boolean {
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, "data", "plan.json"), "utf8")) as { site?: { schema?: unknown } };
    return typeof doc.site?.schema === "number";
  } catch {
    return false;
  }
}

/** `outDir` resolved; refused when it is a file, or a folder holding something other than an earlier site. */
function checkOutDir(outDir: string): string {
  if (!outDir?.trim()) throw new AppError("input.invalid", "--out: give the folder to write the site to");
  const dir = path.resolve(outDir);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new AppError("input.invalid", `--out: ${dir} is a file, not a folder`, { hint: "name a new or empty folder" });
  if (stat && fs.readdirSync(dir).length > 0 && !isPublishedSite(dir))
    throw new AppError("input.invalid", `--out: ${dir} is not empty and does not hold an earlier Safe City site; nothing was written`, {
      hint: "name a new or empty folder (a folder holding an earlier publication is replaced whole)",
    });
  const parent = path.dirname(dir);
  if (!fs.existsSync(parent)) throw new AppError("input.invalid", `--out: the folder ${parent} does not exist`, { hint: "create it first" });
  return dir;
}

/** Writes the files into a new folder beside `outDir` (same file system, so the swap is a rename). */
function stage(outDir: string, files: readonly SiteFile[]): string {
  const staged = fs.mkdtempSync(`${outDir}.publishing-`);
  fs.chmodSync(staged, 0o755); // a site folder is for reading: mkdtemp makes it private
  for (const f of files) {
    const target = path.join(staged, ...f.path.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.bytes);
  }
  return staged;
}

/** Replaces `outDir` with the staged folder (the earlier site, if any, is removed). */
function swapIn(staged: string, outDir: string): void {
  if (fs.existsSync(outDir)) {
    const old = `${outDir}.replaced-${process.pid}`;
    fs.rmSync(old, { recursive: true, force: true });
    fs.renameSync(outDir, old);
    try {
      fs.renameSync(staged, outDir);
    } catch (e) {
      fs.renameSync(old, outDir);
      throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(staged, outDir);
  }
}
