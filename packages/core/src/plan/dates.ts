/** Calendar dates (`YYYY-MM-DD`) for the plan's rules: validation and day arithmetic, no clock. */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (`2025-02-30` is not one). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== "string") return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` date; throws a RangeError naming the bad value. */
export function dayNumber(date: string, what = "date"): number {
  if (!isIsoDate(date)) throw new RangeError(`${what} must be a calendar date YYYY-MM-DD; got \`${String(date)}\``);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** The date `n` days after `date` (n may be negative). */
export function addDays(date: string, n: number): string {
  const t = new Date((dayNumber(date) + n) * 86_400_000);
  return t.toISOString().slice(0, 10);
}

/**
 * Clear days between a notice and a meeting: the days strictly between them, excluding the day of
 * notice and the day of the meeting (`meeting - notice - 1`).
 */
export function clearDaysBetween(notice: string, meeting: string): number {
  return dayNumber(meeting, "meeting date") - dayNumber(notice, "notice date") - 1;
}
