/**
 * narrateAssessment: plain-English key messages from computed figures, each with the numbers it
 * cites. Figures are plain values so they can come from the analytics (see the `*Figure`
 * adapters below) or be typed in (e.g. an official MSG position).
 *
 * Wording rules
 * - Counts with thousands separators; percentages to 1 decimal place, computed here from the counts
 *   when both counts are given ((to − from) / from), so the sentence is always right.
 * - A change reads "<Subject> fell 25.1% from 36,340 in 2007 to 27,214 in 2011"; with only a %
 *   "<Subject> fell 10.0% on the previous year" (or "... since 2007" with `comparedWith`); a significance test, when given, adds
 *   ", a statistically significant fall (p < 0.001)" or " (not statistically significant, p = 0.412)".
 * - A change whose periods include a month flagged as unusual by the data quality checks
 *   (`flaggedMonths`) is never called significant: "; the change includes a month flagged as unusual
 *   in the police data (August 2025), so it is not tested for significance" replaces the test.
 * - MSG position in plain English (peer/peer-wording.ts): "<Subject>: the 4th highest rate of 15 in
 *   the Most Similar Group, among the highest quarter"; never "top quartile". A previous rank adds
 *   "; previously the 3rd highest"; peers left out of the ranking are named with why ("; Portsmouth
 *   is left out (no police.uk data loaded)"); the population estimates used are named ("; rates per
 *   1,000 residents, ONS mid-2024 population estimates").
 * - Significance against the funnel limits, when given (`significance`), follows the quarter: "; not
 *   significantly different from the group (within the 95% funnel limits, which allow for the usual
 *   spread between similar areas)" under the over-dispersed limits (peerSignificancePhrase).
 * - Messages are bullet-style: no trailing full stop.
 */
import { type LeftOutPeer, leftOutPhrase, peerQuarterPhrase, peerRankPhrase, previousPositionPhrase, QUARTILE_LABELS, quartileOf } from "../peer/peer-wording.ts";
import { formatCount, formatP, formatPercent, listAnd, MONTH_NAMES } from "../stats/format.ts";
import { type DeprivationMeasure, deprivationLabel } from "../priority/priority-areas.ts";

export interface ChangeFigure {
  subject: string;
  from?: { label: string; count: number };
  to?: { label: string; count: number };
  /** Used only when counts are not both given. */
  changePct?: number;
  /** The comparison phrase when only a % is given. Default "on the previous year" (e.g. "since 2007"). */
  comparedWith?: string;
  test?: { pValue: number; significant: boolean } | null;
  /**
   * Months of either period flagged as unusual by the data quality checks (decision 0016): the
   * change is then never called significant (or not): it "includes a month flagged as unusual".
   */
  flaggedMonths?: readonly string[];
}

export interface PeerFigure {
  subject: string;
  /** 1 = lowest rate; tied rates share the lower rank (peerCompare). */
  rank: number;
  /** Areas ranked, the target included. */
  of: number;
  /** Areas sharing the target's rate, itself included (default 1). */
  tied?: number;
  /** The quartile when another rule than ceil(4 · rank / of) gave it (peerCompare's cut points). */
  quartile?: 1 | 2 | 3 | 4;
  previousRank?: number;
  groupName?: string;
  /** Peers of the group that are not in the ranking, with why. */
  leftOut?: LeftOutPeer[];
  /** The population estimates the rates use, named in the message ("ONS mid-2024 population estimates"). */
  population?: string;
  /** Where the rate falls against the funnel limits (peerCompare's position); adds the significance phrase. */
  significance?: PeerSignificance;
}

export interface PeerSignificance {
  position: "above" | "below" | "within";
  /** The widest limit crossed (e.g. 0.998), null when within. */
  beyond: number | null;
  /** The funnel levels, inner first (e.g. [0.95, 0.998]). */
  levels: [number, number];
  /** "over-dispersed" (Spiegelhalter 2005, the spread between similar areas allowed for) or "Poisson". */
  limits: "over-dispersed" | "Poisson";
  /** The dispersion ratio φ, when over-dispersed limits were used. */
  phi?: number;
}

export interface PeakFigure {
  month: string;
  subject?: string;
  years?: number;
  of?: number;
}

export interface ConcentrationFigure {
  subject: string;
  /** e.g. "LSOAs", "grid cells". */
  placeName: string;
  p: number;
  places: number;
  totalPlaces: number;
  share: number;
  generalisedGini?: number | null;
}

export interface PriorityFigure {
  areas: { code: string; name: string }[];
  deprived: number;
  inHotspots?: number;
  /** The deprivation measure ranked (decision 0023) and its IoD edition; the message names it. */
  deprivation?: DeprivationMeasure;
  imdEdition?: string;
}

