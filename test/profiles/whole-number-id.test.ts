import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedIdForm, wholeNumberId } from '../../src/domain/identifiers.js';
import { importFile } from '../../src/ingest/import/run.js';
import { requestErasure, runRegulation } from '../../src/privacy/regulations.js';
import { subjectExport } from '../../src/privacy/export.js';
import { resolveCustomer } from '../../src/profiles/resolve-customer.js';
import { searchCustomers } from '../../src/profiles/search.js';
import { runCli } from '../helpers/cli.js';
import { customerOf, fixture } from '../import/helpers.js';
import { storePerFile } from '../helpers/store.js';
import type { Store } from '../../src/store/db.js';

/**
 * Online Retail writes CustomerID as a float (17850.0); its import stores user_id 17850 (docs/identity.md,
 * docs/importing.md). A person who copies the id from the file types 17850.0: every lookup by identifier
 * finds the same customer as 17850. An id stored as written with the decimal point still wins.
 */
/**
 * Imports two people by a generic file, one with the user id `written` (as a file may write it) and one with
 * its `stored` form, and checks that each is found by its own value: the value as written wins over the
 * normalisation every lookup retries with.
 */
async function expectFoundAsWritten(shop: { store: Store; path: string }, written: string, stored: string): Promise<void> {
  const { store } = shop;
  const file = join(shop.path, '..', `ids-${written}.csv`);
  writeFileSync(file, `order,client,placed,amount\nW-1,${written},2024-01-02,10.00\nW-2,${stored},2024-01-03,20.00\n`);
  await importFile(store, file, { map: ['order=order_id', 'client=user_id', 'placed=placed_at', 'amount=amount'] });
  const asWritten = await customerOf(store, 'user_id', written);
  const asStored = await customerOf(store, 'user_id', stored);
  expect(asWritten).toBeDefined();
  expect(asStored).not.toBe(asWritten);
  expect(await resolveCustomer(store, written)).toBe(asWritten);
  expect(await resolveCustomer(store, stored)).toBe(asStored);
}

describe('a whole number written with a decimal point finds the customer the import stored', () => {
  const shop = storePerFile(async (store) => {
    await importFile(store, fixture('retail-small.csv'));
  });

  it('wholeNumberId: digits with a zero fraction only', () => {
    expect(wholeNumberId('12347.0')).toBe('12347');
    expect(wholeNumberId(' 17850.00 ')).toBe('17850');
    for (const v of ['12347', '12347.5', '3.10', 'v1.0', '.0', '12347.', '-5.0', '1e3']) expect(wholeNumberId(v)).toBeUndefined();
  });

  it('resolveCustomer, search and the subject export answer 17850.0 as 17850', async () => {
    const { store } = shop;
    const id = await customerOf(store, 'user_id', '17850');
    expect(id).toBeDefined();
    expect(await customerOf(store, 'user_id', '17850.0')).toBeUndefined();
    expect(await resolveCustomer(store, '17850.0')).toBe(id);
    expect(await resolveCustomer(store, '13047.000')).toBe(await customerOf(store, 'user_id', '13047'));
    expect((await searchCustomers(store, '17850.0')).hits.map((h) => h.customer_id)).toEqual([id]);
    expect((await subjectExport(store, '17850.0')).customerId).toBe(id);
    await expect(resolveCustomer(store, '99999.0')).rejects.toMatchObject({ code: 'customer_not_found', message: 'No customer has the identifier "99999.0".' });
  });

  it('the CLI: customers show 17850.0 shows customer 17850', async () => {
    // A database of its own: the one of this file is open in this process.
    const db = join(shop.path, '..', 'cli.duckdb');
    await runCli(db, 'import', fixture('retail-small.csv'));
    const asWritten = JSON.parse(await runCli(db, 'customers', 'show', '17850.0', '--json'));
    const asStored = JSON.parse(await runCli(db, 'customers', 'show', '17850', '--json'));
    expect(asWritten.customer_id).toBe(asStored.customer_id);
    expect(asWritten.customer_id).toBe(await customerOf(shop.store, 'user_id', '17850'));
  });

  it('an id stored with its decimal point (a generic import keeps values as written) is found as written first', async () => {
    await expectFoundAsWritten(shop, '900.0', '900');
  });
});

/**
 * CDNOW writes its master id with leading zeros (`00004`); its import stores user_id `4` (docs/importing.md).
 * Every lookup applies the same normalisation, after looking for the value as written (trial 7, D10).
 */
describe('an id written with leading zeros finds the customer the CDNOW import stored', () => {
  const shop = storePerFile(async (store) => {
    await importFile(store, fixture('cdnow-sample-small.txt'));
  });

  it('storedIdForm: leading zeros of digits, and a zero fraction; nothing else', () => {
    expect(storedIdForm('00004')).toBe('4');
    expect(storedIdForm(' 00004 ')).toBe('4');
    expect(storedIdForm('00004.0')).toBe('4');
    expect(storedIdForm('12347.0')).toBe('12347');
    for (const v of ['4', '0', '0000', '00000.0', 'A-0004', '-0004', '0x1F', '0004a', '00.5', '']) expect(storedIdForm(v)).toBeUndefined();
  });

  it('resolveCustomer, search, the subject export and the CLI answer 00004 as 4', async () => {
    const { store } = shop;
    const id = await customerOf(store, 'user_id', '4');
    expect(id).toBeDefined();
    expect(await customerOf(store, 'user_id', '00004')).toBeUndefined();
    expect(await resolveCustomer(store, '00004')).toBe(id);
    expect((await searchCustomers(store, '00004')).hits[0]?.customer_id).toBe(id);
    expect((await subjectExport(store, '00004')).customerId).toBe(id);
    await expect(resolveCustomer(store, '09999')).rejects.toMatchObject({ code: 'customer_not_found', message: 'No customer has the identifier "09999".' });
    const db = join(shop.path, '..', 'cli.duckdb');
    await runCli(db, 'import', fixture('cdnow-sample-small.txt'), '--format', 'cdnow');
    const asWritten = JSON.parse(await runCli(db, 'customers', 'show', '00004', '--json'));
    expect(asWritten.customer_id).toBe(JSON.parse(await runCli(db, 'customers', 'show', '4', '--json')).customer_id);
  });

  it('an id stored with its zeros is found as written, never as the other person without them', async () => {
    await expectFoundAsWritten(shop, '0042', '42');
  });

  it('an erased person asked for as the file writes the id is erased, not unknown', async () => {
    const { store } = shop;
    const reg = await runRegulation(store, await requestErasure(store, { identifiers: ['4'], actor: 'test' }));
    expect(reg.status).toBe('finished');
    await expect(resolveCustomer(store, '4')).rejects.toMatchObject({ code: 'customer_erased' });
    await expect(resolveCustomer(store, '00004')).rejects.toMatchObject({ code: 'customer_erased' });
  });
});
