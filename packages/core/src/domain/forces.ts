import { AppError } from "../errors.ts";

/**
 * Rows from other forces' files (decision 0022). police.uk files are per force, and a force's file
 * holds rows whose snapped location falls outside its own area: British Transport Police rows at
 * stations everywhere, a neighbour's rows snapped across the boundary. Such a force contributes a
 * handful of rows to an area only in the months its files were imported, so counting them as they
 * come makes one month jump. The rule:
 * - `complete` (default): the area's own force(s) always count; another force's rows count for a
 *   period only when that force's files cover every month of it, else they are left out for the
 *   whole period and the result says so;
 * - `all`: every row in the area counts, whichever file it came from (the behaviour before 0022);
 * - `none`: only the area's own force(s).
 */
export const OTHER_FORCES_RULES = ["complete", "all", "none"] as const;
export type OtherForcesRule = (typeof OTHER_FORCES_RULES)[number];

/** Parses `--other-forces` / `otherForces`; undefined or empty is `complete`. */
export function parseOtherForces(value: string | undefined | null): OtherForcesRule {
  if (value === undefined || value === null || value.trim() === "") return "complete";
  const v = value.trim().toLowerCase();
  if ((OTHER_FORCES_RULES as readonly string[]).includes(v)) return v as OtherForcesRule;
  throw new AppError("input.invalid", `--other-forces must be complete, all or none; got \`${value}\``, {
    hint: "complete (default): other forces' rows only when their files cover every month; all: every row; none: the area's own force only",
  });
}

/** police.uk's names for forces whose slug is not their police force area's name. */
const FORCE_NAMES: Record<string, string> = {
  btp: "British Transport Police",
  metropolitan: "Metropolitan Police",
  "city-of-london": "City of London Police",
};

/** ONS police force area names whose police.uk slug differs from the name written as a slug. */
const PFA_SLUG_ALIASES: Record<string, string> = {
  "metropolitan-police": "metropolitan",
  "london-city-of": "city-of-london",
  "hampshire-and-isle-of-wight": "hampshire",
};

/** The police.uk slug of an ONS police force area name: "Devon & Cornwall" -> devon-and-cornwall, "Metropolitan Police" -> metropolitan. */
export function forceSlugOfAreaName(pfaName: string): string {
  const slug = pfaName
    .toLowerCase()
    .replaceAll("&", " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return PFA_SLUG_ALIASES[slug] ?? slug;
}

/** A force's name for people: "British Transport Police", "Avon and Somerset"; files with no force: "files with no force". */
export function forceLabel(slug: string): string {
  if (slug === "") return "files with no force in their name";
  const known = FORCE_NAMES[slug];
  if (known) return known;
  const words = slug.split("-").map((w) => (w === "and" || w === "of" ? w : w.charAt(0).toUpperCase() + w.slice(1)));
  return words.join(" ");
}

export interface HomeForces {
  /** The area's own forces, most rows in the area first; empty when no force has rows there. */
  home: string[];
  /** How they were found. */
  source: "reference" | "most rows" | "none";
  /** Said in the result when the reference could not be used; else null. */
  note: string | null;
}

/**
 * The area's own ("home") force(s): the police.uk forces of the police force areas its LSOAs lie in
 * (reference data), among the forces with rows in the area; without reference data, or when no
 * force area's name matches a force with rows there, the force with most rows in the area.
 * `forces` are the forces with rows in the area, most rows first (slug "" = files with no force).
 */
export function homeForces(areaForceNames: readonly string[], forces: readonly { force: string; n: number }[]): HomeForces {
  const withRows = forces.filter((f) => f.n > 0);
  if (withRows.length === 0) return { home: [], source: "none", note: null };
  const wanted = new Set(areaForceNames.map(forceSlugOfAreaName));
  const home = withRows.filter((f) => wanted.has(f.force)).map((f) => f.force);
  if (home.length) return { home, source: "reference", note: null };
  const most = withRows[0]!.force;
  const note = areaForceNames.length
    ? `no force with rows in the area matches its police force area (${areaForceNames.join(", ")}): ${forceLabel(most)}, the force with most rows there, is taken as its own force`
    : null;
  return { home: [most], source: "most rows", note };
}

export interface ForceInArea {
  force: string;
  /** Rows in the area over the months judged. */
  rows: number;
  /** Months the force has an imported file for (any area). */
  monthsImported: readonly string[];
}

export interface CrossForceDecision {
  rule: OtherForcesRule;
  home: string[];
  /** Other forces whose rows count. */
  counted: { force: string; rows: number }[];
  /** Other forces whose rows are left out, with the months their files cover. */
  leftOut: { force: string; rows: number; monthsCovered: number; months: number }[];
  /** Forces whose roll-up rows the queries must leave out ("" = files with no force). */
  excludeForces: string[];
  notes: string[];
}

/**
 * Which forces' rows count for an area over `months` (the months judged: those of the period, or
 * of the union of compared periods, with data from the home force). Home forces always count.
 */
export function crossForceDecision(rule: OtherForcesRule, home: readonly string[], forces: readonly ForceInArea[], months: readonly string[]): CrossForceDecision {
  const homeSet = new Set(home);
  const counted: CrossForceDecision["counted"] = [];
  const leftOut: CrossForceDecision["leftOut"] = [];
  const notes: string[] = [];
  const span = months.length ? `${months[0]}..${months.at(-1)}` : "";
  for (const f of forces) {
    if (homeSet.has(f.force) || f.rows <= 0) continue;
    const have = new Set(f.monthsImported);
    const covered = months.filter((m) => have.has(m)).length;
    const complete = months.length > 0 && covered === months.length;
    if (rule === "all" || (rule === "complete" && complete)) counted.push({ force: f.force, rows: f.rows });
    else leftOut.push({ force: f.force, rows: f.rows, monthsCovered: covered, months: months.length });
  }
  const of = (n: number) => `${n} month${n === 1 ? "" : "s"}`;
  for (const l of leftOut) {
    const why =
      rule === "none"
        ? "only the area's own force counts (other forces: none)"
        : `its files cover ${l.monthsCovered} of the ${of(l.months)} of the period (${span})`;
    notes.push(`${l.rows} ${l.rows === 1 ? "row" : "rows"} from ${forceLabel(l.force)} left out: ${why}`);
  }
  if (leftOut.length && rule === "complete") {
    notes.push("another force's rows count only when its files cover every month of the period, so no month jumps when one of its files is imported (other forces: all counts them anyway)");
  }
  for (const c of counted) {
    const why =
      rule === "all"
        ? "counted in the months its files were imported (other forces: all)"
        : `counted: its files cover every month of the period (${span})`;
    notes.push(`${c.rows} ${c.rows === 1 ? "row" : "rows"} from ${forceLabel(c.force)} ${why}`);
  }
  const excludeForces = leftOut.map((l) => l.force).sort();
  return { rule, home: [...home], counted, leftOut, excludeForces, notes };
}
