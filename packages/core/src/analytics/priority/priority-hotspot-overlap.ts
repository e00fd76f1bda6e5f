/**
 * priorityHotspotOverlap: which priority areas are also hotspots. Both lists are area codes
 * (e.g. LSOAs; map hot grid cells to the LSOAs they fall in first). Duplicates are ignored.
 * `shareOfPriority` = overlap / priority areas; `jaccard` = overlap / union (null when both empty).
 */
export interface PriorityHotspotOverlapResult {
  both: string[];
  priorityOnly: string[];
  hotspotOnly: string[];
  overlap: number;
  shareOfPriority: number | null;
  shareOfHotspots: number | null;
  jaccard: number | null;
  params: Record<string, never>;
  notes: string[];
}

export function priorityHotspotOverlap(priorityCodes: readonly string[], hotspotCodes: readonly string[]): PriorityHotspotOverlapResult {
  const p = [...new Set(priorityCodes)];
  const h = new Set(hotspotCodes);
  const pSet = new Set(p);
  const both = p.filter((c) => h.has(c));
  const priorityOnly = p.filter((c) => !h.has(c));
  const hotspotOnly = [...h].filter((c) => !pSet.has(c));
  const union = p.length + hotspotOnly.length;
  const notes: string[] = [];
  if (p.length === 0) notes.push("No priority areas given.");
  if (h.size === 0) notes.push("No hotspots given.");
  return {
    both,
    priorityOnly,
    hotspotOnly,
    overlap: both.length,
    shareOfPriority: p.length ? both.length / p.length : null,
    shareOfHotspots: h.size ? both.length / h.size : null,
    jaccard: union ? both.length / union : null,
    params: {},
    notes,
  };
}
