import { afterEach, beforeEach } from 'vitest';
import type { Identifier } from '../../src/domain/identifiers.js';
import { resolveIdentifierSets, type IdentifierSet } from '../../src/ingest/identity/resolve.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

/** Minute `min` of 2024-01-01 (UTC): the identity tests' timeline. */
export const at = (min: number) => new Date(Date.UTC(2024, 0, 1, 0, min));
export const u = (value: string): Identifier => ({ kind: 'user_id', value });
export const anon = (value: string): Identifier => ({ kind: 'anonymous_id', value });
export const email = (value: string): Identifier => ({ kind: 'email', value });
/** The identifiers of one event sent at minute `minute`, with a message id of its own. */
export const set = (minute: number, ...identifiers: Identifier[]): IdentifierSet => ({ identifiers, at: at(minute), messageId: `m${minute}` });

/**
 * A fresh store for each test of the calling describe block (hooks registered here), and `resolve`, which
 * resolves identifier sets in one transaction as a commit of live events does, returning each set's customer.
 */
export function resolvingStore(): { readonly store: Store; resolve: (...sets: IdentifierSet[]) => Promise<(string | null)[]> } {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());
  return {
    get store() {
      return t.store;
    },
    resolve: (...sets) => t.store.transaction((tx) => resolveIdentifierSets(tx, sets)),
  };
}
