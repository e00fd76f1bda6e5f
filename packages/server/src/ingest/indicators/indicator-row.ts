/**
 * One row of an `indicators import` file: `indicator,area,period,value`. Header names are matched
 * ignoring case, spaces, underscores and hyphens (`Indicator`, `Area code`, `PERIOD`, `value`);
 * other columns are ignored. Each check returns the problem in words with what to do about it.
 */

export const INDICATOR_FILE_COLUMNS = ["indicator", "area", "period", "value"] as const;
export type IndicatorFileColumn = (typeof INDICATOR_FILE_COLUMNS)[number];

/** Header spellings accepted for each column, after normalising. */
const ALIASES: Readonly<Record<IndicatorFileColumn, readonly string[]>> = {
  indicator: ["indicator", "indicatorkey", "key"],
  area: ["area", "areacode", "code"],
  period: ["period"],
  value: ["value"],
};

/** Lower case without spaces, underscores, hyphens or a byte-order mark. */
export function normaliseColumnName(name: string): string {
  return name.replace(/\ufeff/g, "").toLowerCase().replace(/[\s_-]+/g, "");
}

/** Column positions by name, or the problem with the header. */
export function mapIndicatorHeader(fields: readonly string[]): { ok: true; columns: Record<IndicatorFileColumn, number> } | { ok: false; message: string } {
  const names = fields.map(normaliseColumnName);
  const columns: Partial<Record<IndicatorFileColumn, number>> = {};
  const missing: string[] = [];
  for (const column of INDICATOR_FILE_COLUMNS) {
    const at = names.findIndex((n) => ALIASES[column].includes(n));
    if (at < 0) missing.push(column);
    else columns[column] = at;
  }
  if (missing.length) {
    return {
      ok: false,
      message: `wrong header: missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `\`${m}\``).join(", ")}; got ${fields.map((f) => `\`${f}\``).join(", ")}. The first line must name the columns indicator,area,period,value`,
    };
  }
  return { ok: true, columns: columns as Record<IndicatorFileColumn, number> };
}

/** ONS GSS codes: a letter and eight digits (E06000045, E22000113, E01000001, W05000001). */
const GSS_CODE = /^[EWSNK]\d{8}$/;

export function isWellFormedAreaCode(code: string): boolean {
  return GSS_CODE.test(code);
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** A finite number written plainly (`12`, `-3.5`, `1e3`) or with thousands separators (`1,234.5`); otherwise why not. */
export function parseIndicatorValue(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim();
  if (t === "") return { ok: false, message: "no value: give a number (a missing value is left out of the file, never written as empty or 0)" };
  const plain = PLAIN_NUMBER.test(t) ? t : THOUSANDS.test(t) ? t.replace(/,/g, "") : null;
  const value = plain === null ? Number.NaN : Number(plain);
  if (!Number.isFinite(value)) return { ok: false, message: `\`${t}\` is not a number: write it as digits with a decimal point if needed, e.g. 123 or 45.6` };
  return { ok: true, value };
}
