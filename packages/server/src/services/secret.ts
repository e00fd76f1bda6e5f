import crypto from "node:crypto";

/** A fresh random 32-byte secret, base64url (43 characters): session ids, API tokens, CSRF seeds. */
export function newSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}

/** SHA-256 hex of a secret: what the database stores instead of the secret. */
export function hashSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
