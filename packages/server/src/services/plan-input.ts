import {
  ACTION_STATUSES,
  type ActionStatus,
  AppError,
  isIsoDate,
  LINK_KINDS,
  type Milestone,
  type PriorityEvidence,
  type ProblemLine,
  type Target,
} from "@safecity/core";

/*
 * Input checks for plan content: every problem at once, each naming the field, what is wrong and
 * what to write instead. Callers merge an update onto the stored record and check the whole.
 */

export interface PriorityInput {
  title: string;
  rationale?: string;
  evidence?: PriorityEvidence[];
  areaCodes?: string[];
  years?: string[];
  /** Order in the plan; defaults to after the last priority. */
  position?: number;
}

export interface ActionInput {
  priorityId: number;
  title: string;
  ownerOrganisationId: number;
  leadRole: string;
  startDate: string;
  dueDate: string;
  milestones?: Milestone[];
  status?: ActionStatus;
  budgetLine?: string | null;
}

export interface TargetInput {
  priorityId?: number | null;
  indicatorId: number;
  baselinePeriod: string;
  baselineValue: number;
  kind: Target["kind"];
  targetValue: number;
  deadline: string;
  tolerancePercent?: number | null;
}

export interface LinkInput {
  kind: (typeof LINK_KINDS)[number];
  name: string;
  url?: string | null;
  note?: string;
}

export interface ProgressInput {
  /** The day the update refers to, YYYY-MM-DD. */
  date: string;
  status: ActionStatus;
  note: string;
}

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
const blank = (s: unknown): boolean => typeof s !== "string" || s.trim() === "";

export function problem(file: string, field: string, message: string): ProblemLine {
  return { file, field, message };
}

export function throwIfProblems(problems: ProblemLine[], what: string): void {
  if (problems.length) throw new AppError("input.invalid", `cannot save the ${what}:`, { problems });
}

export function isMonth(s: unknown): s is string {
  return typeof s === "string" && MONTH_RE.test(s);
}

export function checkPriority(p: PriorityInput): ProblemLine[] {
  const out: ProblemLine[] = [];
  const f = "priority";
  if (blank(p.title)) out.push(problem(f, "title", "Enter the priority's title, e.g. `Reduce violent crime`"));
  if (p.position !== undefined && !(Number.isInteger(p.position) && p.position >= 1))
    out.push(problem(f, "position", `Position must be a whole number from 1; got \`${p.position}\``));
  for (const [i, e] of (p.evidence ?? []).entries())
    if (blank(e?.ref) || blank(e?.text)) out.push(problem(f, `evidence[${i}]`, "Each piece of evidence needs a reference (`assessment:2025-12#keyMessage/3`) and its text"));
  for (const [i, y] of (p.years ?? []).entries())
    if (!/^\d{4}\/\d{2}$/.test(y)) out.push(problem(f, `years[${i}]`, `Years are financial years written 2025/26; got \`${y}\``));
  return out;
}

export function checkAction(a: ActionInput): ProblemLine[] {
  const out: ProblemLine[] = [];
  const f = "action";
  if (blank(a.title)) out.push(problem(f, "title", "Enter what the action is, e.g. `Late-night levy enforcement patrols`"));
  if (blank(a.leadRole)) out.push(problem(f, "leadRole", "Name the lead role (a post such as `Licensing Manager`, not a person)"));
  if (!Number.isInteger(a.priorityId)) out.push(problem(f, "priorityId", "Choose the priority the action serves"));
  if (!Number.isInteger(a.ownerOrganisationId)) out.push(problem(f, "ownerOrganisationId", "Choose the organisation that owns the action"));
  const start = isIsoDate(a.startDate);
  const due = isIsoDate(a.dueDate);
  if (!start) out.push(problem(f, "startDate", `Start date must be YYYY-MM-DD; got \`${a.startDate}\``));
  if (!due) out.push(problem(f, "dueDate", `Due date must be YYYY-MM-DD; got \`${a.dueDate}\``));
  if (start && due && a.dueDate < a.startDate) out.push(problem(f, "dueDate", `Due date ${a.dueDate} is before the start date ${a.startDate}`));
  if (a.status !== undefined && !ACTION_STATUSES.includes(a.status))
    out.push(problem(f, "status", `Status must be one of ${ACTION_STATUSES.join(", ")}; got \`${a.status}\``));
  for (const [i, m] of (a.milestones ?? []).entries()) {
    if (blank(m?.title) || !isIsoDate(m?.due) || typeof m?.done !== "boolean")
      out.push(problem(f, `milestones[${i}]`, "Each milestone needs a title, a due date YYYY-MM-DD and whether it is done"));
  }
  return out;
}

export function checkTarget(t: TargetInput): ProblemLine[] {
  const out: ProblemLine[] = [];
  const f = "target";
  if (!Number.isInteger(t.indicatorId)) out.push(problem(f, "indicatorId", "Choose the indicator the target is measured by"));
  if (blank(t.baselinePeriod)) out.push(problem(f, "baselinePeriod", "Enter the baseline period (`2024/25`, `2024-Q4` or `2024-12`, as the indicator counts)"));
  if (!Number.isFinite(t.baselineValue)) out.push(problem(f, "baselineValue", `Baseline value must be a number; got \`${t.baselineValue}\``));
  if (t.kind !== "value" && t.kind !== "change_percent")
    out.push(problem(f, "kind", `Kind must be \`value\` (reach a value) or \`change_percent\` (change the baseline by a percent); got \`${t.kind}\``));
  if (!Number.isFinite(t.targetValue)) out.push(problem(f, "targetValue", `Target value must be a number; got \`${t.targetValue}\``));
  if (blank(t.deadline)) out.push(problem(f, "deadline", "Enter the period by which the target should be met"));
  if (t.tolerancePercent != null && !(Number.isFinite(t.tolerancePercent) && t.tolerancePercent >= 0))
    out.push(problem(f, "tolerancePercent", `Tolerance must be a percent of 0 or more, or empty for the indicator's default; got \`${t.tolerancePercent}\``));
  return out;
}

export function checkLink(l: LinkInput): ProblemLine[] {
  const out: ProblemLine[] = [];
  const f = "link";
  if (!LINK_KINDS.includes(l.kind)) out.push(problem(f, "kind", `Kind must be one of ${LINK_KINDS.join(", ")}; got \`${l.kind}\``));
  if (blank(l.name)) out.push(problem(f, "name", "Enter the plan or partnership's name, e.g. `Health and Wellbeing Board`"));
  if (l.url != null && l.url !== "" && !/^https?:\/\/\S+$/.test(l.url)) out.push(problem(f, "url", `Link must start http:// or https://; got \`${l.url}\``));
  return out;
}

export function checkProgress(p: ProgressInput): ProblemLine[] {
  const out: ProblemLine[] = [];
  const f = "progress";
  if (!isIsoDate(p.date)) out.push(problem(f, "date", `Date must be YYYY-MM-DD; got \`${p.date}\``));
  if (!ACTION_STATUSES.includes(p.status)) out.push(problem(f, "status", `Status must be one of ${ACTION_STATUSES.join(", ")}; got \`${p.status}\``));
  if (blank(p.note)) out.push(problem(f, "note", "Say what happened since the last update"));
  return out;
}
