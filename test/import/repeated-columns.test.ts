import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Header } from '../../src/ingest/csv/header.js';
import { importFile } from '../../src/ingest/import/run.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

/**
 * A header that repeats a name (trial 7, D3): `--map Notiz=trait.note` took the first of two Notiz
 * columns silently and the second could not be named. Now a map naming a repeated header is refused
 * before anything is read, naming the columns that share it; `Notiz#1` / `Notiz#2` name each one.
 */
describe('repeated header names', () => {
  const HEADER = 'Nr;Kunde;Datum;Betrag;Notiz;Notiz;Art';
  const MAP = ['Nr=order_id', 'Kunde=user_id', 'Datum=placed_at', 'Betrag=amount'];
  const file = async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const path = join(t.dir, 'a.csv');
    writeFileSync(path, `${HEADER}\nB-1;k-1;2024-05-01;12,50;first;second;x\n`);
    return { store: t.store, path };
  };
  const traits = async (s: Awaited<ReturnType<typeof file>>['store']) =>
    (await s.all<{ t: string }>('SELECT traits::VARCHAR AS t FROM customers')).map((r) => JSON.parse(r.t) as Record<string, unknown>);

  it('Header.address: a single name, Name#k for a repeated one, ambiguous without #k', () => {
    const h = Header.parse(HEADER);
    expect(h.address('kunde')).toEqual({ index: 1, spelling: 'Kunde' });
    expect(h.address('Notiz')).toEqual({ ambiguous: [4, 5] });
    expect(h.address('notiz#2')).toEqual({ index: 5, spelling: 'Notiz#2' });
    expect(h.address('Notiz#3')).toBeUndefined();
    expect(h.address('Notiz#0')).toBeUndefined();
    expect(h.address('Kunde#1')).toEqual({ index: 1, spelling: 'Kunde' });
    // A header that spells a name with # itself is found as written first.
    expect(Header.parse('Order #,Order #2,x').address('Order #2')).toEqual({ index: 1, spelling: 'Order #2' });
  });

  it('a map naming a repeated header is refused before anything is read, naming the columns', async () => {
    const { store, path } = await file();
    await expect(importFile(store, path, { map: [...MAP, 'Notiz=trait.note'] })).rejects.toMatchObject({
      code: 'import_bad_mapping',
      message: `${path}: --map Notiz=trait.note: the header has 2 columns named "Notiz" (columns 5 and 6); name one as "Notiz#1" or "Notiz#2"`,
      details: { positions: [5, 6] },
    });
    expect(await store.all('SELECT * FROM orders')).toEqual([]);
  });

  it('Notiz#1 and Notiz#2 map each column', async () => {
    const { store, path } = await file();
    const r = await importFile(store, path, { map: [...MAP, 'Notiz#1=trait.first_note', 'Notiz#2=trait.second_note'] });
    expect(r.imported).toBe(1);
    expect(await traits(store)).toEqual([expect.objectContaining({ first_note: 'first', second_note: 'second' })]);
  });

  it('a format that reads a repeated column refuses the file rather than guess which holds the data', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const path = join(t.dir, 'retail.csv');
    writeFileSync(path, 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,CustomerID\n536365,85123A,X,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom,1\n');
    await expect(importFile(t.store, path)).rejects.toMatchObject({
      code: 'import_repeated_column',
      message: expect.stringContaining('the header has 2 columns named "CustomerID" (columns 7 and 9), and the online-retail format reads one of them'),
    });
  });
});
