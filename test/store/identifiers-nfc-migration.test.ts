import { afterAll, describe, expect, it } from 'vitest';
import { identifiersNfc } from '../../src/store/migrations/033_identifiers_nfc.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterAll(() => cleanup());

const NFC = 'zo\u00eb@example.com';
const NFD = 'zoe\u0308@example.com';

// Trial 13, M1: identities and the email trait stored before identifiers were put in NFC are rewritten
// to NFC, unless the NFC form is already held (left as it was: no key broken, no unrecorded merge).
describe('migration 33: identifiers in NFC', () => {
  it('rewrites decomposed identities and email traits to NFC, and leaves a value whose NFC form is held', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const identities: [string, string, string, string][] = [
      ['email', NFD, 'cus_a', '2024-01-01'],
      ['user_id', 'Ame\u0301lie', 'cus_a', '2024-01-01'],
      ['email', 're\u0301mi@example.com', 'cus_b', '2024-01-02'],
      ['email', 'r\u00e9mi@example.com', 'cus_c', '2024-01-03'],
      ['anonymous_id', 'plain', 'cus_c', '2024-01-03'],
    ];
    for (const [kind, value, customer, at] of identities) {
      await t.store.run('INSERT INTO identities (kind, value, customer_id, first_seen_at) VALUES ($1, $2, $3, $4::TIMESTAMP)', [kind, value, customer, at]);
    }
    for (const [id, traits] of [
      ['cus_a', JSON.stringify({ email: NFD, name: 'Zoe\u0308' })],
      ['cus_c', JSON.stringify({ email: 'r\u00e9mi@example.com' })],
    ]) {
      await t.store.run("INSERT INTO customers (customer_id, created_at, updated_at, traits) VALUES ($1, TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', $2::JSON)", [id!, traits!]);
    }
    await t.store.transaction(async (tx) => {
      for (const sql of identifiersNfc.statements) await tx.run(sql);
    });
    const after = await t.store.all<{ kind: string; value: string; customer_id: string }>('SELECT kind, value, customer_id FROM identities ORDER BY customer_id, kind, value');
    expect(after).toEqual([
      { kind: 'email', value: NFC, customer_id: 'cus_a' },
      { kind: 'user_id', value: 'Am\u00e9lie', customer_id: 'cus_a' },
      // its NFC form belongs to cus_c: left as it was
      { kind: 'email', value: 're\u0301mi@example.com', customer_id: 'cus_b' },
      { kind: 'anonymous_id', value: 'plain', customer_id: 'cus_c' },
      { kind: 'email', value: 'r\u00e9mi@example.com', customer_id: 'cus_c' },
    ]);
    const traits = await t.store.all<{ customer_id: string; t: string }>('SELECT customer_id, traits::VARCHAR t FROM customers ORDER BY customer_id');
    // Only the email trait (an identifier) is rewritten: a name is kept as it was sent.
    expect(traits.map((r) => [r.customer_id, JSON.parse(r.t)])).toEqual([
      ['cus_a', { email: NFC, name: 'Zoe\u0308' }],
      ['cus_c', { email: 'r\u00e9mi@example.com' }],
    ]);
  });
});
