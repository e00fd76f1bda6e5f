import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { HmacSha256 } from "../src/ingest/local/hmac-sha256.ts";
import { Pseudonymiser } from "../src/ingest/local/pseudonymiser.ts";

/** A seeded byte stream (not Math.random: a failure must be reproducible). */
function bytesOf(seed: number, n: number): Buffer {
  const blocks = Array.from({ length: Math.ceil(n / 64) + 1 }, (_, i) => crypto.createHash("sha512").update(`seed ${seed} ${i}`).digest());
  return Buffer.concat(blocks).subarray(0, n);
}

describe("HmacSha256", () => {
  it("equals Node's createHmac for every message length 0-300 (one, two and more SHA-256 blocks) and keys of 1, 32 and 64 bytes", () => {
    for (const key of [bytesOf(1, 1), bytesOf(2, 32), bytesOf(3, 64)]) {
      const h = new HmacSha256(key);
      for (let len = 0; len <= 300; len++) {
        // printable ASCII (the fast path) and the same length in UTF-8 multi-byte characters
        const ascii = [...bytesOf(len + 10, len)].map((b) => String.fromCharCode(32 + (b % 95))).join("");
        const wide = "é€😀".repeat(len).slice(0, len);
        for (const m of [ascii, wide]) expect(h.hex(m), `key ${key.length} bytes, message ${JSON.stringify(m.slice(0, 20))} (${m.length} chars)`).toBe(crypto.createHmac("sha256", key).update(m, "utf8").digest("hex"));
      }
    }
  });

  it("gives the first hex digits asked for, and a long message after a short one does not change the short one's", () => {
    const key = bytesOf(4, 32);
    const h = new HmacSha256(key);
    const want = (m: string) => crypto.createHmac("sha256", key).update(m).digest("hex");
    expect(h.hex("V0000471", 32)).toBe(want("V0000471").slice(0, 32));
    expect(h.hex("x".repeat(5000))).toBe(want("x".repeat(5000)));
    expect(h.hex("V0000471", 32)).toBe(want("V0000471").slice(0, 32));
    expect(h.hex("")).toBe(want(""));
  });

  it("matches the RFC 4231 test case 2 (key \"Jefe\")", () => {
    expect(new HmacSha256(Buffer.from("Jefe")).hex("what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("refuses a key longer than a block (RFC 2104 hashes it first: the caller does)", () => {
    expect(() => new HmacSha256(Buffer.alloc(65))).toThrow(/longer than 64/);
  });
});

describe("Pseudonymiser (its ASCII path)", () => {
  it("is createHmac of raw.trim().toLowerCase(), first 32 hex digits, for identifiers with ASCII and Unicode white space, capitals and accents", () => {
    const key = bytesOf(5, 32);
    const p = new Pseudonymiser(key);
    const pieces = [" ", "\t", "\r\n", "\u000b", "\f", "\u00a0", "\u2003", "\ufeff", "A", "Z", "z", "@", "[", "`", "{", "Q9", "-", "/", "É", "ß", "İ", "ǅ", "7", "é", "\u0000"];
    const bytes = bytesOf(6, 4000);
    for (let k = 0; k < 1000; k++) {
      let raw = "";
      for (let j = 0; j < bytes[k]! % 12; j++) raw += pieces[bytes[(k * 3 + j) % 4000]! % pieces.length];
      const id = raw.trim().toLowerCase();
      const want = id === "" ? null : crypto.createHmac("sha256", key).update(id, "utf8").digest("hex").slice(0, 32);
      expect(p.pseudonym(raw), JSON.stringify(raw)).toBe(want);
    }
    expect(p.pseudonym(" \t\r\n ")).toBeNull();
    expect(p.pseudonym("V0000471")).toBe(p.pseudonym(" v0000471\t"));
  });
});
