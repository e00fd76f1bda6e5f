import {
  AppError,
  type CheckedPublicResponse,
  type ConsultationPriority,
  type ConsultationSummary,
  checkPublicResponse,
  type Plan,
  type ProblemLine,
  type PublicResponseChannel,
  parseTags,
  summariseConsultation,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { listAudit } from "../db/repositories/audit.repository.ts";
import {
  countPublicResponses,
  findPublicResponse,
  insertPublicResponse,
  listPublicResponses,
  type PublicResponse,
  updatePublicResponseTags,
} from "../db/repositories/consultation.repository.ts";
import { listActions, listPriorities } from "../db/repositories/plan-content.repository.ts";
import { findPlan, listPlans } from "../db/repositories/plan.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { readSurveyFile, type SurveyFileResult } from "../ingest/consultation/survey-file.reader.ts";
import { type Actor, audit } from "./audit.ts";
import { auditPlan, conflictError, mustFindPlan, type PlanActor, requirePlanManager } from "./plan-access.ts";

/**
 * Public consultation on a draft plan (docs/decisions/0007-public-consultation.md).
 *
 *   openConsultations(store)                          -> plans in consultation (public fields)
 *   publicConsultation(store, planId)                 -> the draft as the public sees it, or closed
 *   submitPublicResponse(store, planId, input, now)   -> id; refused: consultation.closed (410),
 *       consultation.too_large (413, a field over its limit), input.invalid (nothing to say)
 *   consultationResponses(store, actor, planId)       -> responses and summary (analysts, admins)
 *   tagResponse(store, actor, planId, id, text, rowVersion, now)
 *   importSurvey(store, actor, planId, file, now)     -> report; a file with any bad row writes nothing
 *
 * Responses are recorded against the consultation step: the plan's version and the date the step
 * started, from the plan's audit trail. The public is an anonymous actor (`public`, no address
 * kept); audit rows say that a response arrived, never what it says.
 */

/** The anonymous actor of the public form: no name, no address. */
export const PUBLIC_ACTOR: Actor = { label: "public", ip: null };

export interface PublicAction {
  title: string;
  ownerOrganisationName: string;
  leadRole: string;
  startDate: string;
  dueDate: string;
}

export interface PublicPriority extends ConsultationPriority {
  rationale: string;
  actions: PublicAction[];
}

export interface PublicPlan {
  id: number;
  title: string;
  partnershipName: string;
  periodFrom: string;
  periodTo: string;
  version: number;
}

export type PublicConsultation = { open: true; plan: PublicPlan; priorities: PublicPriority[] } | { open: false; plan: PublicPlan };

const publicPlan = (p: Plan): PublicPlan => ({ id: p.id, title: p.title, partnershipName: p.partnershipName, periodFrom: p.periodFrom, periodTo: p.periodTo, version: p.version });

/** States after consultation: the form is closed (410); the plan's title was public while it was open. */
const CLOSED_STATES = new Set(["recommended", "approved", "published", "review", "superseded"]);

/** Plans open for consultation, newest first. */
export async function openConsultations(store: Store): Promise<PublicPlan[]> {
  return (await listPlans(store)).filter((p) => p.state === "consultation").map(publicPlan);
}

function noConsultation(planId: number): AppError {
  return new AppError("plan.not_found", `There is no open consultation with the number ${planId}.`, {
    hint: "the list of open consultations is at /consult",
  });
}

function closed(plan: Plan): AppError {
  return new AppError("consultation.closed", `The consultation on ${plan.title} has closed; responses are no longer accepted.`, {
    hint: "the list of open consultations is at /consult",
  });
}

/**
 * The draft as the public sees it: title, partnership, period, each priority with its rationale and
 * key actions (title, owner organisation, lead role, dates; cancelled actions left out). No
 * officer's name or email, targets, evidence, progress or governance record. A plan in draft (or
 * none) is not found; one past consultation is closed.
 */
export async function publicConsultation(store: Store, planId: number): Promise<PublicConsultation> {
  const plan = await findPlan(store, planId);
  if (!plan) throw noConsultation(planId);
  if (CLOSED_STATES.has(plan.state)) return { open: false, plan: publicPlan(plan) };
  if (plan.state !== "consultation") throw noConsultation(planId);
  const [priorities, actions] = await Promise.all([listPriorities(store, planId), listActions(store, planId)]);
  return {
    open: true,
    plan: publicPlan(plan),
    priorities: priorities.map((p) => ({
      id: p.id,
      position: p.position,
      title: p.title,
      rationale: p.rationale,
      actions: actions
        .filter((a) => a.priorityId === p.id && a.status !== "cancelled")
        .map((a) => ({ title: a.title, ownerOrganisationName: a.ownerOrganisationName, leadRole: a.leadRole, startDate: a.startDate, dueDate: a.dueDate })),
    })),
  };
}

/** The date the plan's current consultation step started (its latest move to consultation), from the audit trail. */
async function consultationStarted(store: Store, planId: number): Promise<string | null> {
  const moves = await listAudit(store, { planId, action: "plan.transition", limit: 200 });
  const start = moves.find((m) => (m.after as { to?: string } | null)?.to === "consultation");
  const date = (start?.after as { date?: unknown } | undefined)?.date;
  return typeof date === "string" ? date : null;
}

/** The plan, refused unless it is in consultation (inside the caller's transaction). */
async function planInConsultation(tx: Store, planId: number): Promise<Plan> {
  const plan = await findPlan(tx, planId);
  if (!plan) throw noConsultation(planId);
  if (CLOSED_STATES.has(plan.state)) throw closed(plan);
  if (plan.state !== "consultation") throw noConsultation(planId);
  return plan;
}

export interface PublicResponseForm {
  overall: string;
  organisation: string;
  /** Comment per priority id. */
  comments: Map<number, string>;
}

/**
 * Stores a response from the public form, with its audit row, in one transaction, while the plan is
 * in consultation. Refusals carry one problem per field (`field` = the form field's name).
 */
export async function submitPublicResponse(store: Store, planId: number, input: PublicResponseForm, now: Date): Promise<number> {
  return inTransaction(store, async (tx) => {
    const plan = await planInConsultation(tx, planId);
    const priorities = await listPriorities(tx, planId);
    const checked = checkPublicResponse(input, priorities);
    if (!checked.ok) {
      const tooLong = checked.problems.some((p) => p.tooLong);
      throw new AppError(tooLong ? "consultation.too_large" : "input.invalid", checked.problems.map((p) => p.message).join("; "), {
        problems: checked.problems.map((p) => ({ file: "form", field: p.field, message: p.message })),
      });
    }
    const started = await consultationStarted(tx, planId);
    return storeResponse(tx, plan, started, "web", null, checked.value, PUBLIC_ACTOR, now);
  });
}

async function storeResponse(
  tx: Store,
  plan: Plan,
  started: string | null,
  channel: PublicResponseChannel,
  source: string | null,
  r: CheckedPublicResponse,
  actor: Actor,
  now: Date,
  auditEach = true,
): Promise<number> {
  const id = await insertPublicResponse(tx, {
    planId: plan.id,
    planVersion: plan.version,
    consultationStarted: started,
    channel,
    organisation: r.organisation,
    overall: r.overall,
    source,
    createdAt: now.toISOString(),
    comments: r.comments,
  });
  if (auditEach)
    await audit(
      tx,
      actor,
      now,
      "consultation.response.create",
      `public-response:${id}`,
      {
        after: {
          id,
          channel,
          planVersion: plan.version,
          consultationStarted: started,
          prioritiesCommented: r.comments.map((c) => c.position),
          overallView: r.overall !== "",
          onBehalfOfOrganisation: r.organisation !== null,
        },
      },
      plan.id,
    );
  return id;
}

export interface ConsultationResponses {
  plan: Plan;
  priorities: ConsultationPriority[];
  responses: PublicResponse[];
  summary: ConsultationSummary;
}

/** A plan's public responses with their summary: analysts and administrators only (the texts are never published). */
export async function consultationResponses(store: Store, actor: PlanActor, planId: number, opts: { tag?: string } = {}): Promise<ConsultationResponses> {
  requirePlanManager(actor, "read the public's consultation responses");
  const plan = await mustFindPlan(store, planId);
  const [priorities, all] = await Promise.all([listPriorities(store, planId), listPublicResponses(store, planId)]);
  const summary = summariseConsultation(
    all.map((r) => ({ channel: r.channel, organisation: r.organisation, overall: r.overall, tags: r.tags, comments: r.comments.map((c) => ({ priorityId: c.priorityId, title: c.title })) })),
    priorities,
  );
  const tag = opts.tag?.trim().toLowerCase();
  const responses = tag ? all.filter((r) => r.tags.includes(tag)) : all;
  return { plan, priorities: priorities.map((p) => ({ id: p.id, position: p.position, title: p.title })), responses, summary };
}

/** How many public responses a plan has, by channel (for the plan page). */
export function publicResponseCounts(store: Store, planId: number): Promise<Record<PublicResponseChannel, number>> {
  return countPublicResponses(store, planId);
}

/** Replaces a response's tags (themes); refused as a conflict when someone tagged it since `rowVersion`. */
export async function tagResponse(store: Store, actor: PlanActor, planId: number, responseId: number, tagsText: string, rowVersion: number, now: Date): Promise<string[]> {
  requirePlanManager(actor, "tag consultation responses");
  const parsed = parseTags(tagsText);
  if (!parsed.ok) throw new AppError("input.invalid", parsed.reason, { problems: [{ file: "form", field: "tags", message: parsed.reason }] });
  return inTransaction(store, async (tx) => {
    const r = await findPublicResponse(tx, responseId);
    if (!r || r.planId !== planId) throw new AppError("plan.not_found", `Plan ${planId} has no public response ${responseId}.`);
    if ((await updatePublicResponseTags(tx, responseId, rowVersion, parsed.tags)) !== 1)
      throw await conflictError(tx, `Response ${responseId}`, `public-response:${responseId}`, rowVersion, r.rowVersion);
    await auditPlan(tx, actor, now, planId, "consultation.response.tag", `public-response:${responseId}`, { before: { tags: r.tags }, after: { tags: parsed.tags } });
    return parsed.tags;
  });
}

export interface SurveyImportReport {
  file: string;
  planId: number;
  imported: number;
  /** Lines with no answer in any mapped column: skipped. */
  empty: number[];
  mapping: SurveyFileResult["mapping"];
  /** Every bad row (`file:line (column): message`); when any, nothing was written. */
  errors: ProblemLine[];
}

/**
 * Imports a survey tool's export (one response a row, a header row) into the plan's public
 * responses while the plan is in consultation: every row is checked first; a file with any bad
 * row writes nothing. One transaction, one audit row for the file.
 */
export async function importSurvey(store: Store, actor: PlanActor, planId: number, filePath: string, now: Date, label?: string): Promise<SurveyImportReport> {
  requirePlanManager(actor, "import consultation survey responses");
  const plan = await mustFindPlan(store, planId);
  if (plan.state !== "consultation")
    throw new AppError("plan.locked", `Survey responses are imported while the plan is in consultation; plan ${planId} is ${plan.state}.`, {
      hint: plan.state === "draft" ? `start consultation first (\`safecity plan transition ${planId} consultation --date YYYY-MM-DD\`)` : undefined,
    });
  const read = await readSurveyFile(filePath, await listPriorities(store, planId), label);
  const report: SurveyImportReport = { file: read.file, planId, imported: 0, empty: read.empty, mapping: read.mapping, errors: read.problems };
  if (read.problems.length) return report;
  if (read.rows.length === 0) {
    report.errors.push({ file: read.file, message: "no response to import: every row is empty in the mapped columns (or there are no rows)" });
    return report;
  }
  await inTransaction(store, async (tx) => {
    const current = await planInConsultation(tx, planId);
    const started = await consultationStarted(tx, planId);
    for (const row of read.rows) await storeResponse(tx, current, started, "survey", `${read.file}:${row.line}`, row.response, actor, now, false);
    await auditPlan(tx, actor, now, planId, "consultation.survey.import", `file:${read.file}`, {
      after: { file: read.file, imported: read.rows.length, empty: read.empty.length, planVersion: current.version, consultationStarted: started },
    });
  });
  report.imported = read.rows.length;
  return report;
}

/** The import report as an error for callers that stop on a bad file (the CLI). */
export function badSurveyFileError(report: SurveyImportReport): AppError {
  const rows = new Set(report.errors.map((e) => e.line).filter((l) => l !== undefined)).size;
  return new AppError(
    "consultation.bad_file",
    `${report.file}: ${report.errors.length} problem${report.errors.length === 1 ? "" : "s"}${rows ? ` on ${rows} row${rows === 1 ? "" : "s"}` : ""}; nothing was imported`,
    { problems: report.errors, hint: "fix the listed lines and import the file again (the whole file is imported or none of it)" },
  );
}
