/** The 17 emerging hot spot categories (DOMAIN.md): 8 patterns × hot/cold, and no pattern. */
export const EMERGING_CATEGORIES = [
  "new-hotspot",
  "consecutive-hotspot",
  "intensifying-hotspot",
  "persistent-hotspot",
  "diminishing-hotspot",
  "sporadic-hotspot",
  "oscillating-hotspot",
  "historical-hotspot",
  "new-coldspot",
  "consecutive-coldspot",
  "intensifying-coldspot",
  "persistent-coldspot",
  "diminishing-coldspot",
  "sporadic-coldspot",
  "oscillating-coldspot",
  "historical-coldspot",
  "no-pattern",
] as const;

export type EmergingCategory = (typeof EMERGING_CATEGORIES)[number];

export const EMERGING_CATEGORY_LABELS: Readonly<Record<EmergingCategory, string>> = Object.fromEntries(
  EMERGING_CATEGORIES.map((c) => [c, c === "no-pattern" ? "No pattern detected" : `${c[0]!.toUpperCase()}${c.slice(1).replace("-", " ").replace("spot", " spot")}`]),
) as Record<EmergingCategory, string>;

export interface ClassifyEmergingOptions {
  /** A step is a hot (cold) spot when its Gi* z > 0 (< 0) and p < alpha. Default 0.05. */
  alpha?: number;
  /** The Mann–Kendall trend is significant when its p < trendAlpha. Default 0.05. */
  trendAlpha?: number;
  /** "esri" (default: DOMAIN.md's wording of Esri's rules) or "sfdep" (R sfdep 0.2's classify_hotspot, differences in the README). */
  rules?: "esri" | "sfdep";
}

const PATTERNS = ["new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic", "oscillating", "historical"] as const;

/**
 * Classifies one cell from its Gi* z and p per step and the Mann–Kendall test of its z-series,
 * with the rules of DOMAIN.md (n steps, "hot" = significant with z > 0; the cold rules mirror them
 * with "cold" = significant with z < 0 and the trend reversed):
 * - new: hot at the final step and at no other step;
 * - consecutive: one unbroken run of >= 2 hot steps ending at the final step, never hot before it, < 90% hot;
 * - intensifying: hot in >= 90% of steps including the final one, significant rising trend;
 * - persistent: hot in >= 90% of steps including the final one, no significant trend;
 * - diminishing: hot in >= 90% of steps including the final one, significant falling trend;
 * - sporadic: hot at the final step, < 90% hot, hot before with gaps (not new or consecutive), never cold;
 * - oscillating: as sporadic, but significantly cold at some earlier step;
 * - historical: not hot at the final step, hot in >= 90% of steps.
 * Rules are tried in that order, hot before cold at each rule; the first that matches wins, else
 * "no-pattern". Null z or p (undefined Gi*) counts as not significant.
 */
export function classifyEmerging(
  z: readonly (number | null)[],
  p: readonly (number | null)[],
  trend: { z: number; p: number },
  opts: ClassifyEmergingOptions = {},
): EmergingCategory {
  const alpha = opts.alpha ?? 0.05;
  const trendAlpha = opts.trendAlpha ?? 0.05;
  const n = z.length;
  if (n === 0) return "no-pattern";
  if (opts.rules === "sfdep") return classifySfdep(z, p, trend, alpha);
  const hot: boolean[] = [];
  const cold: boolean[] = [];
  for (let t = 0; t < n; t++) {
    const zt = z[t];
    const pt = p[t];
    const sig = zt !== null && zt !== undefined && pt !== null && pt !== undefined && pt < alpha;
    hot.push(sig && zt! > 0);
    cold.push(sig && zt! < 0);
  }
  const rising = trend.p < trendAlpha && trend.z > 0;
  const falling = trend.p < trendAlpha && trend.z < 0;
  const side = (mine: boolean[], other: boolean[], towards: boolean, away: boolean) => {
    const count = mine.filter(Boolean).length;
    const final = mine[n - 1]!;
    let run = 0;
    while (run < n && mine[n - 1 - run]) run++;
    const share = count / n;
    const otherBefore = other.slice(0, n - 1).some(Boolean);
    return {
      new: final && count === 1,
      consecutive: final && run >= 2 && run === count && share < 0.9,
      intensifying: final && share >= 0.9 && towards,
      persistent: final && share >= 0.9 && !towards && !away,
      diminishing: final && share >= 0.9 && away,
      sporadic: final && share < 0.9 && count > run && !otherBefore,
      oscillating: final && share < 0.9 && count > run && otherBefore,
      historical: !final && share >= 0.9,
    };
  };
  const h = side(hot, cold, rising, falling);
  const c = side(cold, hot, falling, rising);
  for (const rule of PATTERNS) {
    if (h[rule]) return `${rule}-hotspot`;
    if (c[rule]) return `${rule}-coldspot`;
  }
  return "no-pattern";
}

