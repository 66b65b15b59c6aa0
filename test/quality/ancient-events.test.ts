import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { renderQuality } from '../../src/ingest/quality/render.js';
import { qualityReport } from '../../src/ingest/quality/report.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterAll(() => cleanup());

describe('quality: events dated before 1995', () => {
  it('counts the epoch and a wrong century, earliest first, and not an event of 1995-01-01 itself', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = join(t.dir, 'orders.csv');
    writeFileSync(
      file,
      ['order,date,user,sku,qty,price', 'A1,1970-01-01,u1,P1,1,10', 'A2,1925-03-01,u2,P1,1,10', 'A3,1995-01-01,u3,P1,1,10', 'A4,2024-05-01,u1,P1,1,10', 'A5,1994-12-31,u4,P1,1,10'].join('\n') + '\n',
    );
    await importFile(t.store, file, { map: ['order=order_id', 'date=placed_at', 'user=user_id', 'sku=product_id', 'qty=quantity', 'price=price'] });
    const report = await qualityReport(t.store, new Date('2025-01-01T00:00:00Z'));
    const ancient = report.checks.find((c) => c.id === 'ancient_events')!;
    expect(ancient).toMatchObject({ count: 3, out_of: 5 });
    expect(ancient.examples.map((e) => (e as { message_id: string }).message_id)).toEqual(['import:generic:A2', 'import:generic:A1', 'import:generic:A5']);
    expect(report.checks.find((c) => c.id === 'future_events')).toMatchObject({ count: 0 });
    expect(renderQuality(report)).toContain('WARN Events dated before 1995: 3 of 5 (60.00%)');
  });
});
