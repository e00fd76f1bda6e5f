/**
 * sfc32 seeded through splitmix32 (the same generator as hotspot/ and the server's generator), for
 * the Knox test's permutations: 32-bit integer arithmetic only, so a seed gives the same
 * permutations on every platform.
 */
export class ShuffleRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle(values: Float64Array | Int32Array): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor((this.u32() * (i + 1)) / 4294967296);
      const v = values[i]!;
      values[i] = values[j]!;
      values[j] = v;
    }
  }
}
