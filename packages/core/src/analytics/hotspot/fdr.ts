/**
 * Benjamini–Hochberg false-discovery-rate adjustment, as R's `p.adjust(p, "BH")`: nulls stay
 * null and are not counted in n.
 */
export function adjustBenjaminiHochberg(p: readonly (number | null)[]): (number | null)[] {
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (p[i] !== null && p[i] !== undefined) idx.push(i);
  const n = idx.length;
  idx.sort((a, b) => p[b]! - p[a]! || b - a); // decreasing p
  const out: (number | null)[] = p.map(() => null);
  let running = 1;
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    const rank = n - k; // rank in increasing order
    running = Math.min(running, (n / rank) * p[i]!);
    out[i] = Math.min(1, running);
  }
  return out;
}
