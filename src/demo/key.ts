import { createHash, randomBytes } from 'node:crypto';

export interface DemoKey {
  keyId: string;
  /** The key itself, shown to the user on every run of the demo. */
  key: string;
  /** sha256 hex of the key: all the api_keys table keeps. */
  keyHash: string;
  scopes: string;
  name: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function key(keyId: string, secret: string, scopes: string, name: string): DemoKey {
  return { keyId, key: secret, keyHash: sha256(secret), scopes, name };
}

/**
 * The demo's write key for POST /v1/track. It is derived from the seed, so running the demo again
 * prints the same key and adds no second key. That also means it is not a secret: it exists to try the
 * API on your own machine (a write key sits in a shop's web pages anyway). Real keys come from
 * `segmint keys`; revoke this one before going live.
 */
export function demoKey(seed: number): DemoKey {
  return key(`key_demo_${seed}`, 'sgm_demo_' + sha256(`segmint demo write key\u0000${seed}`).slice(0, 32), 'write', 'demo write key');
}

/**
 * The demo's admin key, so the segment endpoints can be tried too. Unlike the write key it is not
 * derived from the seed alone, which anyone could repeat: it also takes a random salt made for this
 * database and kept in it (demoSalt), so re-running the demo prints the same key, and only someone who
 * can read the database file can know it. Revoke it (segmint keys revoke) before serving beyond this machine.
 */
export function demoAdminKey(seed: number, salt: string): DemoKey {
  return key(`key_demo_admin_${seed}`, 'sgm_demo_admin_' + sha256(`segmint demo admin key\u0000${seed}\u0000${salt}`).slice(0, 32), 'admin', 'demo admin key');
}

/** A new random salt for demoAdminKey. */
export function newDemoSalt(): string {
  return randomBytes(16).toString('hex');
}
