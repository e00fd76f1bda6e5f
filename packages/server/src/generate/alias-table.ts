import type { Prng } from "./prng.ts";

/**
 * Walker's alias method: draws an index with probability proportional to its weight in O(1)
 * (two 32-bit random numbers), whatever the number of weights.
 */
export class AliasTable {
  readonly size: number;
  private readonly threshold: Uint32Array;
  private readonly alias: Uint32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError("an alias table needs at least one weight");
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} must be a finite number >= 0; got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError("at least one weight must be positive");
    this.size = n;
    this.threshold = new Uint32Array(n);
    this.alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large[large.length - 1]!;
      this.threshold[s] = Math.floor(scaled[s]! * 4294967295);
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) small.push(large.pop()!);
    }
    for (const i of large) {
      this.threshold[i] = 4294967295;
      this.alias[i] = i;
    }
    for (const i of small) {
      this.threshold[i] = 4294967295;
      this.alias[i] = i;
    }
  }

  draw(rng: Prng): number {
    const i = rng.int(this.size);
    return rng.u32() <= this.threshold[i]! ? i : this.alias[i]!;
  }
}
