/**
 * A small seeded random number generator (mulberry32) with uniform and normal draws.
 *
 * Deterministic for a seed on every platform: the state is one 32-bit integer advanced with integer
 * arithmetic (Math.imul), so generated datasets are reproducible byte for byte.
 */
export class Random {
  private state: number;
  /** The second normal of the last Box-Muller pair, not yet returned. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Random: seed must be an integer, got ${seed}`);
    // Fold the seed into 32 bits (high bits too, so seeds 1 and 2**32 + 1 differ).
    this.state = (seed ^ Math.floor(seed / 2 ** 32) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer uniform in [0, count). */
  integer(count: number): number {
    return Math.floor(this.next() * count);
  }

  /** Standard normal N(0, 1) by the Box-Muller transform (pairs, the second kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u = 1 - this.next(); // in (0, 1]: log(u) is finite
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}
