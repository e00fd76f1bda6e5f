import { dictionary } from "@zxcvbn-ts/language-common";
import { MIN_PASSWORD_LENGTH } from "./password.ts";

/** Longest password accepted (argon2 hashes any length; this only bounds the work per request). */
export const MAX_PASSWORD_LENGTH = 256;

let common: Set<string> | undefined;
/**
 * The common-password list of `@zxcvbn-ts/language-common` (49,233 passwords from leaked-password
 * corpora, bundled: no network). Lower-cased, loaded on first use.
 */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common;
}

/** How many passwords the list holds (for the documentation and the tests). */
export function commonPasswordCount(): number {
  return commonPasswords().size;
}

/**
 * NCSC password guidance: a minimum length, no composition rules (no "one capital, one digit"),
 * and a deny-list of the passwords attackers try first. A password is refused when it, or its
 * core with digits and symbols stripped from both ends ("Password2024!" → "password"), is on the
 * common-password list, when it is one character repeated, or when it is the account's email.
 * Returns the problem in words, or null when the password is acceptable.
 */
export function passwordProblem(password: string, context: { email?: string | null } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters (three random words work well)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  const list = commonPasswords();
  if (list.has(lower) || (core.length >= 5 && list.has(core)) || /^(.)\1+$/.test(lower)) {
    return "This password is on a list of commonly used passwords that attackers try first. Choose another (three random words work well)";
  }
  const email = context.email?.trim().toLowerCase();
  if (email && (lower === email || lower === email.split("@")[0])) return "Password must not be your email address";
  return null;
}
