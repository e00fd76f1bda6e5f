/** Levenshtein edit distance (case-insensitive), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The candidates closest to `query`: names containing it first, then by edit distance, keeping
 * those within a third of the query's length. Duplicates (same name and level) are dropped. At
 * most `limit`.
 */
export function closeMatches<T extends { name: string; level?: string }>(query: string, candidates: readonly T[], limit = 5): T[] {
  const q = query.trim().toLowerCase();
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
      return { c, score: name.includes(q) ? (name.length - q.length) / 100 : editDistance(q, name) };
    })
    .filter((x) => x.score < 1 || x.score <= Math.max(2, Math.ceil(q.length / 3)))
    .sort((a, b) => a.score - b.score || a.c.name.localeCompare(b.c.name));
  return scored.slice(0, limit).map((x) => x.c);
}
