import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, testServer, type TestServer } from './helpers.js';

/**
 * Trial 12, C9: `"revenue":"12,50"` over HTTP was refused with "give products (price, quantity), or
 * revenue, or total", as if revenue were missing. A number field sent as text that is not a number now
 * says so, naming the field and the value, with the form expected.
 */
describe('a number field of a live order given as text that is not a number', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.cleanup();
  });

  const order = (properties: Record<string, unknown>) => ({ userId: 'u', event: 'Order Completed', properties: { order_id: 'o-1', ...properties } });
  const FORM = 'is not a number: write it with a decimal point and no thousands separators, e.g. 12.50';
  const cases: [string, Record<string, unknown>, string][] = [
    ['a decimal comma in revenue', { revenue: '12,50' }, `body.properties.revenue: "12,50" ${FORM}`],
    ['European thousands in revenue', { revenue: '1.234,56' }, `body.properties.revenue: "1.234,56" ${FORM}`],
    ['English thousands in revenue', { revenue: '1,234.56' }, `body.properties.revenue: "1,234.56" ${FORM}`],
    ['"NaN" as revenue', { revenue: 'NaN' }, `body.properties.revenue: "NaN" ${FORM}`],
    ['a decimal comma in total', { total: '7,5' }, `body.properties.total: "7,5" ${FORM}`],
    ['a decimal comma in a line price', { products: [{ price: '9,99', quantity: 1 }] }, `body.properties.products[0].price: "9,99" ${FORM}`],
    ['a decimal comma in a line quantity', { products: [{ price: 2, quantity: '1,5' }] }, `body.properties.products[0].quantity: "1,5" ${FORM}`],
  ];

  it.each(cases)('%s: 400 naming the field and the value', async (_name, properties, message) => {
    const r = await s.post('/v1/track', order(properties));
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_events');
    expect(r.json.message).toContain(message);
    expect(r.json.message).not.toContain('give products');
    expect(await count(s.store, 'SELECT count(*) n FROM events')).toBe(0);
  });

  it('still asks for an amount when none is given, and still takes what it took', async () => {
    const none = await s.post('/v1/track', order({}));
    expect(none.json.message).toContain('body.properties.revenue: give products (price, quantity), or revenue, or total');
    // Accepted before, accepted now: a decimal point in text, and a number in total beside a bad revenue.
    for (const [id, properties] of [['o-2', { revenue: '12.50' }], ['o-3', { revenue: '12,50', total: 12.5 }]] as const) {
      const r = await s.post('/v1/track', order({ ...properties, order_id: id }));
      expect(r.status).toBe(200);
    }
  });
});
