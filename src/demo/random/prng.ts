/**
 * The demo's only source of randomness: a small, seeded generator so the same seed gives the same shop
 * on every machine. Math.random is never used.
 *
 * The generator is SplitMix32 (Steele, Lea & Flood's SplitMix mixer on a 32-bit Weyl sequence): one
 * addition and three multiply-xorshift rounds per draw, full 2^32 period, and it passes the statistical
 * tests that matter for a simulation. Streams for different people come from hashing (seed, index), so
 * person 812 always gets the same life whatever chunk size or order the generator runs in.
 */
export interface Random {
  /** A uniform draw in [0, 1) with 32 bits of resolution. */
  next(): number;
}

/** Mixes a 32-bit value into a well-spread 32-bit value (the SplitMix32 finaliser). */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A stream seed for (seed, stream, index): independent-looking streams from one user-facing seed. */
export function streamSeed(seed: number, stream: number, index = 0): number {
  return mix32(mix32(mix32(seed >>> 0) ^ Math.imul(stream + 1, 0x9e3779b9)) ^ (index >>> 0));
}

export class SplitMix32 implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state) / 4294967296;
  }
}

/** Convenience draws over a Random; kept apart so any source can be injected. */
export class Draw {
  constructor(readonly rand: Random) {}

  next(): number {
    return this.rand.next();
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.rand.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand.next() * items.length)] as T;
  }

  /** Index drawn with probability proportional to weights[i] (cumulative weights are built by the caller). */
  weighted(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1] ?? 0;
    const u = this.rand.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A random 128-bit id in the UUID v4 layout, from this stream (so it is reproducible). */
  uuid(): string {
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    const a = hex(this.rand.next() * 4294967296);
    const b = hex(this.rand.next() * 4294967296);
    const c = hex(this.rand.next() * 4294967296);
    const d = hex(this.rand.next() * 4294967296);
    const variant = ((parseInt(c[0] as string, 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(4, 7)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

/** Builds cumulative weights for Draw.weighted. */
export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}
