import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountProblem, Binds, lineAmount, lineAmountProblem, storedAmount, storedLineAmount } from '../../src/store/queries/import/rows/sql.js';
import { storePerFile } from '../helpers/store.js';

/**
 * A line's amount (quantity × price) is multiplied at 18 digits when both factors are below 10^5 in size,
 * at 38 digits otherwise: both ways must give the stored amount and the refusal of 38 digits alone, on
 * every pair of DECIMAL(18,4) values, the boundaries and halves to round included.
 */

const MAX_SCALED = 10n ** 18n - 1n; // DECIMAL(18,4): 99999999999999.9999
const asDecimal = (scaled: bigint): string => {
  const sign = scaled < 0n ? '-' : '';
  const a = scaled < 0n ? -scaled : scaled;
  return `${sign}${a / 10_000n}.${String(a % 10_000n).padStart(4, '0')}`;
};

/** A factor as 1/10,000 units: small ones, those at 10^5 and around, any in range, and a few that round at .5. */
const factor = fc.oneof(
  fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
  fc.bigInt({ min: 10n ** 9n - 3n, max: 10n ** 9n + 3n }),
  // multiples of 0.0005: their products often end in a 5 at the eighth decimal, to be rounded
  fc.bigInt({ min: -4_000n, max: 4_000n }).map((x) => x * 5n),
  fc.bigInt({ min: -(10n ** 9n) - 3n, max: -(10n ** 9n) + 3n }),
  fc.bigInt({ min: -MAX_SCALED, max: MAX_SCALED }),
  fc.constantFrom(1n, -1n, 5n, 5_000n, -5_000n, 15_000n, 25n, 0n),
);

const b = new Binds();
const what = 'line amount "Quantity" × "UnitPrice"';
const [oldCond, oldReason] = amountProblem(b, what, lineAmount('q', 'p'));
const [newCond, newReason] = lineAmountProblem(b, what, 'q', 'p');

const COMPARE = `
  SELECT count(*) FILTER (WHERE old_amount IS DISTINCT FROM new_amount) AS amounts,
    count(*) FILTER (WHERE coalesce(old_refused, false) <> coalesce(new_refused, false)) AS refusals,
    count(*) FILTER (WHERE old_refused AND old_why IS DISTINCT FROM new_why) AS reasons,
    count(*) FILTER (WHERE old_refused) AS refused, count(*) FILTER (WHERE abs(q) < 100000 AND abs(p) < 100000) AS small,
    count(*) AS n
  FROM (
    SELECT q, p, ${storedAmount(lineAmount('q', 'p'))} AS old_amount, ${storedLineAmount('q', 'p')} AS new_amount,
      ${oldCond} AS old_refused, ${newCond} AS new_refused,
      CASE WHEN ${oldCond} THEN ${oldReason} END AS old_why, CASE WHEN ${newCond} THEN ${newReason} END AS new_why
    FROM (SELECT unnest($${b.values.length + 1}::VARCHAR[])::DECIMAL(18,4) AS q, unnest($${b.values.length + 2}::VARCHAR[])::DECIMAL(18,4) AS p)
  )`;

describe('a line amount of small factors at 18 digits', () => {
  const shared = storePerFile();

  it('gives the same stored amount and the same refusals as the 38-digit product', async () => {
    const totals = { small: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(factor, factor), { minLength: 1, maxLength: 400 }), async (pairs) => {
        const r = (await shared.store.one<Record<string, number>>(COMPARE, [
          ...b.values,
          [...pairs.map(([q]) => asDecimal(q)), null, '1.0000'],
          [...pairs.map(([, p]) => asDecimal(p)), '2.5000', null],
        ]))!;
        expect({ amounts: r.amounts, refusals: r.refusals, reasons: r.reasons }).toEqual({ amounts: 0, refusals: 0, reasons: 0 });
        totals.small += Number(r.small);
        totals.refused += Number(r.refused);
      }),
      { numRuns: 60 },
    );
    // Both paths were taken, and refusals were compared, not only accepted lines.
    expect(totals.small).toBeGreaterThan(0);
    expect(totals.refused).toBeGreaterThan(0);
  });

  it('rounds the eighth decimal of a product as the 38-digit product does', async () => {
    // 0.0001 × 0.5 = 0.00005, −0.0003 × 0.5 = −0.00015, 0.0001 × 0.4999 = 0.00004999, 99999.9999 × 99999.9999
    const q = ['0.0001', '-0.0003', '0.0001', '99999.9999', '-99999.9999', '0.0005', '3.0001'];
    const p = ['0.5000', '0.5000', '0.4999', '99999.9999', '0.0005', '0.0005', '0.0005'];
    const rows = await shared.store.all<{ old_amount: string; new_amount: string }>(
      `SELECT ${storedAmount(lineAmount('q', 'p'))}::VARCHAR AS old_amount, ${storedLineAmount('q', 'p')}::VARCHAR AS new_amount
       FROM (SELECT unnest($1::VARCHAR[])::DECIMAL(18,4) AS q, unnest($2::VARCHAR[])::DECIMAL(18,4) AS p)`,
      [q, p],
    );
    expect(rows.map((r) => r.new_amount)).toEqual(rows.map((r) => r.old_amount));
    expect(rows[0]!.new_amount).not.toBeNull();
  });
});
