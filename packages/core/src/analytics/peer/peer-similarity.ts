/**
 * peerSimilarity: a computed similarity group (an open stand-in for the Home Office Most Similar
 * Group) as the k nearest neighbours of a target area on standardised indicators.
 *
 * Rules
 * - Indicators: whatever numbers the caller gives per area (e.g. population density, IMD average
 *   score, rural-urban share, socio-economic shares from Census tables). `variables` picks and
 *   orders them; default: every indicator the target has.
 * - Each variable is z-standardised over all areas given: z = (x − mean) / SD, SD the sample SD
 *   (n − 1). A variable with SD 0 cannot separate areas and is dropped (noted). Areas lacking any
 *   chosen variable are left out (noted); the target must have them all.
 * - Distance: Euclidean on the z-scores, every variable weighted equally.
 * - Group size: `k` (default 15) INCLUDES the target, as MSGs of 15 do ("10th of 15"): the
 *   target plus its k − 1 nearest areas. Ties in distance are broken by code.
 */
import { invalid } from "../stats/check.ts";

export interface SimilarityArea {
  code: string;
  name: string;
  indicators: Readonly<Record<string, number | null | undefined>>;
}

export interface PeerSimilarityOptions {
  /** Group size including the target. Default 15. */
  k?: number;
  /** Indicators to use. Default: all the target has. */
  variables?: string[];
}

export interface PeerSimilarityResult {
  target: { code: string; name: string };
  /** The group, target first (distance 0), then nearest first. */
  group: { code: string; name: string; distance: number; rank: number }[];
  variables: { name: string; mean: number; sd: number; targetValue: number; targetZ: number }[];
  params: { k: number; includesTarget: true; standardise: "z-score (sample SD)"; distance: "Euclidean"; variables: string[] };
  notes: string[];
}

export function peerSimilarity(areas: readonly SimilarityArea[], targetCode: string, opts: PeerSimilarityOptions = {}): PeerSimilarityResult {
  const k = opts.k ?? 15;
  if (!Number.isInteger(k) || k < 2) throw invalid(`k (group size including the target) must be a whole number >= 2; got ${k}`);
  if (!Array.isArray(areas) || areas.length === 0) throw invalid("peer similarity needs areas with indicators; none were given");
  const codes = new Set<string>();
  for (const a of areas) {
    if (codes.has(a.code)) throw invalid(`area ${a.code} appears twice`);
    codes.add(a.code);
  }
  const target = areas.find((a) => a.code === targetCode);
  if (!target) throw invalid(`target ${targetCode} is not among the areas given`);
  const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  const requested = opts.variables ?? Object.keys(target.indicators).filter((v) => isNum(target.indicators[v]));
  if (requested.length === 0) throw invalid(`target ${targetCode} has no numeric indicators`);
  const missingForTarget = requested.filter((v) => !isNum(target.indicators[v]));
  if (missingForTarget.length) throw invalid(`target ${targetCode} has no value for: ${missingForTarget.join(", ")}`);
  const notes: string[] = [];
  const usable = areas.filter((a) => requested.every((v) => isNum(a.indicators[v])));
  const dropped = areas.length - usable.length;
  if (dropped > 0) notes.push(`${dropped} ${dropped === 1 ? "area lacks" : "areas lack"} a chosen indicator and ${dropped === 1 ? "is" : "are"} left out.`);
  if (usable.length < 2) throw invalid("no other area has every chosen indicator: no peers can be found");
  const stats = requested.map((name) => {
    const xs = usable.map((a) => a.indicators[name] as number);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    return { name, mean, sd };
  });
  const vars = stats.filter((s) => s.sd > 1e-12 * Math.max(1, Math.abs(s.mean)));
  const flat = stats.filter((s) => !vars.includes(s)).map((s) => s.name);
  if (flat.length) notes.push(`Same value in every area, so not used: ${flat.join(", ")}.`);
  if (vars.length === 0) throw invalid("no indicator varies between the areas: similarity cannot be measured");
  const z = (a: SimilarityArea) => vars.map((s) => ((a.indicators[s.name] as number) - s.mean) / s.sd);
  const tz = z(target);
  const others = usable
    .filter((a) => a.code !== targetCode)
    .map((a) => {
      const az = z(a);
      return { code: a.code, name: a.name, distance: Math.sqrt(az.reduce((s, v, i) => s + (v - tz[i]!) ** 2, 0)) };
    })
    .sort((a, b) => a.distance - b.distance || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (others.length < k - 1) notes.push(`Only ${others.length + 1} areas available: the group has ${others.length + 1} instead of ${k}.`);
  const group = [{ code: target.code, name: target.name, distance: 0, rank: 0 }, ...others.slice(0, k - 1).map((o, i) => ({ ...o, rank: i + 1 }))];
  return {
    target: { code: target.code, name: target.name },
    group,
    variables: vars.map((s, i) => ({ name: s.name, mean: s.mean, sd: s.sd, targetValue: target.indicators[s.name] as number, targetZ: tz[i]! })),
    params: { k, includesTarget: true, standardise: "z-score (sample SD)", distance: "Euclidean", variables: vars.map((s) => s.name) },
    notes,
  };
}
