/**
 * Peer-group positions in plain English: the one wording every page, CSV, CLI output and key
 * message uses (decision 0012). A councillor reads "13 of 14, top quartile" as good news; it meant
 * the 2nd highest crime rate of 14. So positions are said from the end they are near, with the
 * word "highest" or "lowest" and the thing ranked ("rate"), and quartiles are "quarters" named by
 * their rates, never "top"/"bottom".
 *
 * Rules
 * - Input is peerCompare's rank (1 = lowest rate; tied rates share the lower rank), the group size
 *   and how many areas share the rate (itself included; default 1).
 * - below = rank − 1 areas have a lower rate; above = of − rank − tied + 1 have a higher rate.
 *   The position is counted from the top when above ≤ below ("the 4th highest rate of 15", "the
 *   highest rate of 15"), else from the bottom ("the 3rd lowest rate of 15", "the lowest rate of
 *   15"); the middle of an odd group is counted from the top.
 * - Ties: "the joint 2nd highest rate of 15 (with 1 other area)"; every area tied: "the same rate
 *   as all 15 areas of the group".
 * - Quarter: q = ceil(4 · rank / of) (peerCompare's quartile): 4 "among the highest quarter",
 *   3 "in the second-highest quarter", 2 "in the second-lowest quarter", 1 "among the lowest
 *   quarter". A tied block whose ranks fall in two or more quarters is "on the boundary of the
 *   second-highest and highest quarters" (ranks below..below+tied−1 decide). A quartile given by
 *   another rule (`quartile`, e.g. peerCompare's cut points) is said as given. No quarter is said for
 *   a group of fewer than 4 areas or when every area is tied.
 * - Left-out peers: "Portsmouth is left out (no police.uk data loaded)"; several: "2 peers are
 *   left out: Portsmouth (no police.uk data loaded) and Reading (no population estimate)".
 */
import { listAnd, ordinal } from "../stats/format.ts";

export type QuartileLabel = "lowest quarter" | "second-lowest quarter" | "second-highest quarter" | "highest quarter";
/** Index q − 1 for quartile q (1 = lowest rates). */
export const QUARTILE_LABELS: readonly QuartileLabel[] = ["lowest quarter", "second-lowest quarter", "second-highest quarter", "highest quarter"];

export interface RankedPosition {
  /** 1 = lowest rate; tied rates share the lower rank. */
  rank: number;
  /** Areas ranked, the target included. */
  of: number;
  /** Areas with exactly this rate, itself included (default 1). */
  tied?: number;
  /** The quartile when another rule than ceil(4 · rank / of) gave it (peerCompare's "iquanta" cut points). */
  quartile?: 1 | 2 | 3 | 4;
}

/** Quartile by rank: ceil(4 · rank / of), 1 = lowest rates. */
export function quartileOf(rank: number, of: number): 1 | 2 | 3 | 4 {
  return Math.min(4, Math.max(1, Math.ceil((4 * rank) / of))) as 1 | 2 | 3 | 4;
}

function checked(p: RankedPosition): { rank: number; of: number; tied: number; below: number; above: number } {
  const tied = p.tied ?? 1;
  if (!Number.isInteger(p.of) || p.of < 1) throw new RangeError(`a peer group has at least 1 area; got ${p.of}`);
  if (!Number.isInteger(tied) || tied < 1) throw new RangeError(`tied counts the area itself, so it is 1 or more; got ${tied}`);
  if (!Number.isInteger(p.rank) || p.rank < 1 || p.rank + tied - 1 > p.of) {
    throw new RangeError(`rank ${p.rank} (tied with ${tied - 1} other) does not fit a group of ${p.of}`);
  }
  return { rank: p.rank, of: p.of, tied, below: p.rank - 1, above: p.of - p.rank - tied + 1 };
}

const otherAreas = (k: number) => `${k} other ${k === 1 ? "area" : "areas"}`;

/** "the 4th highest rate of 15", "the lowest rate of 15", "the joint 2nd highest rate of 15 (with 1 other area)". */
export function peerRankPhrase(p: RankedPosition): string {
  const { of, tied, below, above } = checked(p);
  if (tied === of) return of === 1 ? "the only area of the group" : `the same rate as all ${of} areas of the group`;
  const fromTop = above <= below;
  const place = (fromTop ? above : below) + 1;
  const joint = tied > 1 ? "joint " : "";
  const nth = place === 1 ? "" : `${ordinal(place)} `;
  const text = `the ${joint}${nth}${fromTop ? "highest" : "lowest"} rate of ${of}`;
  return tied > 1 ? `${text} (with ${otherAreas(tied - 1)})` : text;
}

const QUARTER_PHRASES = ["among the lowest quarter", "in the second-lowest quarter", "in the second-highest quarter", "among the highest quarter"] as const;

/** "among the highest quarter", "in the second-lowest quarter", ...; null for groups under 4 or all tied. */
export function peerQuarterPhrase(p: RankedPosition): string | null {
  const { of, tied, below } = checked(p);
  if (of < 4 || tied === of) return null;
  if (p.quartile !== undefined) return QUARTER_PHRASES[p.quartile - 1]!;
  const lo = quartileOf(below + 1, of);
  const hi = quartileOf(below + tied, of);
  if (lo === hi) return QUARTER_PHRASES[lo - 1]!;
  const name = (q: number) => QUARTILE_LABELS[q - 1]!.replace(/ quarter$/, "");
  return hi - lo === 1 ? `on the boundary of the ${name(lo)} and ${name(hi)} quarters` : `tied across the ${name(lo)} to ${name(hi)} quarters`;
}

/** Rank phrase and quarter phrase: "the 4th highest rate of 15, among the highest quarter". */
export function peerStanding(p: RankedPosition): string {
  const q = peerQuarterPhrase(p);
  return q ? `${peerRankPhrase(p)}, ${q}` : peerRankPhrase(p);
}

/**
 * A previous position, said the same way round as the current one: "previously the 3rd highest",
 * "previously the highest", "previously the 2nd lowest" (ties not known for the previous rank).
 */
export function previousPositionPhrase(current: RankedPosition, previousRank: number, previousOf = current.of): string {
  const now = checked(current);
  const fromTop = now.above <= now.below;
  const place = fromTop ? previousOf - previousRank + 1 : previousRank;
  if (place < 1) throw new RangeError(`previous rank ${previousRank} does not fit a group of ${previousOf}`);
  const same = fromTop ? place === now.above + 1 : place === now.below + 1;
  const ofText = previousOf === now.of ? "" : ` of ${previousOf}`;
  if (same && !ofText) return "unchanged from the previous period";
  return `previously the ${place === 1 ? "" : `${ordinal(place)} `}${fromTop ? "highest" : "lowest"}${ofText}`;
}

export interface LeftOutPeer {
  name: string;
  reason: string;
}

/** "Portsmouth is left out (no police.uk data loaded)"; null when none is left out. */
export function leftOutPhrase(left: readonly LeftOutPeer[]): string | null {
  if (left.length === 0) return null;
  if (left.length === 1) return `${left[0]!.name} is left out (${left[0]!.reason})`;
  return `${left.length} peers are left out: ${listAnd(left.map((l) => `${l.name} (${l.reason})`))}`;
}
