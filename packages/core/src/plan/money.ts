/** Money typed and printed in pounds (the CLI, forms), held as whole pence everywhere else. */

/**
 * Pounds as typed (`75000`, `75000.00`, `1,250.5`, `£12.50`) as whole pence, or null when the text
 * is not an amount of money with at most 2 decimals. Integer arithmetic: no float rounding.
 */
export function poundsToPence(text: string): number | null {
  const t = text.replace(/[£,\s]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole = "", frac = ""] = t.split(".");
  const pence = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  return Number.isSafeInteger(pence) ? pence : null;
}

/** Whole pence as pounds with two decimals and no separators, for machine-readable output: 7500000 -> "75000.00", -5 -> "-0.05". */
export function penceToPounds(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
