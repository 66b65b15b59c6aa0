import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TypedField } from '../../src/ingest/import/layouts/types.js';
import type { Store } from '../../src/store/db.js';
import { IDENTIFIER_COLUMNS, keyOf } from '../../src/store/queries/import/rows/schema.js';
import { evidenceSelect, readEvidence } from '../../src/store/queries/import/rows/values.js';
import { tempStore } from '../helpers/store.js';

/**
 * Two of the import's cheaper forms against what they stand in for: the layout evidence counted over
 * each column's distinct texts (weighted by how often each occurs) against the same texts counted one
 * row at a time and summed here; and the identifier key built by one concat() against coalescing each
 * column and joining with ||.
 */

let store: Store;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
});
afterAll(() => cleanup());

const FIELDS: TypedField[] = [
  { key: 'amount', column: 'Amount', type: 'number', expr: "nullif(c0, '')" },
  { key: 'date', column: 'Date', type: 'time', expr: "nullif(c1, '')" },
];

// Texts that tell each layout, ambiguous ones, plain ones, junk and empties, repeated at random.
const AMOUNTS = ['7.5', '1,234.56', '12,50', '€ 1.234,56', '1.234', '42', '', '0.001', '1 234,5', 'x', '-3.25', '1,5'];
const DATES = ['2024-05-01', '2024/05/01 14:30', '13/01/2024', '01/13/2024', '01/02/2024', '05/05/2024', 'garbage', '', '2010-12-01 08:26:00', '1/2/2024 3:04 PM'];

type Evidence = Record<string, number>;

/** The evidence of a list of rows as evidenceSelect counts it, with `also` to check it reads every row. */
async function counted(rows: readonly (readonly [string, string])[]): Promise<{ evidence: Map<string, Evidence>; n: number }> {
  const values = rows.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
  const from = `(SELECT * FROM (VALUES ${values}) t(c0, c1))`;
  const row = await store.one<Record<string, unknown>>(evidenceSelect(FIELDS, from, ['count(*) AS n']), rows.flat());
  return { evidence: readEvidence(row!, FIELDS) as unknown as Map<string, Evidence>, n: Number(row!.n) };
}

describe('layout evidence counted over distinct texts', () => {
  it('is the sum of every row counted on its own', async () => {
    // What one row counts for each text alone (a column's evidence reads only its own texts; the
    // other cell is left empty, which counts nowhere).
    const amounts = new Map<string, Evidence>();
    const dates = new Map<string, Evidence>();
    for (const a of AMOUNTS) amounts.set(a, (await counted([[a, '']])).evidence.get('amount')!);
    for (const d of DATES) dates.set(d, (await counted([['', d]])).evidence.get('date')!);
    const add = (sum: Evidence | undefined, ev: Evidence): Evidence => Object.fromEntries(Object.entries(ev).map(([k, v]) => [k, (sum?.[k] ?? 0) + v]));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...AMOUNTS), fc.constantFrom(...DATES)), { minLength: 1, maxLength: 40 }), async (rows) => {
        let amount: Evidence | undefined;
        let date: Evidence | undefined;
        for (const [a, d] of rows) {
          amount = add(amount, amounts.get(a)!);
          date = add(date, dates.get(d)!);
        }
        const want = new Map([['amount', amount], ['date', date]]);
        const got = await counted(rows);
        expect(got.n).toBe(rows.length);
        expect(got.evidence).toEqual(want);
      }),
      { numRuns: 15, seed: 15 },
    );
  });

  it('counts repeated texts as often as they occur, and empty ones nowhere', async () => {
    const rows: [string, string][] = [...Array(5).fill(['7.5', '13/01/2024']), ...Array(3).fill(['12,50', '01/13/2024']), ['', ''], ['1.234', '01/02/2024']];
    const { evidence } = await counted(rows);
    expect(evidence.get('amount')).toEqual({ point: 5, comma: 3, ambiguous: 1 });
    expect(evidence.get('date')).toEqual({ ymd: 0, dmy: 5, mdy: 3, ambiguous: 1 });
  });
});

describe('the identifier key', () => {
  it('is the columns coalesced to empty and joined by chr(31), for any given columns', async () => {
    const cell = fc.option(fc.constantFrom('17850', 'ann@example.com', 'a\u001fb', ' ', 'é', '0'), { nil: null });
    await fc.assert(
      fc.asyncProperty(fc.subarray([...IDENTIFIER_COLUMNS]), fc.array(fc.tuple(cell, cell, cell, cell, cell), { minLength: 1, maxLength: 10 }), async (given, tuples) => {
        const reference = IDENTIFIER_COLUMNS.map((c) => (given.includes(c) ? `coalesce(${c}, '')` : "''")).join(' || chr(31) || ');
        const rows = await store.all<{ fast: string; reference: string }>(
          `SELECT ${keyOf(given)} AS fast, ${reference} AS reference
           FROM (SELECT unnest($1::VARCHAR[]) AS user_id, unnest($2::VARCHAR[]) AS email, unnest($3::VARCHAR[]) AS anonymous_id,
             unnest($4::VARCHAR[]) AS ext_kind, unnest($5::VARCHAR[]) AS ext_value)`,
          [0, 1, 2, 3, 4].map((i) => tuples.map((t) => t[i] ?? null)),
        );
        expect(rows).toHaveLength(tuples.length);
        for (const r of rows) expect(r.fast).toBe(r.reference);
      }),
      { numRuns: 100, seed: 15 },
    );
  });
});
