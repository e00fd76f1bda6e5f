import { AppError, isAppError, roleAtLeast } from "@safecity/core";
import type { PlanActor } from "../services/plan-access.ts";
import type { FieldError } from "./components.tsx";
import type { AppContext } from "./env.ts";
import { httpStatusFor } from "./error-status.ts";
import { fieldId, type FormState, formValues } from "./plan-form-kit.tsx";

/**
 * What the plan pages' handlers share: the acting user as the plan services want it, ids from the
 * path, and the post/redirect/get cycle in which a refusal the user can act on (bad input, a
 * conflict, a refused governance step, over-allocation) re-renders the page with an error summary
 * and the form's values, while a refusal of access (403) goes to the error page.
 */

/** The signed-in user as the plan services' actor. */
export function planActor(c: AppContext): PlanActor {
  const u = c.var.user!;
  return { label: u.email, ip: c.var.deps.clientIp(c), email: u.email.toLowerCase(), role: u.role, organisationId: u.organisation?.id ?? null };
}

export function isManager(c: AppContext): boolean {
  return roleAtLeast(c.var.user!.role, "analyst");
}

/** A positive integer path parameter, or 404 with the record's name. */
export function idParam(c: AppContext, name: string, what: string): number {
  const raw = c.req.param(name) ?? "";
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) throw new AppError("plan.not_found", `No ${what} with id \`${raw}\`.`);
  return id;
}

/** Refusals shown on the form (the page again, with the reason); anything else propagates (403 → error page). */
const ON_FORM = new Set(["input.invalid", "plan.conflict", "plan.invalid_transition", "plan.locked", "grant.over_allocation", "indicator.not_found"]);

export interface Submission {
  form: string;
  values: Record<string, string>;
  /** The record version the form was opened at, when it edits one. */
  rowVersion: number | undefined;
  /** Every value of each field (checkboxes send one per ticked box). */
  lists: Record<string, string[]>;
}

export async function readSubmission(c: AppContext): Promise<Submission> {
  const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  const lists: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) lists[k] = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
  const values = formValues(Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, v.at(-1)])));
  const rv = values.row_version;
  return { form: values._form ?? "", values, rowVersion: rv !== undefined && /^\d+$/.test(rv) ? Number(rv) : undefined, lists };
}

/** The form's row version, or a clear refusal when the form did not send one. */
export function requireRowVersion(s: Submission): number {
  if (s.rowVersion === undefined) throw new AppError("input.invalid", "The form did not say which version of the record you opened (row_version); reload the page and try again.");
  return s.rowVersion;
}

/**
 * Runs a post: on success redirects (303) to `done`; when the service refuses with something the
 * user can fix, renders the page again via `rerender` with the form's values and the reason.
 */
export async function handlePost(
  c: AppContext,
  sub: Submission,
  run: () => Promise<unknown>,
  done: string,
  rerender: (fs: FormState, status: 400 | 404 | 409 | 422) => Promise<Response>,
  firstField = "date",
): Promise<Response> {
  try {
    await run();
  } catch (e) {
    if (!isAppError(e) || !ON_FORM.has(e.code)) throw e;
    const errors: FieldError[] = e.problems.length
      ? e.problems.map((p) => ({ field: fieldId(sub.form, (p.field ?? firstField).replace(/\[.*$/, "")), message: p.message }))
      : [{ field: fieldId(sub.form, firstField), message: e.hint ? `${e.message} (${e.hint})` : e.message }];
    return rerender({ csrf: c.var.csrfToken, failed: { form: sub.form, values: sub.values, errors } }, httpStatusFor(e.code) as 400 | 404 | 409 | 422);
  }
  return c.redirect(done, 303);
}

/** A number typed in a form, or a clear refusal naming the field. */
export function numberField(values: Record<string, string>, name: string, label: string, opts: { optional?: boolean } = {}): number | null {
  const raw = (values[name] ?? "").replace(/,/g, "");
  if (raw === "") {
    if (opts.optional) return null;
    throw new AppError("input.invalid", `${label}: enter a number`, { problems: [{ file: "form", field: name, message: `${label}: enter a number` }] });
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new AppError("input.invalid", `${label} must be a number; got \`${raw}\``, { problems: [{ file: "form", field: name, message: `${label} must be a number; got "${raw}"` }] });
  return n;
}

/** A positive whole-number id chosen in a select, or a clear refusal naming the field. */
export function idField(values: Record<string, string>, name: string, label: string, opts: { optional?: boolean } = {}): number | null {
  const raw = values[name] ?? "";
  if (raw === "" && opts.optional) return null;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new AppError("input.invalid", `Choose the ${label}`, { problems: [{ file: "form", field: name, message: `Choose the ${label}` }] });
  return Number(raw);
}

/** One item per line or comma-separated list. */
export function listField(values: Record<string, string>, name: string, sep: RegExp = /\r?\n/): string[] {
  return (values[name] ?? "")
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Success messages after a post/redirect/get. */
export const PLAN_NOTICES: Readonly<Record<string, string>> = {
  created: "Plan created.",
  saved: "Saved.",
  removed: "Removed.",
  transition: "Governance step recorded.",
  response: "Consultation response recorded.",
  progress: "Progress recorded.",
  milestones: "Milestones saved.",
  priority: "Priority saved.",
  action: "Key action saved.",
  target: "Target saved.",
  link: "Link added.",
  partner: "Partner added.",
  budget: "Budget added.",
  "budget-amount": "Budget changed.",
  allocation: "Grant allocated.",
  payment: "Payment recorded.",
  delivered: "Allocation saved.",
  version: "Next annual version started.",
};
