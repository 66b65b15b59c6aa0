import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INSTANT, MIN_INSTANT, parseInstant, readInstant } from '../../src/domain/timestamp.js';
import { duckdbDialect } from '../../src/segments/compiler/duckdb.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

// Expected instants from an independent parser: Python 3.11's datetime.fromisoformat, zone-less read as
// UTC, printed to the millisecond (python3 -c "from datetime import datetime, timezone; ...").
const accepted: [string, string][] = [
  ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01 10:00:00', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01t10:00:00z', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00.5+02:00', '2024-05-01T08:00:00.500Z'],
  ['2024-05-01T10:00:00,25-05:30', '2024-05-01T15:30:00.250Z'],
  ['2024-05-01T10:00:00+0200', '2024-05-01T08:00:00.000Z'],
  ['2024-05-01T10:00:00+02', '2024-05-01T08:00:00.000Z'],
  ['20240501T100000Z', '2024-05-01T10:00:00.000Z'],
  ['20240501T100000.123+0100', '2024-05-01T09:00:00.123Z'],
  ['2024-05-01T10:30', '2024-05-01T10:30:00.000Z'],
  ['2024-05-01T10', '2024-05-01T10:00:00.000Z'],
  ['2024-05-01T10:00:00.123456789Z', '2024-05-01T10:00:00.123Z'],
  ['2024-02-29T23:59:59.999-00:30', '2024-03-01T00:29:59.999Z'],
  ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
  // Hand-computed (Python 3.11 reads neither): a date alone is midnight UTC; 24:00 ends the day; a
  // fraction of the last component: 10:30.5 is 10:30:30, 10,25 (hours) is 10:15.
  ['2024-05-01', '2024-05-01T00:00:00.000Z'],
  ['2024-05-01T24:00:00Z', '2024-05-02T00:00:00.000Z'],
  ['2024-05-01T10:30.5Z', '2024-05-01T10:30:30.000Z'],
  ['2024-05-01T10,25', '2024-05-01T10:15:00.000Z'],
  ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
];

const refused: [unknown, 'not_iso' | 'no_such_time' | 'out_of_range' | 'expanded_year', RegExp][] = [
  [1714557600, 'not_iso', /is the number 1714557600/],
  ['1', 'not_iso', /"1" is not an ISO-8601 date-time/],
  ['2024-02-30T10:00:00Z', 'no_such_time', /2024-02 has no day 30 \(it has 29 days\)/],
  ['2023-02-29', 'no_such_time', /has no day 29/],
  ['May 1, 2024 10:00', 'not_iso', /not an ISO-8601/],
  ['Wed, 01 May 2024 10:00:00 GMT', 'not_iso', /not an ISO-8601/],
  ['2024-05-01T10:00:00 +02:00', 'not_iso', /not an ISO-8601/],
  ['20240501', 'not_iso', /not an ISO-8601/],
  ['2024-13-01T00:00:00Z', 'no_such_time', /month 13/],
  ['2024-05-01T25:00:00Z', 'no_such_time', /hour 25/],
  ['2024-05-01T24:00:01Z', 'no_such_time', /only 24:00/],
  ['2016-12-31T23:59:60Z', 'no_such_time', /leap second/],
  ['2024-05-01T10:00:00+24:00', 'no_such_time', /beyond ±23:59/],
  ['+010000-01-01T00:00:00Z', 'out_of_range', /outside the years/],
  // Trial 13, C1: an expanded year within 0001-9999 is refused as a form, with the plain form to write.
  ['+002011-12-10', 'expanded_year', /^"\+002011-12-10" writes its year in the expanded form \(a sign before the year\), which segmint does not accept; write "2011-12-10"$/],
  ['+002011-12-10T15:00:00Z', 'expanded_year', /write "2011-12-10T15:00:00Z"$/],
  ['+002011-02-30', 'expanded_year', /expanded form .*; and written plainly, "2011-02-30": 2011-02 has no day 30/],
  ['-002011-12-10', 'out_of_range', /outside the years segmint stores \(0001 to 9999, UTC\); a sign before the year is not accepted either/],
  ['9999-12-31T23:59:59-01:00', 'out_of_range', /outside the range/],
  ['0001-01-01T00:00:00+01:00', 'out_of_range', /outside the range/],
  [null, 'not_iso', /is null/],
  [true, 'not_iso', /is boolean/],
];

describe('the timestamp rule', () => {
  it.each(accepted)('reads %s as %s', (text, expected) => {
    expect(iso(parseInstant(text))).toBe(expected);
  });

  it.each(refused)('refuses %j (%s)', (value, problem, reason) => {
    const r = readInstant(value);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.reason).toMatch(reason);
    }
  });

  it('keeps the range ends exact', () => {
    expect(parseInstant('0001-01-01T00:00:00Z')).toBe(MIN_INSTANT);
    expect(parseInstant('9999-12-31T23:59:59.999Z')).toBe(MAX_INSTANT);
  });

  it('reads a fraction of a second of 1 to 30 digits as whole ms towards the past, as exact integer arithmetic does', () => {
    // The reference: floor(digits × 1000 / 10^length) in BigInt, added to the whole second.
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,30}$/), fc.integer({ min: -1_000_000, max: 1_000_000 }), (digits, second) => {
        const base = Date.UTC(2024, 4, 1) + second * 1000;
        const text = `${new Date(base).toISOString().slice(0, 19)}.${digits}Z`;
        const expected = base + Number((BigInt(digits) * 1000n) / 10n ** BigInt(digits.length));
        expect(parseInstant(text)).toBe(expected);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });
});

