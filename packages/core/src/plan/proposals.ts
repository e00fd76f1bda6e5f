/**
 * Priorities proposed from a Strategic Assessment document (`safecity assess --json`): the
 * priority areas; each crime group where the area is in the top (highest-rate, worst) quartile of
 * its Most Similar Group or rose by a statistically significant amount; the emerging hot spots
 * (new, consecutive, intensifying). Each candidate carries its rationale and its evidence, cited
 * as `assessment:<vintage>#<section>/<item>` where the vintage is the last month of the data.
 */

import { peerRankPhrase } from "../analytics/peer/peer-wording.ts";
import { flaggedInComparison } from "../analytics/quality/flagged-months.ts";
import { formatCount, formatP, formatPercent, listAnd } from "../analytics/stats/format.ts";
import type { Assessment } from "../assessment/assessment.schema.ts";
import type { PriorityEvidence } from "./plan.types.ts";

export const PROPOSAL_KINDS = ["priority_areas", "crime_group", "emerging_hotspots"] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** The emerging hot spot patterns that make a proposal (DOMAIN.md). */
export const EMERGING_PROPOSAL_CATEGORIES = ["new-hotspot", "consecutive-hotspot", "intensifying-hotspot"] as const;

export interface ProposedPriority {
  /** Stable within one document: `priority-areas`, `group/violence`, `emerging-hotspots`. */
  key: string;
  kind: ProposalKind;
  title: string;
  /** The evidence in one plain-English paragraph, fit for Priority.rationale. */
  rationale: string;
  evidence: PriorityEvidence[];
  /** LSOA codes of the areas it targets (the priority areas); empty otherwise. */
  areaCodes: string[];
}

export interface PriorityProposals {
  /** The assessment's vintage: the last month of its data (`2025-12`). */
  vintage: string;
  candidates: ProposedPriority[];
  /** Sections that could not propose anything and why. */
  notes: string[];
}

type Doc = Pick<Assessment, "period" | "area" | "trends" | "peers" | "priorityAreas" | "emerging" | "keyMessages"> & {
  /** Months flagged by the data quality checks (decision 0016): a rise over one is not proposed as significant. */
  vintage?: Pick<Assessment["vintage"], "dataQuality">;
};

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const rec = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** A change key message's figures show a rise with p below SIGNIFICANCE (the assessment's alpha). */
function significantRise(figures: Record<string, number | string> | undefined): boolean {
  if (!figures) return false;
  const up = (num(figures.change) ?? num(figures.changePct) ?? 0) > 0;
  const p = num(figures.pValue);
  return up && p !== null && p < SIGNIFICANCE;
}
const SIGNIFICANCE = 0.05;

