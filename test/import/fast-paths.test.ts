import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldLayout } from '../../src/ingest/import/layouts/types.js';
import type { Store } from '../../src/store/db.js';
import { Binds } from '../../src/store/queries/import/rows/sql.js';
import { numberByReadings, ValueReader } from '../../src/store/queries/import/rows/values.js';
import { eventSlices } from '../../src/store/queries/import/write.js';
import { tempStore } from '../helpers/store.js';
import { fixture, importsOfText } from './helpers.js';

/**
 * The import's shortcuts against the general paths they stand in for: plain numbers cast directly
 * against the layout's readings, and order lines numbered by their place in the file against the
 * window over (line, synthetic).
 */

// One store for the statements of the tests below that import nothing.
let store: Store;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
});
afterAll(() => cleanup());

const LAYOUTS: FieldLayout[] = (['point', 'comma', 'mixed', 'unknown'] as const).map((layout) => ({ type: 'number', layout, source: 'detected' }));

// Number-like texts: signs, leading zeros, one or two separators, long fractions, grouping, currency, spaces.
const digits = (min: number, max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const numberText = fc.oneof(
  fc.tuple(fc.constantFrom('', '+', '-'), digits(1, 20)).map(([s, d]) => s + d),
  fc.tuple(fc.constantFrom('', '+', '-'), digits(0, 16), fc.constantFrom('.', ','), digits(0, 7)).map(([s, i, sep, f]) => s + i + sep + f),
  fc.tuple(digits(1, 3), fc.constantFrom('.', ',', ' '), digits(3, 3), fc.constantFrom('.', ','), digits(1, 5)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('$', '€', 'GBP ', ' ', ''), digits(1, 6), fc.constantFrom('', '.5', ',25'), fc.constantFrom('', ' ', ' EUR')).map((p) => p.join('')),
  fc.string({ unit: fc.constantFrom(...'0123456789.,+- $€e'), maxLength: 12 }),
);

describe('plain numbers cast directly', () => {
  it('give the value the readings of every layout give, on any text', async () => {
    const texts = fc.sample(numberText, { numRuns: 3000, seed: 15 });
    // Texts that sit on the edges of the plain forms, whatever the sample holds.
    texts.push('', '0', '-0', '+7', '007', '1.2345', '1.23456', '1,234', '1.234', '99999999999999', '999999999999999', '12345678901234.5678', '.5', '5.', '1e3');
    for (const layout of LAYOUTS) {
      const reader = new ValueReader(new Map([['n', { key: 'n', column: 'N', type: 'number', expr: 'x' }]]), new Map([['n', layout]]), new Binds());
      const rows = await store.all<{ x: string; fast: string | null; careful: string | null }>(
        `SELECT x, fast::VARCHAR AS fast, careful::VARCHAR AS careful FROM (
           SELECT x, ${reader.number('n')} AS fast, ${numberByReadings('x', layout)} AS careful FROM (SELECT unnest($1::VARCHAR[]) AS x))
         WHERE fast IS DISTINCT FROM careful`,
        [texts],
      );
      expect(rows, `layout ${layout.layout}`).toEqual([]);
    }
    // The shortcut is taken: most of these texts are plain.
    const plain = await store.one<{ n: number }>("SELECT count(*) AS n FROM (SELECT unnest($1::VARCHAR[]) AS x) WHERE regexp_full_match(x, '[+-]?\\d+')", [texts]);
    expect(plain!.n).toBeGreaterThan(300);
  });
});

describe('order lines numbered by their place in the file', () => {
  const importText = importsOfText();
  const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
  const csv = (invoices: readonly number[]): string =>
    [header, ...invoices.map((inv, i) => `${inv === 3 ? 'C' : ''}5000${inv},S${i},Item ${i},${inv === 3 ? -1 : 2},2011-01-0${1 + (i % 9)} 10:00:00,1.50,1234${inv}.0,France`)].join('\n') + '\n';

  /** line_no of every stored line, by its stock code, against 1 + the lines of its invoice above it. */
  async function check(invoices: readonly number[]): Promise<void> {
    const { store, report } = await importText(csv(invoices));
    expect(report.skipped).toBe(0);
    const stored = await store.all<{ product_id: string; line_no: number }>('SELECT product_id, line_no FROM order_lines ORDER BY product_id');
    const expected = invoices.map((inv, i) => ({ product_id: `S${i}`, line_no: invoices.slice(0, i).filter((x) => x === inv).length + 1 }));
    expect(stored).toEqual(expected.sort((a, b) => a.product_id.localeCompare(b.product_id)));
  }

  it('whether an invoice’s lines are consecutive or interleaved with others', async () => {
    // 50001 consecutive, 50002 interleaved with the refund C50003, 50000 alone.
    await check([1, 1, 1, 2, 3, 2, 3, 2, 0]);
  });

  it('on random files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 12 }), (invoices) => check(invoices)),
      { numRuns: 6, seed: 15 },
    );
  });

  it('a format’s own rows after the file’s line they come with (a Shopify discount)', async () => {
    // #1001: Linen Shirt - M on line 2 with the order's discount, Canvas Tote on line 3.
    const { store, report } = await importText(readFileSync(fixture('shopify-orders.csv'), 'utf8'), {}, 'orders_export.csv');
    expect(report.format).toBe('shopify-orders');
    const lines = await store.all<{ line_no: number; kind: string; name: string }>("SELECT line_no, kind, name FROM order_lines WHERE order_id = '#1001' ORDER BY line_no");
    expect(lines).toEqual([
      { line_no: 1, kind: 'product', name: 'Linen Shirt - M' },
      { line_no: 2, kind: 'discount', name: 'Discount' },
      { line_no: 3, kind: 'product', name: 'Canvas Tote' },
    ]);
  });
});

