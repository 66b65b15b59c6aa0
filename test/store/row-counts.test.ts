import { expect, it } from 'vitest';
import { preferPointLookup } from '../../src/store/queries/identity-columns.js';
import { tempStore } from '../helpers/store.js';

// A file's plans are chosen by its own database. In a worker shared by several files (isolate: false),
// this file once ran right after test/store/point-lookup.property.test.ts and chose the index plan for
// a nearly empty table by that file's count of 320,000 events: test/helpers/shared-modules.ts now
// forgets the counts before every file.
it('a fresh, nearly empty database scans rather than looks a key up in its index', async () => {
  const t = await tempStore();
  try {
    expect(await preferPointLookup(t.store, 'events', 1)).toBe(false);
    expect(await preferPointLookup(t.store, 'customers', 1)).toBe(false);
  } finally {
    t.cleanup();
  }
});