/** Candidate priorities, each with its rationale and evidence, from an assessment document. */
export function proposePriorities(doc: Doc): PriorityProposals {
  const vintage = doc.period.to;
  const ref = (path: string) => `assessment:${vintage}#${path}`;
  const notes: string[] = [];
  const messages = doc.keyMessages.status === "ok" ? doc.keyMessages.messages : [];
  /** Key messages whose id is one of `ids` or starts with one of `prefixes` (ids as narrateAssessment writes them). */
  const messageEvidence = (ids: string[], prefixes: string[] = []): PriorityEvidence[] =>
    messages
      .filter((m) => ids.includes(m.id) || prefixes.some((p) => m.id.startsWith(p)))
      .map((m) => ({ ref: ref(`keyMessage/${m.id}`), text: m.text }));
  const skipped = (name: string, s: { status: string; message: string | null }) => {
    if (s.status !== "ok") notes.push(`${name}: section ${s.status}${s.message ? ` (${s.message})` : ""}; nothing proposed from it.`);
    return s.status !== "ok";
  };

  const candidates: ProposedPriority[] = [];
  const flagged = doc.vintage?.dataQuality?.flaggedMonths ?? [];

  // 1. Priority areas
  if (!skipped("Priority areas", doc.priorityAreas)) {
    const areas = (doc.priorityAreas.areas ?? []).map(rec).filter((a): a is Record<string, unknown> => a !== null);
    const named = areas.map((a) => ({ code: str(a.code) ?? "", name: str(a.name) ?? str(a.code) ?? "", deprived: a.deprived === true })).filter((a) => a.code !== "");
    if (named.length === 0) notes.push("Priority areas: the assessment lists none; nothing proposed from it.");
    else {
      const shown = named.slice(0, 5).map((a) => a.name);
      const list = named.length > 5 ? `${shown.join(", ")} and ${named.length - 5} more` : listAnd(shown);
      const deprived = named.filter((a) => a.deprived).length;
      const text = `${named.length} priority ${named.length === 1 ? "area" : "areas"} by crime rate and deprivation: ${list}; ${deprived} of ${named.length} in the most deprived 20% of England.`;
      const evidence = [{ ref: ref("priorityAreas"), text }, ...messageEvidence(["priority.areas"])];
      candidates.push({
        key: "priority-areas",
        kind: "priority_areas",
        title: `Crime in the priority areas (${list})`,
        rationale: `The assessment names ${text.charAt(0).toLowerCase()}${text.slice(1)}`,
        evidence,
        areaCodes: named.map((a) => a.code),
      });
    }
  }

  // 2. Crime groups: top MSG quartile, significant rise
  const byGroup = new Map<string, PriorityEvidence[]>();
  const add = (group: string, e: PriorityEvidence) => byGroup.set(group, [...(byGroup.get(group) ?? []), e]);
  if (!skipped("Peers", doc.peers)) {
    for (const g of doc.peers.groups ?? []) {
      const source = g.ons.result ? "ONS" : g.policeUk.result ? "police.uk" : null;
      const target = rec(rec(g.ons.result ?? g.policeUk.result)?.target);
      if (!source || !target) continue;
      const [quartile, rank, of, rate] = [num(target.quartile), num(target.rank), num(target.of), num(target.rate)];
      if (quartile !== 4 || rank === null || of === null) continue;
      const rateText = rate === null ? "" : `, ${formatCount(rate, 1)} per 1,000 residents`;
      // Ranks count from the lowest rate (1 = lowest crime); peerRankPhrase says it from the top, as a councillor reads it (ties included).
      const tied = num(target.tied) ?? 1;
      add(g.group, {
        ref: ref(`peers/${slug(g.group)}`),
        text: `${g.group}: ${peerRankPhrase({ rank, of, tied })} in the Most Similar Group (${source}${rateText}), among the highest quarter.`,
      });
    }
  }
  if (!skipped("Trends", doc.trends)) {
    for (const g of doc.trends.groups ?? []) {
      const comparisons = rec(g.change)?.comparisons;
      if (!Array.isArray(comparisons)) continue;
      for (const c of comparisons.map(rec)) {
        const test = rec(c?.test);
        const from = rec(c?.from);
        const to = rec(c?.to);
        if (c?.comparable !== true || !test || test.significant !== true || !((num(c.change) ?? 0) > 0) || !from || !to) continue;
        const span = (p: Record<string, unknown>) => ({ start: str(p.start) ?? "", end: str(p.end) ?? "" });
        const flaggedHere = flagged.length && span(from).start && span(to).start ? flaggedInComparison(flagged, span(from), span(to)) : [];
        if (flaggedHere.length) {
          notes.push(`Trends: ${g.group} rose from ${str(from.period)} to ${str(to.period)}, but the change includes ${flaggedHere.length === 1 ? "a month" : "months"} flagged as unusual in the police data (${flaggedHere.join(", ")}): not proposed as a significant rise.`);
          continue;
        }
        const pct = num(c.changePct);
        const pValue = num(test.pValue);
        add(g.group, {
          ref: ref(`trends/${slug(g.group)}/${str(c.kind) ?? "previous"}`),
          text: `${g.group} rose${pct === null ? "" : ` ${formatPercent(pct)}%`} from ${formatCount(num(from.count) ?? 0)} in ${str(from.period)} to ${formatCount(num(to.count) ?? 0)} in ${str(to.period)}, a statistically significant rise${pValue === null ? "" : ` (${formatP(pValue)})`}.`,
        });
      }
    }
  }
  for (const [group, evidence] of byGroup) {
    const reasons = evidence.map((e) => e.text.replace(/\.$/, ""));
    // Key messages are attached only where they support the proposal: a significant rise, or a
    // top-quartile position already cited above; a fall or an unremarkable rank is not evidence for it.
    const rose = evidence.some((e) => e.ref.includes("#trends/"));
    const topQuartile = evidence.some((e) => e.ref.includes("#peers/"));
    const g = slug(group);
    const supporting = messages
      .filter(
        (m) =>
          (rose && m.id.startsWith(`change.${g}.`) && significantRise(m.figures)) ||
          (topQuartile && (m.id.startsWith(`peer.${g}-ons-`) || m.id.startsWith(`peer.${g}-police-uk`))),
      )
      .map((m) => ({ ref: ref(`keyMessage/${m.id}`), text: m.text }));
    candidates.push({
      key: `group/${slug(group)}`,
      kind: "crime_group",
      title: group,
      rationale: `${reasons.join("; ")}.`,
      evidence: [...evidence, ...supporting],
      areaCodes: [],
    });
  }

  // 3. Emerging hot spots
  if (!skipped("Emerging hot spots", doc.emerging)) {
    const counts = EMERGING_PROPOSAL_CATEGORIES.map((cat) => ({ cat, n: (doc.emerging.cells ?? []).filter((c) => c.category === cat).length })).filter((c) => c.n > 0);
    if (counts.length > 0) {
      const steps = doc.emerging.steps ?? [];
      const span = steps.length > 0 ? ` over ${steps.length} ${doc.emerging.step === "quarter" ? "quarters" : "months"} (${steps[0]} to ${steps[steps.length - 1]})` : "";
      const total = counts.reduce((s, c) => s + c.n, 0);
      const parts = counts.map((c) => `${c.n} ${c.cat.replace("-hotspot", "")}`);
      const evidence = counts.map((c) => ({
        ref: ref(`emerging/${c.cat}`),
        text: `${c.n} grid ${c.n === 1 ? "cell is a" : "cells are"} ${c.cat.replace("-", " ").replace("hotspot", "hot spot")}${c.n === 1 ? "" : "s"}${span}.`,
      }));
      candidates.push({
        key: "emerging-hotspots",
        kind: "emerging_hotspots",
        title: "Emerging hot spots",
        rationale: `${total} grid ${total === 1 ? "cell is an emerging hot spot" : "cells are emerging hot spots"}${span}: ${listAnd(parts)}.`,
        evidence,
        areaCodes: [],
      });
    }
  }
  if (candidates.length === 0) notes.push("Nothing in this assessment meets a rule for proposing a priority; add priorities by hand.");
  return { vintage, candidates, notes };
}
