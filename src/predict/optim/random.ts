/** A source of uniform numbers in [0, 1). Injected wherever an algorithm needs randomness, so runs repeat. */
export type RandomSource = () => number;

/**
 * A seeded generator (mulberry32: a 32-bit state advanced by a Weyl sequence and mixed by multiplies).
 * Not cryptographic; it only has to make optimiser restarts reproducible from a seed.
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
