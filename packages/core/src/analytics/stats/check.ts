/** Input checks shared by the analytics: each failure is an AppError("input.invalid") saying what to pass instead. */
import { AppError } from "../../errors.ts";

export function invalid(message: string, hint?: string): AppError {
  return new AppError("input.invalid", message, hint ? { hint } : {});
}

export function requireCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw invalid(`${name} must be a whole number of crimes (0 or more); got ${v}`);
}

export function requirePositive(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw invalid(`${name} must be a positive number; got ${v}`);
}

export function requireLevel(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0 || v >= 1) throw invalid(`${name} must be between 0 and 1 (e.g. 0.95); got ${v}`);
}

/** Paths of every NaN or ±Infinity number inside `value` ("$.rows[2].rate"): results must have none. */
export function findNonFinite(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => findNonFinite(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => findNonFinite(v, `${path}.${k}`));
  }
  return [];
}