describe('order lines of every format', () => {
  const importText = importsOfText();
  const GENERIC_MAP = ['Order Ref=order_id', 'Date=placed_at', 'Customer Email=email', 'Client No=user_id', 'SKU=product_id', 'Item=product_name', 'Qty=quantity', 'Unit Price=price', 'Type=kind'];
  // Numbering by the place in the file holds because a line gives at most one row that is not a
  // format's own (schema.ts): were a format to give two, an order's numbers would repeat here.
  it.each([
    ['retail-small.csv', {}],
    ['cdnow-sample-small.txt', {}],
    ['shopify-orders.csv', {}],
    ['generic.csv', { format: 'generic', map: GENERIC_MAP }],
  ] as const)('are numbered 1..n within each order, each number once (%s)', async (name, options) => {
    const { store, report } = await importText(readFileSync(fixture(name), 'utf8'), options, name);
    expect(report.orders).toBeGreaterThan(0);
    const wrong = await store.all(
      `SELECT order_id FROM order_lines GROUP BY order_id
       HAVING count(DISTINCT line_no) <> count(*) OR min(line_no) <> 1 OR max(line_no) <> count(*)`,
    );
    expect(wrong).toEqual([]);
  });
});

describe('events written in slices of the file', () => {
  it('put every order in one slice, its lines between the slice’s bounds', async () => {
    // Orders of 1 to 5 lines, some interleaved with others (last_line past the next order's first).
    const orders = fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(orders, fc.integer({ min: 1, max: 30 }), async (spec, perSlice) => {
        let line = 2;
        const rows = spec.map(([n, spread], i) => {
          const first = line;
          line += n;
          return { id: `o${i}`, first, last: first + n - 1 + spread, n };
        });
        await store.run('CREATE OR REPLACE TEMP TABLE imp_orders (order_id VARCHAR, first_line BIGINT, last_line BIGINT, line_count BIGINT)');
        await store.run('INSERT INTO imp_orders SELECT unnest($1::VARCHAR[]), unnest($2::BIGINT[]), unnest($3::BIGINT[]), unnest($4::BIGINT[])', [
          rows.map((r) => r.id),
          rows.map((r) => r.first),
          rows.map((r) => r.last),
          rows.map((r) => r.n),
        ]);
        const slices = await eventSlices(store, perSlice);
        for (const r of rows) {
          const holding = slices.filter((s) => r.first >= s.from && r.first <= s.to);
          expect(holding).toHaveLength(1);
          expect(r.first).toBeGreaterThanOrEqual(holding[0]!.lo);
          expect(r.last).toBeLessThanOrEqual(holding[0]!.hi);
        }
        const total = rows.reduce((a, r) => a + r.n, 0);
        expect(slices.length).toBeLessThanOrEqual(Math.ceil(total / perSlice));
      }),
      { numRuns: 40, seed: 15 },
    );
    await store.run('DROP TABLE imp_orders');
  });
});