describe('the DuckDB dialect reads trait text as the same instant as the evaluator', () => {
  let store: Store;
  let held: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    // a copy of the once-migrated empty store (tempStore), not a ':memory:' database migrated anew
    held = await tempStore();
    store = held.store;
  });
  afterAll(() => held.cleanup());

  const sqlInstants = async (texts: readonly string[]): Promise<(string | undefined)[]> => {
    const json = texts.map((t) => JSON.stringify({ at: t }));
    const expr = duckdbDialect.jsonValue('j', "'/at'", 'timestamp');
    const rows = await store.all<{ i: number; t: Date | null }>(
      `SELECT i, ${expr} AS t FROM (SELECT unnest($1::VARCHAR[])::JSON AS j, unnest(range(${texts.length})) AS i) ORDER BY i`,
      [json],
    );
    return rows.map((r) => (r.t === null ? undefined : r.t.toISOString()));
  };

  it('for every handed form, accepted and refused', async () => {
    const texts = [...accepted.map(([t]) => t), ...refused.filter(([v]) => typeof v === 'string').map(([v]) => v as string)];
    expect(await sqlInstants(texts)).toEqual(texts.map((t) => iso(parseInstant(t))));
  });

  it('for 1,500 texts of the form SDKs send (read digit by digit) and near misses of it, as DuckDB and Date.parse read them', async () => {
    const n = (min: number, max: number, width: number) => fc.integer({ min, max }).map((x) => String(x).padStart(width, '0'));
    const canonical = fc
      .record({ y: n(0, 9999, 4), mo: n(0, 13, 2), d: n(0, 32, 2), h: n(0, 25, 2), mi: n(0, 60, 2), s: n(0, 61, 2), ms: fc.option(n(0, 999, 3)), t: fc.constantFrom('T', 'T', 't', ' '), z: fc.constantFrom('Z', 'Z', 'Z', 'z', '') })
      .map((p) => `${p.y}-${p.mo}-${p.d}${p.t}${p.h}:${p.mi}:${p.s}${p.ms === null ? '' : `.${p.ms}`}${p.z}`);
    const texts = fc.sample(fc.oneof(canonical, canonical, canonical.map((s) => s.replace(/[0-9]/, 'x'))), { numRuns: 1500, seed: 15 });
    const js = texts.map((t) => iso(parseInstant(t)));
    expect(await sqlInstants(texts)).toEqual(js);
    // Date.parse reads this exact form (ECMA-262 Date Time String Format) for the years it does not map.
    for (const [i, t] of texts.entries()) {
      if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3})?Z$/.test(t) && js[i] !== undefined && !t.startsWith('0000')) expect(js[i]).toBe(iso(Date.parse(t)));
    }
    expect(js.filter((x) => x !== undefined).length).toBeGreaterThan(200);
  });

  it('for 600 generated texts in every form, and mutations of them', async () => {
    const d2 = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const form = fc
      .record({
        y: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        mo: d2(13),
        d: d2(32),
        sep: fc.constantFrom('T', 't', ' '),
        h: d2(25),
        mi: fc.option(d2(61)),
        s: fc.option(d2(61)),
        f: fc.option(fc.stringMatching(/^[0-9]{1,12}$/)),
        zone: fc.constantFrom('', 'Z', 'z', '+02:00', '-0530', '+14', '-23:59', '+24:00'),
        basic: fc.boolean(),
        dateOnly: fc.boolean(),
      })
      .map((p) => {
        if (p.dateOnly) return `${p.y}-${p.mo}-${p.d}`;
        const sep = p.basic ? 'T' : p.sep;
        const time = p.basic ? `${p.h}${p.mi ?? ''}${p.mi ? (p.s ?? '') : ''}` : `${p.h}${p.mi ? `:${p.mi}` : ''}${p.mi && p.s ? `:${p.s}` : ''}`;
        const zone = p.basic ? p.zone.replace(':', '') : p.zone;
        const date = p.basic ? `${p.y}${p.mo}${p.d}` : `${p.y}-${p.mo}-${p.d}`;
        return `${date}${sep}${time}${p.f ? `.${p.f}` : ''}${zone}`;
      });
    const texts = fc.sample(fc.oneof(form, form.map((s) => s.slice(1)), form.map((s) => `${s}x`), fc.string()), { numRuns: 600, seed: 8 });
    const sql = await sqlInstants(texts);
    const js = texts.map((t) => iso(parseInstant(t)));
    expect(sql).toEqual(js);
    // the sample is not all refusals: most well-formed texts read as an instant
    expect(js.filter((x) => x !== undefined).length).toBeGreaterThan(60);
  });
});
