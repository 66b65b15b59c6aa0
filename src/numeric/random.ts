/** A source of uniform numbers in [0, 1). Numeric code takes one as a parameter and never calls Math.random, so runs repeat. */
export type RandomSource = () => number;

/**
 * A seeded generator (mulberry32): 32 bits of state, fast, and the same sequence for the same seed on
 * every platform, which is all clustering, optimiser restarts and sampling need to be reproducible. Not for cryptography.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
