/**
 * canonicalize: the deterministic form of a JSON document. Object keys sorted, numbers rounded to
 * `digits` significant digits (default 10: floating-point sums in different databases or orders
 * differ in the last bits), -0 written as 0, undefined members dropped. Arrays keep their order
 * (callers sort them where order carries no meaning). NaN and ±Infinity are an error: results
 * must not contain them.
 */
export function canonicalize(value: unknown, digits = 10, path = "$"): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`${path} is ${value}: results must be finite numbers or null`);
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return value === 0 ? 0 : value;
    const r = Number(value.toPrecision(digits));
    return r === 0 ? 0 : r;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonicalize(v, digits, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined || typeof v === "function") continue;
      out[k] = canonicalize(v, digits, `${path}.${k}`);
    }
    return out;
  }
  return value;
}

/** JSON text of the canonical form, 2-space indented, with a final newline. */
export function canonicalJson(value: unknown, digits = 10): string {
  return `${JSON.stringify(canonicalize(value, digits), null, 2)}\n`;
}
