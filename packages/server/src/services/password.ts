import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id (the @node-rs/argon2 default algorithm) with the OWASP 2024 minimum: 19 MiB memory,
 * 2 passes, 1 lane. The parameters travel inside the PHC string, so they can be raised later
 * without invalidating stored hashes.
 */
export const PASSWORD_HASH_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** 20 characters from a 62-letter alphabet (~119 bits). */
export function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  let out = "";
  for (let i = 0; i < 20; i++) out += alphabet[crypto.randomInt(alphabet.length)];
  return out;
}

let dummy: Promise<string> | undefined;
/** Spend the same time as a real check when the account does not exist (no user enumeration by timing). */
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= hashPassword(generatePassword());
  await verifyPassword(await dummy, password);
}
