/** Months are `YYYY-MM` strings at every boundary; `monthIndex` turns one into a counting number. */
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(s: string): boolean {
  return MONTH_RE.test(s);
}

/** year*12 + (month-1): consecutive months differ by 1. Throws on anything but `YYYY-MM`. */
export function monthIndex(month: string): number {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`month must be YYYY-MM; got \`${month}\``);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function monthFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

/** Every month from `from` to `to` inclusive; empty when `to` is before `from`. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthFromIndex(i));
  return out;
}

export function addMonths(month: string, n: number): string {
  return monthFromIndex(monthIndex(month) + n);
}

/** Financial year as CSPs report it (April to March): `2024-05` -> `2024/25`. */
export function financialYear(month: string): string {
  const i = monthIndex(month);
  const year = Math.floor(i / 12);
  const start = i % 12 >= 3 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

/** Calendar quarter: `2024-05` -> `2024-Q2`. */
export function quarter(month: string): string {
  const i = monthIndex(month);
  return `${Math.floor(i / 12)}-Q${Math.floor((i % 12) / 3) + 1}`;
}
