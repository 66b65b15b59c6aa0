import { describe, expect, it } from 'vitest';
import { SegmintError } from '../../../src/domain/errors.js';
import { createSegment, getSegment, listSegments } from '../../../src/segments/manage/crud.js';
import { storePerTest } from '../../helpers/store.js';

// Trial 13, M1 (same root): two segments named `é` (U+00E9) and `é` (e + U+0301) could be saved side by
// side and looked the same in `segments list`. A name is saved and looked up in NFC.
const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';
const store = storePerTest();

describe('a segment name in another Unicode normalisation form', () => {
  it('is the same name: saved in NFC, refused as a second segment, and found in either form', async () => {
    const s = await store();
    expect((await createSegment(s, { name: NFD, definition: { query: 'orders_count >= 1' } })).name).toBe(NFC);
    await expect(createSegment(s, { name: NFC, definition: { query: 'orders_count >= 2' } })).rejects.toSatisfy((e) => e instanceof SegmintError && e.code === 'segment_exists');
    expect((await listSegments(s)).map((x) => x.name)).toEqual([NFC]);
    expect((await getSegment(s, NFD)).name).toBe(NFC);
  });
});
