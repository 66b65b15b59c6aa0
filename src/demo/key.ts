import { createHash } from 'node:crypto';

export interface DemoKey {
  keyId: string;
  /** The key itself, shown to the user once per run. */
  key: string;
  /** sha256 hex of the key: all the store keeps. */
  keyHash: string;
  scopes: string;
  name: string;
}

/**
 * The demo's write key for POST /v1/track. It is derived from the seed, so running the demo again
 * prints the same key and adds no second key. That also means it is not a secret: it exists to try the
 * API on your own machine. Real keys come from `segmint keys`; revoke this one before going live.
 */
export function demoKey(seed: number): DemoKey {
  const key = 'sgm_demo_' + createHash('sha256').update(`segmint demo write key\u0000${seed}`).digest('hex').slice(0, 32);
  return {
    keyId: `key_demo_${seed}`,
    key,
    keyHash: createHash('sha256').update(key).digest('hex'),
    scopes: 'write',
    name: 'demo write key',
  };
}
