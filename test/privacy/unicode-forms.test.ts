import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normaliseIdentifier, normaliseTraitValue } from '../../src/domain/identifiers.js';
import { customerEmails } from '../../src/domain/customer-email.js';
import { comparedLiteral, comparedPart } from '../../src/segments/ast/identifier-traits.js';
import { usableIdentifiers } from '../../src/ingest/identity/plan.js';
import { requestErasure, runRegulation } from '../../src/privacy/regulations.js';
import { ANY_KIND, identifierHash, isSuppressedValue, normaliseRequestedValue, suppressedSets, suppressionSecret } from '../../src/privacy/suppression.js';
import { customersForIdentifier } from '../../src/store/queries/customers.js';
import { nfcSql, storedTraitSql } from '../../src/store/queries/identifier-traits.js';
import { insertSuppressions } from '../../src/store/queries/privacy/suppressions.js';
import { runCli, withStderr } from '../helpers/cli.js';
import { storePerTest } from '../helpers/store.js';

// Trial 13, M1: "zoë@example.com" typed as NFC (U+00EB) and as NFD (e + U+0308) is one address to the
// person who owns it, but segmint kept them apart: an erased NFC address came back in NFD as a new
// customer holding it, and an erasure typed in NFD matched nobody. Every identifier is now in NFC.
const NFC = 'zo\u00eb@example.com';
const NFD = 'zoe\u0308@example.com';

describe('an identifier in another Unicode normalisation form is the same identifier', () => {
  it('identities store one form, for every kind', () => {
    expect(normaliseIdentifier('email', NFD)?.value).toBe(normaliseIdentifier('email', NFC)?.value);
    for (const kind of ['user_id', 'anonymous_id', 'external:shopify']) expect(normaliseIdentifier(kind, ' Ame\u0301lie ')?.value).toBe('Am\u00e9lie');
    expect(usableIdentifiers([{ kind: 'email', value: NFD }, { kind: 'email', value: NFC }])).toEqual([{ kind: 'email', value: NFC }]);
    expect(normaliseTraitValue('email', ` ${NFD.toUpperCase()} `)).toBe(NFC);
    expect(customerEmails(NFD, [NFC])).toEqual([NFC]);
    // the segment language compares traits.email as it is stored
    const email = { kind: 'trait', path: ['email'] } as const;
    expect(comparedLiteral(email, NFD)).toBe(NFC);
    expect(comparedPart(email, 'ZOE\u0308')).toBe('zo\u00eb');
  });
  it('an erasure request compares one form', () => {
    expect(normaliseRequestedValue(NFD)).toBe(normaliseRequestedValue(NFC));
  });
});

const store = storePerTest();

describe('erasure across normalisation forms', () => {
  it('an erasure typed in NFD finds the customer stored in NFC, and suppresses the value in both forms', async () => {
    const s = await store();
    await s.run("INSERT INTO customers (customer_id, created_at, updated_at, traits) VALUES ('c1', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', '{}'::JSON)");
    await s.run(`INSERT INTO identities (kind, value, customer_id, first_seen_at) VALUES ('email', $1, 'c1', TIMESTAMP '2024-01-01')`, [NFC]);
    expect(await customersForIdentifier(s, NFD)).toEqual(['c1']);
    const done = await runRegulation(s, await requestErasure(s, { identifiers: [NFD], actor: 'cli:test' }));
    expect(done).toMatchObject({ status: 'finished', customersErased: 1 });
    const arriving = usableIdentifiers([{ kind: 'email', value: NFD }]);
    expect(await suppressedSets(s, [arriving, usableIdentifiers([{ kind: 'email', value: NFC }])])).toEqual([true, true]);
    expect(await isSuppressedValue(s, NFD)).toBe(true);
  });

  it('an entry hashed from an NFD value before identifiers were put in NFC still suppresses the value', async () => {
    const s = await store();
    const secret = await suppressionSecret(s);
    await insertSuppressions(s, [{ hash: identifierHash(secret, ANY_KIND, NFD), kind: ANY_KIND }], 'r0', new Date('2024-01-01T00:00:00Z'));
    expect(await suppressedSets(s, [usableIdentifiers([{ kind: 'email', value: NFC }]), usableIdentifiers([{ kind: 'email', value: 'other@example.com' }])])).toEqual([true, false]);
    expect(await isSuppressedValue(s, NFC)).toBe(true);
  });
});

describe('the email trait in SQL (imports) as in JavaScript', () => {
  it('storedTraitSql puts the email trait in NFC, trimmed and lower-cased, as normaliseTraitValue does', async () => {
    const s = await store();
    const raw = ` ${NFD.toUpperCase()} `;
    const rows = await s.all<{ v: string }>(`SELECT json_extract_string(${storedTraitSql("'email'", 'to_json($1::VARCHAR)')}, '$') AS v`, [raw]);
    expect(rows[0]!.v).toBe(normaliseTraitValue('email', raw));
    expect(rows[0]!.v).toBe(NFC);
  });

  it('nfcSql keeps a text holding U+0000 whole (DuckDB 1.5 nfc_normalize cuts it there) and puts the rest in NFC', async () => {
    const s = await store();
    const texts = ['a\u0000e\u0301', 'Eve\u0000\u0001\u0080x', NFD, 'plain'];
    const rows = await s.all<{ v: string }>(`SELECT ${nfcSql('t')} AS v FROM unnest($1::VARCHAR[]) WITH ORDINALITY u(t, i) ORDER BY i`, [texts]);
    expect(rows.map((r) => r.v)).toEqual(['a\u0000e\u0301', 'Eve\u0000\u0001\u0080x', NFC, 'plain']);
  });
});

describe('the trial repro through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmint-unicode-forms-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const map = ['--map', 'order_id=order_id', '--map', 'user_id=user_id', '--map', 'placed_at=placed_at', '--map', 'amount=amount', '--map', 'email=email'];
  const csv = (name: string, rows: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, ['order_id,user_id,placed_at,amount,email', ...rows].join('\n') + '\n');
    return path;
  };

  it('an NFD address is stored and found in NFC, and an erased NFC address arriving again in NFD is skipped', async () => {
    const db = join(dir, 'shop.duckdb');
    await withStderr(() => runCli(db, 'import', csv('e1.csv', [`B1,u9,2024-01-05T10:00:00Z,10.00,Jane.Doe@Example.com`, `B2,u8,2024-01-06T10:00:00Z,11.00,${NFC}`, `B3,u7,2024-01-06T10:00:00Z,11.00,Ame\u0301lie@example.com`]), ...map));
    const shown = JSON.parse((await withStderr(() => runCli(db, 'customers', 'show', 'am\u00e9lie@example.com', '--json'))).out) as { identities: { value: string }[] };
    expect(shown.identities.map((i) => i.value)).toContain('am\u00e9lie@example.com');
    await withStderr(() => runCli(db, 'customers', 'erase', 'u8', '--reason', 'T-5'));
    const again = JSON.parse((await withStderr(() => runCli(db, 'import', csv('e3.csv', [`B8,u14,2024-01-08T10:00:00Z,16.00,${NFD}`, `B9,u15,2024-01-08T10:00:00Z,17.00,new@example.com`]), ...map, '--json'))).out) as Record<string, unknown>;
    expect(again).toMatchObject({ erased_skipped: 1 });
    const list = (await withStderr(() => runCli(db, 'customers', 'list'))).out;
    expect(list.normalize('NFC')).not.toContain(NFC);
  });
});
