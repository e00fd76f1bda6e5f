/**
 * Public consultation on a draft plan (docs/decisions/0007-public-consultation.md): the checks of a
 * response from a member of the public (web form or survey export), analysts' tags, the summary
 * of the responses, and the tolerant mapping of a survey export's header to the plan's
 * priorities. Pure: no I/O, no clock.
 */

/** Size limits of a public response. Characters are UTF-16 units, as a browser's `maxlength` and GOV.UK's character count count them. */
export const PUBLIC_RESPONSE_LIMITS = Object.freeze({
  /** The overall view and each priority's comment. */
  commentChars: 5000,
  organisationChars: 200,
  /** A whole form post, in bytes as sent (urlencoded): refused with 413 before it is read. */
  bodyBytes: 256 * 1024,
  tagChars: 40,
  tagsPerResponse: 20,
});

/** Where a response came from: the app's public form or a survey tool's export. */
export type PublicResponseChannel = "web" | "survey";

/** A priority as the consultation shows it: public fields only. */
export interface ConsultationPriority {
  id: number;
  position: number;
  title: string;
}

export interface PublicResponseInput {
  overall: string;
  organisation: string;
  /** Comment per priority id (empty or missing: no comment on that priority). */
  comments: ReadonlyMap<number, string> | Record<number, string>;
}

/** A checked response: texts trimmed and cleaned, empty comments left out, organisation null for an individual. */
export interface CheckedPublicResponse {
  overall: string;
  organisation: string | null;
  comments: { priorityId: number; position: number; title: string; comment: string }[];
}

/** A problem with one field: `field` is the form field's name (`overall`, `organisation`, `priority-<id>`). */
export interface ResponseProblem {
  field: string;
  message: string;
  /** The field is over its size limit (the web form answers 413). */
  tooLong: boolean;
}

export const priorityField = (priorityId: number): string => `priority-${priorityId}`;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/**
 * Text as stored: NUL and other control characters (which PostgreSQL's text refuses, and which no
 * person types) removed, tabs and line breaks kept, line breaks made `\n`, trimmed.
 */
export function cleanText(s: string): string {
  return s
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .trim();
}

/** What people write in an "organisation" box when they respond for themselves. */
const NOT_AN_ORGANISATION = new Set(["", "-", "--", "n/a", "na", "none", "no", "nil", "not applicable", "individual", "myself", "me", "self", "private individual", "resident"]);

/** The organisation a response was made on behalf of, or null for an individual ("", "n/a", "none", "individual", …). */
export function organisationOrNull(raw: string): string | null {
  const s = cleanText(raw).replace(/\s+/g, " ");
  return NOT_AN_ORGANISATION.has(s.toLowerCase().replace(/\.$/, "")) ? null : s;
}

function commentOf(comments: PublicResponseInput["comments"], id: number): string {
  return (comments instanceof Map ? comments.get(id) : (comments as Record<number, string>)[id]) ?? "";
}

/**
 * Checks a response against the plan's priorities: at least one comment or an overall view; each
 * text within `PUBLIC_RESPONSE_LIMITS`. Every problem is named with its field and what to do, in
 * the words of the GOV.UK error messages ("… must be 5,000 characters or fewer").
 */
