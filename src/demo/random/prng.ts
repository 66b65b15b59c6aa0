/**
 * The demo's only source of randomness: a small, seeded generator so the same seed gives the same shop
 * on every machine. Math.random is never used.
 *
 * The generator is SFC32 (Chris Doty-Humphrey's "small fast chaotic" generator from PractRand): 128 bits
 * of state, a few additions, shifts and a rotation per draw, and it passes PractRand's tests. Each
 * person gets their own stream, seeded with (seed, stream, index) placed directly in the state. Its
 * step is a bijection on the state, so two people can never share a stream: with a 32-bit seed per
 * person, a million people would share a stream about a hundred times over (the birthday bound), and
 * share their "random" ids too. Person 812 gets the same life whatever chunk size or order the
 * generator runs in.
 */
export interface Random {
  /** A uniform draw in [0, 1) with 32 bits of resolution. */
  next(): number;
}

/** Mixes a 32-bit value into a well-spread 32-bit value (the MurmurHash3 / SplitMix finaliser; a bijection). */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Sfc32 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream for (seed, stream, index); distinct triples give distinct streams. */
  constructor(seed: number, stream = 0, index = 0) {
    this.a = mix32(seed);
    this.b = index >>> 0;
    this.c = stream >>> 0;
    this.d = 1;
    // The seeded state is far from random (small integers): a few rounds spread it, as PractRand advises.
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
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
