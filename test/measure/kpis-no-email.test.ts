import { expect, it } from 'vitest';
import { segmentKpis } from '../../src/measure/kpis/read.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { runCli } from '../helpers/cli.js';
import { storePerFile } from '../helpers/store.js';
import { loadShop } from './shop.js';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

// A shop that sends no email events: two buyers, one of them browsing.
const shop = storePerFile(async (store) => {
  await loadShop(
    store,
    ['a', 'b'].map((id) => ({ id, createdAt: d('2024-01-01'), email: `${id}@example.com` })),
    [
      { customer: 'a', at: new Date('2024-03-01T10:00:00Z'), revenue: 40 },
      { customer: 'b', at: new Date('2024-03-02T10:00:00Z'), revenue: 60 },
    ],
    [{ customer: 'a', event: 'Product Viewed', at: new Date('2024-03-02T08:00:00Z') }],
  );
  await createSegment(store, { name: 'buyers', definition: { query: 'orders_count >= 1' } }, d('2024-01-01'));
});

it('without any email event the open and click rates are unknown (—), not 0%', async () => {
  const [k] = await segmentKpis(shop.store, ['buyers'], '2024-03-01', '2024-03-04');
  expect(k!.days.every((x) => x.open_rate === null && x.click_rate === null)).toBe(true);
  expect(k!.totals.daily_open_rate).toBeNull();
  // the other rates are known
  expect(k!.totals.daily_conversion).not.toBeNull();
  const text = await runCli(shop.path, 'segments', 'kpis', 'buyers', '--from', '2024-03-01', '--to', '2024-03-04');
  const day = text.split('\n').find((l) => l.startsWith('2024-03-03'))!;
  expect(day).toMatch(/—/);
  expect(day).not.toMatch(/0\.00%\s+\S*$/);
});