export interface NarrativeFigures {
  changes?: ChangeFigure[];
  peers?: PeerFigure[];
  peak?: PeakFigure | null;
  concentration?: ConcentrationFigure[];
  priority?: PriorityFigure | null;
}

export interface KeyMessage {
  id: string;
  text: string;
  figures: Record<string, number | string>;
}

export interface NarrativeResult {
  messages: KeyMessage[];
  params: { percentDecimals: 1; thousandsSeparator: "," };
  notes: string[];
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** "2025-08" -> "August 2025". */
function monthWords(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}` : month;
}

function changeMessage(c: ChangeFigure, notes: string[]): KeyMessage | null {
  const figures: Record<string, number | string> = {};
  const id = `change.${slug(c.subject)}${c.from && c.to ? `.${slug(c.from.label)}-${slug(c.to.label)}` : `.${slug(c.comparedWith ?? "on the previous year")}`}`;
  let text: string;
  let direction: "rise" | "fall" | "none";
  if (c.from && c.to) {
    const { from, to } = c;
    Object.assign(figures, { from: from.count, to: to.count, fromLabel: from.label, toLabel: to.label });
    const diff = to.count - from.count;
    figures.change = diff;
    if (diff === 0) {
      return { id, text: `${c.subject} was unchanged at ${formatCount(to.count)} in ${from.label} and ${to.label}`, figures };
    }
    direction = diff < 0 ? "fall" : "rise";
    const verb = diff < 0 ? "fell" : "rose";
    if (from.count === 0) {
      text = `${c.subject} ${verb} from 0 in ${from.label} to ${formatCount(to.count)} in ${to.label}`;
    } else {
      const pct = (diff / from.count) * 100;
      figures.changePct = round1(pct);
      const pctText = Math.abs(pct) < 0.05 ? "by less than 0.1%" : `${formatPercent(pct)}%`;
      text = `${c.subject} ${verb} ${pctText} from ${formatCount(from.count)} in ${from.label} to ${formatCount(to.count)} in ${to.label}`;
    }
  } else if (c.changePct !== undefined && Number.isFinite(c.changePct)) {
    figures.changePct = round1(c.changePct);
    const against = c.comparedWith ?? "on the previous year";
    figures.comparedWith = against;
    if (round1(c.changePct) === 0) return { id, text: `${c.subject} was unchanged ${against}`, figures };
    direction = c.changePct < 0 ? "fall" : "rise";
    text = `${c.subject} ${c.changePct < 0 ? "fell" : "rose"} ${formatPercent(c.changePct)}% ${against}`;
  } else {
    notes.push(`No change figures for ${c.subject}: no message.`);
    return null;
  }
  if (c.flaggedMonths?.length) {
    const months = [...c.flaggedMonths].sort();
    figures.flaggedMonths = months.join(", ");
    text += `; the change includes ${months.length === 1 ? "a month" : "months"} flagged as unusual in the police data (${listAnd(months.map(monthWords))}), so it is not tested for significance`;
  } else if (c.test) {
    figures.pValue = c.test.pValue;
    text += c.test.significant
      ? `, a statistically significant ${direction} (${formatP(c.test.pValue)})`
      : ` (not statistically significant, ${formatP(c.test.pValue)})`;
  }
  return { id, text, figures };
}

function peerMessage(p: PeerFigure): KeyMessage {
  const group = p.groupName ?? "the Most Similar Group";
  const position = { rank: p.rank, of: p.of, tied: p.tied ?? 1, ...(p.quartile ? { quartile: p.quartile } : {}) };
  let text = `${p.subject}: ${peerRankPhrase(position)} in ${group}`;
  const figures: Record<string, number | string> = { rank: p.rank, of: p.of };
  if (position.tied > 1) figures.tied = position.tied;
  const quarter = peerQuarterPhrase(position);
  if (quarter) {
    text += `, ${quarter}`;
    const q = p.quartile ?? quartileOf(p.rank, p.of);
    figures.quartile = q;
    figures.quarter = QUARTILE_LABELS[q - 1]!;
  }
  if (p.significance) {
    text += `; ${peerSignificancePhrase(p.significance)}`;
    Object.assign(figures, { funnel: p.significance.position, funnelLimits: p.significance.limits });
    if (p.significance.beyond !== null) figures.funnelLevel = p.significance.beyond;
    if (p.significance.phi !== undefined) figures.phi = p.significance.phi;
  }
  if (p.previousRank !== undefined) {
    figures.previousRank = p.previousRank;
    text += `; ${previousPositionPhrase(position, p.previousRank)}`;
  }
  const left = leftOutPhrase(p.leftOut ?? []);
  if (left) {
    text += `; ${left}`;
    figures.leftOut = p.leftOut!.length;
  }
  if (p.population) {
    text += `; rates per 1,000 residents, ${p.population}`;
    figures.population = p.population;
  }
  return { id: `peer.${slug(p.subject)}`, text, figures };
}

const levelText = (l: number) => `${Number((l * 100).toFixed(1))}%`;

/**
 * The significance phrase of a peer position (issue 13): "not significantly different from the
 * group (within the 95% funnel limits, which allow for the usual spread between similar areas)",
 * "significantly higher than the group (above the 99.8% over-dispersed funnel limit)", "higher than
 * the group at the 95% level only (above the 95% over-dispersed funnel limit, within the 99.8%)".
 */
export function peerSignificancePhrase(s: PeerSignificance): string {
  const od = s.limits === "over-dispersed";
  const [inner, outer] = s.levels;
  if (s.position === "within") {
    return `not significantly different from the group (within the ${levelText(inner)} funnel limits${od ? ", which allow for the usual spread between similar areas" : ""})`;
  }
  const word = s.position === "above" ? "higher" : "lower";
  const limit = `${od ? "over-dispersed " : ""}funnel limit`;
  if (s.beyond === outer) return `significantly ${word} than the group (${s.position} the ${levelText(outer)} ${limit})`;
  return `${word} than the group at the ${levelText(inner)} level only (${s.position} the ${levelText(inner)} ${limit}, within the ${levelText(outer)})`;
}

function peakMessage(p: PeakFigure): KeyMessage {
  const forSubject = p.subject ? ` for ${p.subject}` : "";
  const figures: Record<string, number | string> = { month: p.month };
  let text = `${p.month} is the peak month${forSubject}`;
  if (p.years !== undefined && p.of !== undefined && p.of > 0) {
    text += ` in ${p.years} of ${p.of} ${p.of === 1 ? "year" : "years"}`;
    Object.assign(figures, { years: p.years, of: p.of });
  }
  return { id: `season.peak${p.subject ? `.${slug(p.subject)}` : ""}`, text, figures };
}

function concentrationMessage(c: ConcentrationFigure): KeyMessage {
  const pct = formatPercent(c.share * 100);
  const pPlaces = Number((c.p * 100).toFixed(1));
  let text = `${pct}% of ${c.subject.toLowerCase()} was in the ${pPlaces}% of ${c.placeName} with the most crime (${formatCount(c.places)} of ${formatCount(c.totalPlaces)})`;
  const figures: Record<string, number | string> = {
    share: round1(c.share * 100),
    placesPct: pPlaces,
    places: c.places,
    totalPlaces: c.totalPlaces,
  };
  if (c.generalisedGini !== undefined && c.generalisedGini !== null) {
    const g = Number(c.generalisedGini.toFixed(2));
    text += `; generalised Gini ${g.toFixed(2)}`;
    figures.generalisedGini = g;
  }
  return { id: `concentration.${slug(c.subject)}.${pPlaces}`, text, figures };
}

function priorityMessage(p: PriorityFigure): KeyMessage {
  const n = p.areas.length;
  const names = p.areas.slice(0, 5).map((a) => a.name);
  const more = n > 5 ? ` and ${n - 5} more` : "";
  const deciles = p.deprivation ? `deciles 1–2; deprivation: ${deprivationLabel(p.deprivation, p.imdEdition)}` : "IMD deciles 1–2";
  let text = `${n} priority ${n === 1 ? "area" : "areas"} (${n > 5 ? names.join(", ") + more : listAnd(names)}); ${p.deprived} of ${n} in the most deprived 20% of England (${deciles})`;
  const figures: Record<string, number | string> = { areas: n, deprived: p.deprived, ...(p.deprivation ? { deprivation: p.deprivation } : {}) };
  if (p.inHotspots !== undefined) {
    text += `; ${p.inHotspots} also ${p.inHotspots === 1 ? "a hotspot" : "hotspots"}`;
    figures.inHotspots = p.inHotspots;
  }
  return { id: "priority.areas", text, figures };
}

export function narrateAssessment(figures: NarrativeFigures): NarrativeResult {
  const notes: string[] = [];
  const messages: KeyMessage[] = [];
  for (const c of figures.changes ?? []) {
    const m = changeMessage(c, notes);
    if (m) messages.push(m);
  }
  for (const p of figures.peers ?? []) messages.push(peerMessage(p));
  if (figures.peak) messages.push(peakMessage(figures.peak));
  for (const c of figures.concentration ?? []) messages.push(concentrationMessage(c));
  if (figures.priority && figures.priority.areas.length > 0) messages.push(priorityMessage(figures.priority));
  if (messages.length === 0) notes.push("No figures were given: there are no key messages.");
  // ids are unique: a repeated id gets "-2", "-3", ...
  const seen = new Map<string, number>();
  for (const m of messages) {
    const k = (seen.get(m.id) ?? 0) + 1;
    seen.set(m.id, k);
    if (k > 1) m.id = `${m.id}-${k}`;
  }
  return { messages, params: { percentDecimals: 1, thousandsSeparator: "," }, notes };
}