/**
 * R sfdep 0.2.x `classify_hotspot` (emerging-hostpot-classifications.R), rule for rule: a bin is
 * significant when p <= alpha (hot/cold by the sign of z); rules tried in sfdep's order (new,
 * consecutive, intensifying, persistent, diminishing, oscillating, historical, sporadic; hot before
 * cold). Where it differs from the Esri wording: persistent needs no final hot step, intensifying
 * counts cold bins in its 90%, historical needs the final z < 0, oscillating allows exactly 90%,
 * sporadic needs no final hot step and is tried last; the trend must have p <= alpha (intensifying,
 * diminishing) or p > alpha (persistent), the same alpha as the bins.
 */
function classifySfdep(z: readonly (number | null)[], p: readonly (number | null)[], trend: { z: number; p: number }, alpha: number): EmergingCategory {
  const n = z.length;
  const gs = z.map((v) => v ?? 0);
  const sig = p.map((v, t) => v !== null && v !== undefined && z[t] !== null && v <= alpha);
  const hot = gs.map((g, t) => sig[t]! && g > 0);
  const cold = gs.map((g, t) => sig[t]! && g < 0);
  const count = (b: boolean[]) => b.filter(Boolean).length;
  const nSig = count(sig);
  const last = n - 1;
  const tau = trend.z;
  const tp = trend.p;
  const consecutive = (side: boolean[]) => {
    if (!side[last]) return false;
    let run = 0;
    while (run < n && sig[last - run]) run++;
    for (let t = 0; t < n - run; t++) if (sig[t]) return false; // the final run is of any significant bins, as sfdep
    return count(side) / n < 0.9;
  };
  const rules: [EmergingCategory, boolean][] = [
    ["new-hotspot", nSig === 1 && sig[last]! && gs[last]! > 0],
    ["new-coldspot", nSig === 1 && sig[last]! && gs[last]! < 0],
    ["consecutive-hotspot", consecutive(hot)],
    ["consecutive-coldspot", consecutive(cold)],
    ["intensifying-hotspot", nSig / n >= 0.9 && sig[last]! && tau > 0 && tp < alpha],
    ["intensifying-coldspot", count(cold) / n >= 0.9 && sig[last]! && tau < 0 && tp <= alpha],
    ["persistent-hotspot", count(hot) / n >= 0.9 && tp > alpha],
    ["persistent-coldspot", count(cold) / n >= 0.9 && tp > alpha],
    ["diminishing-hotspot", count(hot) / n >= 0.9 && sig[last]! && tau < 0 && tp <= alpha],
    ["diminishing-coldspot", count(cold) / n >= 0.9 && sig[last]! && tau > 0 && tp <= alpha],
    ["oscillating-hotspot", count(hot) / n <= 0.9 && hot[last]! && cold.some(Boolean)],
    ["oscillating-coldspot", count(cold) / n < 0.9 && cold[last]! && hot.some(Boolean)],
    ["historical-hotspot", count(hot) / n >= 0.9 && gs[last]! < 0],
    ["historical-coldspot", gs[last]! > 0 && count(cold) / n >= 0.9],
    ["sporadic-hotspot", count(hot) / n < 0.9 && !cold.some(Boolean) && hot.some(Boolean)],
    ["sporadic-coldspot", count(cold) / n < 0.9 && !hot.some(Boolean) && cold.some(Boolean)],
  ];
  return rules.find(([, ok]) => ok)?.[0] ?? "no-pattern";
}