export function checkPublicResponse(
  input: PublicResponseInput,
  priorities: readonly ConsultationPriority[],
): { ok: true; value: CheckedPublicResponse } | { ok: false; problems: ResponseProblem[] } {
  const problems: ResponseProblem[] = [];
  const L = PUBLIC_RESPONSE_LIMITS;
  const tooLong = (field: string, what: string, text: string, limit: number) => {
    if (text.length > limit)
      problems.push({ field, tooLong: true, message: `${what} must be ${plural(limit, "character")} or fewer; it has ${plural(text.length, "character")}. Shorten it.` });
  };
  const comments: CheckedPublicResponse["comments"] = [];
  const ordered = [...priorities].sort((a, b) => a.position - b.position);
  for (const p of ordered) {
    const text = cleanText(commentOf(input.comments, p.id));
    tooLong(priorityField(p.id), `Your comments on priority ${p.position} (${p.title})`, text, L.commentChars);
    if (text !== "") comments.push({ priorityId: p.id, position: p.position, title: p.title, comment: text });
  }
  const overall = cleanText(input.overall);
  tooLong("overall", "Your overall view", overall, L.commentChars);
  const organisation = organisationOrNull(input.organisation);
  if (organisation !== null) tooLong("organisation", "The organisation's name", organisation, L.organisationChars);
  if (problems.length === 0 && overall === "" && comments.length === 0) {
    const first = ordered[0];
    problems.push({
      field: first ? priorityField(first.id) : "overall",
      tooLong: false,
      message: "Enter your views on at least one priority, or your overall view of the plan",
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: { overall, organisation, comments } };
}

/**
 * Tags (themes) typed by an analyst: separated by commas or line breaks, spaces collapsed,
 * lower case (so `Street lighting` and `street lighting` count as one theme), repeats dropped, in
 * the order given. Refused with the reason when a tag is too long or there are too many.
 */
export function parseTags(text: string): { ok: true; tags: string[] } | { ok: false; reason: string } {
  const tags: string[] = [];
  for (const part of cleanText(text).split(/[,\n]/)) {
    const tag = part.replace(/\s+/g, " ").trim().toLowerCase();
    if (tag === "" || tags.includes(tag)) continue;
    if (tag.length > PUBLIC_RESPONSE_LIMITS.tagChars)
      return { ok: false, reason: `The tag "${tag.slice(0, 50)}${tag.length > 50 ? "…" : ""}" must be ${PUBLIC_RESPONSE_LIMITS.tagChars} characters or fewer; shorten it` };
    tags.push(tag);
  }
  if (tags.length > PUBLIC_RESPONSE_LIMITS.tagsPerResponse)
    return { ok: false, reason: `Give at most ${PUBLIC_RESPONSE_LIMITS.tagsPerResponse} tags to a response; you gave ${tags.length}` };
  return { ok: true, tags };
}

/** What the summary needs of each stored response. */
export interface SummaryResponse {
  channel: PublicResponseChannel;
  organisation: string | null;
  overall: string;
  tags: readonly string[];
  /** The priorities commented on: the id (null when the priority was removed since) and the title as it was. */
  comments: readonly { priorityId: number | null; title: string }[];
}

export interface ConsultationSummary {
  total: number;
  /** Responses made on behalf of an organisation, and by individuals. */
  organisations: number;
  individuals: number;
  byChannel: Record<PublicResponseChannel, number>;
  /** Responses giving an overall view. */
  withOverall: number;
  /** Per priority of the plan (in position order) and per removed priority commented on: responses commenting on it. */
  perPriority: { priorityId: number | null; position: number | null; title: string; responses: number }[];
  /** Per tag: responses carrying it, most first (ties by name). */
  perTag: { tag: string; responses: number }[];
  untagged: number;
  /** Per organisation (name as given, compared ignoring case): responses, most first. */
  perOrganisation: { organisation: string; responses: number }[];
}

const byCountThenName = <T>(name: (t: T) => string, count: (t: T) => number) => (a: T, b: T) => count(b) - count(a) || name(a).localeCompare(name(b), "en-GB");

/** Counts per priority, per tag, per organisation, organisations vs individuals, web vs survey. */
export function summariseConsultation(responses: readonly SummaryResponse[], priorities: readonly ConsultationPriority[]): ConsultationSummary {
  const perPriority = new Map<number, number>();
  const removed = new Map<string, number>();
  const perTag = new Map<string, number>();
  const perOrg = new Map<string, { organisation: string; responses: number }>();
  const s: ConsultationSummary = {
    total: responses.length,
    organisations: 0,
    individuals: 0,
    byChannel: { web: 0, survey: 0 },
    withOverall: 0,
    perPriority: [],
    perTag: [],
    untagged: 0,
    perOrganisation: [],
  };
  for (const r of responses) {
    s.byChannel[r.channel] += 1;
    if (r.organisation !== null) {
      s.organisations += 1;
      const key = r.organisation.toLowerCase();
      const entry = perOrg.get(key) ?? { organisation: r.organisation, responses: 0 };
      entry.responses += 1;
      perOrg.set(key, entry);
    } else s.individuals += 1;
    if (r.overall.trim() !== "") s.withOverall += 1;
    if (r.tags.length === 0) s.untagged += 1;
    for (const t of new Set(r.tags)) perTag.set(t, (perTag.get(t) ?? 0) + 1);
    const seen = new Set<string>();
    for (const c of r.comments) {
      const key = c.priorityId === null ? `title:${c.title}` : `id:${c.priorityId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (c.priorityId !== null && priorities.some((p) => p.id === c.priorityId)) perPriority.set(c.priorityId, (perPriority.get(c.priorityId) ?? 0) + 1);
      else removed.set(c.title, (removed.get(c.title) ?? 0) + 1);
    }
  }
  s.perPriority = [...priorities]
    .sort((a, b) => a.position - b.position)
    .map((p) => ({ priorityId: p.id, position: p.position, title: p.title, responses: perPriority.get(p.id) ?? 0 }));
  for (const [title, n] of [...removed].sort(([a], [b]) => a.localeCompare(b, "en-GB")))
    s.perPriority.push({ priorityId: null, position: null, title: `${title} (removed from the plan)`, responses: n });
  s.perTag = [...perTag].map(([tag, responses]) => ({ tag, responses })).sort(byCountThenName((t) => t.tag, (t) => t.responses));
  s.perOrganisation = [...perOrg.values()].sort(byCountThenName((o) => o.organisation, (o) => o.responses));
  return s;
}

/** Where each answer is in a survey export: column indexes. */
export interface SurveyColumns {
  overall: number | null;
  organisation: number | null;
  /** Column of each priority's comments, by priority id. */
  priorities: Map<number, number>;
  /** Header names of the columns not imported (timestamps, respondent ids, names, emails: never stored). */
  ignored: string[];
}

/** Lower case, byte-order mark dropped, anything but letters and digits as one space. */
export function normaliseSurveyHeader(name: string): string {
  return name
    .replace(/\ufeff/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const OVERALL_HEADERS = new Set([
  "overall",
  "overall view",
  "overall views",
  "overall comment",
  "overall comments",
  "general comments",
  "any other comments",
  "other comments",
  "comments",
]);
const ORGANISATION_HEADERS = new Set(["organisation", "organization", "organisation name", "organization name", "on behalf of", "responding on behalf of"]);

/** Which target a header names: the overall view, the organisation, a priority (by number or title), or none. */
function targetOf(header: string, priorities: readonly ConsultationPriority[]): { kind: "overall" | "organisation" } | { kind: "priority"; id: number } | null {
  // A question number in front ("Q3. Priority 1 - your views") is not part of the name.
  const h = normaliseSurveyHeader(header).replace(/^q\s*\d+\s+(?=\S)/, "");
  if (h === "") return null;
  if (OVERALL_HEADERS.has(h) || h.startsWith("overall ")) return { kind: "overall" };
  if (ORGANISATION_HEADERS.has(h) || /^(organisation|organization)\b/.test(h)) return { kind: "organisation" };
  const numbered = /^(?:priority|p)\s*(\d+)\b/.exec(h);
  if (numbered) {
    const p = priorities.find((x) => x.position === Number(numbered[1]));
    return p ? { kind: "priority", id: p.id } : null;
  }
  // A title in the header ("What do you think of: Reduce violent crime?"); the longest title wins.
  let best: ConsultationPriority | null = null;
  for (const p of priorities) {
    const t = normaliseSurveyHeader(p.title);
    if (t.length >= 3 && (h === t || ` ${h} `.includes(` ${t} `)) && (!best || t.length > normaliseSurveyHeader(best.title).length)) best = p;
  }
  return best ? { kind: "priority", id: best.id } : null;
}

/**
 * Maps a survey export's header to the plan: `overall` (Overall view, Any other comments, …),
 * `organisation` (Organisation, On behalf of, …), and a column per priority named by its number
 * (`Priority 2`, `P2`) or containing its title (compared ignoring case and punctuation). Other
 * columns are ignored and listed. Refused when no column maps, or two columns map to one answer.
 */
export function mapSurveyHeader(
  fields: readonly string[],
  priorities: readonly ConsultationPriority[],
): { ok: true; columns: SurveyColumns } | { ok: false; message: string } {
  const columns: SurveyColumns = { overall: null, organisation: null, priorities: new Map(), ignored: [] };
  const first = new Map<string, number>();
  const clashes: string[] = [];
  const nameOf = (key: string) => {
    if (key === "overall") return "the overall view";
    if (key === "organisation") return "the organisation";
    const p = priorities.find((x) => `priority:${x.id}` === key)!;
    return `priority ${p.position} (${p.title})`;
  };
  fields.forEach((field, i) => {
    const t = targetOf(field, priorities);
    if (!t) {
      if (field.trim() !== "") columns.ignored.push(field.replace(/\ufeff/g, "").trim());
      return;
    }
    const key = t.kind === "priority" ? `priority:${t.id}` : t.kind;
    const earlier = first.get(key);
    if (earlier !== undefined) {
      clashes.push(`columns ${earlier + 1} (\`${fields[earlier]}\`) and ${i + 1} (\`${field}\`) both match ${nameOf(key)}`);
      return;
    }
    first.set(key, i);
    if (t.kind === "priority") columns.priorities.set(t.id, i);
    else columns[t.kind] = i;
  });
  if (clashes.length) return { ok: false, message: `ambiguous header: ${clashes.join("; ")}. Rename one of each pair so that it names one answer` };
  if (columns.overall === null && columns.priorities.size === 0) {
    const expected = [...priorities]
      .sort((a, b) => a.position - b.position)
      .map((p) => `\`Priority ${p.position}\` or \`${p.title}\``)
      .join(", ");
    return {
      ok: false,
      message: `no column of the header holds an answer: got ${fields.map((f) => `\`${f}\``).join(", ")}. Name the columns \`Overall view\`, ${expected || "one per priority"} and optionally \`Organisation\``,
    };
  }
  return { ok: true, columns };
}
