import {
  AppError,
  crimeTypeName,
  DEFAULT_CRIME_GROUPS,
  type PeerCompareOptions,
  type PeerCompareResult,
  type PeerRow,
  type PeerSimilarityResult,
  peerCompare,
  peerSimilarity,
  censusRebaseNote,
  populationFor,
  populationYearFor,
  crossForceDecision,
  type CrossForceDecision,
  forceLabel,
  homeForces,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { areasByCode, childrenOf, indicatorsByLevel } from "../db/repositories/indicator.repository.ts";
import { onsCrimeValues } from "../db/repositories/ons-crime.repository.ts";
import { countsByAreaForceAndType, forceRowsByArea, importedMonthsByForce, type PeerColumn, policeForceAreasByArea } from "../db/repositories/peer-counts.repository.ts";
import { findPeerGroup, type StoredPeerGroup } from "../db/repositories/peer-group.repository.ts";
import { populationYearsOfAreas } from "../db/repositories/population.repository.ts";
import { type AnalysisQuery, type AnalysisScope, compactMonths, loadAnalysisScope, loadedMonths } from "./analysis-scope.ts";

export interface PeersQuery extends AnalysisQuery {
  /**
   * Codes of a peer group entered by the user (e.g. the official MSG), target excluded or included.
   * Default: the group saved for the area on the Peers page, else a computed one.
   */
  peers?: readonly string[];
  /** "computed" ignores the saved group (and `peers`); default "saved" (the saved group when there is one). */
  peerSource?: "saved" | "computed";
  /** Size of a computed group, target included. Default 15. */
  k?: number;
  /** Every default crime group instead of the one `type` names. Default: all groups when no type is given. */
  allGroups?: boolean;
  /** Funnel limits ("overdispersed", the default, or "poisson"), over-dispersion model and quartile rule (peerCompare's options). */
  funnel?: PeerCompareOptions["funnel"];
  dispersionModel?: PeerCompareOptions["dispersionModel"];
  quartiles?: PeerCompareOptions["quartiles"];
}

/** ONS offence columns (tables C2/C4) summed for each police.uk crime group; ASB is not recorded crime. */
export const ONS_OFFENCES_BY_GROUP: Readonly<Record<string, readonly string[]>> = {
  "All crime": ["Total recorded crime (excluding fraud)"],
  "Violence and sexual offences": ["Violence against the person", "Sexual offences"],
  Burglary: ["Burglary"],
  Robbery: ["Robbery"],
  "Vehicle crime": ["Vehicle offences"],
  "Criminal damage and arson": ["Criminal damage and arson"],
  "Theft (all)": ["Shoplifting", "Bicycle theft", "Theft from the person", "All other theft offences"],
  Drugs: ["Drug offences"],
  "Public order": ["Public order offences"],
  "Possession of weapons": ["Possession of weapons offences"],
};
export const ONS_YEAR_ENDING = "2024-12";
const ONS_POPULATION = "Population figures (mid-2022) - rounded to 100";

export const PEER_SOURCES_NOTE =
  "police.uk and the ONS tables differ: ONS counts all police recorded crime for the year ending December 2024 (excluding fraud) by CSP, with mid-2022 populations rounded to 100; police.uk street-level data leaves out fraud and some offences (e.g. those without a location), is snapped to anonymous map points and assigned to LSOAs by location, includes anti-social behaviour, covers the months chosen here, and reflects the data as published each month (later reclassifications are not carried back).";

export interface PeerMember {
  code: string;
  name: string;
  /** 0 for the target; nearest first for computed groups. */
  rank: number;
  distance: number | null;
  principalForce: string | null;
  /** "complete": every month of the window; "partial": some; "none": no police.uk rows. */
  policeData: "complete" | "partial" | "none";
  missingMonths: string[];
  population: number | null;
  populationYear: string | null;
  /** The CSP whose ONS figures stand for this area (null when the area shares its CSP). */
  onsCode: string | null;
}

export interface PeerSide {
  status: "ok" | "insufficient";
  message: string | null;
  /** Areas left out, with why. */
  excluded: { code: string; name: string; reason: string }[];
  result: PeerCompareResult | null;
}

export interface GroupPeers {
  group: string;
  policeUk: PeerSide & { months: string[] };
  ons: PeerSide & { yearEnding: string; offences: string[]; publishedRates: { code: string; rate: number | null }[] };
}

export interface PeersResult {
  scope: AnalysisScope;
  level: "lad" | "csp";
  groupSource: "given" | "computed";
  /** The saved group used (who set it, when, its note), when the group came from the Peers page; else null. */
  savedGroup: { setBy: string; setAt: string; note: string | null } | null;
  similarity: PeerSimilarityResult | null;
  members: PeerMember[];
  groups: GroupPeers[];
  params: {
    k: number | null;
    groups: string[];
    onsYearEnding: string;
    onsPopulation: string;
    policeWindow: string[];
    /** The mid-year whose population estimate best matches the police.uk months compared. */
    populationYear: number;
    /** The estimates the police.uk rates use, in words ("ONS mid-2022 population estimates (the nearest to mid-2025)"). */
    policePopulation: string;
  };
  sourcesNote: string;
  /** The peerCompare options used for every group (defaults filled in). */
  method: { funnel: "overdispersed" | "poisson"; dispersionModel: "multiplicative" | "additive"; quartiles: "rank" | "iquanta" };
  notes: string[];
}

/** Peer comparison per crime group: from police.uk roll-up data and from the ONS CSP tables, side by side. */
export async function assessPeers(store: Store, query: PeersQuery, loaded?: { scope: AnalysisScope }): Promise<PeersResult> {
  const scope = loaded?.scope ?? (await loadAnalysisScope(store, query));
  const { area } = scope;
  if ((area.level !== "lad" && area.level !== "csp") || !area.code) {
    throw new AppError("input.invalid", `peer comparison is for a local authority or a Community Safety Partnership; ${area.name} is a ${area.level}`, {
      hint: "choose a local authority or CSP (e.g. --area csp:Southampton), and install reference data",
    });
  }
  const level = area.level;
  const notes = [...scope.notes];
  let similarity: PeerSimilarityResult | null = null;
  let group: { code: string; name: string; rank: number; distance: number | null }[];
  const saved = query.peerSource === "computed" || query.peers?.length ? null : await findPeerGroup(store, area.code);
  if (saved) notes.push(savedGroupNote(area.name, saved));
  const given = query.peerSource === "computed" ? undefined : query.peers?.length ? query.peers : saved?.codes;
  if (given?.length) {
    const codes = [...new Set(given.map((c) => c.trim().toUpperCase()).filter((c) => c && c !== area.code))];
    const found = await areasByCode(store, codes);
    const unknown = codes.filter((c) => !found.some((f) => f.code === c));
    if (unknown.length) throw new AppError("area.not_found", `unknown peer code(s): ${unknown.join(", ")}`, { hint: "give ONS codes of local authorities or CSPs" });
    const wrong = found.filter((f) => f.level !== level);
    if (wrong.length) {
      throw new AppError("input.invalid", `peers must be at the target's level (${level}); ${wrong.map((w) => `${w.code} is a ${w.level}`).join(", ")}`);
    }
    group = [{ code: area.code, name: area.name, rank: 0, distance: null }, ...codes.map((c, i) => ({ code: c, name: found.find((f) => f.code === c)!.name, rank: i + 1, distance: null }))];
  } else {
    const areas = await indicatorsByLevel(store, level);
    if (!areas.some((a) => a.code === area.code)) {
      throw new AppError("data.missing", `no open indicators for ${area.name} (${area.code}): a similarity group cannot be computed`, {
        hint: "install reference data (`safecity reference install`), or give the peer group with --peers",
      });
    }
    similarity = peerSimilarity(areas, area.code, query.k !== undefined ? { k: query.k } : {});
    group = similarity.group.map((g) => ({ code: g.code, name: g.name, rank: g.rank, distance: g.distance }));
    notes.push(...similarity.notes);
  }
  const codes = group.map((g) => g.code);
  const column: PeerColumn = level === "lad" ? "lad_code" : "csp_code";

  // police.uk coverage of each member over the target's months present
  const window = scope.monthsPresent;
  // each member's own force(s) and cross-force rule (decision 0022), as loadAnalysisScope does for the target
  const forceRows = await forceRowsByArea(store, column, codes);
  const areaForceNames = await policeForceAreasByArea(store, column, codes);
  const home = new Map(codes.map((c) => [c, homeForces(areaForceNames.get(c) ?? [], forceRows.filter((r) => r.code === c)).home]));
  const monthsByForce = Object.fromEntries(await importedMonthsByForce(store, [...new Set(forceRows.map((r) => r.force).filter(Boolean))]));
  const byForce = await countsByAreaForceAndType(store, column, codes, window);
  const decisions = new Map<string, CrossForceDecision>();
  for (const c of codes) {
    const rows = new Map<string, number>();
    for (const r of byForce) if (r.code === c) rows.set(r.force, (rows.get(r.force) ?? 0) + r.n);
    const forces = [...rows].map(([force, n]) => ({ force, rows: n, monthsImported: monthsByForce[force] ?? [] }));
    decisions.set(c, crossForceDecision(scope.otherForces.rule, home.get(c) ?? [], forces, window));
  }
  const popYears = await populationYearsOfAreas(store, codes);
  // the mid-year estimate that best matches the months compared (core populationYearFor)
  const populationYear = populationYearFor(window[0] ?? scope.from, window.at(-1) ?? scope.to);
  const parents = level === "lad" ? await areasByCode(store, codes) : [];
  const cspCodes = [...new Set(parents.map((p) => p.parentCode).filter((c): c is string => !!c))];
  const ladsOfCsp = await childrenOf(store, cspCodes, "lad");
  const members: PeerMember[] = group.map((g) => {
    const force = home.get(g.code)?.[0] ?? null;
    const have = new Set(loadedMonths(home.get(g.code) ?? [], monthsByForce));
    const missing = window.filter((m) => !have.has(m));
    const pop = popYears.get(g.code);
    const p = pop ? populationFor(pop, populationYear * 12) : { value: null, year: null };
    let onsCode: string | null = g.code;
    if (level === "lad") {
      const parent = parents.find((x) => x.code === g.code)?.parentCode ?? null;
      const isCsp = parent !== null && (parent.startsWith("E22") || parent.startsWith("W22"));
      onsCode = isCsp && (ladsOfCsp.get(parent!) ?? []).length === 1 ? parent : null;
    }
    return {
      code: g.code,
      name: g.name,
      rank: g.rank,
      distance: g.distance,
      principalForce: force,
      policeData: !force ? "none" : missing.length ? "partial" : "complete",
      missingMonths: force ? missing : [],
      population: p.value,
      populationYear: p.year,
      onsCode,
    };
  });

  const counts = byForce.filter((r) => !decisions.get(r.code)!.excludeForces.includes(r.force));
  const peerLeftOut = members
    .filter((m) => m.code !== area.code && decisions.get(m.code)!.leftOut.length)
    .map((m) => `${m.name} ${decisions.get(m.code)!.leftOut.map((l) => `${l.rows} from ${forceLabel(l.force)}`).join(", ")}`);
  if (peerLeftOut.length) notes.push(`peers' rows from other forces left out by the same rule (${scope.otherForces.rule}): ${peerLeftOut.join("; ")}`);
  const onsCodes = [...new Set(members.map((m) => m.onsCode).filter((c): c is string => !!c))];
  const c2 = await onsCrimeValues(store, "C2", ONS_YEAR_ENDING, onsCodes);
  const c4 = await onsCrimeValues(store, "C4", ONS_YEAR_ENDING, onsCodes);

  const method: PeersResult["method"] = { funnel: query.funnel ?? "overdispersed", dispersionModel: query.dispersionModel ?? "multiplicative", quartiles: query.quartiles ?? "rank" };
  const all = query.allGroups ?? query.type === undefined;
  const groupNames = all ? Object.keys(DEFAULT_CRIME_GROUPS) : [scope.group.name];
  const groups: GroupPeers[] = groupNames.map((name) => {
    const types = new Set(all ? DEFAULT_CRIME_GROUPS[name]! : scope.group.types);
    return {
      group: name,
      policeUk: policeSide(area.code!, members, counts, types, window, method),
      ons: onsSide(area.code!, members, c2, c4, ONS_OFFENCES_BY_GROUP[name] ?? (all ? [] : onsOffencesForType(scope.group.types)), method),
    };
  });
  const nonePolice = members.filter((m) => m.policeData === "none").map((m) => m.name);
  if (nonePolice.length) notes.push(`no police.uk data loaded for ${nonePolice.length} peer(s): ${nonePolice.join(", ")} (left out, not counted as zero)`);
  notes.push(...peerPopulationNotes(members, populationYear));
  return {
    scope,
    level,
    groupSource: similarity ? "computed" : "given",
    savedGroup: saved ? { setBy: saved.updatedBy, setAt: saved.updatedAt, note: saved.note } : null,
    similarity,
    members,
    groups,
    params: {
      k: similarity ? similarity.params.k : null,
      groups: groupNames,
      onsYearEnding: ONS_YEAR_ENDING,
      onsPopulation: ONS_POPULATION,
      policeWindow: window,
      populationYear,
      policePopulation: populationWords(members, populationYear),
    },
    sourcesNote: PEER_SOURCES_NOTE,
    method,
    notes,
  };
}

/** Which estimates the police.uk rates use and why, and the 2021 Census step when the members' years straddle it (decision 0024). */
export function peerPopulationNotes(members: readonly Pick<PeerMember, "populationYear">[], best: number): string[] {
  const words = populationWords(members, best);
  const out = [words === "no population estimates" ? "police.uk rates per 1,000: no population estimates are installed for the group" : `police.uk rates per 1,000 use ${words}`];
  const rebase = censusRebaseNote(members.map((m) => m.populationYear), "The peers' police.uk rates");
  if (rebase) out.push(rebase);
  return out;
}

/** "the peer group saved for Southampton on the Peers page by alice on 2026-11-30 (MSG 2024)": which group, and who set it. */
export function savedGroupNote(areaName: string, saved: StoredPeerGroup): string {
  return `peer group: the ${saved.codes.length} areas saved for ${areaName} on the Peers page by ${saved.updatedBy} on ${saved.updatedAt.slice(0, 10)}${saved.note ? ` (${saved.note})` : ""}; computed peers with --peer-source computed`;
}

/** "ONS mid-2024 population estimates"; "ONS mid-2022 population estimates (the nearest to mid-2024)" when that year is not loaded. */
export function populationWords(members: readonly Pick<PeerMember, "populationYear">[], best: number): string {
  const years = [...new Set(members.map((m) => m.populationYear).filter((y): y is string => y !== null))].sort();
  if (years.length === 0) return "no population estimates";
  const list = years.map((y) => `mid-${y}`).join(", ");
  return `ONS ${list} population estimates${years.length === 1 && years[0] === String(best) ? "" : ` (the nearest to mid-${best}, the middle of the period)`}`;
}

function onsOffencesForType(types: readonly string[]): string[] {
  const g = Object.entries(DEFAULT_CRIME_GROUPS).find(([, t]) => t.length === types.length && t.every((x) => types.includes(x)));
  return g ? [...(ONS_OFFENCES_BY_GROUP[g[0]] ?? [])] : [];
}

function compareOrInsufficient(rows: PeerRow[], target: string, excluded: PeerSide["excluded"], opts: PeerCompareOptions): PeerSide {
  if (!rows.some((r) => r.code === target)) {
    return { status: "insufficient", message: `the target has no usable figures: ${excluded.find((e) => e.code === target)?.reason ?? "none"}`, excluded, result: null };
  }
  if (rows.length < 2) return { status: "insufficient", message: "fewer than 2 areas of the group have usable figures", excluded, result: null };
  return { status: "ok", message: null, excluded, result: peerCompare(rows, target, opts) };
}

function policeSide(
  target: string,
  members: PeerMember[],
  counts: { code: string; crimeTypeId: number; n: number }[],
  types: Set<string>,
  window: string[],
  opts: PeerCompareOptions,
): GroupPeers["policeUk"] {
  const excluded: PeerSide["excluded"] = [];
  const rows: PeerRow[] = [];
  for (const m of members) {
    if (m.policeData === "none") excluded.push({ code: m.code, name: m.name, reason: "no police.uk data loaded" });
    else if (m.policeData === "partial") excluded.push({ code: m.code, name: m.name, reason: `${m.principalForce} has no file for ${compactMonths(m.missingMonths)}` });
    else if (m.population === null) excluded.push({ code: m.code, name: m.name, reason: "no population estimate" });
    else {
      const count = counts.filter((c) => c.code === m.code && types.has(crimeTypeName(c.crimeTypeId))).reduce((s, c) => s + c.n, 0);
      rows.push({ code: m.code, name: m.name, count, population: m.population });
    }
  }
  if (window.length === 0) return { status: "insufficient", message: "the period has no month of police data for the target", excluded, result: null, months: window };
  return { ...compareOrInsufficient(rows, target, excluded, opts), months: window };
}

function onsSide(
  target: string,
  members: PeerMember[],
  c2: { areaCode: string; offence: string; value: number | null }[],
  c4: { areaCode: string; offence: string; value: number | null }[],
  offences: readonly string[],
  opts: PeerCompareOptions,
): GroupPeers["ons"] {
  const base = { yearEnding: ONS_YEAR_ENDING, offences: [...offences] };
  if (offences.length === 0) {
    return { ...base, status: "insufficient", message: "no ONS recorded-crime equivalent (anti-social behaviour is not recorded crime)", excluded: [], result: null, publishedRates: [] };
  }
  const excluded: PeerSide["excluded"] = [];
  const rows: PeerRow[] = [];
  const publishedRates: { code: string; rate: number | null }[] = [];
  for (const m of members) {
    if (!m.onsCode) {
      excluded.push({ code: m.code, name: m.name, reason: "ONS tables are by CSP and this area shares its CSP with other areas" });
      continue;
    }
    const values = offences.map((o) => c2.find((v) => v.areaCode === m.onsCode && v.offence === o)?.value ?? null);
    const rates = offences.map((o) => c4.find((v) => v.areaCode === m.onsCode && v.offence === o)?.value ?? null);
    const pop = c4.find((v) => v.areaCode === m.onsCode && v.offence === ONS_POPULATION)?.value ?? null;
    publishedRates.push({ code: m.code, rate: rates.every((r) => r !== null) ? rates.reduce((s: number, r) => s + r!, 0) : null });
    if (values.some((v) => v === null) || pop === null || !(pop > 0)) {
      excluded.push({ code: m.code, name: m.name, reason: `no ONS figure for ${m.onsCode} (year ending ${ONS_YEAR_ENDING})` });
      continue;
    }
    rows.push({ code: m.code, name: m.name, count: values.reduce((s: number, v) => s + v!, 0), population: pop });
  }
  return { ...base, ...compareOrInsufficient(rows, target, excluded, opts), publishedRates };
}
