/**
 * Queries longer than this get no "did you mean" suggestions: no area name is that long, and the
 * edit distance costs query length x name length for every candidate (a 15,000-character `?area=`
 * once held the server for 14 s).
 */
export const MAX_SUGGESTION_QUERY_LENGTH = 100;

/**
 * Levenshtein edit distance (case-insensitive), for "did you mean" suggestions. With `max`, stops as
 * soon as the distance must exceed it and returns `max + 1` (names whose lengths differ by more
 * than `max` cost nothing).
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The candidates closest to `query`: names containing it first, then by edit distance, keeping
 * those within a third of the query's length. Duplicates (same name and level) are dropped. At
 * most `limit`. Bounded: nothing for a query over MAX_SUGGESTION_QUERY_LENGTH characters, and each
 * distance stops at the threshold, so one call costs at most ~100 x threshold steps per candidate.
 */
export function closeMatches<T extends { name: string; level?: string }>(query: string, candidates: readonly T[], limit = 5): T[] {
  const q = query.trim().toLowerCase();
  if (q.length === 0 || q.length > MAX_SUGGESTION_QUERY_LENGTH) return [];
  const maxDistance = Math.max(2, Math.ceil(q.length / 3));
  const seen = new Set<string>();
  const unique = candidates.filter((c) => {
    const key = `${c.level ?? ""}:${c.name.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const scored = unique
    .map((c) => {
      const name = c.name.toLowerCase();
      return { c, score: name.includes(q) ? (name.length - q.length) / 100 : editDistance(q, name, maxDistance) };
    })
    .filter((x) => x.score < 1 || x.score <= maxDistance)
    .sort((a, b) => a.score - b.score || a.c.name.localeCompare(b.c.name));
  return scored.slice(0, limit).map((x) => x.c);
}
