/** Number formatting shared by plain-English verdicts and key messages (en-GB conventions, no locale lookups). */

/** 36340 -> "36,340"; non-integers keep `dp` decimals (default: as given, up to 1). */
export function formatCount(n: number, dp = 0): string {
  const fixed = Math.abs(n).toFixed(dp);
  const [int, frac] = fixed.split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = n < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + grouped + (frac ? `.${frac}` : "");
}

/** 25.1132 -> "25.1" (1 dp, thousands separators, no sign). */
export function formatPercent(pct: number, dp = 1): string {
  return formatCount(Math.abs(pct), dp);
}

/** p-values as people read them: "p < 0.001", otherwise 3 decimal places ("p = 0.027"). */
export function formatP(p: number): string {
  if (p < 0.001) return "p < 0.001";
  return `p = ${p.toFixed(3)}`;
}

/** 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  const suffix = ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${n % 10 > 3 ? "th" : suffix}`;
}

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** ["October"] -> "October"; ["a","b","c"] -> "a, b and c". */
export function listAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
