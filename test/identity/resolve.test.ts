import { describe, expect, it } from 'vitest';
import type { Identifier } from '../../src/domain/identifiers.js';
import { at, u, anon, email, set, resolvingStore } from './sets.js';


describe('resolveIdentifierSets', () => {
  const world = resolvingStore();
  const { resolve } = world;
  const holder = async (id: Identifier) =>
    (await world.store.one<{ c: string }>('SELECT customer_id c FROM identities WHERE kind = $1 AND value = $2', [id.kind, id.value]))?.c;

  it('gives one customer to the identifiers seen together and returns it for every set', async () => {
    const [a, b, c] = await resolve(set(1, anon('a1')), set(2, anon('a1'), email(' Ann@Example.COM ')), set(3, email('ann@example.com'), u('42')));
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(await holder(email('ann@example.com'))).toBe(a);
    expect(await holder(u('42'))).toBe(a);
    const n = await world.store.one<{ n: number }>('SELECT count(*) n FROM customers');
    expect(n?.n).toBe(1);
  });

  it('returns null and creates nothing for sets of junk identifiers only', async () => {
    const r = await resolve(set(1, anon('undefined'), u('0'), email('not-an-email'), u('00000000-0000-0000-0000-000000000000'), anon('  ')));
    expect(r).toEqual([null]);
    const n = await world.store.one<{ n: number }>('SELECT count(*) n FROM identities');
    expect(n?.n).toBe(0);
  });

  it('merges two existing customers an event joins, records it and moves their events and orders', async () => {
    const [c1, c2] = await resolve(set(1, anon('a1')), set(2, email('b@x.io')));
    expect(c1).not.toBe(c2);
    await world.store.run(
      `INSERT INTO orders VALUES ('o1', $1, 'order', $2, 10, 'EUR', NULL, 'test'), ('o2', $3, 'order', $2, 5, 'EUR', NULL, 'test')`,
      [c1!, at(1), c2!],
    );
    await world.store.run(`UPDATE customers SET traits = '{"name":"old","plan":"free"}', updated_at = $2 WHERE customer_id = $1`, [c1!, at(1)]);
    await world.store.run(`UPDATE customers SET traits = '{"name":"new"}', updated_at = $2 WHERE customer_id = $1`, [c2!, at(5)]);
    const [joined] = await resolve({ identifiers: [email('b@x.io'), anon('a1')], at: at(10), messageId: 'join', reason: 'identify' });
    // c1 is older: it survives whichever identifier came first.
    expect(joined).toBe(c1);
    const absorbed = await world.store.one<{ merged_into: string }>('SELECT merged_into FROM customers WHERE customer_id = $1', [c2!]);
    expect(absorbed?.merged_into).toBe(c1);
    const merges = await world.store.all('SELECT survivor_id, absorbed_id, reason, refused, message_id FROM merges');
    expect(merges).toEqual([{ survivor_id: c1, absorbed_id: c2, reason: 'identify', refused: false, message_id: 'join' }]);
    const orders = await world.store.all<{ customer_id: string }>('SELECT DISTINCT customer_id FROM orders');
    expect(orders).toEqual([{ customer_id: c1 }]);
    const m = await world.store.one<{ orders_count: number; total_spent: number }>('SELECT orders_count, total_spent FROM customer_metrics WHERE customer_id = $1', [c1!]);
    expect(m).toEqual({ orders_count: 2, total_spent: 15 });
    const traits = await world.store.one<{ t: string }>('SELECT traits::VARCHAR t FROM customers WHERE customer_id = $1', [c1!]);
    expect(JSON.parse(traits!.t)).toEqual({ name: 'new', plan: 'free' });
  });

  it('refuses to join two user_ids, records the refusal and leaves the other identifiers where they were', async () => {
    const [c1, c2] = await resolve(set(1, u('alice'), anon('dev1')), set(2, u('bob'), anon('dev2')));
    const [r] = await resolve(set(3, u('alice'), anon('dev2'), email('shared@x.io')));
    expect(r).toBe(c1);
    expect(await holder(anon('dev2'))).toBe(c2);
    expect(await holder(email('shared@x.io'))).toBe(c1);
    const m = await world.store.all('SELECT survivor_id, absorbed_id, refused, identifier_kind, identifier_value FROM merges');
    expect(m).toEqual([{ survivor_id: c1, absorbed_id: c2, refused: true, identifier_kind: 'anonymous_id', identifier_value: 'dev2' }]);
    const live = await world.store.one<{ n: number }>('SELECT count(*) n FROM customers WHERE merged_into IS NULL');
    expect(live?.n).toBe(2);
  });

  it('gives a second new user_id of one set its own customer and records the refusal', async () => {
    const [r] = await resolve(set(1, u('alice'), u('bob')));
    expect(r).not.toBeNull();
    const a = await holder(u('alice'));
    const b = await holder(u('bob'));
    expect(r).toBe(a);
    expect(a).not.toBe(b);
    const m = await world.store.all('SELECT refused FROM merges');
    expect(m).toEqual([{ refused: true }]);
  });

  it('lets the customer holding the user_id survive a merge even when it is younger', async () => {
    const [anonOnly] = await resolve(set(1, anon('dev')));
    const [withUser] = await resolve(set(5, u('carol')));
    const [r] = await resolve(set(9, anon('dev'), u('carol')));
    expect(r).toBe(withUser);
    const row = await world.store.one<{ merged_into: string }>('SELECT merged_into FROM customers WHERE customer_id = $1', [anonOnly!]);
    expect(row?.merged_into).toBe(withUser);
  });

  it('keeps merged_into pointing at a live customer through chains of merges', async () => {
    const [a, b, c] = await resolve(set(1, anon('a')), set(2, anon('b')), set(3, anon('c')));
    await resolve(set(4, anon('b'), anon('c')));
    await resolve(set(5, anon('a'), anon('b')));
    const rows = await world.store.all<{ customer_id: string; merged_into: string | null }>('SELECT customer_id, merged_into FROM customers ORDER BY created_at');
    expect(rows).toEqual([
      { customer_id: a, merged_into: null },
      { customer_id: b, merged_into: a },
      { customer_id: c, merged_into: a },
    ]);
  });

  it('moves consent and keeps the latest decision per channel', async () => {
    const [c1, c2] = await resolve(set(1, anon('a')), set(2, anon('b')));
    await world.store.run(`INSERT INTO consent VALUES ($1, 'email', 'granted', $3, 't'), ($2, 'email', 'denied', $4, 't'), ($2, 'sms', 'granted', $4, 't')`, [c1!, c2!, at(1), at(2)]);
    await resolve(set(3, anon('a'), anon('b')));
    const rows = await world.store.all('SELECT customer_id, channel, status FROM consent ORDER BY channel');
    expect(rows).toEqual([
      { customer_id: c1, channel: 'email', status: 'denied' },
      { customer_id: c1, channel: 'sms', status: 'granted' },
    ]);
  });
});
