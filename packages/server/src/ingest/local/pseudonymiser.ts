import crypto from "node:crypto";
import { AppError } from "@safecity/core";
import { HmacSha256 } from "./hmac-sha256.ts";

/** The environment variable holding the pseudonymisation key (64 hex digits; never stored or logged). */
export const PSEUDONYM_KEY_VARIABLE = "SAFECITY_PSEUDONYM_KEY";

const HOW_TO_MAKE =
  "make one with `openssl rand -hex 32`, keep it in your secrets store and set SAFECITY_PSEUDONYM_KEY to it for every import of this partnership (the same key gives the same pseudonyms; see docs/decisions/0018-local-incidents-and-pseudonymisation.md on rotating it)";

/**
 * Keyed pseudonyms for victim and location identifiers: HMAC-SHA-256(key, identifier), the first
 * 128 bits as 32 hex digits. The identifier is trimmed and compared case-insensitively (`ab12` and
 * `AB12 ` are the same person in an extract). The key is held in this object only: it is never
 * written anywhere, and no message of this module quotes it.
 *
 * The HMAC is hmac-sha256.ts's (the key's pad blocks compressed once; equal to `createHmac`,
 * tested): two SHA-256 compressions an identifier, which is what keeps a million-row import near
 * 100,000 rows/s. No cache of identifiers: most identifiers of an extract are distinct (an
 * address, a victim), and a cache of them cost more than hashing them again (decision 0018).
 */
export class Pseudonymiser {
  /** Which key this is: a keyed hash of a constant, safe to store beside the data; not the key. */
  readonly keyId: string;
  private readonly hmac: HmacSha256;

  constructor(key: Buffer) {
    if (key.length < 32) throw new AppError("config.invalid", `${PSEUDONYM_KEY_VARIABLE} is too short (under 32 bytes)`, { hint: HOW_TO_MAKE });
    this.hmac = new HmacSha256(key.length > 64 ? crypto.createHash("sha256").update(key).digest() : key);
    this.keyId = crypto.createHmac("sha256", key).update("safecity key id").digest("hex").slice(0, 16);
  }

  /** The pseudonym of an identifier; null for an empty one (no identifier is not an identifier). */
  pseudonym(raw: string): string | null {
    // ASCII (nearly every identifier): trimmed and lower-cased straight into the HMAC's buffer, which
    // for ASCII is exactly trim().toLowerCase() (ASCII white space is tab, LF, VT, FF, CR, space).
    let start = 0;
    let end = raw.length;
    while (start < end && isAsciiSpace(raw.charCodeAt(start))) start++;
    while (end > start && isAsciiSpace(raw.charCodeAt(end - 1))) end--;
    const bytes = this.hmac.buffer(end - start);
    for (let i = start; i < end; i++) {
      const c = raw.charCodeAt(i);
      if (c > 0x7f) return this.pseudonymOfText(raw);
      bytes[i - start] = c >= 65 && c <= 90 ? c + 32 : c;
    }
    return end === start ? null : this.hmac.hexOfBuffer(end - start, 32);
  }

  private pseudonymOfText(raw: string): string | null {
    const id = raw.trim().toLowerCase();
    return id === "" ? null : this.hmac.hex(id, 32);
  }
}

const isAsciiSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * The key from the environment, as a Pseudonymiser. Refuses (config.invalid) without one or with
 * one that is not 64+ hex digits, saying how to make one; the value is never quoted.
 */
export function pseudonymiserFromEnv(env: NodeJS.ProcessEnv = process.env): Pseudonymiser {
  const text = env[PSEUDONYM_KEY_VARIABLE]?.trim();
  if (!text) throw new AppError("config.invalid", `${PSEUDONYM_KEY_VARIABLE} is not set: local incident data is pseudonymised with a key before anything is written, and there is none`, { hint: HOW_TO_MAKE });
  if (!/^[0-9a-fA-F]{64,}$/.test(text) || text.length % 2 !== 0) {
    throw new AppError("config.invalid", `${PSEUDONYM_KEY_VARIABLE} must be at least 64 hexadecimal digits (32 bytes); the value set is not (it is not shown)`, { hint: HOW_TO_MAKE });
  }
  return new Pseudonymiser(Buffer.from(text, "hex"));
}
