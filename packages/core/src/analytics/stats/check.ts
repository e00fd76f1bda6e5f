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

/** Rounds away binary noise so results read cleanly and goldens are stable (12 significant digits). */
export function clean(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  return Number(v.toPrecision(12));
}
