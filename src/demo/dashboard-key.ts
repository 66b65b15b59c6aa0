import type { Store } from '../store/db.js';
import { createApiKey, listKeys, revokeKey } from '../server/keys.js';

export const DEMO_DASHBOARD_KEY_NAME = 'demo dashboard';

/**
 * An admin key to sign in to the dashboard of a demo run. While the demo serves, the database is held,
 * so `segmint keys create` cannot run beside it: the demo makes the key itself. It is random (unlike the
 * seed-derived write key, an admin key must not be guessable) and shown once; the key of the previous
 * run is revoked, so only one demo dashboard key is ever active.
 */
export async function demoDashboardKey(store: Store): Promise<{ keyId: string; key: string }> {
  for (const k of await listKeys(store)) {
    if (k.name === DEMO_DASHBOARD_KEY_NAME && k.revokedAt === null) await revokeKey(store, k.keyId);
  }
  const made = await createApiKey(store, ['admin'], DEMO_DASHBOARD_KEY_NAME);
  return { keyId: made.keyId, key: made.key };
}
