/**
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4) for many short messages under one key, in plain JavaScript:
 * the key's inner and outer pad blocks are compressed once, here, so an identifier of up to 55
 * bytes costs two SHA-256 compressions and no call into native code or allocation but its result
 * string. `crypto.createHmac` per identifier costs four compressions, a native call per step and
 * several objects; with one-shot `crypto.hash` calls it still cost about 3.5 µs CPU an identifier
 * against about 1.4 µs here (bench: `npm run bench:incidents`, decision 0018). Equal to
 * `crypto.createHmac("sha256", key)` for every length and encoding (tested against it).
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
/** SHA-256's initial state. */
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const HEX_CODES = new Uint16Array([..."0123456789abcdef"].map((c) => c.charCodeAt(0)));

/** One SHA-256 compression: the state `s` (8 words) takes in the block in w[0..15]; w[16..63] is scratch. */
function compress(s: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  let f = s[5]!;
  let g = s[6]!;
  let h = s[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
  s[5] = (s[5]! + f) | 0;
  s[6] = (s[6]! + g) | 0;
  s[7] = (s[7]! + h) | 0;
}

export class HmacSha256 {
  /** The state after the key's inner (0x36) and outer (0x5c) pad blocks. */
  private readonly innerMid = new Int32Array(8);
  private readonly outerMid = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  /** The message, padded; grown for a long one. */
  private bytes = new Uint8Array(256);
  private readonly codes = new Uint16Array(64);
  /** codes' first 8, 16, ... 64 (views made once, not per call). */
  private readonly codeViews = Array.from({ length: 9 }, (_, i) => this.codes.subarray(0, i * 8));

  /** `keyBlock`: the key as RFC 2104 uses it, at most 64 bytes (a longer key hashed first, by the caller). */
  constructor(keyBlock: Uint8Array) {
    if (keyBlock.length > 64) throw new Error("HmacSha256: hash a key longer than 64 bytes first");
    for (const [pad, mid] of [
      [0x36, this.innerMid],
      [0x5c, this.outerMid],
    ] as const) {
      mid.set(H0);
      for (let i = 0; i < 16; i++) {
        let v = 0;
        for (let j = 0; j < 4; j++) v = (v << 8) | ((keyBlock[i * 4 + j] ?? 0) ^ pad);
        this.w[i] = v;
      }
      compress(mid, this.w);
    }
    this.w.fill(0);
  }

  /** The first `hexDigits` (a multiple of 8, up to 64) hex digits of HMAC-SHA-256(key, UTF-8 of `message`). */
  hex(message: string, hexDigits = 64): string {
    let n = message.length;
    let ascii = true;
    for (let i = 0; ascii && i < n; i++) if (message.charCodeAt(i) > 0x7f) ascii = false;
    if (ascii) {
      const bytes = this.buffer(n);
      for (let i = 0; i < n; i++) bytes[i] = message.charCodeAt(i);
    } else {
      const encoded = Buffer.from(message, "utf8");
      n = encoded.length;
      this.buffer(n).set(encoded);
    }
    return this.hexOfBuffer(n, hexDigits);
  }

  /** The message buffer, at least `n` bytes plus room for the padding: fill its first `n` bytes, then call `hexOfBuffer(n)`. */
  buffer(n: number): Uint8Array {
    if (n + 72 > this.bytes.length) this.bytes = new Uint8Array(Math.max(n + 72, this.bytes.length * 2));
    return this.bytes;
  }

  /** As `hex`, of the first `n` bytes of `buffer(n)` (so a caller can encode a message without a string). */
  hexOfBuffer(n: number, hexDigits = 64): string {
    if (!(hexDigits >= 8 && hexDigits <= 64 && hexDigits % 8 === 0)) throw new Error(`HmacSha256: ${hexDigits} hex digits: give a multiple of 8 up to 64`);
    const bytes = this.bytes;
    // SHA-256 padding: 0x80, zeros, then the length in bits of everything hashed (the 64-byte pad block and the message).
    const blocks = Math.floor((n + 8) / 64) + 1;
    const end = blocks * 64;
    bytes[n] = 0x80;
    bytes.fill(0, n + 1, end - 4);
    const bits = (64 + n) * 8;
    bytes[end - 4] = bits >>> 24;
    bytes[end - 3] = (bits >>> 16) & 255;
    bytes[end - 2] = (bits >>> 8) & 255;
    bytes[end - 1] = bits & 255;
    const s = this.state;
    const w = this.w;
    s.set(this.innerMid);
    for (let o = 0; o < end; o += 64) {
      for (let i = 0; i < 16; i++) {
        const p = o + i * 4;
        w[i] = (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
      }
      compress(s, w);
    }
    // Outer hash: the inner digest (8 words), padding, length (64 + 32 bytes).
    for (let i = 0; i < 8; i++) w[i] = s[i]!;
    w[8] = 0x80000000 | 0;
    for (let i = 9; i < 15; i++) w[i] = 0;
    w[15] = (64 + 32) * 8;
    s.set(this.outerMid);
    compress(s, w);
    // Hex digits as character codes, made into one string at once (no string per byte).
    const codes = this.codes;
    for (let i = 0; i < hexDigits; i++) codes[i] = HEX_CODES[(s[i >>> 3]! >>> (28 - 4 * (i & 7))) & 15]!;
    return String.fromCharCode.apply(null, this.codeViews[hexDigits >>> 3] as unknown as number[]);
  }
}
