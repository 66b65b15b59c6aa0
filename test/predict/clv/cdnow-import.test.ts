import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/ingest/import/run.js';
import { loadHistory } from '../../../src/predict/clv/run/load-history.js';
import type { Store } from '../../../src/store/db.js';
import { sharedFile, skipWithoutShared } from '../../helpers/shared-data.js';
import { tempStore } from '../../helpers/store.js';

const sample = sharedFile('cdnow-sample.txt');
if (!sample) console.log(skipWithoutShared('cdnow-sample.txt'));

describe.skipIf(!sample)('CDNOW through the real importer (segmint import --format cdnow)', () => {
  let store: Store;
  let cleanup = () => undefined as void;
  beforeAll(async () => {
    const t = await tempStore();
    store = t.store;
    cleanup = t.cleanup;
    await importFile(store, sample as string, { format: 'cdnow' });
  });
  afterAll(() => cleanup());

  it('gives the summaries of the literature: 2,357 customers, 2,457 repeat transactions, 1,882 in the holdout', async () => {
    const { data } = await loadHistory(store, 'day', 'week', {
      calibrationEnd: new Date('1997-09-30T00:00:00Z'),
      holdoutEnd: new Date('1998-06-30T00:00:00Z'),
    });
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    expect(data.ids.length).toBe(2357);
    expect(sum(data.x)).toBe(2457);
    expect(sum(data.xStar)).toBe(1882);
    expect(Math.max(...data.T)).toBeCloseTo(272 / 7, 12);
  });
});
