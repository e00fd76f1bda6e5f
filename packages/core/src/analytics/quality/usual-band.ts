/**
 * The usual band of a monthly count (decision 0016). From the loaded months of the previous 12
 * (at least `minMonths`), the usual range is the lowest to the highest month, with one lowest and one
 * highest month set aside when there are `trimFrom` or more (so one odd month in the history cannot
 * widen the range). A count is flagged when it is beyond the range by a factor and by Poisson noise:
 *   above max(factor x highest, highest + z sqrt(max(highest, 1)))
 *   below min(lowest / factor, lowest - z sqrt(lowest))
 * The factor allows for the usual seasonal swing of police counts (up to about 1.4 in Hampshire
 * 2025); the Poisson term keeps small counts (a few bicycle thefts) from being flagged for noise.
 */
import { DATA_QUALITY_PARAMS, type DataQualityParams, type UsualBand } from "./quality.types.ts";

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The band of a count from its history; null when the history is shorter than `minMonths`. */
export function usualBand(history: readonly number[], params: DataQualityParams = DATA_QUALITY_PARAMS): UsualBand | null {
  if (history.length < params.minMonths) return null;
  const sorted = [...history].sort((a, b) => a - b);
  const kept = sorted.length >= params.trimFrom ? sorted.slice(1, -1) : sorted;
  const lowest = kept[0]!;
  const highest = kept.at(-1)!;
  return {
    months: history.length,
    median: median(history),
    lowest,
    highest,
    low: Math.min(lowest / params.factor, lowest - params.z * Math.sqrt(lowest)),
    high: Math.max(highest * params.factor, highest + params.z * Math.sqrt(Math.max(highest, 1))),
  };
}

/** Outside the band: "above", "below" or null. */
export function outsideBand(value: number, band: UsualBand): "above" | "below" | null {
  if (value > band.high) return "above";
  if (value < band.low) return "below";
  return null;
}
